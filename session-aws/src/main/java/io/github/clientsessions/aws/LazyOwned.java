package io.github.clientsessions.aws;

import io.github.clientsessions.core.SessionManagerClosedException;
import java.lang.System.Logger.Level;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Something the manager creates on first use and closes with itself (the shared HTTP clients,
 * the STS client), so that a manager that never needs one never starts its threads.
 *
 * <p>Concurrency: creation and close hold one {@link ReentrantLock}, so a value is created at
 * most once, and never after {@link #close()}: a late {@link #get()} fails instead of leaking a
 * value nobody would close. A j.u.c. lock rather than a monitor, because creation runs builder
 * code (possibly a user's HTTP client builder): a virtual thread waiting for it must not pin its
 * carrier (JDK 21–23). Once created, {@link #get()} is one volatile read.
 */
final class LazyOwned<T extends SdkAutoCloseable> {

  private static final System.Logger LOG = System.getLogger(LazyOwned.class.getName());

  private final String owner;
  private final String what;
  private final Supplier<? extends T> create;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile @Nullable T value; // written under lock
  private boolean closed; // guarded by lock

  LazyOwned(String owner, String what, Supplier<? extends T> create) {
    this.owner = owner;
    this.what = what;
    this.create = create;
  }

  T get() {
    T v = value;
    if (v != null) {
      return v; // close() clears it first, so a value seen here was not closed before the read
    }
    lock.lock();
    try {
      if (closed) {
        throw new SessionManagerClosedException(owner);
      }
      if (value == null) {
        value = create.get();
      }
      return value;
    } finally {
      lock.unlock();
    }
  }

  /** Closes the value if it was created; idempotent. */
  void close() {
    T toClose;
    lock.lock();
    try {
      closed = true;
      toClose = value;
      value = null;
    } finally {
      lock.unlock();
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
