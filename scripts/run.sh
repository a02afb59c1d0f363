#!/usr/bin/env bash
# Installs what is missing, builds, and starts comandad on 127.0.0.1:8080 with
# its data in ./data. On first run it creates a random JWT secret for local
# use in .comanda/jwt-secret (mode 0600, ignored by git) and prints a curl
# line with a freshly minted admin token. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh comandad comanda

SECRET_FILE=.comanda/jwt-secret
if [ ! -s "$SECRET_FILE" ]; then
  mkdir -p .comanda
  (umask 077; head -c 48 /dev/urandom | base64 -w0 > "$SECRET_FILE")
  echo "run: created a local JWT secret in $SECRET_FILE"
fi
chmod 600 "$SECRET_FILE"
TOKEN=$(build/comanda token --role admin --sub local-admin --ttl 12h --jwt-secret-file "$SECRET_FILE")

cat <<TRY

Try it (in another terminal; the admin token is valid for 12 hours):
  curl -s -X POST http://127.0.0.1:8080/v1/restaurants \\
    -H 'Authorization: Bearer $TOKEN' \\
    -d '{"name": "Sede 1", "currency": "PEN", "time_zone": "America/Lima", "owners": ["u-owner-1"]}'

More tokens: build/comanda token --role owner --sub u-owner-1 --jwt-secret-file $SECRET_FILE

TRY
exec build/comandad --data ./data --listen 127.0.0.1:8080 --jwt-secret-file "$SECRET_FILE" "$@"
