#!/usr/bin/env bash
# Run every benchmark in order: SQLite always, PostgreSQL when a URL is given.
#   bench/run_all.sh                                   # SQLite only
#   bench/run_all.sh postgres://zelfscan:zelfscan@127.0.0.1:55432/zelfscan_bench
# For a PostgreSQL on loopback: eval "$(.ci/start-postgres.sh)", then create the benchmark database:
#   psql -h 127.0.0.1 -p 55432 -U postgres -c "CREATE DATABASE zelfscan_bench OWNER zelfscan"
# The data set is generated when the database holds none (about 1 minute on SQLite, 1.5 on PostgreSQL).
# Output: printed, and kept in /tmp/zelfscan-bench-<sqlite|postgresql>.txt. Every load is bounded in
# requests and time and goes to 127.0.0.1 only; each script stops the gunicorn it started.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SQLITE_URL="${ZELFSCAN_BENCH_SQLITE_URL:-sqlite:////tmp/zelfscan-bench.sqlite3}"
PG_URL="${1:-${ZELFSCAN_BENCH_PG_URL:-}}"
export PYTHONUNBUFFERED=1

run_for() {
  local url="$1" name="$2"
  {
    echo "##### $name: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
         "$( [ -n "$(git status --porcelain 2>/dev/null | grep -v -e '^?? bench/' -e 'test_query_counts.py')" ] && echo '(work tree has changes)')"
    export DATABASE_URL="$url"
    $PY bench/generate.py
    $PY bench/report_page.py
    $PY bench/national.py
    $PY bench/inprocess.py
    $PY bench/http_save.py
    $PY bench/journeys.py
    $PY bench/pdf_report.py
  } 2>&1 | tee "/tmp/zelfscan-bench-$name.txt"
}

run_for "$SQLITE_URL" sqlite
if [ -n "$PG_URL" ]; then
  run_for "$PG_URL" postgresql
fi
