package io.github.clientsessions.aws;

import io.github.clientsessions.core.SessionManagerFactory;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The process-wide factory of {@link AwsSessionManager#factory()}, created on first {@link #get()}
 * together with the JVM shutdown hook that closes its managers. The hook registration is a
 * parameter so that tests can see it and run the hook's action themselves.
 *
 * <p>Thread-safety: {@link #get()} is a volatile read once created; creation is synchronized,
 * so the factory is created, and the hook registered, exactly once.
 */
final class ProcessFactory {

  static final String HOOK_THREAD_NAME = "clientsessions-factory-shutdown";

  private static final System.Logger LOG = System.getLogger(ProcessFactory.class.getName());

  private final Supplier<SessionManagerFactory<AwsSessionManager>> create;
  private final Consumer<Thread> registerHook;
  private volatile @Nullable SessionManagerFactory<AwsSessionManager> factory;
  private @Nullable Thread hook; // guarded by this

  ProcessFactory(Supplier<SessionManagerFactory<AwsSessionManager>> create,
      Consumer<Thread> registerHook) {
    this.create = create;
    this.registerHook = registerHook;
  }

  /** The one process-wide instance (default configuration, hook registered with the JVM). */
  static ProcessFactory instance() {
    return Holder.INSTANCE;
  }

  /** Holds the process-wide instance; initialised on first use. */
  private static final class Holder {
    static final ProcessFactory INSTANCE = new ProcessFactory(
        () -> AwsSessionManager.factory(b -> {}), Runtime.getRuntime()::addShutdownHook);
  }

  SessionManagerFactory<AwsSessionManager> get() {
    SessionManagerFactory<AwsSessionManager> f = factory;
    return f != null ? f : createOnce();
  }

  private synchronized SessionManagerFactory<AwsSessionManager> createOnce() {
    if (factory == null) {
      SessionManagerFactory<AwsSessionManager> f = create.get();
      Thread t = new Thread(f::closeAll, HOOK_THREAD_NAME);
      try {
        registerHook.accept(t);
      } catch (IllegalStateException e) { // the JVM is already shutting down
        LOG.log(Level.DEBUG, () -> "No shutdown hook for the shared managers: " + e);
      }
      hook = t;
      factory = f;
    }
    return factory;
  }

  /** The shutdown hook's thread, or null before the first {@link #get()}. */
  synchronized @Nullable Thread shutdownHook() {
    return hook;
  }
}
