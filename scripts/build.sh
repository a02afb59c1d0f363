#!/usr/bin/env bash
# Configures (once) and builds everything into build/. Extra arguments go to
# the build tool, e.g. `scripts/build.sh comandad`.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} ${CMAKE_ARGS:-} >/dev/null
fi
# Two cores, and C++ with Beast needs memory: two jobs.
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" -- "$@"
