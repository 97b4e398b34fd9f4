/**
 * Test doubles and tools for the engine: a {@link io.github.clientsessions.testkit.ManualClock},
 * strict fakes ({@link io.github.clientsessions.testkit.FakeCredentialSource}, {@link
 * io.github.clientsessions.testkit.FakeClientType}, {@link
 * io.github.clientsessions.testkit.FakeClient}) that fail the way production fails, a {@link
 * io.github.clientsessions.testkit.FaultyExecutor}, the {@link
 * io.github.clientsessions.testkit.ConcurrencyHarness} and the {@link
 * io.github.clientsessions.testkit.InvariantChecker} that property-based tests judge runs with.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.testkit;

import org.jspecify.annotations.NullMarked;
