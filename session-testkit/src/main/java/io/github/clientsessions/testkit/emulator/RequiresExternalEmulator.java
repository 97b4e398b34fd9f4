package io.github.clientsessions.testkit.emulator;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class (or method) that {@link AwsEmulatorExtension} must not run on the embedded
 * {@link io.github.clientsessions.testkit.aws.SimulatedAws}, because it needs what only a full
 * emulator serves (moto's other services and its admin API, a process to stop and restart, ...).
 * When the run's emulator is the simulated one, the test is skipped with {@link #value()} as the
 * reason and the install hint, or fails when the environment variable {@code CI} is
 * {@code true}, exactly as when no emulator is available; on moto, LocalStack or an endpoint
 * from the environment it runs.
 *
 * <p>Unmarked tests run on whichever emulator the run selected, {@code SimulatedAws} included.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresExternalEmulator {

  /** Why the simulated endpoint will not do, e.g. {@code "creates accounts with Organizations"}. */
  String value();
}
