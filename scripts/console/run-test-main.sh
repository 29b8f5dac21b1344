#!/usr/bin/env bash
# Runs a main class of vigil-server's test sources (the console's measurement tools) with the test
# classpath: scripts/console/run-test-main.sh CLASS [ARGS...]. Used by fill-journal.sh and page-times.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
main_class="$1"; shift
./mvnw -q -B install -DskipTests >/dev/null
./mvnw -q -B -pl vigil-server test-compile >/dev/null
cp_file=vigil-server/target/test-main.classpath
./mvnw -q -B -pl vigil-server dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
exec java -Xmx6g -cp "vigil-server/target/test-classes:vigil-server/target/classes:$(cat "$cp_file")" "$main_class" "$@"
