#!/usr/bin/env bash
# Starts the server on a store and times every console page (docs/performance.md, "Console page
# times"). Arguments go to io.vigil.server.perf.ConsolePageTimes, e.g.
#   scripts/console/page-times.sh --storage-url 'jdbc:postgresql://127.0.0.1:5432/test?currentSchema=console5m' \
#     --storage-username postgres --data-dir /tmp/console5m --warmup 5 --requests 30
exec "$(dirname "$0")/run-test-main.sh" io.vigil.server.perf.ConsolePageTimes "$@"
