#!/usr/bin/env bash
# Side-by-side throughput: Vigil on the embedded store, Vigil on PostgreSQL, the naive engine (a SQL
# aggregate per feature, one transaction per decision) and a hello-JSON endpoint on the same HTTP stack
# (vigil-baselines), each started fresh, loaded open loop by vigil-bench at each rate, one after the
# other, the order alternating by round. Each run reports rate, percentiles, CPU per request of every
# process (the generator's own included), the load average and the servers' GC pauses in the measured
# phase. Writes OUT/table.md; with --doc also puts the table into docs/performance.md.
#
# Usage: scripts/perf/compare.sh [--rates "500 1500"] [--seconds 30] [--warmup 40] [--rounds 1]
#                                [--targets "vigil-h2 vigil-pg naive hello"] [--connections 64] [--doc]
# A target vigil-h2@LABEL or vigil-pg@LABEL runs the server jar named by the variable JAR_LABEL instead
# (before and after a change: JAR_before=/tmp/old/vigil-server.jar ... --targets "vigil-h2@before vigil-h2").
# Build first: ./mvnw -q -o -B -DskipTests package -pl vigil-server,vigil-bench,vigil-baselines -am
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, database test, trust auth); uses the schemas
# perf_vigil and perf_naive, dropped and created again for each server.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATES="500 1500"; SECONDS_=30; WARMUP=40; ROUNDS=1; TARGETS="vigil-h2 vigil-pg naive hello"; CONNECTIONS=64; DOC=false
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) RATES="$2"; shift 2 ;;
    --seconds) SECONDS_="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --targets) TARGETS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --doc) DOC=true; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT=${OUT:-/tmp/vigil-compare}; rm -rf "$OUT"; mkdir -p "$OUT"
SERVER_JAR=vigil-server/target/vigil-server.jar; BENCH_JAR=vigil-bench/target/vigil-bench.jar
BASELINES_JAR=vigil-baselines/target/vigil-baselines.jar
for jar in "$SERVER_JAR" "$BENCH_JAR" "$BASELINES_JAR"; do [ -f "$jar" ] || { echo "missing $jar: build first" >&2; exit 2; }; done
PSQL=(psql -X -q -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1)
PG_PID=$(head -1 "$("${PSQL[@]}" -Atc 'SHOW data_directory')/postmaster.pid")
# The same JVM settings for every Java server: a fixed heap and the collector the docs justify.
JVM=(-Xms2g -Xmx2g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError)
PORT=18400; SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true' EXIT

fresh_schema() { "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $1 CASCADE; CREATE SCHEMA $1"; }

start() { # target run-name
  local target=${1%%@*} name=$2 data="$OUT/$2-data" jar=$SERVER_JAR; rm -rf "$data"; mkdir -p "$data/tmp"
  if [[ $1 == *@* ]]; then local var="JAR_${1#*@}"; jar=${!var:?"$var is not set"}; fi
  local gc=(-Xlog:gc:file="$OUT/$name-gc.log":utctime)
  # exec: the background job is the server itself, so that stop() kills the server.
  case "$target" in
    vigil-h2) exec java "${JVM[@]}" "${gc[@]}" -Djava.io.tmpdir="$data/tmp" -jar "$jar" --server.port=$PORT --vigil.data-dir="$data" ;;
    vigil-pg) fresh_schema perf_vigil
      exec java "${JVM[@]}" "${gc[@]}" -Djava.io.tmpdir="$data/tmp" -jar "$jar" --server.port=$PORT --vigil.data-dir="$data" \
        --vigil.storage.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=perf_vigil&reWriteBatchedInserts=true" \
        --vigil.storage.username=postgres ;;
    naive|hello) fresh_schema perf_naive
      exec java "${JVM[@]}" "${gc[@]}" -jar "$BASELINES_JAR" --server.port=$PORT \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=perf_naive" ;;
  esac > "$OUT/$name-server.log" 2>&1 &
  SERVER_PID=$!
  local health=/actuator/health; [[ $target == vigil-* ]] && health=/actuator/health/readiness
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$PORT$health" >/dev/null && return 0; sleep 1; done
  echo "$name did not start; see $OUT/$name-server.log" >&2; exit 1
}

stop() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  for _ in $(seq 1 30); do curl -s "http://127.0.0.1:$PORT/" >/dev/null || return 0; sleep 1; done
  echo "a server still answers on port $PORT" >&2; exit 1
}

load() { # target run-name rate
  local target=${1%%@*} name=$2 rate=$3 args=()
  case "$target" in
    vigil-h2) args=(--key-file "$OUT/$name-data/demo-api-key" --cpu-pid server=$SERVER_PID) ;;
    vigil-pg) args=(--key-file "$OUT/$name-data/demo-api-key" --cpu-pid server=$SERVER_PID --cpu-pid postgresql=$PG_PID) ;;
    naive) args=(--cpu-pid server=$SERVER_PID --cpu-pid postgresql=$PG_PID) ;;
    hello) args=(--path /hello --cpu-pid server=$SERVER_PID) ;;
  esac
  java -Xms1g -Xmx1g -XX:+UseParallelGC -jar "$BENCH_JAR" --url "http://127.0.0.1:$PORT" --rate "$rate" --duration "$SECONDS_" \
    --warmup "$WARMUP" --connections "$CONNECTIONS" "${args[@]}" --out "$OUT/$name-$rate.json" > "$OUT/$name-$rate.txt" 2>&1 || true
  echo "$(date -u +%H:%M:%S) $name at $rate/s: $(grep -E 'rate  |latency' "$OUT/$name-$rate.txt" | tr -s ' ' | tr '\n' ' ')"
}

for round in $(seq 1 "$ROUNDS"); do
  order=$TARGETS; [ $((round % 2)) -eq 0 ] && order=$(echo "$TARGETS" | tr ' ' '\n' | tac | tr '\n' ' ')
  for target in $order; do
    name="$target-r$round"
    start "$target" "$name"
    for rate in $RATES; do load "$target" "$name" "$rate"; done
    stop
  done
done
python3 scripts/perf/table.py "$OUT" > "$OUT/table.md"
cat "$OUT/table.md"
if $DOC; then python3 scripts/perf/table.py "$OUT" --doc docs/performance.md; echo "updated docs/performance.md"; fi
