package io.github.clientsessions.core;

/** The client cache key: which builder, where, and for which thread key. */
record ClientKey(ClientBuilder<?, ?> type, Target target, Object threadKey) {}
