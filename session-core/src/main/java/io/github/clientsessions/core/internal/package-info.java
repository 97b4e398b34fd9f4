/**
 * The engine: sessions (single-flight fetches, windows, backoff, deadlines), the client cache and
 * the manager that joins them. Not an API: the module exports this package only to the AWS
 * adapter, which shares its option and rate-limiting helpers; its types may change in any
 * release.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.core.internal;

import org.jspecify.annotations.NullMarked;
