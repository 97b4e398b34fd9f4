package io.github.clientsessions.testkit.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the emulator: an endpoint given by the environment, else the first candidate that can
 * run here (moto, then LocalStack, then the testkit's own {@code SimulatedAws}, which always
 * can), else an {@link AwsEmulatorUnavailableException} that says what to install. It logs which
 * one it picked (and why the earlier ones were passed over) at INFO. Environment and candidates
 * are injected so tests control every branch.
 *
 * <p>Thread-safety: stateless apart from the injected functions; safe for concurrent use.
 */
final class EmulatorSelector {

  static final String ENDPOINT_ENV = "CLIENTSESSIONS_AWS_ENDPOINT";
  static final String ENDPOINT_PROPERTY = "clientsessions.aws.endpoint";

  static final String INSTALL_HINT =
      "To make one available, do one of:\n"
          + "  - pip install 'moto[server]'   (moto 5.x; started as 'python3 -m moto.server';"
          + " set " + MotoCandidate.PYTHON_ENV + " to use another Python executable)\n"
          + "  - run a Docker engine and put org.testcontainers:testcontainers-localstack on the"
          + " test classpath (LocalStack)\n"
          + "  - set " + ENDPOINT_ENV + " (or -D" + ENDPOINT_PROPERTY + ") to the URL of a"
          + " running emulator, e.g. http://127.0.0.1:5000";

  private static final System.Logger LOG = System.getLogger(EmulatorSelector.class.getName());

  private final Function<String, String> env;
  private final Function<String, String> properties;
  private final List<EmulatorCandidate> candidates;

  EmulatorSelector(
      Function<String, String> env,
      Function<String, String> properties,
      List<EmulatorCandidate> candidates) {
    this.env = env;
    this.properties = properties;
    this.candidates = List.copyOf(candidates);
  }

  /**
   * The selector over the real environment and system properties: moto, LocalStack, then the
   * embedded {@code SimulatedAws}.
   */
  static EmulatorSelector system() {
    return system(System::getenv, System::getProperty);
  }

  /** The real candidates, in order, over the given environment and properties. */
  static EmulatorSelector system(
      Function<String, String> env, Function<String, String> properties) {
    return new EmulatorSelector(
        env,
        properties,
        List.of(
            new MotoCandidate(env),
            new LocalStackCandidate(env, LocalStackCandidate::onClasspath),
            new SimulatedCandidate()));
  }

  /** Selects and starts an emulator as described on the class. */
  AwsEmulator start() {
    Optional<AwsEmulator> configured = configured();
    if (configured.isPresent()) {
      return picked(configured.get(), List.of());
    }
    List<String> reasons = new ArrayList<>();
    for (EmulatorCandidate candidate : candidates) {
      Optional<String> why = candidate.whyUnavailable();
      if (why.isEmpty()) {
        return picked(candidate.start(), reasons);
      }
      reasons.add(candidate.name() + ": " + why.get());
    }
    throw unavailable(reasons);
  }

  private static AwsEmulator picked(AwsEmulator emulator, List<String> passedOver) {
    LOG.log(System.Logger.Level.INFO, "{0}", describe(emulator, passedOver));
    return emulator;
  }

  /** What was picked, for a log line: kind, endpoint and why the earlier candidates were not. */
  static String describe(AwsEmulator emulator, List<String> passedOver) {
    return "AWS emulator: " + emulator.kind() + " at " + emulator.endpoint()
        + (passedOver.isEmpty() ? "" : " (passed over: " + String.join("; ", passedOver) + ")");
  }

  /** Starts exactly this candidate, or explains why it cannot run here. */
  static AwsEmulator startOnly(EmulatorCandidate candidate) {
    Optional<String> why = candidate.whyUnavailable();
    if (why.isPresent()) {
      throw unavailable(List.of(candidate.name() + ": " + why.get()));
    }
    return candidate.start();
  }

  /** The emulator named by the system property (first) or the environment variable, if any. */
  Optional<AwsEmulator> configured() {
    String property = properties.apply(ENDPOINT_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Optional.of(EnvironmentEmulator.parse(property, "system property " + ENDPOINT_PROPERTY));
    }
    String variable = env.apply(ENDPOINT_ENV);
    if (variable != null && !variable.isBlank()) {
      return Optional.of(EnvironmentEmulator.parse(variable, "environment variable " + ENDPOINT_ENV));
    }
    return Optional.empty();
  }

  private static AwsEmulatorUnavailableException unavailable(List<String> reasons) {
    StringBuilder message = new StringBuilder("No AWS emulator is available. Tried:\n");
    reasons.forEach(reason -> message.append("  - ").append(reason).append('\n'));
    return new AwsEmulatorUnavailableException(message.append(INSTALL_HINT).toString());
  }
}
