/**
 * A local AWS emulator for tests and programs, with no AWS SDK dependency: {@link
 * io.github.clientsessions.testkit.emulator.AwsEmulators} starts one, {@link
 * io.github.clientsessions.testkit.emulator.AwsEmulatorExtension} hands one to JUnit 5 tests,
 * {@link io.github.clientsessions.testkit.emulator.SkippedTestsReport} prints the tests it skipped
 * on the build's console, and {@link
 * io.github.clientsessions.testkit.emulator.WithoutAwsCredentials} runs test code where the SDK's
 * default credentials chain finds nothing.
 *
 * <h2>Dependency</h2>
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>io.github.clientsessions</groupId>
 *   <artifactId>session-testkit</artifactId>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 *
 * JUnit Jupiter is expected on the test classpath (the testkit declares it {@code provided}).
 * For the LocalStack fallback add {@code org.testcontainers:testcontainers-localstack} (test
 * scope) yourself; the testkit declares it optional.
 *
 * <h2>In JUnit 5 tests</h2>
 *
 * <pre>{@code
 * @ExtendWith(AwsEmulatorExtension.class)
 * class InventoryIT {
 *   @Test
 *   void listsInstances(AwsEmulator emulator) {
 *     StsClient sts = StsClient.builder()
 *         .endpointOverride(emulator.endpoint())
 *         .region(Region.of(emulator.region()))
 *         .credentialsProvider(StaticCredentialsProvider.create(
 *             AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey())))
 *         .build();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * Or {@code @RegisterExtension static final AwsEmulatorExtension EMULATOR = new
 * AwsEmulatorExtension();} and {@code EMULATOR.get()}. One emulator serves the whole test run;
 * {@link io.github.clientsessions.testkit.emulator.AwsEmulator#reset()} clears its state, and a
 * moto emulator can be {@link io.github.clientsessions.testkit.emulator.AwsEmulator#stop()
 * stopped} and {@link io.github.clientsessions.testkit.emulator.AwsEmulator#restart() restarted}
 * on the same port to test outages.
 *
 * <h2>In plain Java</h2>
 *
 * <pre>{@code
 * try (AwsEmulator emulator = AwsEmulators.start()) {
 *   // configure clients with emulator.endpoint(), region(), accessKeyId(), secretAccessKey()
 * }
 * }</pre>
 *
 * <h2>Which emulator, and what happens without one</h2>
 *
 * <ol>
 *   <li>{@code CLIENTSESSIONS_AWS_ENDPOINT} (or {@code -Dclientsessions.aws.endpoint}) set: that
 *       endpoint is used and nothing is started (kind {@code "environment"}).
 *   <li>moto installed ({@code pip install 'moto[server]'}, moto 5.x; {@code python3 -c "import
 *       moto.server"} must work, {@code CLIENTSESSIONS_PYTHON} names another Python): a {@code
 *       python3 -m moto.server -H 127.0.0.1 -p PORT} child process on a free loopback port, its
 *       output in a temporary log file, killed on close and at JVM exit (kind {@code "moto"}).
 *   <li>Testcontainers' LocalStack module on the classpath and a Docker engine running: a
 *       LocalStack container (kind {@code "localstack"}; image overridable with {@code
 *       CLIENTSESSIONS_LOCALSTACK_IMAGE}).
 *   <li>None of these: the testkit's own {@link
 *       io.github.clientsessions.testkit.aws.SimulatedAws}, started in this JVM (kind {@code
 *       "simulated"}); it needs nothing but the JDK, checks signatures, and serves STS, EC2
 *       instances, images and regions, and Organizations' listing calls. Tests that need more
 *       (other services, moto's admin API, a restart) are marked {@link
 *       io.github.clientsessions.testkit.emulator.RequiresExternalEmulator}: on the simulated
 *       endpoint the extension <em>skips</em> them with the reason and what to install, except
 *       when the environment variable {@code CI=true}: there they <em>fail</em>, so a CI machine
 *       without an emulator cannot pass by skipping them.
 * </ol>
 *
 * The choice is logged at INFO. Moto and LocalStack accept any credentials; {@code
 * SimulatedAws} accepts its base key and the keys it issued, correctly signed. The dummy
 * credentials offered here are never printed by {@code toString()}.
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify): parameters, returns and type
 * arguments are non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.github.clientsessions.testkit.emulator;

import org.jspecify.annotations.NullMarked;
