#!/usr/bin/env bash
# Console page times on a large journal: starts the server on SCHEMA (filled by fill-journal.sh) with
# DATA_DIR, reports how long it took to become ready, signs in an operator with every role, requests
# each path of PAGES (default scripts/console/pages.txt) WARMUP times then N times and prints p50/p99
# per path (page_times.py; client-side times on loopback), then EXPLAIN (ANALYZE) of the search
# queries (explain.sql). The server is stopped at the end unless KEEP_SERVER=1.
#   scripts/console/page-times.sh SCHEMA DATA_DIR [PAGES] [N=50] [WARMUP=5]
# VIGIL_JAR (default vigil-server/target/vigil-server.jar), VIGIL_PORT (18282), VIGIL_HEAP (-Xmx6g);
# PGHOST/PGPORT/PGUSER/PGDATABASE as for psql (default 127.0.0.1:5432, postgres, test).
set -euo pipefail
schema=${1:?schema}; data_dir=${2:?data dir}
here=$(cd "$(dirname "$0")" && pwd)
pages=${3:-$here/pages.txt}; n=${4:-50}; warmup=${5:-5}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
jar=${VIGIL_JAR:-$here/../../vigil-server/target/vigil-server.jar}
port=${VIGIL_PORT:-18282}
log=$data_dir/page-times-server.log
t0=$(date +%s%3N)
java ${VIGIL_HEAP:--Xmx6g} -jar "$jar" --server.port="$port" --vigil.data-dir="$data_dir" \
  --vigil.storage.url="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?currentSchema=$schema" --vigil.storage.username="$PGUSER" \
  --logging.structured.format.console= >"$log" 2>&1 &
pid=$!
stop() { if [ "${KEEP_SERVER:-}" != 1 ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi; }
trap stop EXIT
until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
  kill -0 "$pid" 2>/dev/null || { echo "the server exited; see $log" >&2; exit 1; }
  sleep 0.2
done
echo "server ready in $(( $(date +%s%3N) - t0 )) ms (pid $pid, log $log)"
grep -hoE "state rebuilt[^\"]*|restored from checkpoint[^\"]*|chain[^\"]*verified[^\"]*" "$log" | head -5 | sed 's/^/  /' || true
python3 "$here/page_times.py" --base "http://127.0.0.1:$port" --data-dir "$data_dir" --pages "$pages" --schema "$schema" \
  --n "$n" --warmup "$warmup"
account=$(PGOPTIONS="-c search_path=$schema" psql -X -At -c "SELECT account_id FROM decisions WHERE occurred_at_millis >= \
  (extract(epoch FROM now()) * 1000)::bigint - 86400000 GROUP BY account_id ORDER BY count(*) DESC LIMIT 1")
decision=$(PGOPTIONS="-c search_path=$schema" psql -X -At -c "SELECT decision_id FROM decisions ORDER BY sequence DESC LIMIT 1")
PGOPTIONS="-c search_path=$schema" psql -X -v account="$account" -v decision="$decision" -v rule=large_payment \
  -v now_ms="$(date +%s%3N)" -f "$here/explain.sql" > "$data_dir/explain.txt"
echo "EXPLAIN (ANALYZE) of the search queries: $data_dir/explain.txt"
