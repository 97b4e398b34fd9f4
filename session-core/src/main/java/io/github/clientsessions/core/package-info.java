/**
 * What applications use: {@link io.github.clientsessions.core.SessionManager} hands out cached
 * clients per (client type, account, region, thread key), fetching each account's credentials
 * once per credential lifetime; with it come {@link io.github.clientsessions.core.Account} and
 * {@link io.github.clientsessions.core.Target}, the policies
 * ({@link io.github.clientsessions.core.RefreshPolicy},
 * {@link io.github.clientsessions.core.CachePolicy},
 * {@link io.github.clientsessions.core.ThreadAffinity}), the clock, stats, the
 * {@link io.github.clientsessions.core.SessionManagerFactory} and the exceptions.
 *
 * <p>What an adapter implements (credential sources, client types) is in
 * {@code io.github.clientsessions.core.spi}; the engine itself is internal.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.core;

import org.jspecify.annotations.NullMarked;
