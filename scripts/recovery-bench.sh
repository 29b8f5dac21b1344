#!/usr/bin/env bash
# Recovery benchmark: time from process start to /actuator/health/readiness UP, replaying the whole
# journal (no checkpoint yet) and then from the checkpoint taken right after that start, plus the
# framework's own start on an empty store. docs/performance.md "Checkpoints and recovery".
#
#   scripts/recovery-bench.sh DATA_DIR LABEL [extra Spring options, e.g. --vigil.storage.url=...]
#
# DATA_DIR holds a journal written by RecoveryJournalGenerator (see its Javadoc). Prints one line per
# start: label, mode, milliseconds to ready. Server logs go to DATA_DIR/bench-*.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${VIGIL_BENCH_JAR:-$here/vigil-server/target/vigil-server.jar}"
data_dir="$1"; label="$2"; shift 2
port="${VIGIL_BENCH_PORT:-18181}"
heap="${VIGIL_BENCH_HEAP:--Xmx8g}"
pid_file="$(mktemp)"

# Starts the server, prints the milliseconds until readiness is UP, leaves it running (pid in $pid).
start() {
  local dir="$1" log="$2"; shift 2
  local t0; t0=$(date +%s%3N)
  java $heap -jar "$jar" --server.port="$port" --vigil.data-dir="$dir" --logging.structured.format.console= "$@" >"$log" 2>&1 &
  pid=$!
  echo "$pid" >"$pid_file" # start runs in a subshell $(...): stop reads the pid from the file
  while ! curl -sf "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "server exited; see $log" >&2; exit 1; fi
    sleep 0.05
  done
  echo $(( $(date +%s%3N) - t0 ))
}

stop() {
  local p; p=$(cat "$pid_file")
  kill -TERM "$p"
  while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
}

if [ "${VIGIL_BENCH_SKIP_FULL:-}" != 1 ]; then
rm -rf "$data_dir/checkpoints"
full=$(start "$data_dir" "$data_dir/bench-full.log" "$@")
echo "$label full-replay ${full} ms"
# The start replayed more than vigil.checkpoints.every-decisions rows: a checkpoint is taken at once.
until ls "$data_dir"/checkpoints/*/manifest.txt >/dev/null 2>&1; do sleep 0.2; done
grep -h "checkpoint of sequence" "$data_dir/bench-full.log" | sed 's/^/  /'
stop
fi
with=$(start "$data_dir" "$data_dir/bench-checkpoint.log" "$@")
echo "$label from-checkpoint ${with} ms"
grep -h "restored from checkpoint\|state rebuilt" "$data_dir/bench-checkpoint.log" | sed 's/^/  /'
stop
empty="$(mktemp -d)"
base=$(start "$empty" "$data_dir/bench-empty.log")
echo "$label framework-empty-store ${base} ms"
stop
rm -rf "$empty"
