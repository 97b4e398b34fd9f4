package io.github.clientsessions.aws;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import io.github.clientsessions.core.FailureKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import io.github.clientsessions.core.internal.FetchRateLimiter;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Credentials from STS AssumeRole for other accounts, and the base credentials for the current
 * account.
 *
 * <p>AssumeRole is signed with the <em>caller</em> credentials: the base credentials, or, with
 * role chaining, the hub role's session. They are resolved before a permit is taken, so a spoke
 * fetch never holds a permit while the hub session it needs waits for one.
 *
 * <p>Queueing: a fetch waits in the manager's {@link FetchQueue} (a rate slot, then a concurrency
 * permit, within the smaller of the queue timeout and the time left before the attempt's
 * deadline).
 *
 * <p>Thread-safety: the engine calls {@link #fetch} concurrently for different accounts; the
 * only shared state is the STS client (thread-safe) and the semaphore that caps concurrent
 * AssumeRole calls, since STS's quota is per calling account and cannot be raised.
 */
final class StsCredentialSource implements CredentialSource<AwsCredentials> {

  private final Supplier<StsClient> sts;
  private final RoleSettings role;
  private final AwsCredentialsProvider base;
  private final AwsCredentialsProvider caller;
  private final FetchQueue queue;
  private final Duration queueTimeout;
  private final Duration baseRecheck;

  /**
   * @param sts the manager's STS client, created on first use
   * @param base the base identity: the current account's credentials
   * @param caller who calls AssumeRole: {@code base}, or the hub session with role chaining
   * @param permits shared by every source of one manager
   * @param rate spaces this manager's AssumeRole calls (shared like {@code permits}); the wait
   *     for a slot counts against {@code queueTimeout} too
   * @param queueTimeout the longest a fetch queues, for a rate slot and a permit together,
   *     before failing with TIMEOUT
   * @param baseRecheck how often base credentials without an expiry (long-term keys) are read
   *     again from {@code base}, so that keys its provider rotated are picked up
   */
  StsCredentialSource(Supplier<StsClient> sts, RoleSettings role, AwsCredentialsProvider base,
      AwsCredentialsProvider caller, Semaphore permits, FetchRateLimiter rate,
      Duration queueTimeout, Duration baseRecheck) {
    this.sts = sts;
    this.role = role;
    this.base = base;
    this.caller = caller;
    this.queue = new FetchQueue(permits, rate, queueTimeout);
    this.queueTimeout = queueTimeout;
    this.baseRecheck = baseRecheck;
  }

  /** Fetches with the whole queue timeout as the budget for queueing. */
  @Override
  public ExpiringCredentials<AwsCredentials> fetch(Account account) throws Exception {
    return fetch(account, queueTimeout);
  }

  /**
   * Fetches, queueing (for an AssumeRole rate slot, then for a concurrency permit) no longer than
   * {@code min(queueTimeout, timeLeft)} in all, measured from the start of this call in real
   * time (the rate and the permits are spent in real time), so that the fetch gives up queueing
   * no later than the engine's deadline for it. The rate wait uses part of that budget and the
   * permit wait gets what remains; running out is a {@link TimeoutException}.
   */
  @Override
  public ExpiringCredentials<AwsCredentials> fetch(Account account, Duration timeLeft)
      throws Exception {
    Optional<String> id = account.id();
    if (id.isEmpty()) {
      return baseCredentials();
    }
    String roleArn = role.roleArn(id.get());
    AssumeRoleRequest request = request(roleArn, read(caller));
    Credentials c = queue.run(timeLeft, "assume " + roleArn, () -> call(sts.get(), request));
    Instant expiry = c.expiration();
    if (expiry == null) {
      throw new IllegalStateException("STS returned credentials without an expiration for "
          + roleArn);
    }
    return issued(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), expiry, id.get(),
        "clientsessions-AssumeRole");
  }

  /**
   * Session credentials a credential service issued for {@code account}, expiring at
   * {@code expiry}, named by {@code provider} (the SDK's business metrics and logs show it).
   */
  static ExpiringCredentials<AwsCredentials> issued(String accessKeyId, String secret,
      String sessionToken, Instant expiry, String account, String provider) {
    AwsSessionCredentials credentials = AwsSessionCredentials.builder()
        .accessKeyId(accessKeyId)
        .secretAccessKey(secret)
        .sessionToken(sessionToken)
        .expirationTime(expiry)
        .accountId(account)
        .providerName(provider)
        .build();
    return ExpiringCredentials.of(credentials, expiry);
  }

  /**
   * The base credentials: expiring when they say they do (session credentials), else read again
   * after {@link #baseRecheck} so that rotated keys are picked up.
   */
  private ExpiringCredentials<AwsCredentials> baseCredentials() {
    AwsCredentials credentials = read(base);
    Optional<Instant> expiry = credentials.expirationTime();
    return expiry.isPresent()
        ? ExpiringCredentials.of(credentials, expiry.get())
        : ExpiringCredentials.nonExpiring(credentials, baseRecheck);
  }

  /**
   * {@code provider}'s credentials; a provider that finds none fails with
   * {@link FailureKind#NO_CREDENTIALS} and one line saying where to put them (see
   * {@link StsFailures#noCredentials}). With role chaining the caller is the hub session, whose
   * failures arrive already classified.
   */
  private AwsCredentials read(AwsCredentialsProvider provider) {
    try {
      return provider.resolveCredentials();
    } catch (RuntimeException e) {
      throw StsFailures.noCredentials(e, provider);
    }
  }

  /**
   * The credentials {@code client} answers {@code request} with; an answer that is not STS's
   * fails with {@link FailureKind#NOT_AWS_ENDPOINT} (see {@link StsFailures#notAws}).
   */
  private static Credentials call(StsClient client, AssumeRoleRequest request) {
    Credentials credentials;
    try {
      credentials = client.assumeRole(request).credentials();
    } catch (RuntimeException e) {
      throw StsFailures.notAws(e, endpoint(client));
    }
    if (credentials == null) { // e.g. an HTML page, parsed as an answer without credentials
      throw StsFailures.noCredentialsInAnswer(endpoint(client));
    }
    return credentials;
  }

  /** Where {@code client} sends its calls, for messages (user-info redacted). */
  private static String endpoint(StsClient client) {
    return StsFailures.endpoint(client, "STS");
  }

  AssumeRoleRequest request(String roleArn, AwsCredentials callerCredentials) {
    AssumeRoleRequest.Builder b = AssumeRoleRequest.builder()
        .roleArn(roleArn)
        .roleSessionName(role.sessionName())
        .durationSeconds(Math.toIntExact(role.duration().toSeconds()))
        .overrideConfiguration(o -> o.credentialsProvider(
            StaticCredentialsProvider.create(callerCredentials)));
    if (role.externalId() != null) {
      b.externalId(role.externalId());
    }
    if (!role.tags().isEmpty()) {
      b.tags(role.tags().entrySet().stream()
          .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
          .toList());
    }
    if (!role.transitiveTagKeys().isEmpty()) {
      b.transitiveTagKeys(role.transitiveTagKeys());
    }
    if (role.sourceIdentity() != null) {
      b.sourceIdentity(role.sourceIdentity());
    }
    if (role.policy() != null) {
      b.policy(role.policy());
    }
    return b.build();
  }

  /** The role ARN for another account; the base identity for the current one. */
  @Override
  public String describe(Account account) {
    return account.id().map(role::roleArn).orElse("base credentials");
  }

  @Override
  public FailureKind classify(Throwable failure) {
    return StsFailures.classify(failure);
  }

  @Override
  public boolean supportsOtherAccounts() {
    return role.hasRole();
  }

  @Override
  public String toString() {
    return "StsCredentialSource[" + role + "]";
  }
}
