/**
 * Discovery: which accounts and regions to scan. {@link
 * io.github.clientsessions.aws.discovery.AwsDiscovery} lists an Organization's accounts (state,
 * OU path, tags) and the regions enabled in an account or offering a service; its {@link
 * io.github.clientsessions.aws.discovery.TargetSelection} turns them into the fan-out's targets
 * ({@link io.github.clientsessions.aws.discovery.SelectedTargets}), with what was skipped and why.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.aws.discovery;

import org.jspecify.annotations.NullMarked;
