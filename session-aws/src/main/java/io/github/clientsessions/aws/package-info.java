/**
 * The AWS SDK v2 adapter: {@link io.github.clientsessions.aws.AwsSessionManager} hands out SDK
 * clients for many accounts × regions × threads, assuming one IAM role per account through STS
 * once per credential lifetime, on the SDK-agnostic engine of {@code session-core}.
 *
 * <p>Public types: {@link io.github.clientsessions.aws.AwsSessionManager} (and its builder),
 * {@link io.github.clientsessions.aws.AwsResource} and
 * {@link io.github.clientsessions.aws.AwsResources}; for discovery,
 * {@link io.github.clientsessions.aws.AwsDiscovery}, its
 * {@link io.github.clientsessions.aws.TargetSelection} and
 * {@link io.github.clientsessions.aws.SelectedTargets}, the values
 * {@link io.github.clientsessions.aws.OrganizationAccount},
 * {@link io.github.clientsessions.aws.AccountState} and
 * {@link io.github.clientsessions.aws.OrganizationTarget}, and
 * {@link io.github.clientsessions.aws.OrganizationsException}. Everything else is
 * package-private.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.aws;

import org.jspecify.annotations.NullMarked;
