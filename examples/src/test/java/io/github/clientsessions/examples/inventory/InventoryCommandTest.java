package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "--format xml                                | unknown format 'xml'",
      "--affinity sticky                           | --affinity must be per-thread-name or shared",
      "--threads 0                                 | --threads must be at least 1",
      "--demo --accounts 111111111111              | --demo runs on its own emulator",
      "--accounts 111111111111 --org               | give --accounts or --org, not both",
      "--accounts 12345                            | '12345' is not a 12-digit AWS account ID",
      "--endpoint http://127.0.0.1:1               | --endpoint needs --accounts or --org",
      "--demo --regions all                        | --regions all needs a real account",
      "--accounts 111111111111 --regions mars-1    | mars-1",
      "--accounts 111111111111 --role a/b          | roleName",
      "--demo --regions enabled                    | --regions enabled needs a real account",
      "--accounts 111111111111 --ou r-abcd         | they need --org",
      "--accounts 111111111111 --exclude-management | they need --org",
      "--org --ou nope --endpoint http://127.0.0.1:1 | Invalid includeOus 'nope'",
      "--org --exclude-ou ou-x --endpoint http://127.0.0.1:1 | Invalid excludeOus 'ou-x'",
      "--org --exclude-accounts 12345 --endpoint http://127.0.0.1:1 | Invalid excludeAccounts '12345'",
      "--org --regions eu-west-9 --endpoint http://127.0.0.1:1 | eu-west-9",
      "--demo --shard 2/2                          | Invalid index '2'",
      "--accounts 111111111111 --shard x --endpoint http://127.0.0.1:1 | Invalid shard 'x'",
  })
  void usageErrorsExitWith2BeforeAnyCall(String args, String message) {
    int code = run(args.trim().split("\\s+"));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(message).contains("Usage:");
    assertThat(out.size()).isZero();
  }

  @Test
  void missingBaseCredentialsGiveOneClearLineAndExit3() {
    assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null
        && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
        && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
        && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
        && System.getenv("AWS_PROFILE") == null, "the environment provides AWS credentials");
    Map<String, String> properties = Map.of(
        "aws.sharedCredentialsFile", "/nonexistent/clientsessions/credentials",
        "aws.configFile", "/nonexistent/clientsessions/config",
        "aws.disableEc2Metadata", "true");
    properties.forEach(System::setProperty);
    assumeTrue(System.getProperty("aws.accessKeyId") == null, "system properties hold keys");
    int code;
    try {
      code = run("--accounts", "111111111111", "--endpoint", "http://127.0.0.1:1");
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }

    assertThat(code).isEqualTo(3);
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("inventory: no AWS credentials for the base identity.")
        .contains("AWS_ACCESS_KEY_ID", "/nonexistent/clientsessions/credentials",
            "/nonexistent/clientsessions/config", "profile 'default'", "instance metadata",
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
