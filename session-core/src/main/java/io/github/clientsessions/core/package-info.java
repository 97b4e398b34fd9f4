/**
 * The SDK-agnostic session engine: {@link io.github.clientsessions.core.SessionManager} hands out
 * cached clients per (client type, account, region, thread key), fetching each account's
 * credentials through a {@link io.github.clientsessions.core.CredentialSource} once per
 * credential lifetime and building clients with a {@link io.github.clientsessions.core.ClientBuilder}.
 *
 * <p>Public types are the interfaces and values a program or an adapter needs (the manager and
 * its builder, sources and builders, accounts and targets, thread affinity, the clock, stats,
 * the factory and the exceptions); the engine's implementation (sessions, the client cache,
 * their configuration) is package-private.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.core;

import org.jspecify.annotations.NullMarked;
