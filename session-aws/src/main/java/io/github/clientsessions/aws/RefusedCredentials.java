package io.github.clientsessions.aws;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.spi.LiveCredentials;
import io.github.clientsessions.core.Target;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Recovery from credentials a service refuses before they expire, for the clients of one target
 * (they share it; see {@code SdkClients}):
 * when an attempt is answered {@code ExpiredToken}, {@code ExpiredTokenException} or
 * {@code InvalidClientTokenId}, the account's credentials are invalidated (once per generation:
 * the engine's single flight makes a storm of such answers cost one AssumeRole) and the SDK
 * makes one more attempt, signed with the new credentials. A second refusal in the same call
 * fails it with the service's exception naming the account and role, caused by a
 * {@link CredentialsRejectedException}.
 *
 * <p>How, with the SDK's public extension points only (no proxy of the client interface, which
 * the JDK cannot generate for the largest clients from JDK 24 on):
 * <ul>
 *   <li>the client's retry strategy gets one more retry condition, {@link #retryRefused}: the
 *       first refusal of a call invalidates and retries, a later one does not;
 *   <li>its SigV4 auth scheme signs each attempt with the account's <em>current</em> credentials
 *       ({@link CurrentCredentialsSigner}): the SDK resolves a call's identity once, before the
 *       first attempt, so without this a retry would be signed with the refused credentials;
 *   <li>an {@link ExecutionInterceptor} ties the two together: on an attempt's error response
 *       (never on a success, which touches no shared state) it notes which credentials signed
 *       the request (from its session token, else its access key ID: never the secret) and
 *       labels the response with the call's number, which the retry condition reads back from
 *       the exception's response; it names the account and role in the second refusal (the
 *       service's exception, with a {@link CredentialsRejectedException} as its cause: the SDK
 *       lets an interceptor change an exception's message and cause, not its class) and forgets
 *       the call when it ends.
 * </ul>
 *
 * <p>With a legacy {@code retryPolicy} configured by the user, which cannot take a condition,
 * a refusal still invalidates the credentials (the next call succeeds) but is not retried.
 *
 * <p>Thread-safety: safe for concurrent calls on the client; the state of a call that met an
 * error response lives in its execution attributes and in a concurrent map from which it is
 * removed as the call ends.
 */
final class RefusedCredentials implements ExecutionInterceptor {

  /** The error codes that mean "these credentials are no longer accepted". */
  static final Set<String> REFUSED = Set.of("ExpiredToken", "ExpiredTokenException",
      "InvalidClientTokenId");

  /** The response header that carries the call's number to the retry condition. */
  static final String CALL_HEADER = "x-clientsessions-call";

  private static final ExecutionAttribute<Call> CALL =
      new ExecutionAttribute<>("clientsessions.refused-credentials.call");
  private static final AtomicLong NUMBERS = new AtomicLong();
  /** The calls in progress that met an error response, by number; removed as each ends. */
  private static final ConcurrentHashMap<Long, Call> CALLS = new ConcurrentHashMap<>();

  private final Target target;
  private final Supplier<AwsCredentials> live;
  private final BiPredicate<Account, AwsCredentials> invalidate;
  private final String subject;
  // the strategy the target's clients share, if this built it; written once by configure
  private volatile @Nullable RetryStrategy shared;

  /**
   * @param live the account's live credentials, as the client's provider reads them
   * @param invalidate the engine's {@code invalidate(account, rejected)}
   * @param subject what the credentials are (the role ARN), for messages
   */
  RefusedCredentials(Target target, Supplier<AwsCredentials> live,
      BiPredicate<Account, AwsCredentials> invalidate, String subject) {
    this.target = target;
    this.live = live;
    this.invalidate = invalidate;
    this.subject = subject;
  }

  /**
   * The state of a call that met an error response: which credentials signed its last attempt
   * (their session token or access key ID, kept to compare, never printed) and its refusals.
   */
  private static final class Call {
    final long number = NUMBERS.incrementAndGet();
    final RefusedCredentials owner;
    final AtomicInteger refusals = new AtomicInteger();
    volatile @Nullable String signedBy; // session token or access key ID of the last attempt

    Call(RefusedCredentials owner) {
      this.owner = owner;
    }

    @Override
    public String toString() {
      return "Call[" + number + ", refusals=" + refusals + "]"; // never the token
    }
  }

  /**
   * Configures {@code o} for this target's clients: the retry condition on the strategy the
   * clients would use anyway (the user's, or the SDK's strategy for the mode the user chose,
   * else for {@code adaptive}), and this interceptor.
   *
   * <p>A user's strategy instance is copied with the condition, and the SDK closes the copy with
   * its client. Otherwise the target's clients share one strategy, so one adaptive rate limiter
   * per (account, region), which {@link #close()} closes (it holds a scheduler):
   * {@code RefusedCredentialsTest} pins that none is left after the manager closes.
   */
  void configure(ClientOverrideConfiguration.Builder o) {
    RetryStrategy strategy = o.retryStrategy();
    Consumer<RetryStrategy.Builder<?, ?>> configurator = o.retryStrategyConfigurator();
    if (strategy != null) {
      o.retryStrategy(strategy.toBuilder().retryOnException(this::retryRefused).build());
    } else if (configurator != null) {
      o.retryStrategy(b -> {
        configurator.accept(b);
        b.retryOnException(this::retryRefused);
      });
    } else if (o.retryPolicy() == null) {
      RetryMode mode = o.retryMode() != null ? o.retryMode() : defaultMode();
      RetryStrategy built = AwsRetryStrategy.forRetryMode(mode).toBuilder()
          .retryOnException(this::retryRefused).build();
      shared = built;
      o.retryStrategy(new SharedRetryStrategy(built)); // one for the target's clients
    }
    o.addExecutionInterceptor(this);
  }

  /**
   * Closes the strategy this target's clients shared, if this built one; idempotent (the SDK's
   * strategies are). Called when the target's last client is gone, or the manager closes.
   */
  void close() {
    RetryStrategy s = shared;
    if (s != null) {
      s.close();
    }
  }

  /**
   * The SDK's adaptive mode, unless the user chose a mode with {@code aws.retryMode} or
   * {@code AWS_RETRY_MODE}: its rate limiter is per target, shared by the target's clients, so
   * a throttled (account, region) backs off without slowing the others.
   */
  private static RetryMode defaultMode() {
    return System.getProperty("aws.retryMode") != null || System.getenv("AWS_RETRY_MODE") != null
        ? RetryMode.defaultRetryMode() : RetryMode.ADAPTIVE_V2;
  }

  /**
   * The SigV4 auth scheme whose signer signs each attempt with the current credentials.
   *
   * @param syncClient whether the client is a sync one (whose signing may wait for credentials
   *     on the calling thread); an async client's signing waits without blocking
   */
  AuthScheme<AwsCredentialsIdentity> authScheme(boolean syncClient) {
    AwsV4AuthScheme sigv4 = AwsV4AuthScheme.create();
    HttpSigner<AwsCredentialsIdentity> signer =
        new CurrentCredentialsSigner(sigv4.signer(), live, syncClient);
    return new AuthScheme<>() {
      @Override
      public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
      }

      @Override
      public IdentityProvider<AwsCredentialsIdentity> identityProvider(
          IdentityProviders providers) {
        return sigv4.identityProvider(providers);
      }

      @Override
      public HttpSigner<AwsCredentialsIdentity> signer() {
        return signer;
      }
    };
  }

  // -- the interceptor --------------------------------------------------------------------------

  /**
   * On an error response: the call's state, created at its first one (a call's attempts run one
   * after another), with the credentials that signed this attempt; the response labelled with
   * the call's number.
   */
  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    SdkHttpResponse response = context.httpResponse();
    if (response.isSuccessful()) {
      return response;
    }
    Call call = attributes.getAttribute(CALL);
    if (call == null) {
      call = new Call(this);
      attributes.putAttribute(CALL, call);
      CALLS.put(call.number, call);
    }
    call.signedBy = signedBy(context.httpRequest());
    return response.toBuilder().putHeader(CALL_HEADER, Long.toString(call.number)).build();
  }

  @Override
  public Throwable modifyException(Context.FailedExecution context,
      ExecutionAttributes attributes) {
    Throwable failure = context.exception();
    Call call = attributes.getAttribute(CALL);
    String code = refusal(failure);
    if (call == null || code == null) {
      return failure;
    }
    if (call.refusals.get() == 0) {
      // no retry condition saw it (a legacy retry policy): the next call gets new credentials
      invalidateIfCurrent(call);
      return failure;
    }
    if (call.refusals.get() == 1) {
      return failure; // refused once and not retried (the SDK's attempts or tokens ran out)
    }
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    CredentialsRejectedException rejected = new CredentialsRejectedException(target, subject,
        (service != null ? service + " " : "") + (operation != null ? operation : "call"), code);
    // the SDK requires the same exception class back: the service's, with our message and cause
    return ((AwsServiceException) failure).toBuilder().message(rejected.getMessage())
        .cause(rejected).build();
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    forget(attributes);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context,
      ExecutionAttributes attributes) {
    forget(attributes);
  }

  private void forget(ExecutionAttributes attributes) {
    Call call = attributes.getAttribute(CALL);
    if (call != null) {
      CALLS.remove(call.number);
    }
  }

  /** Calls in progress on the clients of {@code target} (for tests: nothing may be left). */
  static long callsInProgress(Target target) {
    return CALLS.values().stream().filter(c -> c.owner.target.equals(target)).count();
  }

  // -- the retry condition ----------------------------------------------------------------------

  /**
   * Whether the SDK should retry after {@code failure}: only for the first refusal of a call of
   * this client, after invalidating the credentials that signed it if they are still current.
   */
  boolean retryRefused(Throwable failure) {
    String code = refusal(failure);
    Call call = code == null ? null : callOf((AwsServiceException) failure);
    if (call == null) {
      return false; // not a refusal, or not a call of this client
    }
    if (call.refusals.incrementAndGet() > 1) {
      return false; // refused again with new credentials: modifyException names it
    }
    invalidateIfCurrent(call);
    return true;
  }

  /** Invalidates the credentials that signed the call's last attempt if they are still current. */
  private void invalidateIfCurrent(Call call) {
    String signedBy = call.signedBy;
    AwsCredentials current = currentWithoutWaiting();
    if (signedBy != null && current != null && signedBy.equals(fingerprint(current))) {
      invalidate.test(target.account(), current); // once per generation, whoever asks
    }
  }

  private @Nullable Call callOf(AwsServiceException e) {
    SdkHttpResponse response = e.awsErrorDetails().sdkHttpResponse();
    Optional<String> number =
        response == null ? Optional.empty() : response.firstMatchingHeader(CALL_HEADER);
    if (number.isEmpty()) {
      return null;
    }
    try {
      Call call = CALLS.get(Long.parseLong(number.get()));
      return call != null && call.owner == this ? call : null;
    } catch (NumberFormatException notOurs) {
      return null;
    }
  }

  /**
   * The credentials current now, read without waiting: if a refresh is under way, the refused
   * generation is already being replaced and there is nothing to invalidate.
   */
  private @Nullable AwsCredentials currentWithoutWaiting() {
    try {
      if (live instanceof LiveCredentials<AwsCredentials> l) {
        CompletableFuture<AwsCredentials> ready = l.getAsync();
        return ready.isDone() && !ready.isCompletedExceptionally() ? ready.join() : null;
      }
      return live.get();
    } catch (RuntimeException e) {
      return null; // no credentials: the retry fails the way the source fails
    }
  }

  /** What identifies the credentials that signed {@code request}; null if it is not signed. */
  static @Nullable String signedBy(SdkHttpRequest request) {
    Optional<String> token = request.firstMatchingHeader("X-Amz-Security-Token");
    if (token.isPresent()) {
      return token.get();
    }
    Optional<String> authorization = request.firstMatchingHeader("Authorization");
    if (authorization.isEmpty()) {
      return null;
    }
    String a = authorization.get();
    int start = a.indexOf("Credential=");
    if (start < 0) {
      return null;
    }
    start += "Credential=".length();
    int end = a.indexOf('/', start);
    return end < 0 ? null : a.substring(start, end);
  }

  /** The same identification for credentials: session token, else access key ID. */
  static String fingerprint(AwsCredentials credentials) {
    return credentials instanceof AwsSessionCredentials s ? s.sessionToken()
        : credentials.accessKeyId();
  }

  /** The refusal's error code if {@code t} is a refusal of the credentials, else null. */
  static @Nullable String refusal(Throwable t) {
    if (t instanceof AwsServiceException e && e.awsErrorDetails() != null) {
      String code = e.awsErrorDetails().errorCode();
      return code != null && REFUSED.contains(code) ? code : null;
    }
    return null;
  }

  /**
   * Signs each attempt with the account's current credentials rather than the ones the SDK
   * resolved before the first attempt (the same object unless they were refused or renewed in
   * between). Async signing waits for them without blocking.
   */
  private static final class CurrentCredentialsSigner
      implements HttpSigner<AwsCredentialsIdentity> {

    private final HttpSigner<AwsCredentialsIdentity> delegate;
    private final Supplier<AwsCredentials> live;
    private final boolean syncClient;

    CurrentCredentialsSigner(HttpSigner<AwsCredentialsIdentity> delegate,
        Supplier<AwsCredentials> live, boolean syncClient) {
      this.delegate = delegate;
      this.live = live;
      this.syncClient = syncClient;
    }

    @Override
    @SuppressWarnings("unchecked")
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
      // an async client signs a request without a streaming body here, on an SDK thread, once
      // its identity has resolved: the credentials are ready then, and only after a refusal
      // (an invalidation) can this wait for new ones
      AwsCredentials current = !syncClient && live instanceof LiveCredentials<AwsCredentials> l
          ? l.getAsync().join() : live.get();
      if (current == null || current == request.identity()) {
        return delegate.sign(request);
      }
      return delegate.sign(((SignRequest<AwsCredentialsIdentity>) request)
          .copy(b -> b.identity(current)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<AsyncSignedRequest> signAsync(
        AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
      if (!(live instanceof LiveCredentials<AwsCredentials> l)) {
        return delegate.signAsync(request);
      }
      return l.getAsync().thenCompose(current -> current == request.identity()
          ? delegate.signAsync(request)
          : delegate.signAsync(((AsyncSignRequest<AwsCredentialsIdentity>) request)
              .copy(b -> b.identity(current))));
    }
  }
}
