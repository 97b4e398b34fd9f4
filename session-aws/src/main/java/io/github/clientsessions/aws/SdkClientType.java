package io.github.clientsessions.aws;

import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.internal.KeyedClientType;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.SdkClient;

/**
 * Builds SDK clients of one class for one manager. {@link SdkClients} hands out one instance per
 * class, so the class is its cache key ({@link KeyedClientType}): a hit by class needs no type.
 * Immutable; thread-safe.
 */
final class SdkClientType<T extends SdkClient>
    implements ClientType<AwsCredentials, T>, KeyedClientType {

  private final SdkClients clients;
  private final Class<T> type;
  private final Method builderMethod;

  SdkClientType(SdkClients clients, Class<T> type, Method builderMethod) {
    this.clients = clients;
    this.type = type;
    this.builderMethod = builderMethod;
  }

  Class<T> type() {
    return type;
  }

  /** The client class: one type per class in a manager, so the class names it in the cache. */
  @Override
  public Object cacheKey() {
    return type;
  }

  Method builderMethod() {
    return builderMethod;
  }

  @Override
  public T build(Target target, Supplier<AwsCredentials> credentials) throws Exception {
    return clients.build(this, target, credentials);
  }

  @Override
  public void close(T client) {
    client.close();
  }

  @Override
  public String name() {
    return type.getSimpleName();
  }

  @Override
  public String toString() {
    return "SdkClientType[" + type.getName() + "]";
  }
}
