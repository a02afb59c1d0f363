#!/usr/bin/env bash
# Installs what is missing, builds, and starts comandad on 127.0.0.1:8080 with
# its data in ./data. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh comandad comanda
cat <<'TRY'

Try it (in another terminal):
  curl -s -X POST http://127.0.0.1:8080/v1/restaurants -H 'Content-Type: application/json' \
    -d '{"name": "Sede 1", "currency": "PEN", "time_zone": "America/Lima"}'

TRY
exec build/comandad --data ./data --listen 127.0.0.1:8080 "$@"
