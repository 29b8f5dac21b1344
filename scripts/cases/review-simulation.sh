#!/usr/bin/env bash
# Replays a slice of the FDH transactions through a real server on a fresh embedded store, with
# simulated reviewers working the cases, and prints the review loop's measures next to the data's
# ground truth (docs/cases.md, "Measures on a replay of public data"). Options: --help.
# An experiment, not part of the test suite: it runs for several minutes.
set -euo pipefail
exec "$(dirname "$0")/../console/run-test-main.sh" io.vigil.server.perf.ReviewSimulation "$@"
