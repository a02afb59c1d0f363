#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite:
#   1. every unit, integration and end-to-end test (build/, CTest), the
#      built-in pages' tests in headless Chromium as a stage of their own;
#   2. the libFuzzer targets, 30 s each (scripts/fuzz.sh, build-fuzz/);
#   3. the unit and integration tests again under AddressSanitizer +
#      UndefinedBehaviorSanitizer (build-asan/) and ThreadSanitizer
#      (build-tsan/).
# Each stage prints how long it took. `scripts/test.sh --quick` runs step 1
# only, for quick local iterations.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; shift; fi

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
START=$SECONDS
STAGE_START=$SECONDS
stage_done() {  # name
  echo "== stage '$1' took $((SECONDS - STAGE_START)) s (total $((SECONDS - START)) s)"
  STAGE_START=$SECONDS
}

scripts/install-deps.sh
stage_done "install"
scripts/build.sh
stage_done "build"
(cd build && ctest --output-on-failure -j 2 -LE browser "$@") | tee "$LOG"
passed=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$LOG")
stage_done "tests"
(cd build && ctest --output-on-failure -L browser "$@") | tee "$LOG"
n=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$LOG")
passed=$((passed + ${n:-0}))
stage_done "browser tests (headless chromium)"
if [ "$QUICK" = 1 ]; then echo "${passed:-0} passed, 0 failed"; exit 0; fi

# Two minutes of libFuzzer over the parsers (build-fuzz/, README.md
# "Fuzzing"); any crash or sanitizer report fails the run. Not tests: not
# counted in `passed`.
scripts/fuzz.sh
stage_done "fuzzing (libFuzzer)"

run_sanitized() {  # name, sanitizers
  local dir=build-$1
  BUILD_DIR=$dir BUILD_TYPE=Sanitize \
    CMAKE_ARGS="-DCOMANDA_SANITIZE=$2 -DCOMANDA_BUILD_BENCH=OFF" \
    scripts/build.sh comanda_tests comanda_domain_tests comanda_crash_appender
  stage_done "build under $2"
  local binary n
  for binary in comanda_domain_tests comanda_tests; do
    echo "== $binary under $2"
    "$dir/$binary" --gtest_brief=1 | tee "$LOG"
    n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?\.$/\1/p' "$LOG")
    passed=$((passed + ${n:-0}))
  done
  stage_done "tests under $2"
}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
run_sanitized asan address,undefined
run_sanitized tsan thread
echo "$passed passed, 0 failed in $((SECONDS - START)) s"
