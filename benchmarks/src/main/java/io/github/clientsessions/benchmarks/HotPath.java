package io.github.clientsessions.benchmarks;

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

  static void run(Args args, boolean quick) throws RunnerException {
    int warmups = args.integer("warmup-iterations", quick ? 2 : 4);
    int iterations = args.integer("iterations", quick ? 2 : 5);
    int forks = args.integer("forks", 1);
    int millis = args.integer("iteration-ms", quick ? 400 : 1000);
    String profiler = args.string("prof", "gc");
    String only = args.string("include", null); // a JMH include regex, instead of all
    args.requireAllRead();

    List<RunResult> results = new ArrayList<>();
    for (int threads : new int[] {1, 2}) {
      ChainedOptionsBuilder options = new OptionsBuilder()
          .threads(threads)
          .forks(forks)
          .warmupIterations(warmups)
          .warmupTime(TimeValue.milliseconds(millis))
          .measurementIterations(iterations)
          .measurementTime(TimeValue.milliseconds(millis))
          .jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      if (only != null) {
        options.include(only);
      } else {
        // quick leaves out the core-only hit, which only splits the facade's share out
        options.include(quick ? pattern(ClientHitBenchmark.class) + "hit$"
                : pattern(ClientHitBenchmark.class))
            .include(pattern(FloorBenchmark.class));
        if (threads == 1) {
          options.include(pattern(ClientMissBenchmark.class));
        }
      }
      if (profiler.equals("gc")) {
        options.addProfiler(GCProfiler.class);
      } else if (!profiler.equals("none")) {
        options.addProfiler(profiler);
      }
      Runner runner = new Runner(options.build(),
          OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL));
      results.addAll(runner.run());
    }
    for (RunResult r : results) {
      System.out.println(toJson(r));
    }
    System.out.flush();
  }

  private static String pattern(Class<?> benchmark) {
    return "\\." + benchmark.getSimpleName() + "\\.";
  }

  static JsonLine toJson(RunResult r) {
    String method = r.getParams().getBenchmark();
    String simple = method.substring(method.lastIndexOf('.', method.lastIndexOf('.') - 1) + 1);
    String affinity = r.getParams().getParam("affinity");
    Result<?> primary = r.getPrimaryResult();
    JsonLine line = new JsonLine()
        .put("bench", benchName(simple))
        .put("mode", affinity != null ? affinity : modeOf(simple))
        .put("threads", r.getParams().getThreads())
        .put("ns_per_op", primary.getScore(), 1)
        .put("ns_per_op_error", primary.getScoreError(), 1)
        .put("ns_per_op_best", bestIteration(r), 1);
    Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
    if (alloc != null) {
      line.put("alloc_bytes_per_op", alloc.getScore(), 1);
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
      default -> classAndMethod;
    };
  }

  private static String modeOf(String classAndMethod) {
    return classAndMethod.startsWith("FloorBenchmark") ? "per-thread-name-key"
        : classAndMethod.startsWith("ClientMissBenchmark") ? "per-thread-name" : "-";
  }
}
