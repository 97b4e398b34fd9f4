package io.github.clientsessions.core;

/** The built-in affinities, as enum singletons. */
enum StandardThreadAffinity implements ThreadAffinity {
  PER_THREAD_NAME {
    @Override
    public Object key(Thread thread) {
      return thread.getName();
    }

    @Override
    public String toString() {
      return "ThreadAffinity.perThreadName()";
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
  }
}
