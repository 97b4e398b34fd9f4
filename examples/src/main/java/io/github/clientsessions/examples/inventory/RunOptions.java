package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.core.ThreadAffinity;

/**
 * The session options shared by the demo and a real run.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param role the role assumed in every account
 * @param sessionName the role session name
 * @param threads the most targets listed at once (and the worker threads)
 * @param affinity which threads share a client
 */
public record RunOptions(String role, String sessionName, int threads, ThreadAffinity affinity) {

  /** The demo's defaults: the Organizations default role, 8 threads, per-thread-name clients. */
  public static RunOptions defaults() {
    return new RunOptions("OrganizationAccountAccessRole", "inventory", 8,
        ThreadAffinity.perThreadName());
  }
}
