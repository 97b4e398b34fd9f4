package io.github.clientsessions.aws;

import io.github.clientsessions.core.spi.LiveCredentials;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.SdkClient;

/**
 * Makes an async SDK client's calls wait for credentials without blocking the caller.
 *
 * <p>Why: the SDK (2.57) joins the identity future on the calling thread while it builds the
 * request's user agent ({@code ApplyUserAgentStage}), so an asynchronous
 * {@code resolveIdentity} alone still blocks a caller whose account is in the stale window
 * until the refresh completes. This proxy over the client's interface first asks
 * {@link LiveCredentials#getAsync()}: if the credentials are valid (the common case: a
 * completed future) the call goes straight to the client; otherwise the call is made when they
 * arrive, and the caller gets a future at once. A failure completes that future with the
 * engine's typed exception. Methods that return no {@link CompletableFuture} (paginators,
 * {@code serviceName()}, {@code close()}, ...) go straight to the client.
 *
 * <p>Cancelling the returned future before the credentials arrive means the call is never made;
 * after that, it does not cancel the SDK's call. Thread-safe like the client.
 */
final class AsyncAfterCredentials implements InvocationHandler {

  private final SdkClient client;
  private final LiveCredentials<AwsCredentials> live;

  private AsyncAfterCredentials(SdkClient client, LiveCredentials<AwsCredentials> live) {
    this.client = client;
    this.live = live;
  }

  /** {@code client} behind a proxy of {@code type} (an async client interface). */
  static <T extends SdkClient> T wrap(Class<T> type, T client,
      LiveCredentials<AwsCredentials> live) {
    try {
      return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
          new AsyncAfterCredentials(client, live)));
    } catch (IllegalArgumentException tooLarge) {
      // JDK 24+ cannot generate a proxy of an interface with thousands of methods (Ec2AsyncClient):
      // hand out the client itself; its provider still resolves identity asynchronously
      return client;
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        default:
          return client.toString();
      }
    }
    if (!CompletableFuture.class.isAssignableFrom(method.getReturnType())) {
      return call(method, args);
    }
    CompletableFuture<AwsCredentials> ready = live.getAsync();
    if (ready.isDone() && !ready.isCompletedExceptionally()) {
      return call(method, args); // valid credentials: the SDK's own join returns at once
    }
    return ready.thenCompose(credentials -> {
      try {
        return (CompletableFuture<?>) call(method, args);
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    });
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(client, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
