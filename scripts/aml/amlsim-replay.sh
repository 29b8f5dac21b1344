#!/usr/bin/env bash
# Replays the AMLSim fan-in sample (200 fan-in patterns over 20,000 accounts) through the monitoring
# scenarios' engine-level logic and prints, per scenario, the fan-in receivers alerted, how many days
# after their pattern started, the alerts per 1,000 accounts and the state's cost (docs/aml.md,
# "Monitoring"). Runs in well under a minute. Usage:
#   scripts/aml/amlsim-replay.sh [DIR] [scenario.param=value ...]
# DIR defaults to $VIGIL_AMLSIM_DIR or ../shared/datasets/amlsim; the rest change default parameters.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${VIGIL_AMLSIM_DIR:-../shared/datasets/amlsim}"
if [[ $# -gt 0 && "$1" != *=* ]]; then dir="$1"; shift; fi
[[ -f "$dir/fanin200_transactions.csv.gz" ]] || { echo "no AMLSim sample in $dir (fanin200_*.csv.gz)" >&2; exit 2; }
./mvnw -o -q -B install -DskipTests -pl vigil-engine,vigil-eval >&2
exec java -Xmx2g -cp vigil-eval/target/vigil-eval.jar io.vigil.eval.aml.AmlSimReplay "$dir" "$@"
