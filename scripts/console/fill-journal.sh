#!/usr/bin/env bash
# Fills a new PostgreSQL schema with a journal of ROWS decisions in the server's own format
# (io.vigil.server.bench.ConsoleJournalFiller: sealed personal fields, hash chain, decision_keys,
# decision_rules, some labels and hold approvals), over ACCOUNTS accounts and the last DAYS days, and
# prepares DATA_DIR (the keysets the rows are sealed under) for the server that starts on it.
#   scripts/console/fill-journal.sh SCHEMA ROWS DATA_DIR [ACCOUNTS=100000] [DAYS=30]
#   e.g. scripts/console/fill-journal.sh console_bench 5000000 /tmp/vigil-console-bench
# PGHOST/PGPORT/PGUSER/PGDATABASE as for psql (default 127.0.0.1:5432, postgres, test). The schema's journal must be
# empty (a new schema, or one a server was started on and made no decision in). Touch DATA_DIR/stop-filling to
# end the load early (at a chunk's end; the indexes are still built).
set -euo pipefail
schema=${1:?schema}; rows=${2:?rows}; data_dir=${3:?data dir}; accounts=${4:-100000}; days=${5:-30}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
root=$(cd "$(dirname "$0")/../.." && pwd)
target=$root/vigil-server/target
if [ ! -f "$target/test-classes/io/vigil/server/bench/ConsoleJournalFiller.class" ]; then
  (cd "$root" && ./mvnw -o -q -B test-compile -pl vigil-server)
fi
# The server's own libraries, from its jar (built by ./mvnw -o -q -B package -DskipTests -pl vigil-server -am)
if [ ! -d "$target/bench-lib" ]; then
  mkdir -p "$target/bench-lib" && (cd "$target/bench-lib" && unzip -q -j "$target/vigil-server.jar" 'BOOT-INF/lib/*')
fi
psql -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA IF NOT EXISTS $schema"
mkdir -p "$data_dir"
start=$(date +%s)
java ${FILLER_HEAP:--Xmx6g} -cp "$target/test-classes:$target/classes:$target/bench-lib/*" \
  io.vigil.server.bench.ConsoleJournalFiller "jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?currentSchema=$schema" \
  "$PGUSER" "$data_dir" "$rows" "$accounts" "$days"
echo "filled $schema with $rows decisions in $(( $(date +%s) - start )) s"
