#!/usr/bin/env bash
# Fills a store with decisions made by Vigil's own pipeline over simulated days, or (--mode synthetic)
# with journal rows written in bulk, for the console's page-time measurement (docs/performance.md,
# "Console page times"). Arguments go to io.vigil.server.perf.JournalFiller, e.g.
#   scripts/console/fill-journal.sh --storage-url 'jdbc:postgresql://127.0.0.1:5432/test?currentSchema=console5m' \
#     --storage-username postgres --data-dir /tmp/console5m --decisions 20000 --days 2
exec "$(dirname "$0")/run-test-main.sh" io.vigil.server.perf.JournalFiller "$@"
