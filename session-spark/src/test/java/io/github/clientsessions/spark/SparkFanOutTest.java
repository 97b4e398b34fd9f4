package io.github.clientsessions.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.fanout.FanOutFailures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** The driver-side rules, without a Spark session; and where Spark may be used. */
class SparkFanOutTest {

  private static ManagerSpec.Builder audit() {
    return ManagerSpec.builder().roleName("Audit");
  }

  /**
   * A value for every option of the spec: {@link #everyOptionOfTheSpecReachesTheExecutorsManager}
   * fails for an option missing here.
   */
  static final Map<String, Object> SAMPLES = Map.ofEntries(
      Map.entry("roleName", "OrganizationAuditRole"),
      Map.entry("sessionName", "inventory"),
      Map.entry("rolePath", "/audit/"),
      Map.entry("duration", Duration.ofMinutes(45)),
      Map.entry("externalId", "ext-1234"),
      Map.entry("tags", Map.of("team", "platform")),
      Map.entry("transitiveTagKeys", Set.of("team")),
      Map.entry("sourceIdentity", "alice"),
      Map.entry("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"),
      Map.entry("hubRole", "arn:aws:iam::999999999999:role/Hub"),
      Map.entry("permissionSet", "ReadOnly"),
      Map.entry("ssoSession", "my-sso"),
      Map.entry("ssoRegion", "us-east-1"),
      Map.entry("ssoCacheDirectory", "/var/cache/aws-sso"),
      Map.entry("defaultRegion", "eu-west-3"),
      Map.entry("stsRegion", "us-east-1"),
      Map.entry("endpointOverride", URI.create("http://127.0.0.1:4566")),
      Map.entry("threadAffinity", ThreadAffinity.shared()),
      Map.entry("prefetchWindow", Duration.ofMinutes(10)),
      Map.entry("staleWindow", Duration.ofMinutes(2)),
      Map.entry("maxJitter", Duration.ofMinutes(1)),
      Map.entry("failureBackoffInitial", Duration.ofSeconds(2)),
      Map.entry("failureBackoffMax", Duration.ofMinutes(1)),
      Map.entry("refreshTimeout", Duration.ofSeconds(20)),
      Map.entry("maximumClients", 500),
      Map.entry("clientIdleTimeout", Duration.ofMinutes(30)),
      Map.entry("closeGracePeriod", Duration.ofMinutes(1)),
      Map.entry("sessionIdleTimeout", Duration.ofHours(2)),
      Map.entry("maxConcurrentAssumeRole", 8),
      Map.entry("maxAssumeRoleRate", 50.0),
      Map.entry("assumeRoleQueueTimeout", Duration.ofSeconds(5)),
      Map.entry("baseCredentialsRecheck", Duration.ofMinutes(10)),
      Map.entry("sdkMetricsTags", Set.of("account", "region")),
      Map.entry("sdkMetricsMaxTagValues", 20));

  /**
   * The options of a manager with an IAM Identity Center permission set instead of a role: they
   * are the spec's like any other, but a job's spec with a permission set is refused (see
   * {@link #aPermissionSetDoesNotTravelToTheExecutors}).
   */
  static final Set<ManagerSpec.Option<?>> IDENTITY_CENTER = Set.of(ManagerSpec.PERMISSION_SET,
      ManagerSpec.SSO_SESSION, ManagerSpec.SSO_REGION, ManagerSpec.SSO_CACHE_DIRECTORY);

  /**
   * Every option of the spec travels to the executors (serialized as Spark serializes the task)
   * and reaches the manager an executor builds, as it is (the AssumeRole budget is each
   * executor's); the Identity Center ones are left unset (a permission set does not travel).
   */
  @Test
  void everyOptionOfTheSpecReachesTheExecutorsManager() throws Exception {
    ManagerSpec.Builder b = ManagerSpec.builder();
    for (ManagerSpec.Option<?> option : ManagerSpec.options()) {
      assertThat(SAMPLES).as("a sample for " + option.name()).containsKey(option.name());
      if (!IDENTITY_CENTER.contains(option)) {
        set(b, option, SAMPLES.get(option.name()));
      }
    }
    SparkManagerSpec spec = SparkManagerSpec.of(b.build()).withRegionConcurrency(3)
        .withIdleTimeout(Duration.ofMinutes(2));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(spec);
    }
    SparkManagerSpec travelled;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      travelled = (SparkManagerSpec) in.readObject();
    }
    assertThat(travelled).isEqualTo(spec);
    assertThat(travelled.regionConcurrency()).isEqualTo(3);
    assertThat(travelled.idleTimeout()).isEqualTo(Duration.ofMinutes(2));

    AwsSessionManagerBuilder executor = AwsSessionManager.builder();
    travelled.configure(executor);
    try (AwsSessionManager manager = executor.build()) {
      ManagerSpec built = manager.spec();
      for (ManagerSpec.Option<?> option : ManagerSpec.options()) {
        Object expected = IDENTITY_CENTER.contains(option) ? null : SAMPLES.get(option.name());
        assertThat((Object) built.get(option)).as(option.name()).isEqualTo(expected);
      }
    }
  }

  @Test
  void aPermissionSetDoesNotTravelToTheExecutors() {
    ManagerSpec.Builder b = ManagerSpec.builder();
    for (ManagerSpec.Option<?> option : IDENTITY_CENTER) {
      set(b, option, SAMPLES.get(option.name()));
    }
    ManagerSpec spec = b.maxAssumeRoleRate(10).build();
    assertThat(spec.permissionSet()).isEqualTo("ReadOnly");
    assertThatThrownBy(() -> SparkManagerSpec.of(spec))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.parameter()).isEqualTo("permissionSet");
          assertThat(e.rule()).contains("does not travel to the executors", "roleName");
        });
  }

  @SuppressWarnings("unchecked")
  private static <T> void set(ManagerSpec.Builder b, ManagerSpec.Option<T> option, Object value) {
    b.set(option, (T) value);
  }

  /**
   * The AssumeRole budget is each executor's, whatever the master says of the executor count
   * (local-cluster[4,…] counted 1); a job budget is divided by the most executors the user
   * states.
   */
  @Test
  void theBudgetIsEachExecutorsAndAJobBudgetIsDividedByTheMostExecutors() {
    SparkManagerSpec spec = SparkManagerSpec.of(audit().maxAssumeRoleRate(10)
        .maxConcurrentAssumeRole(8).build());
    assertThat(spec.spec().maxAssumeRoleRate()).isCloseTo(10.0, within(1e-9));
    assertThat(spec.spec().maxConcurrentAssumeRole()).isEqualTo(8);

    SparkManagerSpec job = SparkManagerSpec.ofJobBudget(audit().maxAssumeRoleRate(10)
        .maxConcurrentAssumeRole(8).build(), 4);
    assertThat(job.spec().maxAssumeRoleRate()).isCloseTo(2.5, within(1e-9));
    assertThat(job.spec().maxConcurrentAssumeRole()).isEqualTo(2);
    SparkManagerSpec defaults = SparkManagerSpec.ofJobBudget(audit().build(), 3);
    assertThat(defaults.spec().maxAssumeRoleRate()).as("the library's default is the job's")
        .isCloseTo(ManagerSpec.DEFAULT_MAX_ASSUME_ROLE_RATE / 3, within(1e-9));
    assertThat(defaults.spec().maxConcurrentAssumeRole())
        .isEqualTo(ManagerSpec.DEFAULT_MAX_CONCURRENT_ASSUME_ROLE / 3);
    assertThat(SparkManagerSpec.ofJobBudget(audit().maxConcurrentAssumeRole(2).build(), 5)
        .spec().maxConcurrentAssumeRole()).as("at least one in flight").isEqualTo(1);
    assertThatThrownBy(() -> SparkManagerSpec.ofJobBudget(audit().build(), 0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxExecutors");

    // the executor's manager has the spec's budget as it is
    try (ExecutorManagers.Lease lease = ExecutorManagers.acquire(job)) {
      assertThat(lease.manager().spec().maxAssumeRoleRate()).isCloseTo(2.5, within(1e-9));
      assertThat(lease.manager().spec().maxConcurrentAssumeRole()).isEqualTo(2);
    } finally {
      ExecutorManagers.closeAll();
    }
  }

  @Test
  void executorSettingsAreChecked() {
    SparkManagerSpec spec = SparkManagerSpec.of(audit().build());
    assertThat(spec.regionConcurrency()).isEqualTo(1);
    assertThat(spec.idleTimeout()).isEqualTo(SparkManagerSpec.DEFAULT_IDLE_TIMEOUT);
    assertThatThrownBy(() -> spec.withRegionConcurrency(0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("regionConcurrency");
    assertThatThrownBy(() -> spec.withIdleTimeout(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("idleTimeout");
  }

  @Test
  void badOptionsFailOnTheDriverNamingTheOption() {
    assertThatThrownBy(() -> SparkManagerSpec.of(ManagerSpec.defaults()))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("roleName"));
    assertThatThrownBy(() -> audit().maxAssumeRoleRate(-1))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("maxAssumeRoleRate"));
    assertThatThrownBy(() -> SparkManagerSpec.of(audit()
            .threadAffinity(thread -> thread.getName().substring(0, 1)).build()))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("threadAffinity"));
  }

  @Test
  void theSpecHoldsNoCredentialAndHidesTheExternalId() {
    for (Field f : SparkManagerSpec.class.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        assertThat(f.getType()).as(f.getName())
            .isIn(ManagerSpec.class, int.class, Duration.class);
      }
    }
    for (ManagerSpec.Option<?> option : ManagerSpec.options()) {
      assertThat(option.type()).as(option.name() + ": values, never a credentials provider")
          .isIn(String.class, Integer.class, Double.class, Duration.class, URI.class,
              ThreadAffinity.class, Map.class, Set.class);
    }
    SparkManagerSpec spec = SparkManagerSpec.of(audit().externalId("s3cr3t-ext-id").build());
    assertThat(spec.toString()).contains("Audit").doesNotContain("s3cr3t-ext-id");
  }

  /** The task Spark serializes carries the spec and the function, nothing else. */
  @Test
  void theTaskBodyHoldsOnlyTheSpecAndTheFunction() {
    assertThat(Arrays.stream(PartitionRunner.class.getDeclaredFields())
        .filter(f -> !Modifier.isStatic(f.getModifiers())).map(Field::getType))
        .containsExactlyInAnyOrder(SparkManagerSpec.class, SparkTargetFunction.class);
  }

  @Test
  void messagesAreCutAndLoseSecretLikeRuns() {
    String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"; // 40 characters
    assertThat(PartitionRunner.scrub("denied with " + key + " today"))
        .isEqualTo("denied with [redacted] today");
    assertThat(PartitionRunner.scrub("x".repeat(5000))).hasSizeLessThanOrEqualTo(1000);
    assertThat(PartitionRunner.scrub("Access denied for 123456789012/eu-west-1"))
        .isEqualTo("Access denied for 123456789012/eu-west-1");
    assertThat(PartitionRunner.scrub(null)).isNull();
  }

  /** Redact, then cut: a secret across the cut used to keep the part before it. */
  @Test
  void aSecretAcrossTheCutIsRedactedWholeNotHalfKept() {
    String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    String message = "x ".repeat(490) + key + " and more".repeat(20); // the key at 980..1020
    String scrubbed = PartitionRunner.scrub(message);
    assertThat(scrubbed).hasSizeLessThanOrEqualTo(PartitionRunner.MAX_MESSAGE)
        .doesNotContain(key.substring(0, 8)).contains("x x [redacted] and more");
  }

  /**
   * A row's status and error kind come from the fan-out's one classification ({@link
   * FanOutFailures}): a credential failure wrapped by another exception counts under its kind,
   * as in a {@code FanOutSummary}, and a rejected input is skipped.
   */
  @Test
  void rowsClassifyFailuresAsEveryFanOutDoes() {
    CredentialFetchException throttled = new CredentialFetchException(
        io.github.clientsessions.core.Account.of("123456789012"),
        "arn:aws:iam::123456789012:role/Audit", FailureKind.THROTTLED, "Rate exceeded", null);
    Map<String, Exception> thrown = Map.of(
        "111111111111", new IllegalStateException("Unable to load credentials", throttled),
        "222222222222", new RuntimeException(new InvalidInputException("region", "x", "known")),
        "333333333333", new java.io.IOException("reset"));
    PartitionRunner runner = SparkFanOut.runner(SparkManagerSpec.of(audit().build()),
        (manager, target) -> {
          throw thrown.get(target.account().id().orElseThrow());
        });

    Map<String, Row> rows = new java.util.HashMap<>();
    runner.call(thrown.keySet().stream().map(a -> RowFactory.create(a, "eu-west-1"))
        .iterator()).forEachRemaining(r -> rows.put(r.getString(0), r));

    assertThat(rows.get("111111111111").getString(2)).isEqualTo(SparkFanOut.FAILED);
    assertThat(rows.get("111111111111").getString(3)).isEqualTo("THROTTLED")
        .isEqualTo(FanOutFailures.kindOf(thrown.get("111111111111")));
    assertThat(rows.get("222222222222").getString(2)).isEqualTo(SparkFanOut.SKIPPED);
    assertThat(rows.get("222222222222").getString(3)).isEqualTo(FanOutFailures.INVALID_INPUT);
    assertThat(rows.get("333333333333").getString(2)).isEqualTo(SparkFanOut.FAILED);
    assertThat(rows.get("333333333333").getString(3)).isEqualTo("java.io.IOException");
  }

  /** Spark stays in this module: neither the core nor the AWS adapter may use it. */
  @Test
  void sparkStaysOutOfTheCoreAndTheAwsAdapter() {
    JavaClasses library = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.github.clientsessions.core", "io.github.clientsessions.fanout",
            "io.github.clientsessions.aws");
    assertThat(library.containPackage("io.github.clientsessions.aws")).isTrue();
    assertThat(library.containPackage("io.github.clientsessions.fanout")).isTrue();
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
        .check(library);
    JavaClasses spark = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.github.clientsessions.spark");
    classes().that().arePublic().and().areTopLevelClasses()
        .should().haveSimpleNameStartingWith("Spark").check(spark);
  }
}
