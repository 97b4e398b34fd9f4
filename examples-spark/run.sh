#!/usr/bin/env bash
# Runs the Spark inventory job in local mode (local[*]) against the demo emulator (moto), or
# against CLIENTSESSIONS_AWS_ENDPOINT. Arguments go to the job: [accounts [regions [role]]].
# On a cluster, use spark-submit instead (see examples-spark/README.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/examples-spark/target"
if [ ! -f "$target/inventory-spark.jar" ] || [ ! -f "$target/classpath.txt" ]; then
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
  -cp "$target/inventory-spark.jar:$(cat "$target/classpath.txt")" \
  io.github.clientsessions.examples.spark.InventorySparkJob "$@"
