#!/usr/bin/env bash
# Starts the server on a store and times every console page (docs/performance.md, "Console page
# times"). Arguments go to io.vigil.server.perf.ConsolePageTimes (vigil-server's test sources), e.g.
#   scripts/console/page-times.sh --storage-url 'jdbc:postgresql://127.0.0.1:5432/test?currentSchema=console5m' \
#     --storage-username postgres --data-dir /tmp/console5m --warmup 5 --requests 30
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests >/dev/null
./mvnw -q -B -pl vigil-server test-compile >/dev/null
cp_file=vigil-server/target/filler.classpath
./mvnw -q -B -pl vigil-server dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
exec java -Xmx4g -cp "vigil-server/target/test-classes:vigil-server/target/classes:$(cat "$cp_file")" \
  io.vigil.server.perf.ConsolePageTimes "$@"
