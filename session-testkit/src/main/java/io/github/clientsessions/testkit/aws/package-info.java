/**
 * An in-JVM AWS endpoint for tests, programs and benchmarks: {@link
 * io.github.clientsessions.testkit.aws.SimulatedAws} (STS, EC2 and Organizations in their own
 * protocols, SigV4 signatures checked, faults and latency scripted per test) and {@link
 * io.github.clientsessions.testkit.aws.InstanceSeeder}, which seeds EC2 instances in any emulator.
 * Needs nothing but the JDK.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.testkit.aws;

import org.jspecify.annotations.NullMarked;
