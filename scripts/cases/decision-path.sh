#!/usr/bin/env bash
# The decision path with and without the case opener, alternating: two servers on the embedded
# store (fresh data directories), one with vigil.cases.enabled=true (the default) and one with false,
# measured in turns by the open-loop generator at the same rate. Prints one line per run with the
# load average before it; writes each run's JSON next to it.
# Usage: scripts/cases/decision-path.sh [RATE] [SECONDS] [ROUNDS]   (build first:
#   ./mvnw -q -o -B -DskipTests package -pl vigil-server,vigil-bench -am)
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-500}; SECONDS_=${2:-20}; ROUNDS=${3:-2}
OUT=${OUT:-/tmp/vigil-decision-path}; mkdir -p "$OUT"
start() { # name port enabled
  local dir="$OUT/$1-data"; rm -rf "$dir"; mkdir -p "$dir"
  java -Xms512m -Xmx2g -jar vigil-server/target/vigil-server.jar --server.port="$2" --vigil.data-dir="$dir" \
    --vigil.cases.enabled="$3" > "$OUT/$1.log" 2>&1 &
  echo $! > "$OUT/$1.pid"
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$2/actuator/health/readiness" >/dev/null && return 0; sleep 1; done
  echo "server $1 did not start" >&2; exit 1
}
trap 'kill $(cat "$OUT"/*.pid 2>/dev/null) 2>/dev/null || true' EXIT
start with 18091 true
start without 18092 false
for round in $(seq 1 "$ROUNDS"); do
  # alternate which side goes first, so neither always runs on a warmer machine
  order="with without"; [ $((round % 2)) -eq 0 ] && order="without with"
  for side in $order; do
    port=$([ "$side" = with ] && echo 18091 || echo 18092)
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    java -Xmx1g -jar vigil-bench/target/vigil-bench.jar --url "http://127.0.0.1:$port" --rate "$RATE" --duration "$SECONDS_" \
      --warmup 15 --connections 64 --key-file "$OUT/$side-data/demo-api-key" --out "$OUT/$side-$round.json" > "$OUT/$side-$round.txt" 2>&1
    echo "round $round, cases $side the opener, load $load: $(grep -E 'p50|p99|accepted|requests' "$OUT/$side-$round.txt" | tr '\n' ' ')"
  done
done
# What the opener did: stop the servers, then read the embedded store of the side with the opener.
kill $(cat "$OUT"/*.pid) 2>/dev/null || true; sleep 3
H2=$(find ~/.m2/repository/com/h2database/h2 -name 'h2-*.jar' | sort | tail -1)
java -cp "$H2" org.h2.tools.Shell -url "jdbc:h2:file:$OUT/with-data/vigil" -user "" -password "" \
  -sql "SELECT action, COUNT(*) FROM decisions GROUP BY action; SELECT origin, COUNT(*) FROM case_decisions GROUP BY origin;
        SELECT COUNT(*) AS cases FROM cases; SELECT sequence AS opener_cursor FROM case_cursor; SELECT MAX(sequence) AS journal_head FROM decisions"
