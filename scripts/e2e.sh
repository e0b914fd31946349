#!/usr/bin/env bash
# Runs the browser tests: a fresh database, a real examd on a spare port,
# then the frontend's e2e suite in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f frontend/package.json ] || ! grep -q '"e2e"' frontend/package.json; then
  echo "e2e: no browser tests yet"; exit 0
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1
fi
PGPORT=${PGPORT:-55432}
DB=examd_e2e_$$
ADMIN="postgres://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable"
psql "$ADMIN" -qc "CREATE DATABASE $DB" >/dev/null
PORT=${E2E_PORT:-18080}
LOG=$(mktemp)
DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$DB?sslmode=disable" JWT_SECRET=e2e-secret-e2e-secret-e2e-secret-e2e \
  ADDR=127.0.0.1:$PORT PUBLIC_URL=http://127.0.0.1:$PORT ./bin/examd serve 2>"$LOG" &
PID=$!
cleanup() {
  kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
  psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for i in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.2
done
cd frontend
EXAMD_URL=http://127.0.0.1:$PORT EXAMD_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$DB?sslmode=disable" node --import tsx --test --test-concurrency=1 ${E2E_FILES:-e2e/*.test.ts} || { echo "--- examd log (tail) ---" >&2; tail -50 "$LOG" >&2; exit 1; }
