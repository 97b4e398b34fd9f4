/**
 * What an adapter implements to put the engine in front of a cloud SDK: a
 * {@link io.github.clientsessions.core.spi.CredentialSource} fetches an account's credentials
 * with their expiry ({@link io.github.clientsessions.core.spi.ExpiringCredentials}); a
 * {@link io.github.clientsessions.core.spi.ClientType} builds and closes one kind of client on
 * {@link io.github.clientsessions.core.spi.LiveCredentials}; a
 * {@link io.github.clientsessions.core.spi.TargetValidator} adds the adapter's rules for account
 * IDs and regions. The AWS adapter ({@code session-aws}) and the testkit's fakes implement them.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.core.spi;

import org.jspecify.annotations.NullMarked;
