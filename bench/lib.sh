# Shared by the benchmarks: release build, a private PostgreSQL in /var/tmp, a daemon config, start/stop.
# Sourced after scripts/lib.sh, with HTTP_PORT and PG_PORT set.

# Builds release binaries; sets BIN.
bench_build() {
    say "building release binaries"
    swift build -c release 2>&1 | grep -E "error:|Compiling|Build complete" | grep -v "^\[" || true
    BIN=$(swift build -c release --show-bin-path)
    [ -x "$BIN/mo-receiver" ] || die "release build failed: run 'swift build -c release' to see why"
}

# Starts a private PostgreSQL with default durability and a database; sets WORK, PG_DIR, PSQL (an array) and
# installs the cleanup trap (daemon and cluster stopped, WORK removed).
bench_start_postgres() { # database name
    WORK=$(mktemp -d /var/tmp/mo-bench.XXXXXX)
    chmod 711 "$WORK"
    PG_DIR="$WORK/pg"
    DAEMON_PID=""
    trap bench_cleanup EXIT
    say "private PostgreSQL on 127.0.0.1:$PG_PORT (in $PG_DIR)"
    pg_owned_dir "$PG_DIR"
    as_pg_user "$(pg_bindir)/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
    as_pg_user "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1 -c max_connections=80 ${BENCH_PG_OPTS:-}" start >/dev/null
    PSQL=("$(pg_bindir)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
    "${PSQL[@]}" -d postgres -c "CREATE DATABASE $1"
    PSQL+=(-d "$1")
}

bench_cleanup() {
    [ -n "${DAEMON_PID:-}" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null || true
    [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg_user "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}

# The example config pointed at the bench database and port (admin listener on port + 100), loopback trusted as
# the proxy; extra sed
# expressions may follow. Prints the path.
bench_config() { # name database [sed -e …]
    local name=$1 database=$2
    shift 2
    sed -e "/^\[http\]/,/^\[/ s|^listen = .*|listen = \"127.0.0.1:$HTTP_PORT\"|" \
        -e "/^\[admin\]/,/^\[/ s|^listen = .*|listen = \"127.0.0.1:$((HTTP_PORT + 100))\"|" \
        -e "s|^url = .*|url = \"postgresql://postgres@127.0.0.1:$PG_PORT/$database\"|" \
        -e "s|^trusted_proxies = .*|trusted_proxies = [\"127.0.0.1/32\"]|" \
        -e "s|^client_ip_header = .*|client_ip_header = \"x-forwarded-for\"|" \
        -e "s|^format = .*|format = \"text\"|" \
        -e "s|^directory = .*|directory = \"$WORK/media\"|" \
        "$@" config.example.toml > "$WORK/$name.toml"
    echo "$WORK/$name.toml"
}

bench_start_daemon() { # config log
    "$BIN/mo-receiver" --config "$1" 2>>"$2" &
    DAEMON_PID=$!
    for _ in $(seq 100); do
        curl -fs "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    tail -n 20 "$2" >&2
    die "mo-receiver did not come up (its log above)"
}

bench_stop_daemon() {
    kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || die "mo-receiver exited non-zero on SIGTERM"
    DAEMON_PID=""
}
