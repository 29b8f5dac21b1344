#!/usr/bin/env bash
# Creates a scratch PostgreSQL database with Vigil's schema and fills its journal with synthetic rows
# (see fill-size-db.sql), for the measurements in docs/performance.md ("The journal at 50 M rows").
#   scripts/journal/fill-size-db.sh DATABASE ROWS        e.g. scripts/journal/fill-size-db.sh vigil_size 20000000
# PGHOST/PGPORT/PGUSER as for psql (default 127.0.0.1:5432, postgres). The database must not exist.
# The result is the unpartitioned schema of migrations 1-14; scripts/journal/partition-size-db.sh
# then builds the partitioned journal of migration 15 next to it.
set -euo pipefail
db=${1:?database name}; total=${2:?rows}
chunk=${CHUNK_ROWS:-1000000}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
here=$(cd "$(dirname "$0")" && pwd)
migrations=$here/../../vigil-server/src/main/resources/db/migration
createdb "$db"
for v in 1 2 3 4 5 6 7 8 9 10 12 13; do psql -q -v ON_ERROR_STOP=1 -d "$db" -f "$(ls "$migrations"/V${v}__*.sql)"; done
# Migration 14 (another branch): the database enforces unique event ids.
psql -q -v ON_ERROR_STOP=1 -d "$db" -c "DROP INDEX decisions_account_time, decisions_time, decisions_merchant_time"
start=$(date +%s)
for ((from = 1; from <= total; from += chunk)); do
  to=$((from + chunk - 1)); ((to > total)) && to=$total
  psql -q -v ON_ERROR_STOP=1 -d "$db" -v from=$from -v to=$to -v total=$total -f "$here/fill-size-db.sql"
  echo "$(date -u +%T) rows 1..$to ($(( $(date +%s) - start )) s)"
done
psql -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
SET maintenance_work_mem = '1GB';
\timing on
CREATE INDEX decisions_account_time ON decisions (account_id, occurred_at_millis);
CREATE INDEX decisions_time ON decisions (occurred_at_millis);
CREATE INDEX decisions_merchant_time ON decisions (merchant_id, occurred_at_millis);
CREATE UNIQUE INDEX decisions_event_id_unique ON decisions (event_id);
VACUUM ANALYZE decisions;
VACUUM ANALYZE decision_rules;
SQL
echo "filled $total rows in $(( $(date +%s) - start )) s"
