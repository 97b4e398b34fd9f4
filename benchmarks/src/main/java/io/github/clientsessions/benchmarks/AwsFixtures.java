package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.ThreadAffinity;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Managers for the harnesses that need no network: static fake keys as the base identity, used
 * as they are for the current account, so building a client and hitting the cache never call
 * AWS.
 */
final class AwsFixtures {

  /** Fake keys; they only ever sign requests that are never sent, or go to a local emulator. */
  static final StaticCredentialsProvider FAKE_KEYS = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "benchmark-fake-secret-key"));

  private AwsFixtures() {}

  /** {@code "shared"} or {@code "per-thread-name"}. */
  static ThreadAffinity affinity(String name) {
    return switch (name) {
      case "shared" -> ThreadAffinity.shared();
      case "per-thread-name" -> ThreadAffinity.perThreadName();
      default -> throw new IllegalArgumentException(
          "affinity must be shared or per-thread-name, not " + name);
    };
  }

  /** A manager for the current account only, on the fake keys. */
  static AwsSessionManager currentAccountManager(String affinity, int maximumClients) {
    return AwsSessionManager.builder()
        .baseCredentials(FAKE_KEYS)
        .threadAffinity(affinity(affinity))
        .cachePolicy(CachePolicy.builder().maximumClients(maximumClients).build())
        .build();
  }
}
