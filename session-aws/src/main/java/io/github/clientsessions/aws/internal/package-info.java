/**
 * Helpers the AWS adapter's packages share (IAM and STS rules, the manager's parts for
 * discovery). Not an API: the module does not export this package.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.aws.internal;

import org.jspecify.annotations.NullMarked;
