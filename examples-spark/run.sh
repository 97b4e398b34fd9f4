#!/usr/bin/env bash
# Runs the Spark inventory job in local mode (local[*]). Arguments go to the job:
#   examples-spark/run.sh [accounts [regions [role]]]      comma-separated lists
# Needs a JDK 17+ only (the Maven wrapper fetches Maven and Spark). What it scans:
#   - CLIENTSESSIONS_AWS_ENDPOINT unset: the demo, on an emulator of its own (moto if installed,
#     else the testkit's in-JVM SimulatedAws), seeded with instances; no credentials needed.
#   - CLIENTSESSIONS_AWS_ENDPOINT=URL (an emulator already running) or =aws (real AWS): the
#     executors sign with the SDK's default credentials chain, so credentials are needed (any
#     keys for an emulator: AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing).
# Exit codes: 0 every target listed, 1 some target failed, 2 usage error, 3 no base credentials.
# Builds the module first when its jar is missing or older than a source of the modules it uses.
# On a cluster, use spark-submit instead (see examples-spark/README.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/examples-spark/target"
jar="$target/inventory-spark.jar"

if ! command -v java >/dev/null 2>&1; then
  echo "examples-spark: needs a JDK 17 or newer on the PATH (java not found)" >&2
  exit 2
fi

stale() {
  if [ ! -f "$jar" ] || [ ! -f "$target/classpath.txt" ]; then
    return 0
  fi
  local sources=("$root/pom.xml" "$root/examples-spark/pom.xml" "$root/examples-spark/src/main")
  for module in session-core session-aws session-testkit session-spark; do
    sources+=("$root/$module/pom.xml" "$root/$module/src/main")
  done
  [ -n "$(find "${sources[@]}" -newer "$jar" -print -quit)" ]
}

if stale; then
  echo "examples-spark: building examples-spark/target/inventory-spark.jar ..." >&2
  # Build output goes to stderr, so that stdout is only the job's.
  (cd "$root" && ./mvnw -q -B -pl examples-spark -am package -Dmaven.test.skip=true \
      -Dmaven.javadoc.skip=true -Dmaven.source.skip=true) >&2
fi
# The module options Spark's own launcher adds on Java 17+.
opens=""
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
    java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
    sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
exec java $opens -Djdk.reflect.useDirectMethodHandle=false \
  -cp "$jar:$(cat "$target/classpath.txt")" \
  io.github.clientsessions.examples.spark.InventorySparkJob "$@"
