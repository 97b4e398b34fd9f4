#!/usr/bin/env bash
# Builds the benchmarks and runs all the harnesses, printing their JSON lines on stdout.
#
#   benchmarks/run.sh [quick] [--endpoint URL]
#
#   quick            fewer iterations and smaller workloads (a few minutes on 2 cores)
#   --endpoint URL   reuse a running AWS emulator for the moto end-to-end harness (e2e); otherwise
#                    one is started (moto via `python3 -m moto.server`, see the testkit's
#                    AwsEmulators). e2e-sim and simulated-aws run on the testkit's SimulatedAws.
#
# Each harness runs in its own JVM; its progress and diagnostics go to
# benchmarks/target/bench-<harness>.log. Needs a JDK 17+ and, for the end-to-end harness, moto
# (pip install 'moto[server]') or --endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=""
endpoint=()
while [ $# -gt 0 ]; do
  case "$1" in
    quick) quick="--quick" ;;
    --endpoint) endpoint=(--endpoint "$2"); shift ;;
    --endpoint=*) endpoint=(--endpoint "${1#--endpoint=}") ;;
    *) echo "usage: benchmarks/run.sh [quick] [--endpoint URL]" >&2; exit 2 ;;
  esac
  shift
done

./mvnw -q -B -pl benchmarks -am package -DskipTests

logs=benchmarks/target
bench() {
  local harness="$1"; shift
  if ! java -Xms512m -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
      io.github.clientsessions.benchmarks.Bench "$harness" $quick "$@" \
      2>>"$logs/bench-$harness.log"; then
    echo "benchmark $harness failed; last lines of $logs/bench-$harness.log:" >&2
    tail -n 30 "$logs/bench-$harness.log" >&2
    exit 1
  fi
}
rm -f "$logs"/bench-*.log

bench hotpath
bench simulated-aws
bench e2e-sim
bench e2e "${endpoint[@]}"
bench memory
bench scale
# Faster STS answers: 32 in flight alone would exceed the quota; the 400/s rate limit keeps
# the adapter's limits under it.
bench scale --sts-latency-ms 30 --assume-role-cap 32
