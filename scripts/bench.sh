#!/usr/bin/env bash
# `make bench`: measures examd under an exam rush against PostgreSQL's own
# limit on the same machine (issue 7), and writes bench/results/latest.md
# and latest.json. BENCH_SMOKE=1 (`make bench-smoke`, part of `make test`)
# runs the same with tiny sizes in seconds and writes to bench/results/smoke/.
#
# It starts its own throwaway PostgreSQL cluster (product settings: fsync and
# synchronous_commit on) on a free port, builds examd and the load generator
# (bench/loadgen), starts `examd serve` on another free port, and runs the
# load generator, which seeds through the API, runs the scenarios and
# pgbench, and writes the report. As root, PostgreSQL runs as the postgres
# user. BENCH_PPROF=1 also serves examd's pprof and saves CPU profiles of
# the closed-loop phases under bench/results/tmp/. For experiments,
# BENCH_ARGS passes flags to the load generator (-phases, -w, -runs, …) and
# BENCH_HOLD=1 keeps PostgreSQL and examd up after the run; BENCH_ARGS='-phases overload'
# with BENCH_OUT=bench/results/overload (`make bench-overload`) runs the
# overload scenario alone (S3 seeds pool W first; it then finds the knee with
# its own closed loop) without touching the committed report; EXAMD_BIN runs a
# given examd binary instead of building one; BENCH_PG_OPTS adds server
# options (e.g. "-c shared_preload_libraries=pg_stat_statements").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SMOKE=${BENCH_SMOKE:-0}
START=$(date +%s)

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
  done
  echo "bench: no free port" >&2; exit 1
}

BIN=$("$ROOT/scripts/pg.sh" bin) # installs Debian's postgresql package when missing
[ -x "$BIN/pgbench" ] || { echo "bench: pgbench not found in $BIN" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/examd-bench.XXXXXX")
chmod 755 "$WORK"
mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK/pg"
chmod 700 "$WORK/pg"
EXAMD_PID=
LOADGEN_PID=
cleanup() {
  local rc=$?
  [ -n "$LOADGEN_PID" ] && kill "$LOADGEN_PID" 2>/dev/null || true
  [ -n "$EXAMD_PID" ] && { kill "$EXAMD_PID" 2>/dev/null || true; wait "$EXAMD_PID" 2>/dev/null || true; }
  as_pg "$BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  if [ $rc -ne 0 ]; then
    echo "bench: failed; examd log tail:" >&2
    tail -20 "$WORK/examd.log" >&2 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PGPORT=$(free_port)
as_pg "$BIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 \
  -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=300 ${BENCH_PG_OPTS:-}" start >/dev/null
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE examd" postgres >/dev/null
DB="postgres://postgres@127.0.0.1:$PGPORT/examd?sslmode=disable"

# The candidate's page rows need the web app inside examd: build it when a
# fresh clone has none (make frontend installs its packages first).
if [ ! -f frontend/dist/index.html ] && command -v npm >/dev/null; then make -s frontend; fi

if [ -n "${EXAMD_BIN:-}" ]; then
  cp "$EXAMD_BIN" "$WORK/examd" # experiments: a before/after build
else
  go build -trimpath -o "$WORK/examd" ./cmd/examd
fi
go build -trimpath -o "$WORK/loadgen" ./bench/loadgen

APORT=$(free_port)
PPROF_ARGS=()
SCRATCH=$WORK
if [ "${BENCH_PPROF:-0}" = 1 ]; then
  PPORT=$(free_port)
  export EXAMD_PPROF=127.0.0.1:$PPORT
  PPROF_ARGS=(-pprof "http://127.0.0.1:$PPORT")
  mkdir -p bench/results/tmp
  SCRATCH=$ROOT/bench/results/tmp
fi
DATABASE_URL="$DB" JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" \
  ADDR="127.0.0.1:$APORT" PUBLIC_URL="http://127.0.0.1:$APORT" WEBHOOK_ALLOW_PRIVATE=true "$WORK/examd" serve 2>"$WORK/examd.log" &
EXAMD_PID=$!
for _ in $(seq 1 150); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$APORT") 2>/dev/null; then break; fi
  kill -0 "$EXAMD_PID" 2>/dev/null || { echo "bench: examd did not start" >&2; exit 1; }
  sleep 0.1
done

# The candidate's page, measured before the load phases while examd is
# quiet: its JavaScript gzipped, and Chromium on an emulated phone network
# opening a fresh and a resumed attempt (the browser test prints the JSON
# line the load generator folds into the report). Left out of -phases runs
# that do not name "phone".
BROWSER_ARGS=()
if [[ "${BENCH_ARGS:-}" != *-phases* || "${BENCH_ARGS:-}" == *phone* ]]; then
  BROWSER_ARGS=(-js-budget "$WORK/js-budget.json" -phone "$WORK/phone.json")
  if [ -f frontend/dist/.vite/manifest.json ]; then
    node frontend/scripts/candidate-budget.mjs >"$WORK/js-budget.json" 2>"$WORK/js-budget.log" || cat "$WORK/js-budget.log" >&2
  fi
  if [ -f frontend/dist/index.html ] && [ -d frontend/node_modules/playwright-core ]; then
    scripts/chromium.sh || true # without it the phone row reports the failed launch
    (cd frontend && EXAMD_URL="http://127.0.0.1:$APORT" SLOWNET_JSON="$WORK/phone.json" \
      node --import tsx --test e2e/take-slow-network.test.ts >"$WORK/phone.log" 2>&1) ||
      { echo "bench: the phone network browser test failed:" >&2; tail -30 "$WORK/phone.log" >&2; }
  fi
fi

if [ "$SMOKE" = 1 ]; then
  OUT=bench/results/smoke
  ARGS=(-smoke)
else
  OUT=${BENCH_OUT:-bench/results}
  ARGS=(-notes bench/results/notes.md)
fi
mkdir -p "$OUT"
rm -f "$OUT/latest.json"
"$WORK/loadgen" "${ARGS[@]}" "${PPROF_ARGS[@]}" -url "http://127.0.0.1:$APORT" -db "$DB" -pgbench "$BIN/pgbench" \
  -examd-pid "$EXAMD_PID" -pg-pid "$(head -1 "$WORK/pg/postmaster.pid")" -out "$OUT" -repo "$ROOT" -tmp "$SCRATCH" "${BROWSER_ARGS[@]}" ${BENCH_ARGS:-} &
LOADGEN_PID=$!
wait "$LOADGEN_PID"
LOADGEN_PID=
[ -s "$OUT/latest.json" ] || { echo "bench: no report written" >&2; exit 1; }
if [ "${BENCH_HOLD:-0}" = 1 ]; then
  # Experiments: keep PostgreSQL and examd up until this script is stopped.
  echo "bench: holding; DATABASE_URL=$DB examd=http://127.0.0.1:$APORT pid $EXAMD_PID pprof=${EXAMD_PPROF:-off}"
  while kill -0 "$EXAMD_PID" 2>/dev/null; do sleep 5; done
fi
echo "bench: report in $OUT/latest.md ($(( $(date +%s) - START )) s in all)"
