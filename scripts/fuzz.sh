#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang into build-fuzz/ and runs
# each for S seconds (default 30: four targets, two minutes) on a copy of its
# committed corpus, fuzz/corpus/<target>/, so that a run adds nothing to the
# tree. Fails if any target crashes, hangs, leaks or a sanitizer reports;
# the input that did is kept in build-fuzz/artifacts/. Prints each target's
# time, executions and coverage.
#   scripts/fuzz.sh [seconds-per-target]
# Reproduce a failure with build-fuzz/<target> build-fuzz/artifacts/<file>.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-30}
BUILD_DIR=build-fuzz

# Only the targets and the sources they need (fuzz/CMakeLists.txt): no
# tests, no benchmarks. The build type "Fuzz" adds no flags of its own, so
# that the assertions stay in (no NDEBUG); the flags are COMANDA_FUZZ's.
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
    -DCOMANDA_FUZZ=ON -DCOMANDA_BUILD_BENCH=OFF -DCOMANDA_BUILD_TESTS=OFF >/dev/null
fi
TARGETS=()
for dir in fuzz/corpus/*/; do TARGETS+=("$(basename "$dir")"); done
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" -- "${TARGETS[@]}"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BUILD_DIR/artifacts"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
for target in "${TARGETS[@]}"; do
  mkdir "$WORK/$target"
  cp fuzz/corpus/"$target"/* "$WORK/$target/"
  start=$SECONDS
  # -timeout: an input that takes 10 s is a hang, and fails the run.
  # A report that did not stop the run (none should: COMANDA_FUZZ makes
  # UBSan's fatal) fails it all the same.
  if ! "$BUILD_DIR/$target" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$BUILD_DIR/artifacts/$target-" \
      "$WORK/$target" >"$WORK/$target.log" 2>&1 ||
    grep -q -E 'runtime error:|ERROR: [A-Za-z]+Sanitizer|ERROR: libFuzzer|invariant failed' \
      "$WORK/$target.log"; then
    failed+=("$target")
    # The report: from the sanitizer's, libFuzzer's or the invariant's first
    # line on (the progress lines before it say nothing about the failure).
    awk '/invariant failed|runtime error:|ERROR: |ALARM: /{p=1} p' "$WORK/$target.log" | head -80
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$target.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$WORK/$target.log")
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$WORK/$target.log" | tail -1)
  echo "== $target: $((SECONDS - start)) s, ${runs:-?} executions (${rate:-?}/s), ${cov:-no coverage}"
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzzing failed: ${failed[*]} (inputs in $BUILD_DIR/artifacts/)" >&2
  exit 1
fi
