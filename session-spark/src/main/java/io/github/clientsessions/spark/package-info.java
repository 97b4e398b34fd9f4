/**
 * Apache Spark integration: run a per-target function over a dataset of (account, region)
 * targets, with targets partitioned by account so that each account's role is assumed on one
 * executor only, one shared manager per executor JVM built from a serializable {@link
 * io.github.clientsessions.spark.SparkManagerSpec}, and one result row per target.
 *
 * <p>Entry point: {@link io.github.clientsessions.spark.SparkFanOut}. Spark is a {@code
 * provided} dependency: the cluster supplies it.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.spark;

import org.jspecify.annotations.NullMarked;
