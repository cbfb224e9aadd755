#!/usr/bin/env bash
# The release as an operator gets it, tested as installed (run by scripts/test.sh; needs root or sudo):
#   1. scripts/package.sh builds dist/mo-receiver_VERSION_ARCH.deb (lintian: no errors);
#   2. dpkg -i installs it; ldd of both installed binaries shows no Swift library;
#   3. with the Swift toolchain's folder hidden (an empty folder bind-mounted over it in a mount namespace), the
#      installed /usr/bin/mo-receiver runs as the mo-receiver user with the installed config, pointed at a private
#      PostgreSQL cluster, after `moctl migrate`; the README's curl gets 200 and moctl status sees the message;
#   4. dpkg --purge removes it, and nothing is left: no file of the package, no config, no state, no enabled
#      unit; the mo-receiver user is kept, as docs/install.md says.
# Prints the package's size, its Depends: line and the time from dpkg -i to the first 200.
# Usage: scripts/test-package.sh [DEB]   (without DEB it builds one)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MO_ROOT"

case "${1:-}" in -h|--help) usage "$0"; exit 0 ;; esac

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "installing a package needs root: run as root, or install sudo"
    SUDO=(sudo)
fi
ensure_swift
DEB=${1:-$(scripts/package.sh | tail -n 1)}
[ -f "$DEB" ] || die "no package at $DEB"

HTTP_PORT=${MO_PACKAGE_HTTP_PORT:-18081}
ADMIN_PORT=${MO_PACKAGE_ADMIN_PORT:-18181}
PG_PORT=${MO_PACKAGE_PG_PORT:-54393}
WORK=$(mktemp -d /tmp/mo-package-test.XXXXXX)
chmod 711 "$WORK"
PG_DIR="$WORK/pg"
daemon=""

cleanup() {
    [ -n "$daemon" ] && kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
    [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg_user "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    if dpkg-query -W -f='${Status}' mo-receiver 2>/dev/null | grep -q 'ok installed\|config-files'; then
        "${SUDO[@]}" dpkg --purge mo-receiver >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

say "package: $(basename "$DEB"), $(du -h "$DEB" | cut -f1)"
say "$(dpkg-deb -f "$DEB" Depends | sed 's/^/Depends: /')"
dpkg-query -W -f='${Status}' mo-receiver 2>/dev/null | grep -q 'ok installed' \
    && die "mo-receiver is installed on this machine already; this test installs and purges it: dpkg --purge mo-receiver first"

# The database first, so the clock below measures the install, not initdb.
pg_owned_dir "$PG_DIR"
as_pg_user "$(pg_bindir)/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
as_pg_user "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-k $PG_DIR -p $PG_PORT -c listen_addresses=127.0.0.1" start >/dev/null
"$(pg_bindir)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE \"mo-receiver\" LOGIN" -c "CREATE DATABASE mo_receiver OWNER \"mo-receiver\"" >/dev/null

curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/" && die "something already listens on 127.0.0.1:$HTTP_PORT (MO_PACKAGE_HTTP_PORT)"
started=$(date +%s.%N)
say "dpkg -i"
"${SUDO[@]}" dpkg -i "$DEB" > "$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; die "dpkg -i failed"; }
grep -q "installed and enabled, but not started" "$WORK/install.log" \
    || die "postinst did not say that the daemon is not started yet: $(cat "$WORK/install.log")"
[ -L /etc/systemd/system/multi-user.target.wants/mo-receiver.service ] || die "the unit was not enabled"
id mo-receiver >/dev/null 2>&1 || die "postinst did not create the mo-receiver user"
[ "$(stat -c '%a %U %G' /etc/mo-receiver/config.toml)" = "640 root mo-receiver" ] \
    || die "/etc/mo-receiver/config.toml is $(stat -c '%a %U %G' /etc/mo-receiver/config.toml), expected 640 root mo-receiver"
[ "$(stat -c '%a %U %G' /etc/mo-receiver)" = "750 root mo-receiver" ] || die "/etc/mo-receiver has the wrong mode or owner"
[ "$(stat -c '%a %U' /var/lib/mo-receiver)" = "750 mo-receiver" ] || die "/var/lib/mo-receiver has the wrong mode or owner"

for tool in mo-receiver moctl; do
    libraries=$(ldd "/usr/bin/$tool")
    if grep -qi 'swift\|libFoundation\|libdispatch' <<< "$libraries"; then
        echo "$libraries" >&2; die "/usr/bin/$tool loads a Swift library"
    fi
done
say "ldd: no Swift library in /usr/bin/mo-receiver or /usr/bin/moctl"

# The operator's edits: the database, a free port, loopback as the trusted proxy (curl stands in for CM behind it).
"${SUDO[@]}" python3 - /etc/mo-receiver/config.toml "$PG_PORT" "$HTTP_PORT" "$ADMIN_PORT" <<'PY'
import re, sys
path, pg, http, admin = sys.argv[1:]
text = open(path, encoding="utf-8").read()
for key, value in [("url", f'"postgresql://mo-receiver@127.0.0.1:{pg}/mo_receiver"'),
                   ("trusted_proxies", '["127.0.0.1/32"]'), ("client_ip_header", '"x-forwarded-for"')]:
    text, count = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, count=1, flags=re.M)
    assert count == 1, key
text = re.sub(r'^listen = "127.0.0.1:8080"$', f'listen = "127.0.0.1:{http}"', text, count=1, flags=re.M)
text = re.sub(r'^listen = "127.0.0.1:9180"$', f'listen = "127.0.0.1:{admin}"', text, count=1, flags=re.M)
open(path, "w", encoding="utf-8").write(text)
PY

# Everything the installed binaries do from here runs with the toolchain hidden: no Swift library to fall back on.
toolchain=$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/../.." && pwd)
mkdir -p "$WORK/empty"
hidden() {
    "${SUDO[@]}" unshare --mount -- sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' hidden "$WORK/empty" "$toolchain" "$@"
}
hidden_exec() {  # the same, replacing the calling (sub)shell, so `hidden_exec … &` leaves $! the daemon's own pid
    exec "${SUDO[@]}" unshare --mount -- sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' hidden "$WORK/empty" "$toolchain" "$@"
}
[ "$(hidden ls -A "$toolchain" | wc -l)" = 0 ] || die "could not hide $toolchain in a mount namespace"
version=$(hidden /usr/bin/moctl --version)
say "with $toolchain hidden: $version"
[ "$version" = "moctl $(tr -d '[:space:]' < VERSION) $(hidden /usr/bin/mo-receiver --version | cut -d' ' -f3-)" ] \
    || die "moctl and mo-receiver disagree on the version: $version"
hidden runuser -u mo-receiver -- /usr/bin/mo-receiver --config /etc/mo-receiver/config.toml --check-config >/dev/null
hidden runuser -u mo-receiver -- /usr/bin/moctl --config /etc/mo-receiver/config.toml migrate > "$WORK/migrate.log" 2>&1 \
    || { cat "$WORK/migrate.log"; die "moctl migrate failed"; }

# setpriv execs the daemon itself (runuser would stay in between as its parent), so SIGTERM reaches it directly.
(hidden_exec setpriv --reuid=mo-receiver --regid=mo-receiver --init-groups -- \
    /usr/bin/mo-receiver --config /etc/mo-receiver/config.toml > "$WORK/daemon.log" 2>&1) &
daemon=$!
reply="$WORK/reply.json"
status=000
for _ in $(seq 1 300); do
    status=$(curl -s -o "$reply" -w '%{http_code}' -H 'X-Forwarded-For: 31.169.56.10' \
        -H 'Content-Type: application/json' --data-binary @Tests/Fixtures/mo/whatsapp-text.json \
        "http://127.0.0.1:$HTTP_PORT/cm/mo" || true)
    [ "$status" = 200 ] && break
    kill -0 "$daemon" 2>/dev/null || { cat "$WORK/daemon.log"; die "the installed daemon exited"; }
    sleep 0.1
done
[ "$status" = 200 ] || { cat "$WORK/daemon.log"; die "the README's curl got $status from the installed daemon"; }
finished=$(date +%s.%N)
grep -q '"result":"stored"' "$reply" || die "unexpected reply: $(cat "$reply")"
say "install to 200: $(python3 -c "print(f'{$finished - $started:.1f}')") s (dpkg -i, config, moctl migrate, start, first request)"
# Read whole before grep looks (grep -q stops early, and curl's write error would fail the pipe).
ready=$(curl -fsS "http://127.0.0.1:$ADMIN_PORT/readyz")
[[ "$ready" == *'"result":"ready"'* ]] || die "/readyz is not ready: $ready"
metrics=$(curl -fsS "http://127.0.0.1:$ADMIN_PORT/metrics")
grep -q "^mo_receiver_build_info{version=\"$(tr -d '[:space:]' < VERSION)\"" <<< "$metrics" \
    || die "/metrics has no mo_receiver_build_info for this version"
messages=$(hidden runuser -u mo-receiver -- /usr/bin/moctl --config /etc/mo-receiver/config.toml status --json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["inbound_messages"])')
[ "$messages" = 1 ] || die "moctl status counts $messages inbound messages, expected 1"
# Foundation without the toolchain: the log's time stamps and the stored message's timeUtc were read and written.
grep -q 'listening for CM webhooks' "$WORK/daemon.log" || { cat "$WORK/daemon.log"; die "the daemon logged no 'listening' line"; }
kill -TERM "$daemon"
wait "$daemon" || { tail -n 20 "$WORK/daemon.log"; die "the installed daemon did not exit 0 on SIGTERM"; }
daemon=""
say "the installed daemon served the README's curl with the toolchain hidden, and stopped cleanly"

# Purge: nothing of the package left behind.
dpkg -L mo-receiver | sort > "$WORK/files"
"${SUDO[@]}" dpkg --purge mo-receiver > "$WORK/purge.log" 2>&1 || { cat "$WORK/purge.log"; die "dpkg --purge failed"; }
left=()
while read -r path; do
    case "$path" in /.|/etc|/lib|/usr|/usr/*/|/usr/bin|/usr/lib|/usr/share|/usr/share/*) [ -d "$path" ] && continue ;; esac
    [ -e "$path" ] && [ ! -d "$path" ] && left+=("$path")
done < "$WORK/files"
for path in /etc/mo-receiver /var/lib/mo-receiver /usr/share/doc/mo-receiver /usr/bin/mo-receiver /usr/bin/moctl \
            /etc/systemd/system/multi-user.target.wants/mo-receiver.service /lib/systemd/system/mo-receiver.service; do
    [ -e "$path" ] || [ -L "$path" ] && left+=("$path")
done
[ ${#left[@]} -eq 0 ] || die "left behind after purge: ${left[*]}"
id mo-receiver >/dev/null 2>&1 || die "purge removed the mo-receiver user; docs/install.md says it is kept"
say "dpkg --purge: nothing left behind (the mo-receiver user is kept, as documented)"
