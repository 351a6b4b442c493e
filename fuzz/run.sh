#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS seconds (libFuzzer's -max_total_time), then prints
# one line per target: seconds (libFuzzer's own count), executions (libFuzzer's final stat::number_of_executed_units,
# else its "Done N runs" line) and crashes (the crash/leak/oom/timeout files it left in
# artifacts/<target>/). Exits non-zero when any target crashed or could not run.
#
# Built without AddressSanitizer (-s none): the app's code forbids unsafe, so ASan finds
# nothing there and would cut the executions per second several times. Debug assertions and
# overflow checks stay on (cargo-fuzz's default), so an arithmetic overflow is a crash.
# The corpus grows in corpus/<target>/ between runs; corpus/, artifacts/ and target/ are not
# committed.
set -uo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-60}
targets=(${FUZZ_TARGETS:-jwt_decode import})
toolchain=${FUZZ_TOOLCHAIN:-nightly}

if ! cargo "+$toolchain" --version >/dev/null 2>&1; then
  echo "make fuzz: the $toolchain toolchain is missing (rustup toolchain install $toolchain)." >&2
  exit 1
fi
echo "==> fuzz: building ${targets[*]} (cargo +$toolchain fuzz build -s none)"
cargo "+$toolchain" fuzz build -s none || exit 1

failed=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="artifacts/$target/last-run.log"
  before=$(find "artifacts/$target" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  dict=()
  [ -f "dict/$target.dict" ] && dict=("-dict=dict/$target.dict")
  echo "==> fuzz: $target for $seconds s (log: fuzz/$log)"
  start=$(date +%s)
  cargo "+$toolchain" fuzz run -s none "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 "${dict[@]}" >"$log" 2>&1
  status=$?
  elapsed=$(( $(date +%s) - start ))
  after=$(find "artifacts/$target" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  crashes=$(( after - before ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  [ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  [ -n "$runs" ] || runs="?"
  fuzzed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  [ -n "$fuzzed" ] && elapsed=$fuzzed
  if [ "$status" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    failed=1
    echo "fuzz: $target stopped (exit $status); the end of its log:" >&2
    tail -n 40 "$log" >&2
    # No artifact but a failure: it did not run to the end (a build or start-up error).
    [ "$crashes" -gt 0 ] || crashes="?"
  fi
  summary+=("$(printf '%-12s %8s s %14s executions %4s crashes' "$target" "$elapsed" "$runs" "$crashes")")
done

echo "==> fuzz summary (FUZZ_SECONDS=$seconds)"
printf '%s\n' "${summary[@]}"
exit "$failed"
