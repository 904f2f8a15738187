#!/usr/bin/env bash
# Start a throw-away PostgreSQL on loopback for the test suite and print its URL.
# Usage: eval "$(.ci/start-postgres.sh)"   -> exports ZELFSCAN_TEST_DATABASE_URL
set -euo pipefail
PORT="${ZELFSCAN_PG_PORT:-55432}"
DATA="${ZELFSCAN_PG_DATA:-/tmp/zelfscan-pgdata}"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$BIN" ]; then
  echo "PostgreSQL server binaries not found (install Debian's postgresql)" >&2
  exit 1
fi
RUN_AS=()
[ "$(id -u)" = "0" ] && RUN_AS=(runuser -u postgres --)
if [ ! -s "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"; mkdir -p "$DATA"; [ "$(id -u)" = "0" ] && chown postgres: "$DATA"
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
fi
if ! "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  # A server killed with its session leaves its lock file behind.
  rm -f "$DATA/postmaster.pid"
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
    -o "-h 127.0.0.1 -p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
fi
"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='zelfscan'" | grep -q 1 \
  || "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE ROLE zelfscan LOGIN CREATEDB PASSWORD 'zelfscan'"
"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='zelfscan'" | grep -q 1 \
  || "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE zelfscan OWNER zelfscan"
echo "export ZELFSCAN_TEST_DATABASE_URL=postgres://zelfscan:zelfscan@127.0.0.1:$PORT/zelfscan"
