package io.github.clientsessions.aws.internal;

import io.github.clientsessions.aws.AwsSessionManager;
import java.net.URI;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * What the discovery package needs of a manager and users need not see: its shared HTTP client
 * and endpoint override, for the calls it signs itself (Organizations), and its IAM Identity
 * Center session, for the accounts assigned to the signed-in user. The manager registers
 * the accessor when its class initialises, so no public method of it exposes them.
 *
 * <p>Thread-safety: the accessor is set once, before any manager exists, and read after.
 */
public final class ManagerAccess {

  /** A manager's parts that discovery uses. */
  public interface Parts {
    /** The shared sync HTTP client, owned (and closed) by the manager. */
    SdkHttpClient sharedHttp();

    /** The endpoint override, or null when the SDK resolves endpoints itself. */
    @Nullable URI endpointOverride();

    /** The manager's IAM Identity Center session, or null: it has no permission set. */
    default @Nullable IdentityCenterAccess identityCenter() {
      return null;
    }
  }

  private static volatile @Nullable Function<AwsSessionManager, Parts> access; // set once, read by any thread

  private ManagerAccess() {}

  /**
   * Registers the accessor; called once, by {@link AwsSessionManager}'s class initialiser.
   *
   * @throws IllegalStateException if an accessor is set already
   */
  public static synchronized void register(Function<AwsSessionManager, Parts> accessor) {
    if (access != null) {
      throw new IllegalStateException("ManagerAccess is registered already");
    }
    access = accessor;
  }

  /** {@code manager}'s parts. */
  public static Parts of(AwsSessionManager manager) {
    Function<AwsSessionManager, Parts> a = access; // set: manager's class is initialised
    if (a == null) {
      throw new IllegalStateException("AwsSessionManager did not register its accessor");
    }
    return a.apply(manager);
  }
}
