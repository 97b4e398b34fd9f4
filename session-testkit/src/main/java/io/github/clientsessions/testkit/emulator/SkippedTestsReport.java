package io.github.clientsessions.testkit.emulator;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, when a test run ends, the tests that {@link AwsEmulatorExtension} skipped because the
 * run's emulator is the embedded {@link io.github.clientsessions.testkit.aws.SimulatedAws} (or
 * because none could be started): each test class with its count and reason, then what to
 * install, once per run. Nothing is printed when nothing was skipped so.
 *
 * <p>JUnit records a skip's reason only in the reports (Maven's
 * {@code target/surefire-reports/*.xml}); a build's console says {@code Skipped: 2} and no more.
 * This listener writes to the process's <em>native</em> standard error, not {@link System#err}:
 * Maven's surefire and failsafe capture {@code System.err} into files when
 * {@code redirectTestOutputToFile} is set, but copy a forked JVM's native standard error to the
 * console, so the lines appear just before the plugin's {@code Results:}. Lines start with
 * {@code [WARNING]}, as Maven's own do.
 *
 * <p>Registered with the JUnit Platform launcher through {@code META-INF/services}, so every run
 * with the testkit on its class path has it; to turn it off, deactivate it by name with the
 * launcher's {@code junit.platform.execution.listeners.deactivate} configuration parameter.
 *
 * <p>Thread-safety: the launcher may report from several threads (parallel execution); the
 * record of skips is guarded by this object.
 */
public final class SkippedTestsReport implements TestExecutionListener {

  private final Consumer<String> out;
  private @Nullable TestPlan plan; // guarded by this
  /** Test class → its skips: count and distinct reasons, in the order first met. */
  private final Map<String, Skips> skipped = new LinkedHashMap<>(); // guarded by this

  /** The report the launcher registers: printed on the native standard error. */
  public SkippedTestsReport() {
    this(NativeStandardError::println);
  }

  SkippedTestsReport(Consumer<String> out) {
    this.out = out;
  }

  private static final class Skips {
    int tests;
    final Set<String> reasons = new LinkedHashSet<>();
  }

  @Override
  public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
    skipped.clear();
  }

  @Override
  public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
    if (result.getStatus() != TestExecutionResult.Status.ABORTED
        || !(result.getThrowable().orElse(null) instanceof EmulatorSkip skip)) {
      return;
    }
    synchronized (this) {
      Skips skips = skipped.computeIfAbsent(className(identifier), k -> new Skips());
      skips.tests += tests(identifier);
      skips.reasons.add(skip.reason());
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan testPlan) {
    List<String> lines = new ArrayList<>();
    synchronized (this) {
      if (skipped.isEmpty()) {
        return;
      }
      int total = skipped.values().stream().mapToInt(s -> s.tests).sum();
      lines.add("clientsessions-testkit: skipped " + total + (total == 1 ? " test" : " tests")
          + " that need moto, LocalStack or an emulator endpoint (this run has only the"
          + " embedded SimulatedAws, or no emulator):");
      skipped.forEach((type, skips) -> lines.add("  " + type + ": " + skips.tests
          + (skips.tests == 1 ? " test" : " tests") + " (" + String.join("; ", skips.reasons)
          + ")"));
      EmulatorSelector.INSTALL_HINT.lines().forEach(lines::add);
      lines.add("(With CI=true these tests fail instead of being skipped.)");
      skipped.clear();
    }
    lines.forEach(line -> out.accept("[WARNING] " + line));
  }

  /** The test class {@code identifier} belongs to, or its display name. */
  private static String className(TestIdentifier identifier) {
    TestSource source = identifier.getSource().orElse(null);
    if (source instanceof MethodSource method) {
      return method.getClassName();
    }
    if (source instanceof ClassSource type) {
      return type.getClassName();
    }
    return identifier.getDisplayName();
  }

  /** How many tests an aborted node stands for: itself, or the tests below a container. */
  private synchronized int tests(TestIdentifier identifier) {
    if (identifier.isTest() || plan == null) {
      return 1;
    }
    TestPlan known = plan;
    return (int) Math.max(1, known.getDescendants(identifier).stream()
        .filter(TestIdentifier::isTest).count());
  }

  /** The process's standard error as the operating system has it, whatever System.err is. */
  private static final class NativeStandardError {
    private static final PrintStream ERR = new PrintStream(
        new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    static void println(String line) {
      ERR.println(line);
    }
  }
}
