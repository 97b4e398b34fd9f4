package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Harness 1: runs the JMH hot-path benchmarks through JMH's {@link Runner} and prints one JSON
 * line per result: {@code bench}, {@code mode}, {@code threads}, {@code ns_per_op} (JMH's score,
 * the mean over iterations), plus its error (99.9%), the best iteration and the bytes allocated
 * per operation (JMH's GC profiler).
 *
 * <p>JMH's own progress output goes to standard error. Run from the main thread only.
 */
final class HotPath {

  private HotPath() {}

  /** The settings of one run: JMH's iterations and forks, the profiler and what to include. */
  record Settings(int warmups, int iterations, int forks, int millis, String profiler,
      String only, boolean quick) {}

  /** {@code Bench hotpath}: the options of this harness. */
  @Command(name = "hotpath",
      description = "JMH: a cache hit and a cache miss beside a bare ConcurrentHashMap.get "
          + "and the SDK's builder.")
  static final class Cli extends Bench.Harness {
    @Option(names = "--include", paramLabel = "REGEX",
        description = "A JMH include regex, instead of all the hot-path benchmarks.")
    String include;

    @Option(names = "--prof", defaultValue = "gc", paramLabel = "gc|stack|none|NAME",
        description = "JMH profiler.")
    String prof;

    @Option(names = "--forks", defaultValue = "1")
    int forks;

    @Option(names = "--iterations", description = "Measurement iterations. Default: 5; quick: 2.")
    Integer iterations;

    @Option(names = "--warmup-iterations", description = "Default: 4; quick: 2.")
    Integer warmups;

    @Option(names = "--iteration-ms", description = "Default: 1000; quick: 400.")
    Integer millis;

    Settings settings() {
      return new Settings(size.or(warmups, 2, 4), size.or(iterations, 2, 5), forks,
          size.or(millis, 400, 1000), prof, include, size.quick);
    }

    @Override
    void run() throws RunnerException {
      HotPath.run(settings());
    }
  }

  static void run(Settings s) throws RunnerException {
    List<RunResult> results = new ArrayList<>();
    for (int threads : new int[] {1, 2}) {
      ChainedOptionsBuilder options = new OptionsBuilder()
          .threads(threads)
          .forks(s.forks())
          .warmupIterations(s.warmups())
          .warmupTime(TimeValue.milliseconds(s.millis()))
          .measurementIterations(s.iterations())
          .measurementTime(TimeValue.milliseconds(s.millis()))
          .jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      if (s.only() != null) {
        options.include(s.only());
      } else {
        // quick leaves out the core-only hit, which only splits the facade's share out
        options.include(s.quick() ? pattern(ClientHitBenchmark.class) + "hit$"
                : pattern(ClientHitBenchmark.class))
            .include(pattern(FloorBenchmark.class));
        if (threads == 1) {
          options.include(pattern(ClientMissBenchmark.class));
        }
      }
      if (s.profiler().equals("gc")) {
        options.addProfiler(GCProfiler.class);
      } else if (!s.profiler().equals("none")) {
        options.addProfiler(s.profiler());
      }
      Runner runner = new Runner(options.build(),
          OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL));
      results.addAll(runner.run());
    }
    for (RunResult r : results) {
      Bench.Harness.print(toJson(r));
    }
  }

  private static String pattern(Class<?> benchmark) {
    return "\\." + benchmark.getSimpleName() + "\\.";
  }

  static JsonObject toJson(RunResult r) {
    String method = r.getParams().getBenchmark();
    String simple = method.substring(method.lastIndexOf('.', method.lastIndexOf('.') - 1) + 1);
    String affinity = r.getParams().getParam("affinity");
    if (affinity == null) {
      affinity = r.getParams().getParam("publisher"); // SdkMetricsBenchmark's variants
    }
    if (affinity == null) {
      affinity = r.getParams().getParam("profile"); // HitCostBenchmark's map profiles
    }
    Result<?> primary = r.getPrimaryResult();
    JsonObject line = new JsonObject();
    line.addProperty("bench", benchName(simple));
    line.addProperty("mode", affinity != null ? affinity : modeOf(simple));
    line.addProperty("threads", r.getParams().getThreads());
    line.add("ns_per_op", Benchmarks.rounded(primary.getScore(), 1));
    line.add("ns_per_op_error", Benchmarks.rounded(primary.getScoreError(), 1));
    line.add("ns_per_op_best", Benchmarks.rounded(bestIteration(r), 1));
    Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
    if (alloc != null) {
      line.add("alloc_bytes_per_op", Benchmarks.rounded(alloc.getScore(), 1));
    }
    return line;
  }

  /**
   * The lowest iteration score: on a machine shared with other work, the iteration least
   * disturbed by it.
   */
  private static double bestIteration(RunResult r) {
    double best = Double.NaN;
    for (BenchmarkResult b : r.getBenchmarkResults()) {
      for (IterationResult i : b.getIterationResults()) {
        double score = i.getPrimaryResult().getScore();
        best = Double.isNaN(best) ? score : Math.min(best, score);
      }
    }
    return best;
  }

  private static String benchName(String classAndMethod) {
    return switch (classAndMethod) {
      case "ClientHitBenchmark.hit" -> "client_hit";
      case "ClientHitBenchmark.coreHit" -> "client_hit_core";
      case "FloorBenchmark.get" -> "floor_chm_get";
      case "ClientMissBenchmark.library" -> "client_miss_library";
      case "ClientMissBenchmark.sdkBuilder" -> "client_miss_sdk_builder";
      case "SdkMetricsBenchmark.call" -> "sdk_call";
      default -> classAndMethod;
    };
  }

  private static String modeOf(String classAndMethod) {
    return classAndMethod.startsWith("FloorBenchmark") ? "per-thread-name-key"
        : classAndMethod.startsWith("ClientMissBenchmark") ? "per-thread-name" : "-";
  }
}
