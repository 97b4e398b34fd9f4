package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.spi.ClientType;

/** The client cache key: which builder, where, and for which thread key. */
record ClientKey(ClientType<?, ?> type, Target target, Object threadKey) {}
