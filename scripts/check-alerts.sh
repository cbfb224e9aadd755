#!/usr/bin/env bash
# Checks the Prometheus alert rules of docs/alerts/ with Debian's promtool: `promtool check rules` on the rules, and
# `promtool test rules` on their tests (probes raise no alert, a quarantined request does, …). promtool is taken
# out of Debian's prometheus package without installing it (no server is started on this machine).
# Usage: scripts/check-alerts.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MO_ROOT"

case "${1:-}" in -h|--help) usage "$0"; exit 0 ;; esac

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
promtool=$(command -v promtool || true)
if [ -z "$promtool" ]; then
    (cd "$WORK" && apt-get download prometheus >/dev/null 2>&1) \
        || { [ "$(id -u)" -eq 0 ] && apt-get update -qq && (cd "$WORK" && apt-get download prometheus >/dev/null 2>&1); } \
        || die "could not download Debian's prometheus package for promtool (apt-get download prometheus)"
    dpkg-deb -x "$WORK"/prometheus_*.deb "$WORK/root"
    promtool="$WORK/root/usr/bin/promtool"
fi
"$promtool" check rules docs/alerts/mo-receiver.rules.yml >&2
(cd docs/alerts && "$promtool" test rules mo-receiver.rules.test.yml) >&2
say "alert rules: valid, and their tests pass ($("$promtool" --version 2>&1 | head -n 1))"
