package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the benchmark harnesses:
 * {@code Bench <hotpath|e2e|e2e-sim|spark-scan|simulated-aws|memory|scale|vthreads> [--quick]
 * [--option value ...]}, parsed by picocli ({@code --help} lists each harness's options). Every
 * harness prints one JSON object per line on standard output; progress and diagnostics go to
 * standard error. Exit codes: 0 done, 1 a harness failed, 2 a usage error (a missing harness or
 * an unknown or malformed option, named on standard error).
 *
 * <p>Not for use as a library; run from the command line (see {@code benchmarks/run.sh}).
 */
@Command(name = "Bench", mixinStandardHelpOptions = true,
    version = "clientsessions benchmarks 0.2.0",
    description = "Runs one benchmark harness and prints its results as JSON lines on stdout.",
    subcommands = {HotPath.Cli.class, EndToEnd.Cli.class, Memory.Cli.class,
        ScaleSimulation.Cli.class, SimulatedEndToEnd.Cli.class, SparkScan.Cli.class,
        SimulatedAwsThroughput.Cli.class,
        VirtualThreadsBench.Cli.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:a harness failed", "2:usage error"})
public final class Bench implements Runnable {

  @Spec
  private CommandSpec spec;

  Bench() {}

  /** Runs the harness named by the first argument and exits with its code. */
  public static void main(String[] argv) {
    System.exit(commandLine().execute(argv));
  }

  /** The command line of all harnesses, for {@link #main} and tests. */
  static CommandLine commandLine() {
    return new CommandLine(new Bench());
  }

  /** No harness named: a usage error. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing harness: expected one of hotpath, e2e, e2e-sim, spark-scan, simulated-aws, memory,"
            + " scale, vthreads");
  }

  /**
   * A harness's command: {@code --quick}, {@code --help}, defaults shown in the help, and a
   * usage error (exit 2) for a {@link ParameterException} raised while checking the options.
   */
  @Command(mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true)
  abstract static class Harness implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Quick size = new Quick();

    /** Runs the harness with the parsed options; its result lines go to standard output. */
    abstract void run() throws Exception;

    @Override
    public final Integer call() throws Exception {
      run();
      return 0;
    }

    /** A usage error about the options, reported like picocli's own. */
    ParameterException usage(String message) {
      return new ParameterException(spec.commandLine(), message);
    }

    /** Prints one result line and flushes it, so that a script sees it at once. */
    static void print(JsonObject line) {
      System.out.println(line);
      System.out.flush();
    }
  }

  /** {@code --quick}, which every harness takes: fewer iterations and smaller workloads. */
  static final class Quick {

    @Option(names = "--quick",
        description = "Fewer iterations and smaller workloads (defaults marked 'quick:').")
    boolean quick;

    /** {@code given} if set, else the default for the run's size. */
    int or(Integer given, int whenQuick, int otherwise) {
      return given != null ? given : quick ? whenQuick : otherwise;
    }
  }
}
