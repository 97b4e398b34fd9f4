#!/usr/bin/env bash
# Runs the multi-account EC2 inventory; with no AWS options, its demo on a local emulator (moto).
# Builds examples/target/inventory.jar first when it is missing or older than the sources
# (needs only a JDK 17+: the Maven wrapper fetches Maven). Arguments go to the program:
#   examples/inventory.sh                     # the demo, as a table
#   examples/inventory.sh --format json       # the demo, as one JSON document
#   examples/inventory.sh --help
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/examples/target/inventory.jar"

stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root"/session-*/pom.xml "$root"/session-*/src/main \
      "$root/examples/pom.xml" "$root/examples/src/main" -newer "$jar" -print -quit)" ]
}

if stale; then
  echo "inventory: building examples/target/inventory.jar ..." >&2
  # Build output goes to stderr, so that stdout is only the program's (e.g. a JSON document).
  (cd "$root" && ./mvnw -q -B -pl examples -am package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true) >&2
fi
exec java -jar "$jar" "$@"
