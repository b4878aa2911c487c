#!/usr/bin/env bash
# A throwaway PostgreSQL for uwskit's tests, from Debian's packages (postgresql-NN).
#
#   scripts/postgres.sh start    initialise (once) and start the cluster, create database uwskit, print the JDBC URL
#   scripts/postgres.sh stop     stop it (fast shutdown: sessions are cut, committed data is kept)
#   scripts/postgres.sh url      print the JDBC URL
#   scripts/postgres.sh status   exit 0 if running
#
# Idempotent: start on a running cluster and stop on a stopped one do nothing but succeed.
# Environment: UWSKIT_PG_DIR (default /tmp/uwskit-pg), UWSKIT_PG_PORT (default 55432),
#              UWSKIT_PG_BIN (default: the newest /usr/lib/postgresql/*/bin).
# Listens on 127.0.0.1 only, trust authentication, user postgres. PostgreSQL refuses to run as root, so when run
# as root the server runs as the OS user "postgres" (created if missing) and owns the directory.
# Durability settings: fsync=off (fast; safe against a killed client or a clean stop, not against power loss).
set -euo pipefail

DIR=${UWSKIT_PG_DIR:-/tmp/uwskit-pg}
PORT=${UWSKIT_PG_PORT:-55432}
DB=uwskit
URL="jdbc:postgresql://127.0.0.1:${PORT}/${DB}?user=postgres"

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bin() {
  if [[ -n "${UWSKIT_PG_BIN:-}" ]]; then echo "$UWSKIT_PG_BIN"; return; fi
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$b" && -x "$b/initdb" ]] || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
  echo "$b"
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@" 9>&-)
  else
    "$@" 9>&-
  fi
}

prepare_user() {
  if [[ $(id -u) -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres || die "cannot create OS user postgres"
    fi
    mkdir -p "$DIR"
    chown postgres "$DIR"
    chmod 700 "$DIR"
  else
    mkdir -p "$DIR"
    chmod 700 "$DIR"
  fi
}

running() {
  [[ -f "$DIR/data/PG_VERSION" ]] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

start() {
  prepare_user
  if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    echo "include_if_exists = 'uwskit.conf'" | as_pg tee -a "$DIR/data/postgresql.conf" >/dev/null
  fi
  as_pg tee "$DIR/data/uwskit.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = ${PORT}
unix_socket_directories = '${DIR}'
max_connections = 200
fsync = off
full_page_writes = off
synchronous_commit = on
log_min_messages = warning
CONF
  if ! running; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null \
      || { tail -n 30 "$DIR/server.log" >&2 || true; die "pg_ctl start failed"; }
  fi
  local exists
  exists=$(as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '${DB}'") || die "cannot connect to 127.0.0.1:${PORT}"
  if [[ "$exists" != "1" ]]; then
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB" 2>/dev/null || {
      # a concurrent start may have created it
      exists=$(as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '${DB}'")
      [[ "$exists" == "1" ]] || die "createdb ${DB} failed"
    }
  fi
  echo "$URL"
}

stop() {
  if running; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null || die "pg_ctl stop failed"
  fi
}

cmd=${1:-}
case "$cmd" in
  start|stop|status) ;;
  url) echo "$URL"; exit 0 ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
BIN=$(find_bin)
mkdir -p "$(dirname "$DIR")"
# one start/stop at a time per cluster directory (parallel builds share it)
exec 9>"${DIR}.lock"
flock -w 120 9 || die "timed out waiting for ${DIR}.lock"
case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) running ;;
esac
