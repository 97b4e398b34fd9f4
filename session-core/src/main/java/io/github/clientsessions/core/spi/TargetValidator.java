package io.github.clientsessions.core.spi;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;

/**
 * Checks a target before anything is fetched or built for it, so that bad input fails fast with
 * an {@link InvalidInputException} and never reaches the network. Called on cache misses only.
 *
 * <p>Thread-safety: must be safe to call concurrently.
 */
@FunctionalInterface
public interface TargetValidator {

  /**
   * @throws InvalidInputException naming the offending account or region
   */
  void validate(Target target);

  /** Accepts every target the core accepts (non-blank account and region). */
  static TargetValidator acceptAll() {
    return target -> {};
  }
}
