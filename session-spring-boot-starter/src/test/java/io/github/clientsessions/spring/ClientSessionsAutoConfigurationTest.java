package io.github.clientsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The auto-configuration without an emulator: binding, defaults, back-off, errors, health. */
class ClientSessionsAutoConfigurationTest {

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ClientSessionsAutoConfiguration.class,
          ClientSessionsMetricsAutoConfiguration.class,
          ClientSessionsHealthAutoConfiguration.class));

  /** Dummy static base credentials, so that no test reads the machine's credentials chain. */
  @Configuration(proxyBeanMethods = false)
  static class StaticBaseCredentials {
    @Bean
    ClientSessionsBuilderCustomizer staticBaseCredentials() {
      return b -> b.baseCredentials(
          StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }
  }

  @Test
  void withNoPropertiesTheManagerHasTheLibrarysDefaults() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(AwsSessionManager.class)
          .hasSingleBean(ClientSessionsHealthIndicator.class)
          .doesNotHaveBean(ClientSessionsMetrics.class); // no MeterRegistry here
      AwsSessionManager sm = context.getBean(AwsSessionManager.class);
      assertThat(sm.defaultRegion()).isEqualTo("eu-west-1");
      assertThat(sm.stsRegion()).isEqualTo("eu-west-1");
      assertThat(sm.toString()).contains("role=none", "session=default",
          "affinity=" + io.github.clientsessions.core.ThreadAffinity.perThreadName());
      assertThat(sm.isShared()).isFalse();
      assertThat(sm.stats().fetches()).as("building the manager calls nothing").isZero();
    });
  }

  /**
   * A value for every option of the spec, as a property's text: {@link
   * #everyOptionOfTheSpecIsAPropertyAndReachesTheManager} fails for an option missing here.
   */
  static final Map<String, String> SAMPLES = Map.ofEntries(
      Map.entry("role-name", "OrganizationAuditRole"),
      Map.entry("session-name", "inventory"),
      Map.entry("role-path", "/audit/"),
      Map.entry("duration", "45m"),
      Map.entry("external-id", "ext-1234"),
      Map.entry("tags.team", "platform"),
      Map.entry("transitive-tag-keys", "team"),
      Map.entry("source-identity", "alice"),
      Map.entry("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[]}"),
      Map.entry("hub-role", "arn:aws:iam::999999999999:role/Hub"),
      Map.entry("sso.permission-set", "ReadOnly"),
      Map.entry("sso.session", "my-sso"),
      Map.entry("sso.region", "us-east-1"),
      Map.entry("sso.cache-directory", "/var/cache/aws-sso"),
      Map.entry("default-region", "eu-west-3"),
      Map.entry("sts-region", "us-east-1"),
      Map.entry("endpoint", "http://127.0.0.1:4566"),
      Map.entry("thread-affinity", "shared"),
      Map.entry("refresh.prefetch-window", "10m"),
      Map.entry("refresh.stale-window", "2m"),
      Map.entry("refresh.max-jitter", "1m"),
      Map.entry("refresh.failure-backoff-initial", "2s"),
      Map.entry("refresh.failure-backoff-max", "1m"),
      Map.entry("refresh.timeout", "20s"),
      Map.entry("cache.maximum-clients", "500"),
      Map.entry("cache.idle-timeout", "30m"),
      Map.entry("cache.close-grace-period", "1m"),
      Map.entry("cache.session-idle-timeout", "2h"),
      Map.entry("assume-role.max-concurrent", "8"),
      Map.entry("assume-role.max-rate", "50.5"),
      Map.entry("assume-role.queue-timeout", "5s"),
      Map.entry("base-credentials-recheck", "10m"),
      Map.entry("sdk-metrics.tags", "account,region"),
      Map.entry("sdk-metrics.max-tag-values", "20"));

  /** The samples of the options of a manager with a permission set instead of a role. */
  static final Set<String> IDENTITY_CENTER = Set.of("sso.permission-set", "sso.session",
      "sso.region", "sso.cache-directory");
  /** The samples of the options of AssumeRole, which a manager with a permission set refuses. */
  static final Set<String> ASSUME_ROLE = Set.of("role-name", "session-name", "role-path",
      "duration", "external-id", "tags.team", "transitive-tag-keys", "source-identity", "policy",
      "hub-role");

  /** {@link #SAMPLES} but {@code leftOut}, as properties. */
  static String[] samplesBut(Set<String> leftOut) {
    return SAMPLES.entrySet().stream().filter(e -> !leftOut.contains(e.getKey()))
        .map(e -> ClientSessionsProperties.PREFIX + "." + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  /**
   * A manager gets other accounts' credentials one way, so the options are bound in two
   * contexts: every sample but the permission set's, then every sample but AssumeRole's; each
   * option must reach the manager in one of them.
   */
  @Test
  void everyOptionOfTheSpecIsAPropertyAndReachesTheManager() {
    Set<ManagerSpec.Option<?>> bound = new java.util.HashSet<>();
    runner.withPropertyValues(samplesBut(ASSUME_ROLE))
        .withUserConfiguration(StaticBaseCredentials.class)
        .run(context -> {
          assertThat(context).hasNotFailed();
          AwsSessionManager sm = context.getBean(AwsSessionManager.class);
          ManagerSpec spec = sm.spec();
          for (ManagerSpec.Option<?> option : ManagerSpec.options()) {
            if (spec.isSet(option)) {
              bound.add(option);
              assertThat((Object) spec.get(option)).as(option.key())
                  .isEqualTo(option.parse(SAMPLES.get(option.key())));
            }
          }
          assertThat(sm.toString()).contains("permissionSet=ReadOnly", "ssoSession=my-sso");
          assertThat(sm.stats().fetches()).as("no sign-in needed to start").isZero();
        });
    String[] properties = samplesBut(IDENTITY_CENTER);
    runner.withPropertyValues(properties)
        .withPropertyValues("clientsessions.metrics.name=audit",
            "clientsessions.health.failure-window=5m",
            "clientsessions.health.max-accounts-shown=3")
        .run(context -> {
          assertThat(context).hasNotFailed();
          ManagerSpec spec = context.getBean(AwsSessionManager.class).spec();
          for (ManagerSpec.Option<?> option : ManagerSpec.options()) {
            if (!spec.isSet(option)) {
              continue;
            }
            bound.add(option);
            Object expected = option.type() == Map.class
                ? Map.of("team", "platform") : option.parse(SAMPLES.get(option.key()));
            assertThat((Object) spec.get(option)).as(option.key()).isEqualTo(expected);
          }
          ClientSessionsProperties p = context.getBean(ClientSessionsProperties.class);
          assertThat(p.getMetrics().getName()).isEqualTo("audit");
          assertThat(p.getHealth().getFailureWindow()).isEqualTo(Duration.ofMinutes(5));
          assertThat(p.getHealth().getMaxAccountsShown()).isEqualTo(3);

          AwsSessionManager sm = context.getBean(AwsSessionManager.class);
          assertThat(sm.roleArn("123456789012"))
              .isEqualTo("arn:aws:iam::123456789012:role/audit/OrganizationAuditRole");
          assertThat(sm.toString()).contains("role=OrganizationAuditRole", "session=inventory",
              "affinity=" + io.github.clientsessions.core.ThreadAffinity.shared());
          assertThat(spec.toString()).as("secrets never printed")
              .doesNotContain("ext-1234", "2012-10-17");
        });
    for (ManagerSpec.Option<?> option : ManagerSpec.options()) {
      assertThat(bound).as(option.name() + " (" + option.key() + ") is set from its property;"
          + " add a sample for it to SAMPLES").contains(option);
    }
  }

  @Test
  void theReadmesPropertiesSnippetStartsAManager() throws IOException {
    Matcher block = Pattern.compile("## Properties.*?```properties\n(.*?)```", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("README.md")));
    assertThat(block.find()).as("README.md has a properties block under Properties").isTrue();
    String[] properties = block.group(1).strip().split("\n");
    assertThat(properties).hasSizeGreaterThan(2);
    runner.withPropertyValues(properties).run(context -> {
      assertThat(context).hasNotFailed();
      AwsSessionManager sm = context.getBean(AwsSessionManager.class);
      assertThat(sm.toString()).contains("role=OrganizationAuditRole");
      assertThat(sm.defaultRegion()).isEqualTo("eu-west-3");
    });
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "clientsessions.role-name          | arn:aws:iam::1:role/x | roleName takes the name after the last '/'",
      "clientsessions.session-name       | x                     | 2 to 64",
      "clientsessions.role-path          | audit                 | ",
      "clientsessions.external-id        | x                     | value not shown",
      "clientsessions.duration           | 10m                   | ",
      "clientsessions.sso.permission-set | arn:aws:sso:::permissionSet/x | not its ARN",
      "clientsessions.sso.session        | ' '                   | non-blank",
      "clientsessions.sso.region         | eu-west-1             | needs a permissionSet",
      "clientsessions.default-region     | eu-west-9             | not a region known",
      "clientsessions.sts-region         | EU                    | lowercase AWS region code",
      "clientsessions.endpoint           | ftp://x               | absolute http or https URI",
      "clientsessions.refresh.prefetch-window | 30s              | at least the stale window",
      "clientsessions.refresh.stale-window | -1s                 | must not be negative",
      "clientsessions.refresh.max-jitter | 10m                   | between zero and",
      "clientsessions.refresh.timeout    | 0s                    | must be positive",
      "clientsessions.cache.maximum-clients | 0                  | at least 1",
      "clientsessions.cache.idle-timeout | 0s                    | must be positive",
      "clientsessions.cache.close-grace-period | -1s             | must not be negative",
      "clientsessions.cache.session-idle-timeout | 0s            | must be positive",
      "clientsessions.assume-role.max-concurrent | 0             | at least 1",
      "clientsessions.assume-role.max-rate | -5                  | positive, finite",
      "clientsessions.assume-role.queue-timeout | 0s             | must be positive",
      "clientsessions.health.failure-window | 0s                 | must be positive",
      "clientsessions.health.max-accounts-shown | -1            | must not be negative",
      "clientsessions.health.down-share | 0                     | more than 0 and at most 1",
      "clientsessions.health.down-share | 1.5                   | more than 0 and at most 1"})
  void invalidValuesFailStartUpNamingThePropertyAndTheRule(String property, String value,
      String rule) {
    runner.withPropertyValues(property + "=" + value).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      while (failure != null && !(failure instanceof InvalidConfigurationPropertyValueException)) {
        failure = failure.getCause();
      }
      assertThat(failure).as("an InvalidConfigurationPropertyValueException in "
          + context.getStartupFailure()).isNotNull();
      InvalidConfigurationPropertyValueException e =
          (InvalidConfigurationPropertyValueException) failure;
      assertThat(e.getName()).isEqualTo(property);
      assertThat(e.getReason()).isNotBlank().doesNotStartWith("Invalid ");
      if (rule != null) {
        assertThat(e.getReason()).contains(rule);
      }
      if (property.endsWith("external-id")) {
        assertThat(e.getValue()).isEqualTo("***");
        assertThat(e.getMessage()).doesNotContain("'x'");
      }
    });
  }

  @Test
  void aRuleBrokenByAnOptionAtItsDefaultNamesThatOptionsPropertyAndSaysItIsUnset() {
    // the stale window alone is longer than the default prefetch window (5 min)
    runner.withPropertyValues("clientsessions.refresh.stale-window=10m").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
            assertThat(e.getName()).isEqualTo("clientsessions.refresh.prefetch-window");
            assertThat(e.getValue()).isEqualTo("PT5M");
            assertThat(e.getReason()).contains("at least the stale window (PT10M)",
                "clientsessions.refresh.prefetch-window is not set");
          });
    });
  }

  @Test
  void aCustomizersInvalidValueForAnOptionWithoutAPropertyKeepsTheLibrarysMessage() {
    runner.withBean(ClientSessionsBuilderCustomizer.class,
            () -> b -> b.emulator(java.net.URI.create("http://127.0.0.1:1"), " ", "secret"))
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(io.github.clientsessions.core.InvalidInputException.class)
              .hasMessageContaining("Invalid accessKeyId");
        });
  }

  @Test
  void aRoleChainingDurationIsCheckedAgainstTheCustomizersHubRole() {
    // the duration property is checked at build() together with a customizer's hub role
    runner.withPropertyValues("clientsessions.role-name=Audit", "clientsessions.duration=2h")
        .withBean(ClientSessionsBuilderCustomizer.class,
            () -> b -> b.hubRole("arn:aws:iam::999999999999:role/Hub"))
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("clientsessions.duration");
        });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnManager() {
    AwsSessionManager own = AwsSessionManager.builder().defaultRegion("ap-southeast-2").build();
    runner.withPropertyValues("clientsessions.default-region=eu-west-3")
        .withBean("myManager", AwsSessionManager.class, () -> own)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(AwsSessionManager.class);
          assertThat(context.getBean(AwsSessionManager.class)).isSameAs(own);
          assertThat(context).hasSingleBean(ClientSessionsHealthIndicator.class);
        });
    assertThat(own.isClosed()).as("Spring closes the application's bean as it closes any")
        .isTrue();
  }

  @Test
  void theManagerIsClosedWithTheContext() {
    AwsSessionManager[] seen = new AwsSessionManager[1];
    runner.run(context -> {
      seen[0] = context.getBean(AwsSessionManager.class);
      assertThat(seen[0].isClosed()).isFalse();
    });
    assertThat(seen[0].isClosed()).isTrue();
  }

  @Test
  void customizersApplyInOrderAfterTheProperties() {
    runner.withUserConfiguration(StaticBaseCredentials.class)
        .withPropertyValues("clientsessions.role-name=Audit")
        .withBean(ClientSessionsBuilderCustomizer.class, () -> b -> b.rolePath("/ops/"))
        .run(context -> assertThat(context.getBean(AwsSessionManager.class).roleArn("123456789012"))
            .isEqualTo("arn:aws:iam::123456789012:role/ops/Audit"));
  }

  @Test
  void healthIsUpWithoutFailuresAndDownWhenAnAccountsFetchFailed() throws IOException {
    int refused;
    try (ServerSocket s = new ServerSocket(0)) {
      refused = s.getLocalPort(); // closed again: connections to it are refused
    }
    runner.withUserConfiguration(StaticBaseCredentials.class)
        .withPropertyValues("clientsessions.role-name=Audit",
            "clientsessions.endpoint=http://127.0.0.1:" + refused,
            "clientsessions.health.max-accounts-shown=1")
        .run(context -> {
          ClientSessionsHealthIndicator indicator =
              context.getBean(ClientSessionsHealthIndicator.class);
          Health up = indicator.health();
          assertThat(up.getStatus()).isEqualTo(Status.UP);
          assertThat(up.getDetails()).containsEntry("failingAccounts", 0)
              .containsEntry("sessions", 0).doesNotContainKey("accounts");

          AwsSessionManager sm = context.getBean(AwsSessionManager.class);
          for (String id : new String[] {"111111111111", "222222222222"}) {
            ThrowableAssert.ThrowingCallable fetch = () -> sm.credentials(Account.of(id));
            org.assertj.core.api.Assertions.assertThatThrownBy(fetch)
                .isInstanceOf(CredentialFetchException.class);
          }
          long fetches = sm.stats().fetches();

          Health down = indicator.health();
          assertThat(down.getStatus()).as("every account fails: at least the down-share")
              .isEqualTo(Status.DOWN);
          assertThat(down.getDetails()).containsEntry("failingAccounts", 2)
              .containsEntry("reason", "2 of 2 accounts fail, at least the down-share 0.5")
              .containsEntry("sessions", 2);
          @SuppressWarnings("unchecked")
          Map<String, Map<String, Object>> accounts =
              (Map<String, Map<String, Object>>) down.getDetails().get("accounts");
          assertThat(accounts).as("max-accounts-shown=1: the most recent").containsOnlyKeys(
              "222222222222");
          assertThat(accounts.get("222222222222"))
              .containsEntry("kind", FailureKind.NETWORK.name())
              .containsEntry("consecutiveFailures", 1)
              .containsKeys("failedAt", "detail");
          assertThat(sm.stats().fetches()).as("health checks call no STS").isEqualTo(fetches);
        });
  }

  /** What the SDK's default chain throws when it finds no credentials: 1,300+ characters. */
  static final String CHAIN_TEXT = "Unable to load credentials from any of the providers in the"
      + " chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider"
      + "(), EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider(),"
      + " ProfileCredentialsProvider(profileName=default, profileFile=ProfileFile(sections=[])),"
      + " ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) : ["
      + "SystemPropertyCredentialsProvider(): Unable to load credentials from system settings."
      + " Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or"
      + " system property (aws.accessKeyId).,\n EnvironmentVariableCredentialsProvider(): Unable"
      + " to load credentials from system settings. Access key must be specified either via"
      + " environment variable (AWS_ACCESS_KEY_ID) or system property (aws.accessKeyId).,\n"
      + " WebIdentityTokenCredentialsProvider(): Either the environment variable"
      + " AWS_WEB_IDENTITY_TOKEN_FILE or the javaproperty aws.webIdentityTokenFile must be set.,\n"
      + " ProfileCredentialsProvider(profileName=default, profileFile=ProfileFile(sections=[])):"
      + " Profile file contained no credentials for profile 'default': ProfileFile(sections=[]),"
      + "\n ContainerCredentialsProvider(): Cannot fetch credentials from container - neither"
      + " AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI environment"
      + " variables are set.,\n InstanceProfileCredentialsProvider(): Failed to load credentials"
      + " from IMDS.]";

  @Test
  void withoutBaseCredentialsTheHealthDetailIsTheLibrarysOneLineNotTheSdkChainText() {
    runner.withPropertyValues("clientsessions.role-name=Audit")
        .withBean(ClientSessionsBuilderCustomizer.class, () -> b -> b.baseCredentials(() -> {
          throw software.amazon.awssdk.core.exception.SdkClientException.create(CHAIN_TEXT);
        }))
        .run(context -> {
          AwsSessionManager sm = context.getBean(AwsSessionManager.class);
          org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> sm.credentials(Account.current()))
              .isInstanceOf(CredentialFetchException.class);

          Health down = context.getBean(ClientSessionsHealthIndicator.class).health();
          assertThat(down.getStatus()).isEqualTo(Status.DOWN);
          @SuppressWarnings("unchecked")
          Map<String, Map<String, Object>> accounts =
              (Map<String, Map<String, Object>>) down.getDetails().get("accounts");
          assertThat(accounts.get("current"))
              .containsEntry("kind", FailureKind.NO_CREDENTIALS.name());
          assertThat(down.getDetails())
              .containsEntry("reason", "the base identity fails (NO_CREDENTIALS)");
          assertThat((String) accounts.get("current").get("detail"))
              .startsWith("no AWS credentials for the base identity")
              .doesNotContain("\n", "ProviderChain", "IMDS")
              .hasSizeLessThanOrEqualTo(ClientSessionsHealthIndicator.MAX_DETAIL);
        });
  }

  @Test
  void anyHealthDetailIsOneBoundedLine() {
    String longText = ("line one\n\tline two " + "x".repeat(2000)).repeat(2);
    assertThat(ClientSessionsHealthIndicator.oneLine(longText))
        .doesNotContain("\n", "\t").hasSize(ClientSessionsHealthIndicator.MAX_DETAIL)
        .startsWith("line one line two x").endsWith("…");
    assertThat(ClientSessionsHealthIndicator.oneLine(" short\r\n detail "))
        .isEqualTo("short detail");
    assertThat(ClientSessionsHealthIndicator.oneLine(" ")).isNull();
    assertThat(ClientSessionsHealthIndicator.oneLine(null)).isNull();
  }

  @Test
  void healthIsDownOnceTheManagerIsClosed() {
    runner.run(context -> {
      context.getBean(AwsSessionManager.class).close();
      Health h = context.getBean(ClientSessionsHealthIndicator.class).health();
      assertThat(h.getStatus()).isEqualTo(Status.DOWN);
      assertThat(h.getDetails()).containsEntry("closed", true);
    });
  }

  @Test
  void theHealthIndicatorCanBeDisabled() {
    runner.withPropertyValues("management.health.clientsessions.enabled=false")
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(ClientSessionsHealthIndicator.class)
            .hasSingleBean(AwsSessionManager.class));
  }
}
