package io.github.clientsessions.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the benchmark harnesses: {@code Bench <hotpath|e2e|memory|scale> [--quick]
 * [--option value ...]}. Every harness prints one JSON object per line on standard output;
 * progress and diagnostics go to standard error.
 *
 * <p>Not for use as a library; run from the command line (see {@code benchmarks/run.sh}).
 */
public final class Bench {

  private Bench() {}

  /** Runs the harness named by the first argument. */
  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println("usage: Bench <hotpath|e2e|memory|scale> [--quick] [--option value ...]");
      System.exit(2);
    }
    List<String> rest = Arrays.asList(argv).subList(1, argv.length);
    Args args = new Args(rest);
    boolean quick = args.flag("quick");
    switch (argv[0]) {
      case "hotpath" -> HotPath.run(args, quick);
      case "e2e" -> EndToEnd.run(args, quick);
      case "memory" -> Memory.run(args, quick);
      case "scale" -> ScaleSimulation.run(args, quick);
      default -> {
        System.err.println("unknown harness: " + argv[0]);
        System.exit(2);
      }
    }
  }
}
