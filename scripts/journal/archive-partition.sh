#!/usr/bin/env bash
# Archives the oldest month of Vigil's partitioned PostgreSQL journal (migration 15): detaches the
# partition, dumps it to a compressed file with a manifest, and (with --drop) removes it from the
# database. See docs/operations.md, "Keeping the journal for years".
#
#   scripts/journal/archive-partition.sh [--drop] [--drop-keys] PARTITION OUT_DIR
#     PARTITION   e.g. decisions_2025_11; it must be the oldest month still attached
#     OUT_DIR     where PARTITION.dump (pg_dump custom format, compressed) and PARTITION.manifest go
#     --drop      after a dump that pg_restore can read: drop the detached table and the month's rows
#                 of decision_rules (the rule filter's index)
#     --drop-keys also delete the month's rows of decision_keys: its event ids may then be used again
#
# Connection as for psql/pg_dump (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE); VIGIL_SCHEMA is
# the schema of Vigil's tables (default public). Afterwards set vigil.journal.archived-through to the
# LAST sequence printed (and pass --archived-through to verify-journal), or the start-up chain check
# reports the archived rows as deleted.
set -euo pipefail
drop=0; drop_keys=0
while [[ ${1:-} == --* ]]; do
  case $1 in
    --drop) drop=1 ;;
    --drop-keys) drop_keys=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
partition=${1:?partition name, e.g. decisions_2025_11}; out=${2:?output directory}
schema=${VIGIL_SCHEMA:-public}
[[ $partition =~ ^decisions_[0-9]{4}_[0-9]{2}$ ]] || { echo "$partition is not a month partition (decisions_YYYY_MM)" >&2; exit 2; }
mkdir -p "$out"
q() { psql -X -At -v ON_ERROR_STOP=1 -c "SET search_path = \"$schema\"" -c "$1" | tail -n +2; }

# The oldest attached month, and nothing older waiting in the default partition: the archive must be
# a prefix of the chain, so that the journal left behind starts right after it.
oldest=$(q "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'decisions'::regclass AND c.relname <> 'decisions_default' ORDER BY c.relname LIMIT 1")
[[ $oldest == "$partition" ]] || { echo "$partition is not the oldest attached month (that is ${oldest:-none})" >&2; exit 1; }
read -r rows first last first_previous last_hash <<<"$(q "SELECT count(*), min(sequence), max(sequence),
  (SELECT previous_hash FROM $partition ORDER BY sequence LIMIT 1), (SELECT hash FROM $partition ORDER BY sequence DESC LIMIT 1)
  FROM $partition" | tr '|' ' ')"
[[ $rows -gt 0 ]] || { echo "$partition is empty: detach and drop it by hand" >&2; exit 1; }
[[ $((last - first + 1)) -eq $rows ]] || { echo "$partition has gaps in its sequences ($rows rows, $first..$last): run verify-journal" >&2; exit 1; }
older=$(q "SELECT count(*) FROM decisions WHERE sequence <= $last AND tableoid <> '$partition'::regclass")
[[ $older -eq 0 ]] || { echo "$older rows with sequences up to $last are in other partitions: $partition is not a prefix of the chain" >&2; exit 1; }

echo "detaching $partition: rows $first to $last ($rows rows)"
q "ALTER TABLE decisions DETACH PARTITION $partition" >/dev/null
pg_dump -Fc -Z 9 -t "\"$schema\".$partition" -f "$out/$partition.dump"
pg_restore -l "$out/$partition.dump" | grep -q "TABLE DATA .* $partition " || { echo "the dump has no data for $partition; it stays detached, not dropped" >&2; exit 1; }
{
  echo "partition=$partition"
  echo "rows=$rows"
  echo "first_sequence=$first"
  echo "last_sequence=$last"
  echo "first_previous_hash=$first_previous"
  echo "last_hash=$last_hash"
  echo "dump_sha256=$(sha256sum "$out/$partition.dump" | cut -d' ' -f1)"
  echo "archived_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$out/$partition.manifest"
echo "dumped to $out/$partition.dump ($(du -h "$out/$partition.dump" | cut -f1)), manifest $out/$partition.manifest"

if [[ $drop -eq 1 ]]; then
  q "BEGIN; DROP TABLE $partition; DELETE FROM decision_rules WHERE sequence BETWEEN $first AND $last;
     $( [[ $drop_keys -eq 1 ]] && echo "DELETE FROM decision_keys WHERE sequence BETWEEN $first AND $last;" ) COMMIT" >/dev/null
  echo "dropped $partition$( [[ $drop_keys -eq 1 ]] && echo ' and its keys' )"
else
  echo "$partition stays in the database, detached (not queried); run again with --drop to remove it"
fi
echo "now set vigil.journal.archived-through=$last (and verify-journal --archived-through $last)"
