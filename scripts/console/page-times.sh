#!/usr/bin/env bash
# Console page times on a large journal. Starts the server on SCHEMA (filled by fill-journal.sh) and
# DATA_DIR with start-server.sh (which reports how long it took to become ready), unless VIGIL_BASE
# names a server already running on them; signs in an operator with every role; requests each path of
# PAGES (default scripts/console/pages.txt) WARMUP times, then N times, and prints p50/p99 per path
# (page_times.py: client-side times on loopback); then EXPLAIN (ANALYZE) of the search queries
# (explain.sql) into DATA_DIR/explain.txt. A server it started is stopped at the end unless KEEP_SERVER=1.
#   scripts/console/page-times.sh SCHEMA DATA_DIR [PAGES] [N=50] [WARMUP=5]
set -euo pipefail
schema=${1:?schema}; data_dir=${2:?data dir}
here=$(cd "$(dirname "$0")" && pwd)
pages=${3:-$here/pages.txt}; n=${4:-50}; warmup=${5:-5}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
base=${VIGIL_BASE:-}
if [ -z "$base" ]; then
  started=$("$here/start-server.sh" "$schema" "$data_dir")
  echo "$started"
  pid=$(echo "$started" | sed -n 's/.*; pid \([0-9]*\);.*/\1/p')
  base=http://127.0.0.1:${VIGIL_PORT:-18282}
  stop() { if [ "${KEEP_SERVER:-}" != 1 ]; then kill -TERM "$pid" 2>/dev/null || true; fi; }
  trap stop EXIT
fi
python3 "$here/page_times.py" --base "$base" --data-dir "$data_dir" --pages "$pages" --schema "$schema" --n "$n" --warmup "$warmup"
export PGOPTIONS="-c search_path=$schema"
since=$(( $(date +%s) * 1000 - 86400000 ))
account=$(psql -X -At -c "SELECT account_id FROM decisions WHERE occurred_at_millis >= $since GROUP BY account_id ORDER BY count(*) DESC LIMIT 1")
decision=$(psql -X -At -c "SELECT decision_id FROM decisions ORDER BY sequence DESC LIMIT 1")
psql -X -v account="$account" -v decision="$decision" -v rule=large_payment -v now_ms="$(date +%s%3N)" \
  -f "$here/explain.sql" > "$data_dir/explain.txt"
echo "EXPLAIN (ANALYZE) of the search queries: $data_dir/explain.txt"
