package io.github.clientsessions.testkit.emulator;

import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5 extension that provides an {@link AwsEmulator} (selected as by {@link
 * AwsEmulators#start()}) to a test class.
 *
 * <p>Use it either way:
 *
 * <pre>{@code
 * @ExtendWith(AwsEmulatorExtension.class)
 * class MyIT {
 *   @Test void works(AwsEmulator emulator) { ... emulator.endpoint() ... }
 * }
 *
 * class MyOtherIT {
 *   @RegisterExtension static final AwsEmulatorExtension EMULATOR = new AwsEmulatorExtension();
 *   @Test void works() { ... EMULATOR.get().endpoint() ... }
 * }
 * }</pre>
 *
 * An {@code AwsEmulator} parameter is resolved in test methods, constructors and lifecycle
 * methods ({@code @BeforeAll}, {@code @BeforeEach}, ...).
 *
 * <p>One emulator serves the whole test run (it is kept in JUnit's root store and closed when the
 * run ends), so state is shared between test classes: call {@link AwsEmulator#reset()} to start
 * clean. If a test class stopped it, the next class gets it restarted.
 *
 * <p>Without moto, LocalStack or an endpoint from the environment, the run's emulator is the
 * embedded {@link io.github.clientsessions.testkit.aws.SimulatedAws}: tests run on it unless
 * their class (or method) is marked {@link RequiresExternalEmulator}; those are skipped (aborted)
 * with a message that says why and what to install, which {@link SkippedTestsReport} prints on
 * the build's console when the run ends (JUnit itself puts it in the reports only). When the
 * environment variable {@code CI} is
 * {@code true}, they fail instead, so a CI machine without an emulator cannot pass by skipping.
 * The same holds for every test if no emulator at all can be started.
 *
 * <p>Thread-safety: safe for parallel test execution; the shared emulator is started once.
 */
public final class AwsEmulatorExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AwsEmulatorExtension.class);

  // Also the root-store key: every default extension shares this one, hence one emulator per run.
  private static final Supplier<AwsEmulator> DEFAULT_STARTER = AwsEmulators::start;

  private final Function<String, String> env;
  private final Supplier<AwsEmulator> starter;

  private @Nullable AwsEmulator current; // guarded by this; set for the class that registered us
  private @Nullable String owner; // guarded by this; unique id of that class's context

  /** Creates the extension over the real environment. */
  public AwsEmulatorExtension() {
    this(System::getenv, DEFAULT_STARTER);
  }

  AwsEmulatorExtension(Function<String, String> env, Supplier<AwsEmulator> starter) {
    this.env = env;
    this.starter = starter;
  }

  /**
   * The emulator of the current test class, for {@code @RegisterExtension static} fields.
   *
   * @throws IllegalStateException if called before the class's {@code beforeAll} (for example
   *     from a non-static field registration, which JUnit does not call back before all tests)
   */
  public synchronized AwsEmulator get() {
    if (current == null) {
      throw new IllegalStateException(
          "no AWS emulator yet: get() works in the tests of a class that registers this"
              + " extension in a static field; otherwise declare an AwsEmulator parameter");
    }
    return current;
  }

  /** Starts (or reuses) the shared emulator, or skips/fails the class when none is available. */
  @Override
  public void beforeAll(ExtensionContext context) {
    AwsEmulator emulator = acquire(context);
    synchronized (this) {
      // Nested classes share the outer class's extension instance; the outermost one owns it.
      if (owner == null) {
        owner = context.getUniqueId();
        current = emulator;
      }
    }
  }

  /**
   * Skips (or, under {@code CI=true}, fails) a test method marked {@link RequiresExternalEmulator}
   * when the run's emulator is the simulated one.
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    acquire(context);
  }

  /** Forgets the emulator for {@link #get()}; it keeps running for later classes until the run ends. */
  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(owner)) {
      owner = null;
      current = null;
    }
  }

  /** Supports parameters of type {@link AwsEmulator}. */
  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    return parameterContext.getParameter().getType() == AwsEmulator.class;
  }

  /** Resolves the shared emulator. */
  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    return acquire(context);
  }

  @SuppressWarnings("deprecation") // getOrComputeIfAbsent: computeIfAbsent is missing before JUnit 5.13
  private AwsEmulator acquire(ExtensionContext context) {
    SharedEmulator shared =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(starter, key -> SharedEmulator.start(starter), SharedEmulator.class);
    if (shared == null) { // the store never holds null for a computed value
      throw new IllegalStateException("JUnit's store returned no emulator");
    }
    AwsEmulator emulator = shared.get(env);
    if (emulator.kind().equals("simulated")) {
      RequiresExternalEmulator requirement = requirement(context);
      if (requirement != null) {
        throw whenUnavailable(new AwsEmulatorUnavailableException(
            context.getDisplayName() + " needs moto, LocalStack or an emulator endpoint, not the"
                + " embedded SimulatedAws, which this run selected: " + requirement.value()
                + ".\n" + EmulatorSelector.INSTALL_HINT), requirement.value(), env);
      }
    }
    return emulator;
  }

  /** The marking of the context's method or class, or of an enclosing class, if any. */
  private static @Nullable RequiresExternalEmulator requirement(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      java.lang.reflect.AnnotatedElement element = c.getElement().orElse(null);
      RequiresExternalEmulator found = element == null ? null
          : element.getAnnotation(RequiresExternalEmulator.class);
      if (found != null) {
        return found;
      }
      if (element instanceof Class<?> type) {
        for (Class<?> outer = type.getEnclosingClass(); outer != null;
            outer = outer.getEnclosingClass()) {
          found = outer.getAnnotation(RequiresExternalEmulator.class);
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  /**
   * What a test run makes of an unavailable emulator: under {@code CI=true} a failure (the
   * exception itself, its message saying so), otherwise a {@link TestAbortedException} that JUnit
   * reports as skipped with the install hint (and {@link SkippedTestsReport} prints at the end of
   * the run, with the first line of the message as the reason).
   */
  static RuntimeException whenUnavailable(
      AwsEmulatorUnavailableException unavailable, Function<String, String> env) {
    String message = String.valueOf(unavailable.getMessage());
    return whenUnavailable(unavailable, message.lines().findFirst().orElse(message), env);
  }

  /** {@link #whenUnavailable(AwsEmulatorUnavailableException, Function)} with a short reason. */
  static RuntimeException whenUnavailable(AwsEmulatorUnavailableException unavailable,
      String reason, Function<String, String> env) {
    if ("true".equalsIgnoreCase(String.valueOf(env.apply("CI")).trim())) {
      return new AwsEmulatorUnavailableException(
          "CI=true, so a missing AWS emulator fails the tests instead of skipping them. "
              + unavailable.getMessage(),
          unavailable);
    }
    return new EmulatorSkip(
        "Skipped: " + unavailable.getMessage() + "\n(With CI=true these tests fail instead.)",
        reason, unavailable);
  }
}
