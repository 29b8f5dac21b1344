#!/usr/bin/env bash
# Starts the server on a PostgreSQL schema and data directory, waits until it is ready, prints the
# time that took and the process id (stop it with kill -TERM PID). Log: DATA_DIR/server.log.
#   scripts/console/start-server.sh SCHEMA DATA_DIR
# VIGIL_JAR (default vigil-server/target/vigil-server.jar), VIGIL_PORT (18282), VIGIL_HEAP (-Xmx6g), VIGIL_ARGS
# (more server options). The data-key cache is raised above the accounts' count (VIGIL_DATA_KEY_CACHE,
# 250000): with the default of 100,000 a replay over 100,000 accounts would read every key again each
# time the cache fills. PGHOST/PGPORT/PGUSER/PGDATABASE as for psql (default 127.0.0.1:5432, postgres, test).
set -euo pipefail
schema=${1:?schema}; data_dir=${2:?data dir}
here=$(cd "$(dirname "$0")" && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
jar=${VIGIL_JAR:-$here/../../vigil-server/target/vigil-server.jar}
port=${VIGIL_PORT:-18282}
mkdir -p "$data_dir"
log=$data_dir/server.log
t0=$(date +%s%3N)
# shellcheck disable=SC2086
nohup java ${VIGIL_HEAP:--Xmx6g} -jar "$jar" --server.port="$port" --vigil.data-dir="$data_dir" \
  --vigil.storage.url="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?currentSchema=$schema" --vigil.storage.username="$PGUSER" \
  --logging.structured.format.console= --vigil.privacy.data-key-cache-entries="${VIGIL_DATA_KEY_CACHE:-250000}" \
  ${VIGIL_ARGS:-} >"$log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
  kill -0 "$pid" 2>/dev/null || { echo "the server exited; see $log" >&2; exit 1; }
  sleep 0.2
done
echo "server ready in $(( $(date +%s%3N) - t0 )) ms; pid $pid; port $port; log $log"
grep -hoE "(state rebuilt|restored from checkpoint|replaying)[^\"]*" "$log" | head -3 | sed 's/^/  /' || true
