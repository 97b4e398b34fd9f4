#!/usr/bin/env bash
# Builds the benchmarks and runs all the harnesses, printing their JSON lines on stdout.
#
#   benchmarks/run.sh [quick] [--endpoint URL] [--only HARNESS]
#
#   quick            fewer iterations and smaller workloads (a few minutes on 2 cores)
#   --only HARNESS   run that harness only (e.g. spark-scan), as this script runs it
#   --endpoint URL   reuse a running AWS emulator for the moto end-to-end harness (e2e); otherwise
#                    one is started (moto via `python3 -m moto.server`, see the testkit's
#                    AwsEmulators). e2e-sim, spark-scan and simulated-aws run on the testkit's
#                    SimulatedAws.
#
# spark-scan starts Spark executor JVMs (local-cluster): it runs with Spark's jars
# (benchmarks/target/spark-lib), the JVM options Spark needs on Java 17+
# (benchmarks/target/spark-jvm.args) and SPARK_HOME=benchmarks/target/spark-home, a Spark home
# with nothing but a RELEASE file and an empty jars directory (the harness hands the executors
# its own class path); executor logs go to benchmarks/target/spark-home/work.
#
# Each harness runs in its own JVM; its progress and diagnostics go to
# benchmarks/target/bench-<harness>.log. Needs a JDK 17+ and, for the end-to-end harness, moto
# (pip install 'moto[server]') or --endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=""
endpoint=()
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    quick) quick="--quick" ;;
    --endpoint) endpoint=(--endpoint "$2"); shift ;;
    --endpoint=*) endpoint=(--endpoint "${1#--endpoint=}") ;;
    --only) only="$2"; shift ;;
    --only=*) only="${1#--only=}" ;;
    *) echo "usage: benchmarks/run.sh [quick] [--endpoint URL] [--only HARNESS]" >&2; exit 2 ;;
  esac
  shift
done

# the harnesses' class path is every jar in these directories: clear them first, so that jars of
# an earlier build (another SDK version, say) never sit beside this one's
rm -rf benchmarks/target/lib benchmarks/target/spark-lib
./mvnw -q -B -pl benchmarks -am package -DskipTests

logs=benchmarks/target
jvm=()  # extra JVM options of a harness (spark_bench sets them)
classpath="benchmarks/target/benchmarks.jar:benchmarks/target/lib/*"
bench() {
  local harness="$1"; shift
  if [ -n "$only" ] && [ "$only" != "$harness" ]; then
    return 0
  fi
  if ! java -Xms512m -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${jvm[@]+"${jvm[@]}"} \
      -cp "$classpath" \
      io.github.clientsessions.benchmarks.Bench "$harness" $quick "$@" \
      2>>"$logs/bench-$harness.log"; then
    echo "benchmark $harness failed; last lines of $logs/bench-$harness.log:" >&2
    tail -n 30 "$logs/bench-$harness.log" >&2
    exit 1
  fi
}
# A harness that runs Spark: with its jars and JVM options, and a Spark home for its Worker.
spark_bench() {
  local home="$PWD/benchmarks/target/spark-home"
  mkdir -p "$home/jars" && touch "$home/RELEASE"
  local jvm=(@benchmarks/target/spark-jvm.args)
  local classpath="$classpath:benchmarks/target/spark-lib/*"
  SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 bench "$@"
}
rm -f "$logs"/bench-${only:-*}.log

bench hotpath
bench simulated-aws
bench e2e-sim
spark_bench spark-scan
bench e2e "${endpoint[@]}"
bench memory
bench scale
# Faster STS answers: 32 in flight alone would exceed the quota; the 400/s rate limit keeps
# the adapter's limits under it.
bench scale --sts-latency-ms 30 --assume-role-cap 32
