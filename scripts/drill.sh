#!/usr/bin/env bash
# `make drill`: the fault drill of issue 18 on real processes (drill/):
# examd SIGKILLed under load, PostgreSQL restarted, a failover to a
# synchronous standby, two examd behind pgbouncer, deadlines falling while
# every examd is down, and pg_dump/pg_restore under load. Writes
# drill/results/latest.md and latest.json. DRILL_SMOKE=1 (`make
# drill-smoke`, part of `make test`) runs the same with tiny sizes into
# drill/results/smoke/. DRILL_ARGS passes flags to the drill (e.g.
# '-only 3' for one scenario).
#
# PostgreSQL's binaries come from scripts/pg.sh (which installs Debian's
# package when missing, and starts every cluster the drill needs, as the
# postgres user when we are root); pgbouncer is installed here the same way.
# Everything lives in one scratch folder that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$(date +%s)

BIN=$(scripts/pg.sh bin)
if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
  echo "pgbouncer not found: installing Debian's pgbouncer package" >&2
  if [ "$(id -u)" != 0 ]; then echo "run as root or install pgbouncer yourself" >&2; exit 1; fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >&2
  # Only the binary is wanted: the package's own service stays off.
  systemctl disable --now pgbouncer >/dev/null 2>&1 || service pgbouncer stop >/dev/null 2>&1 || true
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/examd-drill.XXXXXX")
chmod 755 "$WORK"
DRILL_PID=
cleanup() {
  local rc=$? d
  [ -n "$DRILL_PID" ] && kill "$DRILL_PID" 2>/dev/null && wait "$DRILL_PID" 2>/dev/null
  # Whatever the drill left running when it was stopped early.
  for d in "$WORK"/*/; do
    [ -s "$d/PG_VERSION" ] && { PGDATA_DIR=${d%/} scripts/pg.sh stop >/dev/null 2>&1 || true; }
  done
  [ -s "$WORK/pgbouncer/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer/pgbouncer.pid")" 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    for f in "$WORK"/*.log; do [ -s "$f" ] && { echo "drill: tail of $f:" >&2; tail -5 "$f" >&2; }; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

go build -trimpath -o "$WORK/examd" ./cmd/examd
go build -trimpath -o "$WORK/drill" ./drill

ARGS=()
OUT=drill/results
if [ "${DRILL_SMOKE:-0}" = 1 ]; then
  ARGS=(-smoke)
  OUT=drill/results/smoke
fi
"$WORK/drill" "${ARGS[@]}" -repo "$ROOT" -work "$WORK" -pgbin "$BIN" -examd "$WORK/examd" -out "$OUT" ${DRILL_ARGS:-} &
DRILL_PID=$!
wait "$DRILL_PID"
DRILL_PID=
echo "drill: report in $OUT/latest.md ($(( $(date +%s) - START )) s in all)"
