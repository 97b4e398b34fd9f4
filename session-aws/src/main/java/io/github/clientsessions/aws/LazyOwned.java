package io.github.clientsessions.aws;

import io.github.clientsessions.core.SessionManagerClosedException;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Something the manager creates on first use and closes with itself (the shared HTTP clients,
 * the STS client), so that a manager that never needs one never starts its threads.
 *
 * <p>Concurrency: creation and close synchronize on this object, so a value is created at most
 * once, and never after {@link #close()}: a late {@link #get()} fails instead of leaking a value
 * nobody would close.
 */
final class LazyOwned<T extends SdkAutoCloseable> {

  private static final System.Logger LOG = System.getLogger(LazyOwned.class.getName());

  private final String owner;
  private final String what;
  private final Supplier<? extends T> create;
  private @Nullable T value; // guarded by this
  private boolean closed; // guarded by this

  LazyOwned(String owner, String what, Supplier<? extends T> create) {
    this.owner = owner;
    this.what = what;
    this.create = create;
  }

  synchronized T get() {
    if (closed) {
      throw new SessionManagerClosedException(owner);
    }
    if (value == null) {
      value = create.get();
    }
    return value;
  }

  /** Closes the value if it was created; idempotent. */
  void close() {
    T toClose;
    synchronized (this) {
      closed = true;
      toClose = value;
      value = null;
    }
    if (toClose != null) {
      try {
        toClose.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, () -> "Closing the " + what + " of " + owner + " failed: " + e);
      }
    }
  }
}
