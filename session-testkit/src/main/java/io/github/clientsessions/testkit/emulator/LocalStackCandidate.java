package io.github.clientsessions.testkit.emulator;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * LocalStack through Testcontainers: available when Testcontainers' LocalStack module is on the
 * classpath and a Docker engine answers.
 *
 * <p>This class names no Testcontainers type, so it loads without them; {@link
 * LocalStackEmulator}, which does, is only touched after the classes were found.
 *
 * <p>Thread-safety: stateless apart from the injected lookups; safe for concurrent use.
 */
final class LocalStackCandidate implements EmulatorCandidate {

  static final String IMAGE_ENV = "CLIENTSESSIONS_LOCALSTACK_IMAGE";
  // A pinned community image; override with CLIENTSESSIONS_LOCALSTACK_IMAGE.
  static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

  private static final List<String> REQUIRED_CLASSES =
      List.of(
          "org.testcontainers.DockerClientFactory",
          "org.testcontainers.localstack.LocalStackContainer");

  private final Function<String, String> env;
  private final Predicate<String> classPresent;

  LocalStackCandidate(Function<String, String> env, Predicate<String> classPresent) {
    this.env = env;
    this.classPresent = classPresent;
  }

  /** Whether {@code className} can be loaded by the testkit's class loader (without initializing it). */
  static boolean onClasspath(String className) {
    try {
      Class.forName(className, false, LocalStackCandidate.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public String name() {
    return "LocalStack";
  }

  @Override
  public Optional<String> whyUnavailable() {
    if (!REQUIRED_CLASSES.stream().allMatch(classPresent)) {
      return Optional.of(
          "Testcontainers is not on the classpath (org.testcontainers:testcontainers-localstack)");
    }
    try {
      return LocalStackEmulator.dockerAvailable()
          ? Optional.empty()
          : Optional.of("no Docker engine is reachable by Testcontainers");
    } catch (RuntimeException | LinkageError e) {
      return Optional.of("Testcontainers could not check for Docker: " + e);
    }
  }

  @Override
  public AwsEmulator start() {
    String image = env.apply(IMAGE_ENV);
    return LocalStackEmulator.start(image == null || image.isBlank() ? DEFAULT_IMAGE : image.trim());
  }
}
