#!/usr/bin/env bash
# Makes sure a private PostgreSQL cluster runs for examd and prints nothing
# but errors. Usage: scripts/pg.sh start|stop|url|bin
#   - installs Debian's postgresql package when initdb is missing;
#   - keeps the cluster under .data/pg (PGDATA_DIR overrides), on 127.0.0.1:$PGPORT;
#   - as root, runs the server as the postgres user (PostgreSQL refuses root).
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT=${PGPORT:-55432}
DATA=${PGDATA_DIR:-$PWD/.data/pg}

find_bin() {
  local d
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_installed() {
  if [ -z "$(find_bin)" ]; then
    echo "PostgreSQL server binaries not found: installing Debian's postgresql package" >&2
    if [ "$(id -u)" != 0 ]; then echo "run as root or install postgresql yourself" >&2; exit 1; fi
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
}

start() {
  ensure_installed
  local bin; bin=$(find_bin)
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$(dirname "$DATA")"
    # The postgres user must be able to reach the folder.
    if ! runuser -u postgres -- test -x "$(dirname "$DATA")"; then
      DATA=/var/tmp/examd-pg-$(echo "$PWD" | md5sum | cut -c1-8)
      echo "note: $PWD is not reachable by the postgres user; using $DATA" >&2
      mkdir -p "$DATA.parent" 2>/dev/null || true
    fi
  fi
  if [ ! -s "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
    chmod 700 "$DATA"
    as_pg "$bin/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
      -o "-p $PGPORT -k $DATA -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  fi
  # The product's database, created once.
  if ! as_pg "$bin/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='examd'" postgres | grep -q 1; then
    as_pg "$bin/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE examd" postgres >/dev/null
  fi
}

stop() {
  local bin; bin=$(find_bin)
  [ -n "$bin" ] && [ -s "$DATA/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  url) echo "postgres://postgres@127.0.0.1:$PGPORT/${2:-examd}?sslmode=disable" ;;
  bin) ensure_installed; find_bin ;; # the server's bin folder, for scripts that run pg_ctl themselves
  *) echo "usage: $0 start|stop|url [db]|bin" >&2; exit 2 ;;
esac
