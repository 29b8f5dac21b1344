#!/usr/bin/env bash
# The cost of the security boundary on the full decision path (docs/performance.md, "The security
# boundary on the decision path"): starts a server jar on a fresh embedded store, sends RATE decisions/s
# open loop for DURATION s after a warm-up, and prints the bench's percentiles with the server's CPU
# per decision (user + system time of the server process over the whole run, divided by the requests
# sent) and the load average. Signed with the server's demo key when it wrote one, unsigned otherwise
# (a build from before the boundary).
#   scripts/security/auth-fullstack.sh SERVER_JAR BENCH_JAR PORT LABEL [RATE] [DURATION] [WARMUP]
set -u
server_jar=$(realpath "$1"); bench_jar=$(realpath "$2"); port=$3; label=$4; rate=${5:-1000}; duration=${6:-30}; warmup=${7:-15}
dir=$(mktemp -d)
java -Xms1g -Xmx1g -XX:+UseParallelGC -Djava.io.tmpdir="$dir" -jar "$server_jar" --server.port="$port" \
  --vigil.data-dir="$dir/data" > "$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null && break; sleep 1; done
key=(); [ -f "$dir/data/demo-api-key" ] && key=(--key-file "$dir/data/demo-api-key")
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
(cd "$dir" && java -Xmx1g -jar "$bench_jar" --url "http://127.0.0.1:$port" --rate "$rate" --duration "$duration" \
  --warmup "$warmup" --connections 32 "${key[@]}" --out "$dir/result.json" > "$dir/bench.txt" 2>&1)
after=$(ticks)
load=$(cut -d' ' -f1-3 /proc/loadavg)
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
python3 - "$dir" "$label" "$before" "$after" "$load" "$(getconf CLK_TCK)" <<'PY'
import json, sys
d, label, before, after, load, hz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
r = json.load(open(f"{d}/result.json"))
sent = r["requests"] + r["warmup_requests"]
cpu_us = (after - before) * 1e6 / hz / max(1, sent)
print(f"{label}: {r['achieved_rate']}/s, errors {r['errors']}, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
      f"p99.9 {r['p999_ms']} ms; server CPU {cpu_us:.0f} us/decision over {sent} requests; load {load}")
PY
