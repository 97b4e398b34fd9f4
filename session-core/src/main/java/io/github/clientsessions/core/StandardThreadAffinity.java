package io.github.clientsessions.core;

import io.github.clientsessions.core.internal.VirtualThreads;

/** The built-in affinities, as enum singletons. */
enum StandardThreadAffinity implements ThreadAffinity {
  PER_THREAD_NAME {
    @Override
    public Object key(Thread thread) {
      // virtual threads are per task: keying them by name would build a client per task
      return VirtualThreads.isVirtual(thread) ? VirtualThreadsKey.ALL : thread.getName();
    }

    @Override
    public String toString() {
      return "ThreadAffinity.perThreadName()";
    }
  },
  PER_THREAD_NAME_INCLUDING_VIRTUAL {
    @Override
    public Object key(Thread thread) {
      return thread.getName();
    }

    @Override
    public String toString() {
      return "ThreadAffinity.perThreadNameIncludingVirtual()";
    }
  },
  SHARED {
    @Override
    public Object key(Thread thread) {
      return this;
    }

    @Override
    public String toString() {
      return "ThreadAffinity.shared()";
    }
  };

  /** The key all virtual threads share under {@link #PER_THREAD_NAME}; equal to no name. */
  enum VirtualThreadsKey {
    ALL;

    @Override
    public String toString() {
      return "(virtual threads)";
    }
  }
}
