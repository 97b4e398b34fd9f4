package io.github.clientsessions.core;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe memo of managers keyed by (role name, session name), so that every part of a
 * program asking for the same pair shares one manager.
 *
 * <p>Shared managers: a manager handed out here is shared by every caller of {@link #get} with
 * the same pair, so no single caller may end it for the others. The factory's owner closes them
 * all with {@link #closeAll()}, through the {@code close} action given at construction; the
 * managers' own {@code close()} should do nothing (the AWS adapter's factories create managers
 * whose {@code close()} is a no-op, so try-with-resources on them is harmless). With the
 * two-argument constructor {@code closeAll()} calls the managers' own {@code close()}, and a
 * manager that some caller did close anyway is replaced by a new one on the next request.
 *
 * <p>Thread-safety: all methods may be called concurrently; for one key, at most one manager is
 * created at a time and every caller gets the same one.
 *
 * @param <M> the manager type
 */
public final class SessionManagerFactory<M extends AutoCloseable> {

  /** The session name used when none is given. */
  public static final String DEFAULT_SESSION_NAME = "default";

  /**
   * The memo key: a value, so {@code ("a-b", "c")} and {@code ("a", "b-c")} never collide.
   *
   * @param roleName the role to assume in other accounts, or null for a manager that can only
   *     use the current account
   * @param sessionName the role session name
   */
  public record Key(@Nullable String roleName, String sessionName) {
    /**
     * @throws InvalidInputException if the role name is blank or the session name null or blank
     */
    public Key {
      if (roleName != null && roleName.isBlank()) {
        throw new InvalidInputException("roleName", roleName, "must not be blank (null means none)");
      }
      if (sessionName == null || sessionName.isBlank()) {
        throw new InvalidInputException("sessionName", sessionName, "must not be null or blank");
      }
    }
  }

  private final ConcurrentHashMap<Key, M> managers = new ConcurrentHashMap<>();
  private final Function<Key, M> create;
  private final Predicate<M> isClosed;
  private final Consumer<? super M> close;

  /**
   * A factory whose {@link #closeAll()} calls each manager's own {@code close()}.
   *
   * @param create makes a manager for a key; called at most once per key at a time
   * @param isClosed tells whether a memoised manager was closed and must be replaced
   */
  public SessionManagerFactory(Function<Key, M> create, Predicate<M> isClosed) {
    this(create, isClosed, SessionManagerFactory::closeItself);
  }

  /**
   * A factory of shared managers, closed only by {@link #closeAll()} through {@code close}.
   *
   * @param create makes a manager for a key; called at most once per key at a time. Its
   *     managers' own {@code close()} should do nothing, since they are shared
   * @param isClosed tells whether a memoised manager was closed and must be replaced
   * @param close really closes a manager; used by {@link #closeAll()} only
   */
  public SessionManagerFactory(Function<Key, M> create, Predicate<M> isClosed,
      Consumer<? super M> close) {
    this.create = Objects.requireNonNull(create, "create");
    this.isClosed = Objects.requireNonNull(isClosed, "isClosed");
    this.close = Objects.requireNonNull(close, "close");
  }

  /** The manager for {@code roleName} and the {@value #DEFAULT_SESSION_NAME} session name. */
  public M get(@Nullable String roleName) {
    return get(roleName, DEFAULT_SESSION_NAME);
  }

  /**
   * The manager for {@code (roleName, sessionName)}, created on first use; shared with every
   * other caller asking for the same pair.
   *
   * @throws InvalidInputException if a name is blank (or rejected by {@code create})
   */
  public M get(@Nullable String roleName, String sessionName) {
    Key key = new Key(roleName, sessionName);
    M existing = managers.get(key);
    if (existing != null && !isClosed.test(existing)) {
      return existing;
    }
    return managers.compute(key, (k, m) -> m == null || isClosed.test(m) ? create.apply(k) : m);
  }

  /** How many managers are memoised. */
  public int size() {
    return managers.size();
  }

  /**
   * Closes and forgets every memoised manager: the only way this factory's managers are closed.
   * A later {@link #get} creates a fresh manager. A failing close is logged and the others are
   * still closed.
   */
  public void closeAll() {
    for (Key key : managers.keySet()) {
      M m = managers.remove(key);
      if (m != null) {
        try {
          close.accept(m);
        } catch (RuntimeException e) {
          System.getLogger(SessionManagerFactory.class.getName())
              .log(System.Logger.Level.WARNING, () -> "Closing the manager for " + key + " failed: " + e);
        }
      }
    }
  }

  private static void closeItself(AutoCloseable manager) {
    try {
      manager.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("close() failed: " + e, e);
    }
  }
}
