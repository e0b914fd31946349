#!/usr/bin/env bash
# Runs the browser tests: a fresh database, a real examd on a spare port,
# then the frontend's e2e suite in Debian's Chromium; with arguments
# (e.g. e2e/webhooks.test.ts, relative to frontend/) only those files.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f frontend/package.json ] || ! grep -q '"e2e"' frontend/package.json; then
  echo "e2e: no browser tests yet"; exit 0
fi
scripts/chromium.sh || { echo "e2e: no Chromium for the browser tests" >&2; exit 1; }
PGPORT=${PGPORT:-55432}
DB=examd_e2e_$$
ADMIN="postgres://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable"
psql "$ADMIN" -qc "CREATE DATABASE $DB" >/dev/null
PORT=${E2E_PORT:-18080}
# Invitation e-mail goes to the SMTP sink that e2e/webhooks.test.ts runs on
# this port while it needs it (examd retries a mail it could not hand over);
# webhooks may go to the tests' receivers on 127.0.0.1.
SMTP_PORT=${E2E_SMTP_PORT:-$((PORT + 1000))}
LOG=$(mktemp)
DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$DB?sslmode=disable" JWT_SECRET=e2e-secret-e2e-secret-e2e-secret-e2e \
  ADDR=127.0.0.1:$PORT PUBLIC_URL=http://127.0.0.1:$PORT \
  SMTP_URL=smtp://127.0.0.1:$SMTP_PORT MAIL_FROM='examd e2e <examd@e2e.test>' WEBHOOK_ALLOW_PRIVATE=true \
  ./bin/examd serve 2>"$LOG" &
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
if [ $# -gt 0 ]; then set -- node --import tsx --test --test-concurrency=1 "$@"; else set -- npm run -s e2e; fi
E2E_SMTP_PORT=$SMTP_PORT EXAMD_URL=http://127.0.0.1:$PORT EXAMD_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$DB?sslmode=disable" "$@" || { echo "--- examd log (tail) ---" >&2; tail -50 "$LOG" >&2; exit 1; }
