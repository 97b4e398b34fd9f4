package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.spi.LiveCredentials;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The live credentials handed to a {@link ClientType}: while the client is being built, the
 * credentials the request has just obtained; afterwards, the session's live credentials.
 *
 * <p>A build holds its cache entry, and other callers of the same client wait for it. A builder
 * that reads its credentials while building (to stamp or check them) must therefore never start
 * a refresh there: in the prefetch window, with an inline refresh executor, that refresh would
 * run, and perhaps hang, on the building thread, and every waiter would wait for the build
 * instead of for the refresh's deadline. The credentials were valid a moment before the build
 * started, which is all a build needs; every call made with the client afterwards reads them
 * live, refreshing as the windows require.
 *
 * <p>Thread-safe.
 */
final class BuildTimeCredentials<C> implements LiveCredentials<C> {

  private final LiveCredentials<C> live;
  private volatile @Nullable C atBuild; // the credentials for the build; null once it has ended
  private final String description;

  BuildTimeCredentials(LiveCredentials<C> live, C atBuild) {
    this.live = live;
    this.atBuild = atBuild;
    this.description = live.toString();
  }

  /** The build has ended (built or failed): from now on, the live credentials. */
  void built() {
    atBuild = null;
  }

  @Override
  public C get() {
    C c = atBuild;
    return c != null ? c : live.get();
  }

  @Override
  public CompletableFuture<C> getAsync() {
    C c = atBuild;
    return c != null ? CompletableFuture.completedFuture(c) : live.getAsync();
  }

  @Override
  public String toString() {
    return description;
  }
}
