package io.github.clientsessions.aws;

import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.Target;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.SdkClient;

/**
 * Builds SDK clients of one class for one manager. {@link SdkClients} hands out one instance per
 * class, so identity equality makes it a stable cache key. Immutable; thread-safe.
 */
final class SdkClientType<T extends SdkClient> implements ClientType<AwsCredentials, T> {

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
