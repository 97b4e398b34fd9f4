package io.github.clientsessions.aws;

import io.github.clientsessions.core.SessionException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.internal.RefusalJudge;
import io.github.clientsessions.core.internal.RefusalJudge.Verdict;
import io.github.clientsessions.core.spi.LiveCredentials;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SelectedAuthScheme;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.interceptor.SdkInternalExecutionAttribute;
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
import software.amazon.awssdk.identity.spi.Identity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Recovery from credentials a service refuses before they expire, judged per region, for the
 * clients of one class for one target (they share it; see {@code SdkClients}). A refusal is an answer of {@code ExpiredToken},
 * {@code ExpiredTokenException}, {@code InvalidClientTokenId} (query-protocol services such as
 * STS, IAM, SNS, SQS), {@code UnrecognizedClientException} (JSON-protocol services) or, from
 * EC2, {@code AuthFailure} with HTTP 401 ("AWS was not able to validate the provided access
 * credentials"; EC2's {@code AuthFailure} for something the caller may not do comes with another
 * status and is no refusal of the credentials). Each is judged by the manager's
 * {@link RefusalJudge}: do the refused credentials still work elsewhere (STS
 * {@code GetCallerIdentity} in the manager's STS region, once per generation)?
 *
 * <ul>
 *   <li><b>Revoked</b> (refused there too): the account's credentials are invalidated (once per
 *       generation: the engine's single flight makes a storm of such answers cost one
 *       AssumeRole) and the SDK makes one more attempt, signed with the new credentials. A
 *       second refusal in the same call fails it with the service's exception naming the account
 *       and role, caused by a {@link CredentialsRejectedException}.
 *   <li><b>Regional</b> (they work elsewhere): the region refuses them, which is what every
 *       service does in an opt-in region the account has not enabled. Nothing is invalidated (no
 *       AssumeRole, no other region's caller waits) and the call fails with the service's
 *       exception naming the account and region, caused by a {@link RegionNotEnabledException}.
 * </ul>
 *
 * <p>No SDK thread ever waits here: a sync client's retry condition waits for a verdict on the
 * caller's own thread (bounded by the judge's timeout); an async client's retry does not wait
 * at all, its next attempt's identity becomes a future of the verdict and then of the current
 * credentials, which the SDK's async signing stage composes on without blocking, and its signer
 * takes the credentials only if they are ready. Where the verdict is not known yet when an async
 * call is refused, the retry goes out with whatever the verdict leaves current, and is refused
 * again if the refusal was regional, which the second refusal then reports.
 *
 * <p>How, with the SDK's extension points (no proxy of the client interface, which the JDK
 * cannot generate for the largest clients from JDK 24 on):
 * <ul>
 *   <li>the client's retry strategy gets one more retry condition, {@link #retryRefused}: the
 *       first refusal of a call is judged, and retried unless it is the region's; a later one is
 *       not retried;
 *   <li>its SigV4 auth scheme signs each attempt with the account's <em>current</em> credentials
 *       ({@link CurrentCredentialsSigner}): the SDK resolves a call's identity once, before the
 *       first attempt, so without this a retry would be signed with the refused credentials;
 *   <li>an {@link ExecutionInterceptor} ties the two together: on an attempt's error response
 *       (never on a success, which touches no shared state) it notes which credentials signed
 *       the request (from its session token, else its access key ID: never the secret) and
 *       labels the response with the call's number, which the retry condition reads back from
 *       the exception's response; it names the account and role in the second refusal (the
 *       service's exception, with a {@link CredentialsRejectedException} as its cause: the SDK
 *       lets an interceptor change an exception's message and cause, not its class), or the
 *       account and region in a regional refusal, and forgets the call when it ends;
 *   <li>for an async client, the retry condition gives the next attempt an identity future
 *       (verdict, then current credentials) through the selected auth scheme in the execution
 *       attributes, the one extension point that is the SDK's protected API rather than its
 *       public one ({@code SdkInternalExecutionAttribute}); {@code AsyncSignerTest} pins it.
 * </ul>
 *
 * <p>With a legacy {@code retryPolicy} configured by the user, which cannot take a condition,
 * a refusal is still judged (revoked credentials are invalidated, so the next call succeeds; a
 * regional refusal is named) but is not retried.
 *
 * <p>Thread-safety: safe for concurrent calls on the client; the state of a call that met an
 * error response lives in its execution attributes and in a concurrent map from which it is
 * removed as the call ends.
 */
final class RefusedCredentials implements ExecutionInterceptor {

  /**
   * The error codes that mean "these credentials are not accepted here": STS and query-protocol
   * services (the STS API reference's common errors: ExpiredToken, InvalidClientTokenId), JSON
   * services (ExpiredTokenException, UnrecognizedClientException, e.g. the DynamoDB developer
   * guide's error list); EC2's {@link #EC2_REFUSAL} only with {@link #EC2_REFUSAL_STATUS}.
   */
  static final Set<String> REFUSED = Set.of("ExpiredToken", "ExpiredTokenException",
      "InvalidClientTokenId", "UnrecognizedClientException");

  /**
   * EC2's refusal of credentials, "AWS was not able to validate the provided access
   * credentials", with HTTP {@link #EC2_REFUSAL_STATUS}: what EC2 answers in an opt-in region the
   * account has not enabled (turbot/steampipe-plugin-aws#75, markcaudill/haproxy-autoscale#21).
   * The EC2 API reference's error codes list {@code AuthFailure} also for requests the caller is
   * not authorized to make (an Elastic IP address that is not yours, an AMI without
   * permissions), which are no refusal of the credentials and are not judged.
   */
  static final String EC2_REFUSAL = "AuthFailure";
  static final int EC2_REFUSAL_STATUS = 401;

  /** The response header that carries the call's number to the retry condition. */
  static final String CALL_HEADER = "x-clientsessions-call";

  private static final ExecutionAttribute<Call> CALL =
      new ExecutionAttribute<>("clientsessions.refused-credentials.call");
  private static final AtomicLong NUMBERS = new AtomicLong();
  /** The calls in progress that met an error response, by number; removed as each ends. */
  private static final ConcurrentHashMap<Long, Call> CALLS = new ConcurrentHashMap<>();

  private final Target target;
  private final Supplier<AwsCredentials> live;
  private final RefusalJudge<AwsCredentials> judge;
  private final String subject;
  private final String stsRegion;
  private final boolean syncClient;
  // the strategy the target's clients share, if this built it; written once by configure
  private volatile @Nullable RetryStrategy shared;

  /**
   * @param live the account's live credentials, as the client's provider reads them
   * @param judge the manager's judge of refusals, which invalidates revoked credentials
   * @param subject what the credentials are (the role ARN), for messages
   * @param stsRegion where the judge checks refused credentials, for messages
   * @param syncClient whether the client is a sync one (whose retry condition and signing run
   *     on the calling thread, and may wait there); an async client's never wait
   */
  RefusedCredentials(Target target, Supplier<AwsCredentials> live,
      RefusalJudge<AwsCredentials> judge, String subject, String stsRegion, boolean syncClient) {
    this.target = target;
    this.live = live;
    this.judge = judge;
    this.subject = subject;
    this.stsRegion = stsRegion;
    this.syncClient = syncClient;
  }

  /**
   * The state of a call that met an error response: which credentials signed its last attempt
   * (their session token or access key ID, kept to compare, never printed), its refusals, the
   * verdict on its last refusal if known, and its execution attributes (to give an async
   * client's next attempt its identity).
   */
  private static final class Call {
    final long number = NUMBERS.incrementAndGet();
    final RefusedCredentials owner;
    final ExecutionAttributes attributes;
    final AtomicInteger refusals = new AtomicInteger();
    volatile @Nullable String signedBy; // session token or access key ID of the last attempt
    volatile @Nullable Verdict verdict; // on the last refusal; null while unknown

    Call(RefusedCredentials owner, ExecutionAttributes attributes) {
      this.owner = owner;
      this.attributes = attributes;
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
   * The SigV4 auth scheme whose signer signs each attempt with the current credentials: a sync
   * client's signing may wait for them on the calling thread; an async client's never waits.
   */
  AuthScheme<AwsCredentialsIdentity> authScheme() {
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
      call = new Call(this, attributes);
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
      // no retry condition saw it (a legacy retry policy): judged now, so that revoked
      // credentials are invalidated (the next call gets new ones) and a region is named
      judgeLast(call, true);
    }
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    String what = (service != null ? service + " " : "") + (operation != null ? operation : "call");
    SessionException typed;
    if (call.verdict == Verdict.REGIONAL) {
      typed = new RegionNotEnabledException(target, subject, what, code, stsRegion);
    } else if (call.refusals.get() >= 2) {
      typed = new CredentialsRejectedException(target, subject, what, code);
    } else {
      return failure; // refused once and not retried (the SDK's attempts or tokens ran out)
    }
    // the SDK requires the same exception class back: the service's, with our message and cause
    return ((AwsServiceException) failure).toBuilder().message(typed.getMessage())
        .cause(typed).build();
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
   * this client, and only if it is not the region's; see the class comment.
   */
  boolean retryRefused(Throwable failure) {
    String code = refusal(failure);
    Call call = code == null ? null : callOf((AwsServiceException) failure);
    if (call == null) {
      return false; // not a refusal, or not a call of this client
    }
    boolean first = call.refusals.incrementAndGet() == 1;
    CompletableFuture<Verdict> verdict = judgeLast(call, first);
    if (!first || call.verdict == Verdict.REGIONAL) {
      return false; // refused again, or by the region: modifyException names which
    }
    nextIdentityAfter(call, verdict);
    return true;
  }

  /**
   * Judges the refusal of the call's last attempt and notes the verdict in the call if it is
   * known now (a sync client waits for it, on its caller's thread). Credentials replaced since
   * they signed that attempt are not judged: there is nothing to invalidate, and the retry gets
   * the current ones. A later refusal in the same call only reads a verdict the judge already
   * has (a regional one, or none): the call is not retried again, so, as before there was a
   * judge, it costs no probe and invalidates nothing; the next call's first refusal does.
   *
   * @param first whether this is the call's first refusal, which may start a probe
   * @return the verdict to come, or a completed null if nothing was judged
   */
  private CompletableFuture<Verdict> judgeLast(Call call, boolean first) {
    call.verdict = null;
    String signedBy = call.signedBy;
    AwsCredentials current = currentWithoutWaiting();
    if (signedBy == null || current == null || !signedBy.equals(fingerprint(current))) {
      return CompletableFuture.completedFuture(null);
    }
    if (!first) {
      call.verdict = judge.remembered(target.account(), current);
      return CompletableFuture.completedFuture(call.verdict);
    }
    CompletableFuture<Verdict> verdict = judge.judge(target.account(), target.region(), current);
    call.verdict = syncClient ? await(verdict) : verdict.getNow(null);
    return verdict;
  }

  /** A sync client's wait for a verdict (the judge bounds its probe by its timeout). */
  private static @Nullable Verdict await(CompletableFuture<Verdict> verdict) {
    try {
      return verdict.join();
    } catch (RuntimeException notJudged) {
      return null;
    }
  }

  /**
   * For an async client: the call's next attempt signs with the credentials current once the
   * verdict is in (new ones after a revocation, fetched by then), resolved without blocking.
   * The SDK takes the identity of each attempt from the selected auth scheme in the execution
   * attributes (its async signing stage composes on that future), which an interceptor may
   * replace: {@code SdkInternalExecutionAttribute} is the SDK's protected API, so
   * {@code AsyncSignerTest} pins the behaviour this relies on.
   */
  private void nextIdentityAfter(Call call, CompletableFuture<Verdict> verdict) {
    if (syncClient || !(live instanceof LiveCredentials<AwsCredentials> l)) {
      return; // a sync client's signer reads the current credentials on its caller's thread
    }
    SelectedAuthScheme<?> selected =
        call.attributes.getAttribute(SdkInternalExecutionAttribute.SELECTED_AUTH_SCHEME);
    if (selected != null) {
      call.attributes.putAttribute(SdkInternalExecutionAttribute.SELECTED_AUTH_SCHEME,
          withIdentity(selected, verdict.handle((v, e) -> null).thenCompose(x -> l.getAsync())));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Identity> SelectedAuthScheme<T> withIdentity(
      SelectedAuthScheme<T> selected, CompletableFuture<? extends Identity> identity) {
    return new SelectedAuthScheme<>((CompletableFuture<? extends T>) identity,
        selected.signer(), selected.authSchemeOption());
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
      if (code != null && REFUSED.contains(code)) {
        return code;
      }
      return EC2_REFUSAL.equals(code) && e.statusCode() == EC2_REFUSAL_STATUS ? code : null;
    }
    return null;
  }

  /**
   * Signs each attempt with the account's current credentials rather than the ones the SDK
   * resolved before the first attempt (the same object unless they were refused or renewed in
   * between). A sync client's signing may wait for them on its caller's thread; an async
   * client's never blocks its SDK thread: it takes the current credentials if they are ready,
   * else the attempt's identity (see {@link RefusedCredentials#nextIdentityAfter}).
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
      // the attempt's identity has resolved: it must not wait for anything more
      AwsCredentials current = syncClient ? live.get() : readyOrNull();
      if (current == null || current == request.identity()) {
        return delegate.sign(request);
      }
      return delegate.sign(((SignRequest<AwsCredentialsIdentity>) request)
          .copy(b -> b.identity(current)));
    }

    /** The current credentials if they are ready now, else null (sign with the attempt's). */
    private @Nullable AwsCredentials readyOrNull() {
      if (!(live instanceof LiveCredentials<AwsCredentials> l)) {
        return null;
      }
      CompletableFuture<AwsCredentials> ready = l.getAsync();
      return ready.isDone() && !ready.isCompletedExceptionally() ? ready.join() : null;
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
