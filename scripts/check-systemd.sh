#!/usr/bin/env bash
# Checks the systemd files in systemd/ without a running systemd (CI has none):
#   - systemd-analyze verify on the unit (its binaries pointed at this build),
#   - systemd-analyze security --offline: the exposure score must be 1.5 or better,
#   - systemd-sysusers and systemd-tmpfiles on a scratch root: the user, group and directory come out as documented.
# Usage: scripts/check-systemd.sh [BIN_DIR]   (default: the debug build directory)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MO_ROOT"

BIN_DIR=${1:-$(swift build --show-bin-path)}
[ -x "$BIN_DIR/mo-receiver" ] || die "no mo-receiver in $BIN_DIR (build first)"
command -v systemd-analyze >/dev/null || die "systemd-analyze is missing (apt-get install systemd)"
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

# verify: the same unit, with ExecStart pointing at the binaries just built.
sed "s|/usr/local/bin/|$BIN_DIR/|g" systemd/mo-receiver.service > "$SCRATCH/mo-receiver.service"
if ! out=$(systemd-analyze verify "$SCRATCH/mo-receiver.service" 2>&1) || [ -n "$out" ]; then
    printf '%s\n' "$out" >&2
    die "systemd-analyze verify reported problems in systemd/mo-receiver.service"
fi
say "systemd-analyze verify: clean"

score=$(systemd-analyze security --offline=true systemd/mo-receiver.service 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || die "systemd-analyze security printed no score"
systemd-analyze security --offline=true --threshold=15 systemd/mo-receiver.service >/dev/null 2>&1 \
    || die "systemd-analyze security: exposure $score is above 1.5 (run it to see what changed)"
say "systemd-analyze security --offline=true: $score (limit 1.5)"

mkdir -p "$SCRATCH/root/etc"
systemd-sysusers --root="$SCRATCH/root" - < systemd/mo-receiver.sysusers >/dev/null 2>&1 \
    || die "systemd-sysusers refused systemd/mo-receiver.sysusers"
grep -q '^mo-receiver:x:[0-9]*:[0-9]*:.*:/var/lib/mo-receiver:/usr/sbin/nologin$' "$SCRATCH/root/etc/passwd" \
    || die "systemd-sysusers did not create the mo-receiver user as documented: $(cat "$SCRATCH/root/etc/passwd")"
grep -q '^mo-receiver:x:' "$SCRATCH/root/etc/group" || die "systemd-sysusers did not create the mo-receiver group"
if [ "$(id -u)" -eq 0 ]; then
    systemd-tmpfiles --root="$SCRATCH/root" --create - < systemd/mo-receiver.tmpfiles >/dev/null 2>&1 \
        || die "systemd-tmpfiles refused systemd/mo-receiver.tmpfiles"
    gid=$(awk -F: '$1 == "mo-receiver" {print $3}' "$SCRATCH/root/etc/group")
    [ "$(stat -c '%a %u %g' "$SCRATCH/root/etc/mo-receiver")" = "750 0 $gid" ] \
        || die "tmpfiles made /etc/mo-receiver as $(stat -c '%a %u %g' "$SCRATCH/root/etc/mo-receiver"), expected 750 root mo-receiver"
    say "systemd-sysusers and systemd-tmpfiles: user, group and /etc/mo-receiver as documented"
else
    say "systemd-sysusers: user and group as documented (tmpfiles needs root to set owners; skipped as non-root)"
fi
