#!/usr/bin/env bash
# Installs the Debian packages Comanda needs to build, test and run. Idempotent:
# when everything is present it only checks, quietly, in well under a second.
set -euo pipefail

PACKAGES=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev librocksdb-dev libsimdjson-dev
  libprotobuf-dev protobuf-compiler
  libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  libjwt-dev libssl-dev libjemalloc-dev libcli11-dev libspdlog-dev
  curl python3 python3-websockets python3-jwt python3-jsonschema
  chromium
  clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
