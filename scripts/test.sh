#!/usr/bin/env bash
# The README's second command: the whole test suite, on a fresh Debian machine, root or not.
#   1. installs the system packages, builds
#   2. smoke test: the README's first command (scripts/dev.sh) brought up for real and answered with curl
#      and the systemd unit checked (scripts/check-systemd.sh), the alert rules by promtool (scripts/check-alerts.sh)
#   3. swift test: unit tests, and integration tests over real HTTP against private PostgreSQL clusters
#   4. chaos scenarios (short): faults under load, nothing acknowledged lost (bench/chaos/run)
#   5. the backup and restore drill of docs/install.md (bench/restore-drill), on 20 messages with media
#   6. fuzzing (short): libFuzzer over our parsers and policies, 12 s per target (scripts/fuzz.sh)
#   7. the release: scripts/package.sh builds the .deb (static Swift stdlib, lintian without errors), and
#      scripts/test-package.sh installs it, runs the installed daemon with the toolchain hidden, purges it
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MO_ROOT"

ensure_packages
ensure_swift

export MO_TEST_TMPDIR
MO_TEST_TMPDIR=$(mktemp -d /tmp/mo-test.XXXXXX)
chmod 711 "$MO_TEST_TMPDIR"
cleanup() {
    # Clusters left behind by a crashed test process are stopped here.
    for data in "$MO_TEST_TMPDIR"/*/data "$MO_TEST_TMPDIR"/*/pg/data; do
        [ -f "$data/postmaster.pid" ] && as_pg_user "$(pg_bindir)/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    done
    rm -rf "$MO_TEST_TMPDIR"
}
trap cleanup EXIT

say "building"
swift build --build-tests 2>&1 | grep -E "error:|warning:|Build complete|Compiling" | grep -v "^\[" | tail -n 30 || true
swift build --build-tests >/dev/null 2>&1 || { swift build --build-tests; exit 1; }

say "smoke test: scripts/dev.sh brought up and answered with the README's curl"
"$MO_ROOT/scripts/smoke.sh"

say "systemd unit: verify, security score, sysusers and tmpfiles"
"$MO_ROOT/scripts/check-systemd.sh"

say "alert rules: promtool check and test (scripts/check-alerts.sh)"
"$MO_ROOT/scripts/check-alerts.sh"

say "swift test"
swift test --skip-build
say "chaos scenarios, short (bench/chaos/run, docs/reliability.md)" && bench/chaos/run --short --bin "$(swift build --show-bin-path)"

say "backup and restore drill (bench/restore-drill, docs/install.md)"
bench/restore-drill --messages 20 --bin "$(swift build --show-bin-path)"

say "fuzzing, short (scripts/fuzz.sh, docs/fuzzing.md)"
"$MO_ROOT/scripts/fuzz.sh" --short   # libFuzzer over our parsers and policies, 12 s per target (docs/fuzzing.md)

say "release package: build, lintian, install, smoke test with the toolchain hidden, purge (scripts/test-package.sh)"
"$MO_ROOT/scripts/test-package.sh"
