package io.github.clientsessions.aws;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.LiveCredentials;
import io.github.clientsessions.core.Target;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkRequest;

/**
 * Recovery from credentials a service refuses before they expire: a cached client is handed out
 * as a proxy of its interface whose operations, when the service answers {@code ExpiredToken},
 * {@code ExpiredTokenException} or {@code InvalidClientTokenId}, invalidate the account's
 * credentials (once per generation: the engine's single flight makes a storm of such failures
 * cost one AssumeRole) and run the call once more, with the new credentials. A second refusal is
 * a {@link CredentialsRejectedException} naming the account and role.
 *
 * <p>Why a proxy and not the SDK's retry: the SDK resolves a request's identity once, before its
 * first attempt, and signs every retry with it, so a retry strategy cannot pick up new
 * credentials. The proxy runs the whole call again, so the SDK resolves them afresh from the live
 * provider. Operations the delegate does not implement itself (paginators, the consumer-builder
 * overloads) run the interface's default method on the proxy, so the calls they make come back
 * here. Operations with a streaming argument (a request or response body) are not run twice;
 * their refusal still invalidates the credentials, so the next call succeeds.
 *
 * <p>Thread-safety: stateless per call; safe for concurrent use.
 */
final class RefusedCredentialsRetry implements InvocationHandler {

  /** The error codes that mean "these credentials are no longer accepted". */
  static final Set<String> REFUSED = Set.of("ExpiredToken", "ExpiredTokenException",
      "InvalidClientTokenId");

  /** Per client class: which interface methods it implements itself, and which may be re-run. */
  private static final ClassValue<ConcurrentHashMap<Method, Dispatch>> DISPATCH =
      new ClassValue<>() {
        @Override
        protected ConcurrentHashMap<Method, Dispatch> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private enum Dispatch { DEFAULT_ON_PROXY, RETRY, INVALIDATE_ONLY, DIRECT }

  private final Object delegate;
  private final Target target;
  private final Supplier<AwsCredentials> live;
  private final BiPredicate<Account, AwsCredentials> invalidate;
  private final String subject;

  private RefusedCredentialsRetry(Object delegate, Target target, Supplier<AwsCredentials> live,
      BiPredicate<Account, AwsCredentials> invalidate, String subject) {
    this.delegate = delegate;
    this.target = target;
    this.live = live;
    this.invalidate = invalidate;
    this.subject = subject;
  }

  /** {@code client} behind a proxy of {@code type} that recovers from refused credentials. */
  static <T extends SdkClient> T wrap(Class<T> type, T client, Target target,
      Supplier<AwsCredentials> live, BiPredicate<Account, AwsCredentials> invalidate,
      String subject) {
    try {
      Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
          new RefusedCredentialsRetry(client, target, live, invalidate, subject));
      return type.cast(proxy);
    } catch (IllegalArgumentException tooLarge) {
      // JDK 24+ cannot generate a proxy of an interface with thousands of methods (Ec2Client:
      // its static initializer exceeds 64 KB): hand out the client itself, without the retry
      return client;
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> delegate.toString();
      };
    }
    Dispatch how = DISPATCH.get(delegate.getClass()).computeIfAbsent(method, this::dispatch);
    switch (how) {
      case DEFAULT_ON_PROXY:
        return InvocationHandler.invokeDefault(proxy, method, args);
      case DIRECT:
        return call(method, args);
      default:
        break;
    }
    if (CompletableFuture.class.isAssignableFrom(method.getReturnType())) {
      return async(method, args, currentWithoutWaiting(), how == Dispatch.RETRY);
    }
    AwsCredentials used = current();
    try {
      return call(method, args);
    } catch (AwsServiceException first) {
      String code = refusal(first);
      if (code == null) {
        throw first;
      }
      if (used != null) { // none: the call could not have been refused for them
        invalidate.test(target.account(), used);
      }
      if (how != Dispatch.RETRY) {
        throw first;
      }
      try {
        return call(method, args);
      } catch (AwsServiceException second) {
        String again = refusal(second);
        if (again == null) {
          throw second;
        }
        throw rejected(method, again, second);
      }
    }
  }

  private Object async(Method method, Object[] args, @Nullable AwsCredentials used,
      boolean retry)
      throws Throwable {
    CompletableFuture<?> first = (CompletableFuture<?>) call(method, args);
    CompletableFuture<Object> result = new CompletableFuture<>();
    first.whenComplete((value, error) -> {
      String code = error == null ? null : refusal(unwrap(error));
      if (code == null) {
        complete(result, value, error);
        return;
      }
      if (used != null) {
        invalidate.test(target.account(), used);
      }
      if (!retry) {
        result.completeExceptionally(error);
        return;
      }
      CompletableFuture<?> second;
      try {
        second = (CompletableFuture<?>) call(method, args);
      } catch (Throwable t) {
        result.completeExceptionally(t);
        return;
      }
      second.whenComplete((v, e) -> {
        String again = e == null ? null : refusal(unwrap(e));
        if (again == null) {
          complete(result, v, e);
        } else {
          result.completeExceptionally(rejected(method, again, unwrap(e)));
        }
      });
    });
    return result;
  }

  private static void complete(CompletableFuture<Object> result, Object value, Throwable error) {
    if (error == null) {
      result.complete(value);
    } else {
      result.completeExceptionally(error);
    }
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * For an async call: the credentials it is about to be signed with if they are ready, read
   * without blocking (an async client's calls wait for them before they reach this proxy); null
   * if they are not, in which case a refusal invalidates nothing.
   */
  private @Nullable AwsCredentials currentWithoutWaiting() {
    if (!(live instanceof LiveCredentials<AwsCredentials> l)) {
      return current();
    }
    CompletableFuture<AwsCredentials> ready = l.getAsync();
    return ready.isDone() && !ready.isCompletedExceptionally() ? ready.join() : null;
  }

  /** The credentials the call is about to be signed with; null if there are none. */
  private @Nullable AwsCredentials current() {
    try {
      return live.get();
    } catch (RuntimeException e) {
      return null; // the call itself fails the same way, as it always did
    }
  }

  private CredentialsRejectedException rejected(Method method, String code, Throwable cause) {
    return new CredentialsRejectedException(target, subject,
        ((SdkClient) delegate).serviceName() + " "
            + Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1),
        code, cause);
  }

  private Dispatch dispatch(Method method) {
    if (!implemented(method)) {
      return Dispatch.DEFAULT_ON_PROXY; // a paginator or overload: its calls come back here
    }
    if (method.getParameterCount() == 0) {
      return Dispatch.DIRECT; // close(), serviceName(), waiter(), ...: no request
    }
    for (Class<?> p : method.getParameterTypes()) {
      if (!SdkRequest.class.isAssignableFrom(p)) {
        return Dispatch.INVALIDATE_ONLY; // a body or transformer: not safely run twice
      }
    }
    return Dispatch.RETRY;
  }

  /** Whether the delegate's class implements {@code method} rather than inheriting the default. */
  private boolean implemented(Method method) {
    if (!method.isDefault()) {
      return true;
    }
    try {
      return !delegate.getClass().getMethod(method.getName(), method.getParameterTypes())
          .isDefault();
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** The refusal's error code if {@code t} is a refusal of the credentials, else null. */
  static @Nullable String refusal(Throwable t) {
    if (t instanceof AwsServiceException e && e.awsErrorDetails() != null) {
      String code = e.awsErrorDetails().errorCode();
      return code != null && REFUSED.contains(code) ? code : null;
    }
    return null;
  }
}
