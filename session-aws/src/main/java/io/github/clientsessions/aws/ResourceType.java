package io.github.clientsessions.aws;

import io.github.clientsessions.core.ClientBuilder;
import io.github.clientsessions.core.Target;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.SdkClient;

/**
 * Builds an {@link AwsResource} on a base client of its own and closes both together.
 *
 * <p>Thread-safety: builds and closes may run concurrently; the resource-to-client map is
 * synchronized and keyed by identity, since resources need not have value equality.
 */
final class ResourceType<B extends SdkClient, R> implements ClientBuilder<AwsCredentials, R> {

  private final AwsResource<B, R> resource;
  private final SdkClientType<B> base;
  private final Map<Object, B> baseOf = Collections.synchronizedMap(new IdentityHashMap<>());

  ResourceType(AwsResource<B, R> resource, SdkClientType<B> base) {
    this.resource = resource;
    this.base = base;
  }

  @Override
  public R build(Target target, Supplier<AwsCredentials> credentials) throws Exception {
    B client = base.build(target, credentials);
    R built;
    try {
      built = resource.derive(client);
    } catch (RuntimeException | Error e) {
      client.close();
      throw e;
    }
    baseOf.put(built, client);
    return built;
  }

  @Override
  public void close(R built) throws Exception {
    B client = baseOf.remove(built);
    try {
      if (built != client && built instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }

  @Override
  public String name() {
    return resource.name();
  }

  @Override
  public String toString() {
    return "ResourceType[" + resource + "]";
  }
}
