package io.github.clientsessions.examples.audit;

/**
 * The audit's port to the cloud: how many compute instances a client sees in its account and
 * region. The AWS adapter counts EC2 instances; tests count whatever a fake client was scripted
 * with.
 *
 * <p>Thread-safety: called concurrently for different targets; must be thread-safe.
 *
 * @param <T> the client type
 */
@FunctionalInterface
public interface InstanceCounter<T> {

  /**
   * Counts the instances {@code client} sees.
   *
   * @throws Exception any failure; the audit records it for that account and region only
   */
  int count(T client) throws Exception;
}
