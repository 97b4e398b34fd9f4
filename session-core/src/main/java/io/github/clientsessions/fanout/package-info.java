/**
 * Fan-out: run one function over many targets (accounts × regions) with bounded parallelism,
 * per-target outcomes and typed errors, a progress callback, a deadline and cancellation.
 *
 * <p>It knows nothing of sessions: a task usually asks a {@code SessionManager} for its client,
 * but the fan-out itself only schedules, bounds and records. Public types: {@link
 * io.github.clientsessions.fanout.FanOut} (and its builder), {@link
 * io.github.clientsessions.fanout.FanOutTask}, {@link io.github.clientsessions.fanout.FanOutRun},
 * {@link io.github.clientsessions.fanout.FanOutResult}, {@link
 * io.github.clientsessions.fanout.FanOutOutcome}, {@link
 * io.github.clientsessions.fanout.FanOutProgressListener} and {@link
 * io.github.clientsessions.fanout.FanOutFailedException}; for more targets than results fit in
 * memory, {@link io.github.clientsessions.fanout.StreamingFanOut} and its {@link
 * io.github.clientsessions.fanout.FanOutSummary}; for splitting targets over machines, {@link
 * io.github.clientsessions.fanout.Shard}. The engines that run them are package-private.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.fanout;

import org.jspecify.annotations.NullMarked;
