#!/usr/bin/env bash
# run-fuzz.sh [--build DIR] TARGET|all SECONDS
#
# Runs libFuzzer targets (tests/fuzz/fuzz_*.cpp) built in DIR (default: $IDESK_FUZZ_BUILD, else
# build-hardening, the tree tests/support/sanitizer-tests.sh makes; it must be configured with -DIDESK_FUZZ=ON
# and the targets built: cmake --build DIR --target idesk_fuzz).
#
# For each target:
#  1. replays the seeds (DIR/tests/fuzz/seeds/TARGET) and every crash kept in tests/fuzz/regressions/TARGET:
#     any crash fails;
#  2. replays tests/fuzz/known/TARGET, crashes found but not fixed yet: reported, never fails;
#  3. fuzzes for SECONDS with the target's dictionary, growing DIR/tests/fuzz/corpus/TARGET. A crash, leak,
#     timeout (10 s per input) or memory blow-up (2 GiB) fails; its input is copied to
#     tests/fuzz/regressions/TARGET/ (by hand runs) so that it is replayed from then on: fix it, or move it
#     to tests/fuzz/known/TARGET/ until it is fixed.
# With --ctest (ctest -L fuzz): nothing is copied into the source tree (the input stays in
# DIR/tests/fuzz/artifacts/TARGET/), and a target whose known/ folder is not empty exits 77 (ctest:
# skipped, not failed) when it crashes, as the crash may be the known one.
# Prints per target: executions, corpus size, crashes. Exit code: 0 when no target failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${IDESK_FUZZ_BUILD:-$top/build-hardening}
ctest_mode=0
while [ "$#" -gt 0 ]; do
    case "$1" in
    --ctest) ctest_mode=1; shift ;;
    --build) build=$2; shift 2 ;;
    *) break ;;
    esac
done
if [ "$#" -ne 2 ]; then
    echo "usage: $(basename "$0") [--build DIR] TARGET|all SECONDS   (targets: $(cd "$here" && ls fuzz_*.cpp | sed 's/\.cpp//' | tr '\n' ' '))" >&2
    exit 2
fi
what=$1
seconds=$2
case "$seconds" in '' | *[!0-9]*) echo "run-fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac
if [ "$what" = all ]; then
    targets=$(cd "$here" && ls fuzz_*.cpp | sed 's/\.cpp$//')
else
    targets=$what
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Outside a real terminal, Qt must not look for a display.
export QT_QPA_PLATFORM=offscreen

failed=0
for t in $targets; do
    bin=$build/fuzz-bin/$t
    if [ ! -x "$bin" ]; then
        echo "run-fuzz.sh: $bin is missing: configure $build with -DIDESK_FUZZ=ON (clang++-14) and build the target idesk_fuzz" >&2
        exit 2
    fi
    seeds=$build/tests/fuzz/seeds/$t
    corpus=$build/tests/fuzz/corpus/$t
    artifacts=$build/tests/fuzz/artifacts/$t
    regressions=$here/regressions/$t
    known=$here/known/$t
    mkdir -p "$seeds" "$corpus" "$artifacts"
    common=(-error_exitcode=1 -timeout_exitcode=1 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
            "-artifact_prefix=$artifacts/")
    log=$artifacts/run.log

    # 1. Seeds and regressions: each input once.
    replay=("$seeds")
    [ -d "$regressions" ] && replay+=("$regressions")
    if ! "$bin" "${common[@]}" -runs=0 "${replay[@]}" >"$log" 2>&1; then
        echo "FAIL $t: a seed or a kept regression input crashes again:"
        grep -E 'ERROR|SUMMARY|Running|check failed|runtime error' "$log" | head -20
        failed=1
        continue
    fi

    # 2. Known crashes (not fixed yet): say whether they still crash.
    known_count=0
    if [ -d "$known" ]; then
        for input in "$known"/*; do
            [ -f "$input" ] || continue
            known_count=$((known_count + 1))
            if "$bin" "${common[@]}" "$input" >"$artifacts/known.log" 2>&1; then
                echo "NOTE $t: known crash $(basename "$input") no longer crashes: move it to tests/fuzz/regressions/$t/"
            else
                echo "NOTE $t: known crash $(basename "$input") still crashes (tests/fuzz/known/$t/)"
            fi
        done
    fi

    # 3. Fuzz for the time asked.
    dict=()
    [ -f "$here/dict/$t.dict" ] && dict=("-dict=$here/dict/$t.dict")
    "$bin" "${common[@]}" "${dict[@]}" -max_len="${IDESK_FUZZ_MAX_LEN:-16384}" -max_total_time="$seconds" -close_fd_mask=1 \
        "$corpus" "$seeds" >"$log" 2>&1
    rc=$?
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    crash_file=$(ls -t "$artifacts" | grep -E '^(crash|leak|timeout|oom)-' | head -1)
    echo "$t: ${execs:-?} executions in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs (+ $(ls "$seeds" | wc -l) seeds), exit $rc"
    if [ "$rc" -ne 0 ]; then
        grep -E '^==[0-9]+==ERROR|^SUMMARY|check failed|runtime error|out-of-memory|Test unit written' "$log" | head -10
        if [ -n "$crash_file" ] && [ "$ctest_mode" -eq 0 ]; then
            mkdir -p "$regressions"
            cp "$artifacts/$crash_file" "$regressions/"
            echo "kept as tests/fuzz/regressions/$t/$crash_file: fix it, or move it to tests/fuzz/known/$t/ until fixed"
        elif [ -n "$crash_file" ]; then
            echo "input: $artifacts/$crash_file"
        fi
        if [ "$ctest_mode" -eq 1 ] && [ "$known_count" -gt 0 ]; then
            echo "SKIP $t: crashed, and tests/fuzz/known/$t/ holds $known_count known crash(es) not fixed yet"
            exit 77
        fi
        failed=1
    fi
done
exit $failed
