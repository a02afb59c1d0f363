#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (unit,
# integration and end-to-end) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j 2 "$@"
