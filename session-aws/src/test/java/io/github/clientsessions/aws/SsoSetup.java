package io.github.clientsessions.aws;

import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.github.clientsessions.testkit.aws.SsoLogin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A test's IAM Identity Center on {@link SimulatedAws}: the simulator and the managers on one
 * {@link ManualClock} (the simulator reads it as a {@link Clock}, so tokens and credentials
 * expire when the test moves it), a token cache directory of the test's own (never the user's
 * {@code ~/.aws}), and managers with a permission set; {@link #close()} closes them all.
 */
final class SsoSetup implements AutoCloseable {

  static final String SESSION = "my-sso";
  static final String PERMISSION_SET = "ReadOnly";

  final ManualClock clock = new ManualClock();
  final SimulatedAws aws = SimulatedAws.builder().clock(clockOf(clock)).start();
  final Path cache;
  private final List<AwsSessionManager> managers = new ArrayList<>();

  /** @param cache the test's token cache directory (a JUnit temporary directory) */
  SsoSetup(Path cache) {
    this.cache = cache;
  }

  /** {@code clock} as a {@link Clock}, UTC. */
  static Clock clockOf(ManualClock clock) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return clock.instant();
      }
    };
  }

  /** Signs in for {@code lifetime} and caches the token as {@code aws sso login} does. */
  SsoLogin login(Duration lifetime) {
    return cache(aws.ssoLogin(lifetime));
  }

  /** Caches {@code login} for {@link #SESSION} as the AWS CLI does. */
  SsoLogin cache(SsoLogin login) {
    try {
      login.writeTokenCache(cache, SESSION);
      return login;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cache file of {@link #SESSION}. */
  Path cacheFile() {
    return SsoLogin.tokenCacheFile(cache, SESSION);
  }

  /**
   * A builder of a manager with {@link #PERMISSION_SET} and {@link #SESSION} on this simulator's
   * endpoint and the test's cache, on the manual clock, without jitter.
   */
  AwsSessionManagerBuilder builder() {
    return AwsSessionManager.builder()
        .permissionSet(PERMISSION_SET)
        .ssoSession(SESSION)
        .ssoCacheDirectory(cache)
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey())
        .clock(clock)
        .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO).build());
  }

  /** A manager from {@link #builder()} with the test's {@code settings}, closed with the setup. */
  AwsSessionManager manager(Consumer<AwsSessionManagerBuilder> settings) {
    AwsSessionManagerBuilder b = builder();
    settings.accept(b);
    AwsSessionManager m = b.build();
    managers.add(m);
    return m;
  }

  @Override
  public void close() {
    managers.forEach(AwsSessionManager::close);
    aws.close();
  }
}
