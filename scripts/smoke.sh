#!/usr/bin/env bash
# Brings up the README's first command (scripts/dev.sh) in a scratch state directory, sends the README's curl,
# checks the row through moctl, and stops it with SIGTERM (expecting exit 0). Run by scripts/test.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

export MO_DEV_DIR=${MO_TEST_TMPDIR:-/tmp}/smoke-dev
export MO_HTTP_PORT=${MO_SMOKE_HTTP_PORT:-18080}
export MO_ADMIN_PORT=${MO_SMOKE_ADMIN_PORT:-18180}
export MO_PG_PORT=${MO_SMOKE_PG_PORT:-54391}
mkdir -p "$MO_DEV_DIR"
[ "$(id -u)" -eq 0 ] && chmod 755 "$MO_DEV_DIR"
log="$MO_DEV_DIR/daemon.log"

"$MO_ROOT/scripts/dev.sh" > "$log" 2>&1 &
daemon=$!
stop() {
    kill -TERM "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
    "$MO_ROOT/scripts/dev.sh" stop >/dev/null 2>&1 || true
}
trap stop EXIT

for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$MO_HTTP_PORT/" && break
    kill -0 "$daemon" 2>/dev/null || { cat "$log"; die "scripts/dev.sh exited before the daemon listened"; }
    sleep 0.2
done

# The README's curl.
status=$(curl -s -o "$MO_DEV_DIR/reply.json" -w '%{http_code}' \
    -H 'X-Forwarded-For: 31.169.56.10' -H 'Content-Type: application/json' \
    --data-binary @"$MO_ROOT/Tests/Fixtures/mo/whatsapp-text.json" \
    "http://127.0.0.1:$MO_HTTP_PORT/cm/mo")
[ "$status" = 200 ] || { cat "$log" "$MO_DEV_DIR/reply.json"; die "the README's curl got $status, expected 200"; }
grep -q '"result":"stored"' "$MO_DEV_DIR/reply.json" || die "unexpected reply: $(cat "$MO_DEV_DIR/reply.json")"

bin=$(cd "$MO_ROOT" && swift build --show-bin-path)
messages=$("$bin/moctl" --config "$MO_DEV_DIR/config.toml" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["inbound_messages"])')
[ "$messages" = 1 ] || die "expected 1 row in inbound_messages, moctl status says $messages"

kill -TERM "$daemon"
code=0; wait "$daemon" || code=$?
trap - EXIT
"$MO_ROOT/scripts/dev.sh" stop >/dev/null 2>&1 || true
[ "$code" = 0 ] || { cat "$log"; die "mo-receiver exited $code on SIGTERM, expected 0"; }
say "smoke test ok: 200 from the README curl, 1 inbound message, clean exit on SIGTERM"
