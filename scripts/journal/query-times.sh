#!/usr/bin/env bash
# Times the decisions query shapes of GET /v1/decisions (the SQL JournalRepository.query writes) on
# a journal filled by fill-size-db.sh: each shape repeated for SECONDS (default 30) with fresh
# random parameters, one client; prints the number of runs and p50 / p99 / max in milliseconds.
#   scripts/journal/query-times.sh DATABASE TABLE [SECONDS]
# TABLE is the journal table to query (decisions, or decisions_unpartitioned kept for comparison).
# PGHOST/PGUSER as for psql (default 127.0.0.1, postgres).
set -euo pipefail
db=${1:?database}; table=${2:?table}; seconds=${3:-30}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cols="sequence, decision_id, event_id, event_type, account_id, merchant_id, occurred_at_millis, recorded_at_millis, action, score, risk_level, amount_minor, currency, policy_version, request_hash, event_json, response_json, previous_hash, hash"
# The journal spans 2025-11-01 .. 2026-12-01 (fill-size-db.sql); max sequence from the database.
max=$(psql -Atq -d "$db" -c "SELECT max(sequence) FROM $table")
day=86400000; t0=1761955200000
month_window="\\set to $t0 + random(30, 395) * $day
\\set from :to - 30 * $day"
day_window="\\set to $t0 + random(1, 395) * $day
\\set from :to - $day"
skewed_account="\\set a int(2000000 * pow(random(0, 999999) / 1000000.0, 3))"
declare -A shape
shape[account_30d_page1]="$skewed_account
$month_window
SELECT $cols FROM $table WHERE 1=1 AND account_id = 'acct_' || :a AND occurred_at_millis >= :from AND occurred_at_millis < :to ORDER BY sequence DESC LIMIT 51;"
shape[busiest_account_30d_page1]="$month_window
SELECT $cols FROM $table WHERE 1=1 AND account_id = 'acct_0' AND occurred_at_millis >= :from AND occurred_at_millis < :to ORDER BY sequence DESC LIMIT 51;"
shape[time_1d_page1]="$day_window
SELECT $cols FROM $table WHERE 1=1 AND occurred_at_millis >= :from AND occurred_at_millis < :to ORDER BY sequence DESC LIMIT 51;"
shape[time_30d_page1]="$month_window
SELECT $cols FROM $table WHERE 1=1 AND occurred_at_millis >= :from AND occurred_at_millis < :to ORDER BY sequence DESC LIMIT 51;"
shape[type_action_rare_page1]="SELECT $cols FROM $table WHERE 1=1 AND event_type = 'transfer' AND action = 'DENY' ORDER BY sequence DESC LIMIT 51;"
shape[type_action_deep_page]="\\set before random(1, $max)
SELECT $cols FROM $table WHERE 1=1 AND event_type = 'transfer' AND action = 'DENY' AND sequence < :before ORDER BY sequence DESC LIMIT 51;"
shape[rule_rare_page1]="SELECT $cols FROM $table WHERE 1=1 AND sequence IN (SELECT sequence FROM decision_rules WHERE rule_id = 'list.sanctions_match') ORDER BY sequence DESC LIMIT 51;"
shape[rule_common_deep_page]="\\set before random(1, $max)
SELECT $cols FROM $table WHERE 1=1 AND sequence IN (SELECT sequence FROM decision_rules WHERE rule_id = 'new_device') AND sequence < :before ORDER BY sequence DESC LIMIT 51;"
shape[all_deep_page]="\\set before random(1, $max)
SELECT $cols FROM $table WHERE 1=1 AND sequence < :before ORDER BY sequence DESC LIMIT 51;"
shape[busiest_account_deep_page]="\\set before random(1, $max)
SELECT $cols FROM $table WHERE 1=1 AND account_id = 'acct_0' AND sequence < :before ORDER BY sequence DESC LIMIT 51;"
shape[by_decision_id]="\\set s random(1, $max)
SELECT $cols FROM $table WHERE decision_id = (SELECT decision_id FROM $table WHERE sequence = :s);"
printf '%-28s %6s %9s %9s %9s\n' shape runs p50_ms p99_ms max_ms
for name in account_30d_page1 busiest_account_30d_page1 time_1d_page1 time_30d_page1 type_action_rare_page1 \
    type_action_deep_page rule_rare_page1 rule_common_deep_page all_deep_page busiest_account_deep_page by_decision_id; do
  printf '%s\n' "${shape[$name]}" > "$work/$name.sql"
  (cd "$work" && pgbench -n -M extended -T "$seconds" -f "$name.sql" -l --log-prefix="log_$name" "$db" > "$name.out" 2>&1) \
    || { cat "$work/$name.out" >&2; exit 1; }
  sort -n -k3 "$work"/log_"$name".* | awk -v n="$name" '{ t[NR] = $3 } END {
    p50 = t[int(NR * 0.50 + 0.5) > 0 ? int(NR * 0.50 + 0.5) : 1]; p99 = t[int(NR * 0.99 + 0.5) > 0 ? int(NR * 0.99 + 0.5) : 1]; printf "%-28s %6d %9.2f %9.2f %9.2f\n", n, NR, p50 / 1000, p99 / 1000, t[NR] / 1000 }'
done
