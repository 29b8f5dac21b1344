#!/usr/bin/env bash
# Decisions under attack: starts the packaged server on a fresh data directory, measures 500 decisions/s
# for 20 s with the open-loop generator (after a 15 s warm-up), then again while an attack runs, and prints
# both results and the bytes the server logged during the attack (docs/performance.md, "Liveness under attack").
#   scripts/attacks/measure.sh SERVER_JAR BENCH_JAR PORT LABEL ATTACK_COMMAND...
# ATTACK_COMMAND runs for the attack phase; the word PORT in it is replaced by the server's port, e.g.
#   scripts/attacks/measure.sh vigil-server/target/vigil-server.jar vigil-bench/target/vigil-bench.jar 18600 after \
#     python3 scripts/attacks/bad-encodings.py PORT 8 27
set -u
server_jar=$1; bench_jar=$2; port=$3; label=$4; shift 4
attack=("${@//PORT/$port}")
dir=$(mktemp -d); log=$dir/server.log
java -Xms512m -Xmx2g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir="$dir" -jar "$server_jar" \
  --server.port="$port" --vigil.data-dir="$dir/data" > "$log" 2>&1 &
pid=$!
for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break; sleep 1; done
bench() {
  java -Xmx1g -jar "$bench_jar" --url "http://127.0.0.1:$port" --rate 500 --duration 20 --warmup 15 --connections 32 \
    --key-file "$dir/data/demo-api-key" --out "$dir/$1.json" > "$dir/$1.txt" 2>&1
}
bench idle
logged_before=$(stat -c %s "$log")
"${attack[@]}" > "$dir/attack-output.txt" 2>&1 &
attack_pid=$!
bench attack
wait "$attack_pid"
logged_after=$(stat -c %s "$log")
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
python3 - "$dir" "$label" "$logged_before" "$logged_after" <<'PY'
import json, sys
d, label, before, after = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for phase in ("idle", "attack"):
    r = json.load(open(f"{d}/{phase}.json"))
    print(f"{label} {phase}: accepted {r['achieved_rate']}/s, errors {r['errors']}, "
          f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, p99.9 {r['p999_ms']} ms")
print(f"{label} attack: {open(f'{d}/attack-output.txt').read().strip()}; server log bytes during the attack: {after - before}")
PY
