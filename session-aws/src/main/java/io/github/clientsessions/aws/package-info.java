/**
 * The AWS SDK v2 adapter: {@link io.github.clientsessions.aws.AwsSessionManager} hands out SDK
 * clients for many accounts × regions × threads, assuming one IAM role per account through STS
 * once per credential lifetime, on the SDK-agnostic engine of {@code session-core}. With it come
 * its builder, {@link io.github.clientsessions.aws.AwsResource} and
 * {@link io.github.clientsessions.aws.AwsResources}, and
 * {@link io.github.clientsessions.aws.CredentialsRejectedException}. Discovery (accounts of an
 * Organization, regions) is in {@code io.github.clientsessions.aws.discovery}. Everything else is
 * package-private.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.aws;

import org.jspecify.annotations.NullMarked;
