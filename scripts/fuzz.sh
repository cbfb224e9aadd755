#!/usr/bin/env bash
# Fuzzing with libFuzzer (docs/fuzzing.md): builds the driver in Fuzz/ with -sanitize=fuzzer,address into
# .build-fuzz/ and runs each target for a while, one after the other.
#   scripts/fuzz.sh                         every target, 60 s each
#   scripts/fuzz.sh --short                 every target, 12 s each (CI, from scripts/test.sh)
#   scripts/fuzz.sh --seconds 600 mo json   the targets named, ten minutes each
#   scripts/fuzz.sh --replay [target…]      only run the committed corpus, file by file (no fuzzing)
# Fails when a target crashes, hangs (-timeout) or breaks an invariant. The input is then saved as
# Fuzz/artifacts/<target>/crash-<sha1> (or timeout-/oom-); reproduce with
#   .build-fuzz/release/MOFuzz <target> Fuzz/artifacts/<target>/crash-<sha1>
# and after the fix move it to Fuzz/corpus/<target>/ so every `swift test` replays it.
# New coverage found along the way stays in .build-fuzz/corpus/<target>/ (not committed; see docs/fuzzing.md to
# merge the useful part into the committed corpus).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$MO_ROOT"
ensure_swift

seconds=60
replay=false
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --short) seconds=12 ;;
        --seconds) seconds=${2:?--seconds needs a number}; shift ;;
        --replay) replay=true ;;
        -h|--help) usage "$0"; exit 0 ;;
        -*) die "unknown option $1 (see scripts/fuzz.sh --help)" ;;
        *) targets+=("$1") ;;
    esac
    shift
done

scratch="$MO_ROOT/.build-fuzz"
say "fuzzing: building Fuzz/ (release, -sanitize=fuzzer,address) into .build-fuzz"
build=(swift build -c release --package-path Fuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address
       --product MOFuzz)
mkdir -p "$scratch/logs"
"${build[@]}" >"$scratch/logs/build.log" 2>&1 || { cat "$scratch/logs/build.log"; die "the fuzz driver did not build"; }
binary="$scratch/release/MOFuzz"

[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("$binary" --list | cut -f1)

# Inputs are small: webhook bodies are a few KiB, addresses and templates a line or three.
max_len() { case "$1" in json|xml|mo|status|event) echo 16384 ;; *) echo 1024 ;; esac; }
dict() {
    case "$1" in
        json|event) echo Fuzz/dict/json.dict ;;
        xml) echo Fuzz/dict/xml.dict ;;
        client-ip|cidr|media-url) echo Fuzz/dict/net.dict ;;
        reply-template) echo Fuzz/dict/text.dict ;;
        *) echo "" ;;   # mo and status take JSON, XML and query strings: no one dictionary fits
    esac
}

# Swift's own crash backtracer fights AddressSanitizer over the dying process; libFuzzer's report is enough.
export SWIFT_BACKTRACE=enable=no
failed=()
for target in "${targets[@]}"; do
    seeds="Fuzz/corpus/$target"
    [ -d "$seeds" ] || die "no corpus folder $seeds (targets: $("$binary" --list | cut -f1 | tr '\n' ' '))"
    log="$scratch/logs/$target.log"
    if $replay; then
        if "$binary" "$target" "$seeds"/* >"$log" 2>&1; then
            say "replay $target: $(ls "$seeds" | wc -l) inputs, no failure"
        else
            failed+=("$target"); tail -n 40 "$log" >&2
        fi
        continue
    fi
    work="$scratch/corpus/$target"
    artifacts="Fuzz/artifacts/$target"
    mkdir -p "$work" "$artifacts"
    options=(-max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048
             -detect_leaks=0 -artifact_prefix="$artifacts/" -print_final_stats=1)
    d=$(dict "$target"); [ -n "$d" ] && options+=(-dict="$d")
    # New inputs go to the first folder (the work corpus); the committed seeds are only read.
    if "$binary" "$target" "${options[@]}" "$work" "$seeds" >"$log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
        say "fuzz $target: ${seconds}s, ${runs:-?} runs, ${cov:-no coverage line}, corpus $(ls "$work" | wc -l)"
    else
        failed+=("$target")
        tail -n 40 "$log" >&2
        say "fuzz $target FAILED: input saved under $artifacts/ (full log: ${log#"$MO_ROOT/"})"
    fi
    rmdir "$artifacts" 2>/dev/null || true
done

if [ ${#failed[@]} -gt 0 ]; then
    die "fuzzing failed for: ${failed[*]}. Reproduce: .build-fuzz/release/MOFuzz <target> Fuzz/artifacts/<target>/<file>; after the fix move the file to Fuzz/corpus/<target>/ (docs/fuzzing.md)"
fi
