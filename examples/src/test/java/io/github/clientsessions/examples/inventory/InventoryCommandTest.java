package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.clientsessions.testkit.emulator.WithoutAwsCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Command-line checks that fail before any emulator or AWS call. */
class InventoryCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return InventoryCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "--format xml                                | --format 'xml' must be table, json or csv",
      "--affinity sticky                           | --affinity 'sticky' must be per-thread-name or shared",
      "--threads 0                                 | --threads '0' must be at least 1",
      "--threads x                                 | '--threads': 'x' is not an int",
      "--demo --accounts 111111111111              | --demo runs on its own emulator",
      "--accounts 111111111111 --org               | give --accounts or --org, not both",
      "--accounts 12345                            | --accounts '12345' must be exactly 12 digits",
      "--endpoint http://127.0.0.1:1               | --endpoint needs --accounts or --org",
      "--demo --regions all                        | --regions 'all' needs a real account",
      "--accounts 111111111111 --regions mars-1    | --regions 'mars-1' must be a lowercase AWS region code",
      "--accounts 111111111111 --role a/b          | --role 'a/b' has a path; --role takes the role's name without it: --role b",
      "--demo --regions enabled                    | --regions 'enabled' needs a real account",
      "--accounts 111111111111 --ou r-abcd         | they need --org",
      "--accounts 111111111111 --exclude-management | they need --org",
      "--org --ou nope --endpoint http://127.0.0.1:1 | --ou 'nope' must be a root ID (r-…) or an OU ID",
      "--org --exclude-ou ou-x --endpoint http://127.0.0.1:1 | --exclude-ou 'ou-x' must be a root ID",
      "--org --exclude-accounts 12345 --endpoint http://127.0.0.1:1 | --exclude-accounts '12345' must be exactly 12 digits",
      "--org --regions eu-west-9 --endpoint http://127.0.0.1:1 | --regions 'eu-west-9' is not a region known to this AWS SDK version",
      "--org --regions eu-west-1,eu-west-9 --endpoint http://127.0.0.1:1 | --regions 'eu-west-9' is not a region known",
      "--demo --shard 2/2                          | --shard '2/2': I must be in [0, 2) for 2 shards",
      "--accounts 111111111111 --shard x --endpoint http://127.0.0.1:1 | --shard 'x' must be I/N, e.g. 0/4",
      "--session-name x                            | --session-name 'x' must be 2 to 64 characters",
      "--regions                                   | Missing required parameter for option '--regions'",
      "--regon eu-west-1                           | Unknown options: '--regon', 'eu-west-1' (did you mean --regions?)",
  })
  void everyUsageErrorIsOneLineNamingTheFlagThenAPointerToHelpAndExit2(String args,
      String message) {
    assertOneLineUsageError(run(args.trim().split("\\s+")), message);
  }

  /** Exit 2; stderr: one line naming the flag, value and rule, then the pointer; no usage. */
  private void assertOneLineUsageError(int code, String message) {
    assertThat(code).isEqualTo(2);
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).as("stderr: %s", lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("inventory: ").contains(message);
    assertThat(lines.get(1)).isEqualTo("Try 'inventory --help' for more information.");
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Usage:");
    assertThat(out.size()).isZero();
  }

  @Test
  void aBadRegionNamesTheRegionsFlagNotTheBuildersDefaultRegion() {
    assertOneLineUsageError(run("--accounts", "111111111111", "--regions", "eu-west-9"),
        "--regions 'eu-west-9' is not a region known to this AWS SDK version");
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("defaultRegion");
  }

  @Test
  void aRoleArnGivenToRoleSaysTheFlagTakesARoleNameNotTheJavaOverride() {
    assertOneLineUsageError(run("--accounts", "111111111111", "--role",
            "arn:aws:iam::111111111111:role/Auditor", "--endpoint", "http://127.0.0.1:1"),
        "--role 'arn:aws:iam::111111111111:role/Auditor' is a role ARN; --role takes the role's"
            + " name: --role Auditor");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .doesNotContain("roleName", "roleArnOverride", "hubRole");
  }

  @Test
  void aZeroShardCountNamesTheShardFlagAndItsN() {
    assertOneLineUsageError(run("--accounts", "111111111111", "--shard", "1/0"),
        "--shard '1/0': N must be at least 1");
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Invalid count");
  }

  @Test
  void aMalformedOuNamesTheOuFlag() {
    assertOneLineUsageError(run("--org", "--ou", "nope", "--endpoint", "http://127.0.0.1:1"),
        "--ou 'nope' must be a root ID (r-…) or an OU ID (ou-…-…)");
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("includeOus");
  }

  @Test
  void anEndpointWithoutSchemeIsAUsageErrorSuggestingHttpNotAUriSyntaxException() {
    assertOneLineUsageError(run("--accounts", "111111111111", "--endpoint", "127.0.0.1:5055"),
        "--endpoint '127.0.0.1:5055' must be an absolute http or https URI with a host, e.g."
            + " http://127.0.0.1:5000 (did you mean http://127.0.0.1:5055?)");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .doesNotContain("URISyntaxException", "endpointOverride");
  }

  @Test
  void anEndpointWithAPasswordIsNeverEchoed() {
    assertOneLineUsageError(run("--accounts", "111111111111", "--endpoint",
        "ftp://admin:hunter2@127.0.0.1:5055"), "--endpoint 'ftp://***@127.0.0.1:5055' must be");
    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2");
  }

  @Test
  void anUnknownRegionAfterAKnownOneFailsBeforeAnyCallNotAfterAssumeRole() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.createContext("/", exchange -> {
      requests.incrementAndGet(); // AssumeRole, or any other call: none is expected
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    server.start();
    Map<String, String> keys = Map.of("aws.accessKeyId", "AKIDTEST",
        "aws.secretAccessKey", "test-secret"); // base credentials, so AssumeRole could happen
    keys.forEach(System::setProperty);
    try {
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
      assertOneLineUsageError(run("--accounts", "111111111111,222222222222", "--regions",
              "eu-west-1,eu-west-9", "--endpoint", endpoint),
          "--regions 'eu-west-9' is not a region known to this AWS SDK version");
      out.reset();
      err.reset();
      assertOneLineUsageError(run("--demo", "--regions", "eu-west-1,eu-west-9"),
          "--regions 'eu-west-9' is not a region known");
      assertThat(err.toString(StandardCharsets.UTF_8))
          .as("no emulator started").doesNotContain("starting");
    } finally {
      keys.keySet().forEach(System::clearProperty);
      server.stop(0);
    }
    assertThat(requests).as("no AssumeRole, no call at all").hasValue(0);
  }

  @Test
  void regionsOfTwoPartitionsAreAUsageErrorBeforeAnyCall() {
    assertOneLineUsageError(run("--accounts", "111111111111", "--regions",
            "eu-west-1,cn-north-1", "--endpoint", "http://127.0.0.1:1"),
        "--regions 'cn-north-1' is in another partition than the first region");
  }

  @Test
  void missingBaseCredentialsGiveOneClearLineAndExit3() throws Exception {
    int code = WithoutAwsCredentials.call(
        () -> run("--accounts", "111111111111", "--endpoint", "http://127.0.0.1:1"));

    assertThat(code).isEqualTo(3);
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("inventory: no AWS credentials for the base identity.")
        .contains("AWS_ACCESS_KEY_ID", WithoutAwsCredentials.CREDENTIALS_FILE,
            WithoutAwsCredentials.CONFIG_FILE, "profile 'default'", "instance metadata",
            "aws configure");
    assertThat(out.size()).isZero();
  }

  @Test
  void helpListsEveryOption() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--accounts", "--org", "--regions",
        "--role", "--session-name", "--threads", "--affinity", "--endpoint", "--format",
        "--demo", "--shard", "--ou", "--exclude-ou", "--exclude-accounts", "--exclude-management",
        "enabled|all|LIST", "Exit codes:");
  }
}
