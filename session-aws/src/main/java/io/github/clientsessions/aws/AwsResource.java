package io.github.clientsessions.aws;

import io.github.clientsessions.core.InvalidInputException;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkClient;

/**
 * Describes a "resource": an object derived from an SDK client, such as a DynamoDB enhanced
 * client built on a {@code DynamoDbClient}. {@link AwsSessionManager#resource} caches resources
 * like clients; each cached resource owns its own base client (built like any other: shared
 * HTTP client, live credentials), and closing the resource closes that client too. The base
 * client is not shared with the client cache on purpose: the cache could evict it as idle while
 * the resource, which uses it directly, is still cached.
 *
 * <p>A resource description is a cache key compared by identity: create it once (e.g. in a
 * {@code static final} field) and reuse it; every call of {@link #of} makes a new key.
 *
 * <p>Immutable; thread-safe if {@code derive} is.
 *
 * @param <B> the base SDK client type
 * @param <R> the resource type
 */
public final class AwsResource<B extends SdkClient, R> {

  private final String name;
  private final Class<B> clientType;
  private final Function<? super B, ? extends R> derive;

  private AwsResource(String name, Class<B> clientType, Function<? super B, ? extends R> derive) {
    this.name = name;
    this.clientType = clientType;
    this.derive = derive;
  }

  /**
   * A resource named {@code name}, made by {@code derive} from a client of {@code clientType}.
   * If the resource is {@link AutoCloseable} (and not the client itself) it is closed before its
   * client. {@code derive} must return a new object per client (or the client itself): a result
   * that another cached resource already is, or another one's base client, fails the request
   * with a {@code ClientBuildException} naming the resource and target.
   *
   * @throws InvalidInputException if an argument is null or the name blank
   */
  public static <B extends SdkClient, R> AwsResource<B, R> of(
      String name, Class<B> clientType, Function<? super B, ? extends R> derive) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("name", name, "must be a non-blank name");
    }
    if (clientType == null) {
      throw new InvalidInputException("clientType", null, "must not be null");
    }
    if (derive == null) {
      throw new InvalidInputException("derive", null, "must not be null");
    }
    return new AwsResource<>(name, clientType, derive);
  }

  /** The resource's name, used in stats and messages. */
  public String name() {
    return name;
  }

  /** The SDK client type the resource is derived from. */
  public Class<B> clientType() {
    return clientType;
  }

  R derive(B client) {
    return Objects.requireNonNull(derive.apply(client), () -> name + " derived null");
  }

  @Override
  public String toString() {
    return "AwsResource[" + name + " on " + clientType.getSimpleName() + "]";
  }
}
