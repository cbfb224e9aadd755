#!/usr/bin/env bash
# The README's first command: from a fresh Debian machine to a running mo-receiver.
#   scripts/dev.sh          install packages, build, start a private PostgreSQL, migrate, run the daemon (foreground)
#   scripts/dev.sh stop     stop the private PostgreSQL
#   scripts/dev.sh psql     open psql on the development database
# Environment: MO_DEV_DIR (state, default .dev/ in the checkout), MO_HTTP_PORT (8080), MO_ADMIN_PORT (9180:
#              /healthz, /readyz, /metrics), MO_PG_PORT (54329).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DEV_DIR=${MO_DEV_DIR:-$MO_ROOT/.dev}
HTTP_PORT=${MO_HTTP_PORT:-8080}
ADMIN_PORT=${MO_ADMIN_PORT:-9180}
PG_PORT=${MO_PG_PORT:-54329}
mkdir -p "$DEV_DIR"
DEV_DIR=$(cd "$DEV_DIR" && pwd)

# The cluster lives inside the state directory unless the PostgreSQL user cannot reach it (e.g. a checkout
# under /root when running as root): then under /var/tmp, keyed by the state directory's path.
pg_dir() {
    local dir="$DEV_DIR/pg"
    if [ "$(id -u)" -eq 0 ] && ! pg_user_can_reach "$DEV_DIR"; then
        dir="/var/tmp/mo-receiver-dev-$(printf '%s' "$DEV_DIR" | md5sum | cut -c1-12)"
    fi
    echo "$dir"
}

PG_DIR=$(pg_dir)
BIN=""

pg_ctl_dev() { as_pg_user "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" "$@"; }

start_postgres() {
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
        say "creating a private PostgreSQL cluster in $PG_DIR"
        pg_owned_dir "$PG_DIR"
        as_pg_user "$(pg_bindir)/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
    fi
    if ! pg_ctl_dev status >/dev/null 2>&1; then
        say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        pg_ctl_dev -l "$PG_DIR/server.log" -w -t 60 \
            -o "-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1" start >/dev/null
    fi
    local psql=("$(pg_bindir)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
    if [ "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'mo_receiver'")" != "1" ]; then
        say "creating database mo_receiver"
        "${psql[@]}" -d postgres -c "CREATE DATABASE mo_receiver"
    fi
}

write_config() {
    local config="$DEV_DIR/config.toml"
    # The development config: the example with loopback as a trusted proxy, so curl with X-Forwarded-For works.
    sed -e "/^\[http\]/,/^\[/ s|^listen = .*|listen = \"127.0.0.1:$HTTP_PORT\"|" \
        -e "/^\[admin\]/,/^\[/ s|^listen = .*|listen = \"127.0.0.1:$ADMIN_PORT\"|" \
        -e "s|^url = .*|url = \"postgresql://postgres@127.0.0.1:$PG_PORT/mo_receiver\"|" \
        -e "s|^trusted_proxies = .*|trusted_proxies = [\"127.0.0.1/32\", \"::1/128\"]|" \
        -e "s|^client_ip_header = .*|client_ip_header = \"x-forwarded-for\"|" \
        -e "s|^directory = .*|directory = \"$DEV_DIR/media\"|" \
        "$MO_ROOT/config.example.toml" > "$config"
    echo "$config"
}

build() {
    ensure_swift
    say "building (swift build)"
    (cd "$MO_ROOT" && swift build 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" || true)
    BIN=$(cd "$MO_ROOT" && swift build --show-bin-path)
    [ -x "$BIN/mo-receiver" ] || die "build failed: run 'swift build' in $MO_ROOT to see why"
}

case "${1:-run}" in
    run)
        ensure_packages
        build
        start_postgres
        config=$(write_config)
        "$BIN/moctl" migrate --config "$config"
        say "mo-receiver on http://127.0.0.1:$HTTP_PORT/cm/{mo,status,events} (config $config); Ctrl-C stops it"
        say "PostgreSQL keeps running; 'scripts/dev.sh stop' stops it"
        exec "$BIN/mo-receiver" --config "$config"
        ;;
    stop)
        pg_ctl_dev status >/dev/null 2>&1 && pg_ctl_dev -m fast -w stop >/dev/null && say "PostgreSQL stopped" || say "PostgreSQL was not running"
        ;;
    psql)
        exec "$(pg_bindir)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres mo_receiver
        ;;
    *)
        die "usage: scripts/dev.sh [run|stop|psql]"
        ;;
esac
