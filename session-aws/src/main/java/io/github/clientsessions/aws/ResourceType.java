package io.github.clientsessions.aws;

import io.github.clientsessions.core.spi.ClientType;
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
 * <p>Each cached resource must be an object of its own: a {@code derive} that hands out one
 * object for several clients (a captured singleton, or another entry's base client) is rejected,
 * since closing one entry would close what another still uses.
 *
 * <p>Thread-safety: builds and closes may run concurrently; the resource-to-client map is
 * synchronized and keyed by identity, since resources need not have value equality; the alias
 * check and the registration of a new resource happen under its lock together.
 */
final class ResourceType<B extends SdkClient, R> implements ClientType<AwsCredentials, R> {

  private final AwsResource<B, R> resource;
  private final SdkClientType<B> base;
  private final Map<Object, B> baseOf = Collections.synchronizedMap(new IdentityHashMap<>());

  ResourceType(AwsResource<B, R> resource, SdkClientType<B> base) {
    this.resource = resource;
    this.base = base;
  }

  /**
   * Builds a base client and derives the resource from it.
   *
   * @throws AliasedResourceException if {@code derive} returned an object that another cached
   *     resource of this type already is, or the base client of another one: the two cache
   *     entries would share (and close) one object. The base client just built is closed.
   */
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
    boolean aliased;
    synchronized (baseOf) {
      aliased = baseOf.containsKey(built) || (built != client && baseOf.containsValue(built));
      if (!aliased) {
        baseOf.put(built, client);
      }
    }
    if (aliased) {
      client.close();
      throw new AliasedResourceException("the derive function of " + resource + " for " + target
          + " returned an object already in use by another cached " + resource.name()
          + " (as the resource or as its base client); derive must return a new object per"
          + " client, made from the client it is given");
    }
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

  /**
   * A resource's derive function returned an object another cache entry owns. Checked, so that
   * the engine reports it as a {@code ClientBuildException} naming the target.
   */
  static final class AliasedResourceException extends Exception {
    private static final long serialVersionUID = 1L;

    AliasedResourceException(String message) {
      super(message);
    }
  }
}
