#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs each for SECONDS (default 600), at most
# ESC_FUZZ_JOBS (default 2) at a time. Prints, per target: executions, crashes
# (crash, leak, timeout and out-of-memory reports), the corpus size and the
# time run. Exit status 1 when any target found something.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     TARGET: policy date nhs args
#
# Environment: ESC_FUZZ_BUILD (build directory, default build-fuzz in the
# source tree), ESC_FUZZ_JOBS, ESC_FUZZ_FLAGS (more libFuzzer flags).
# The seed corpora in tests/fuzz/corpus are copied, never written: what the
# fuzzer adds goes to $ESC_FUZZ_BUILD/fuzz-corpus/TARGET, and reproducers to
# $ESC_FUZZ_BUILD/fuzz-artifacts/TARGET/. See tests/fuzz/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(policy date nhs args)
build=${ESC_FUZZ_BUILD:-$root/build-fuzz}
jobs=${ESC_FUZZ_JOBS:-2}
case "$seconds" in '' | *[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 64 ;; esac
for t in "${targets[@]}"; do
  [ -d "$here/corpus/$t" ] || { echo "run.sh: unknown target '$t' (policy, date, nhs, args)" >&2; exit 64; }
done

command -v clang++ >/dev/null || { echo "run.sh: needs clang (apt-get install clang)" >&2; exit 69; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DESC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
fi
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}" >&2

# The argument fuzzer parses only, but give everything a scratch home anyway.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch" XDG_DATA_HOME="$scratch" XDG_CONFIG_HOME="$scratch" ESC_DB="$scratch/esc.db"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run_one() {
  local t=$1 corpus=$build/fuzz-corpus/$1 artifacts=$build/fuzz-artifacts/$1/ log=$build/fuzz-$1.log
  mkdir -p "$corpus" "$artifacts"
  cp -n "$here/corpus/$t/"* "$corpus/" 2>/dev/null || true
  touch "$build/fuzz-$t.start"
  local start=$SECONDS
  # shellcheck disable=SC2086
  "$build/tests/fuzz/fuzz_$t" "$corpus" -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$artifacts" ${ESC_FUZZ_FLAGS:-} >"$log" 2>&1 || true
  echo $((SECONDS - start)) >"$log.time"
}

running=0
for t in "${targets[@]}"; do
  echo "fuzzing $t for ${seconds}s ..." >&2
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

found=0
printf '%-8s %14s %8s %10s %8s\n' TARGET EXECUTIONS CRASHES CORPUS SECONDS
for t in "${targets[@]}"; do
  log=$build/fuzz-$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  # Reproducers written by this run (earlier runs' stay, for reference).
  crashes=$(find "$build/fuzz-artifacts/$t" -type f -newer "$build/fuzz-$t.start" \
    \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  if grep -qE '^==[0-9]+==ERROR|^SUMMARY: (Address|UndefinedBehavior|libFuzzer)|runtime error:' "$log"; then
    [ "$crashes" -gt 0 ] || crashes=1
  fi
  corpus=$(find "$build/fuzz-corpus/$t" -type f | wc -l)
  printf '%-8s %14s %8s %10s %8s\n' "$t" "${execs:-?}" "$crashes" "$corpus" "$(cat "$log.time")"
  [ "$crashes" -eq 0 ] && [ -n "$execs" ] || found=1
done
[ "$found" -eq 0 ] || echo "run.sh: see $build/fuzz-*.log and $build/fuzz-artifacts/" >&2
exit "$found"
