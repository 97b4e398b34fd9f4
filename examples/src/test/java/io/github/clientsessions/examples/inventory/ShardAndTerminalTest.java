package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.fanout.Shard;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard of {@code --regions enabled}, and where the progress bar draws. */
class ShardAndTerminalTest {

  @Test
  void aShardWithRegionsEnabledAssumesOnlyItsOwnAccountsRoles() {
    List<String> accounts = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      accounts.add(String.format("9100000000%02d", i));
    }
    Set<String> mine = new TreeSet<>(Shard.of(0, 4).select(accounts, Account::of));
    assertThat(mine).as("a shard by the one rule (hash mod 4)").isNotEmpty()
        .hasSizeLessThan(accounts.size());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (SimulatedAws aws = SimulatedAws.start()) {
      aws.regions(List.of("eu-west-1", "us-east-1"));
      System.setProperty("aws.accessKeyId", aws.accessKeyId());
      System.setProperty("aws.secretAccessKey", aws.secretAccessKey());
      int code;
      try {
        code = InventoryCommand.run(new String[] {"--endpoint", aws.endpoint().toString(),
                "--accounts", String.join(",", accounts), "--regions", "enabled",
                "--shard", "0/4", "--format", "json"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
      } finally {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }

      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(aws.requests(Operation.STS_ASSUME_ROLE))
          .as("AssumeRole calls = the shard's accounts (not all 40)").isEqualTo(mine.size());
      for (String account : accounts) {
        assertThat(aws.requests(Operation.STS_ASSUME_ROLE, account)).as(account)
            .isEqualTo(mine.contains(account) ? 1 : 0);
      }
    }
    JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8))
        .getAsJsonObject();
    assertThat(json.getAsJsonObject("summary").get("targets").getAsInt())
        .isEqualTo(2 * mine.size());
    assertThat(json.getAsJsonObject("summary").get("assume_role_calls").getAsInt())
        .isEqualTo(mine.size());
    assertThat(json.getAsJsonArray("errors")).isEmpty();
    assertThat(json.getAsJsonArray("skipped")).isEmpty();
    Set<String> seen = new TreeSet<>();
    for (JsonElement e : json.getAsJsonArray("instances")) {
      seen.add(e.getAsJsonObject().get("account").getAsString());
    }
    assertThat(mine).containsAll(seen);
  }

  /**
   * With {@code --org}, the shard is cut from the organization's active accounts before their
   * regions are asked; shard 0 alone reports the suspended account (skipped accounts are
   * reported by shard 0, whatever shard they hash to).
   */
  @Test
  void anOrganizationShardWithRegionsEnabledAssumesOnlyItsOwnAccountsRoles() {
    List<String> accounts = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      accounts.add(String.format("9200000000%02d", i));
    }
    try (SimulatedAws aws = SimulatedAws.start()) {
      aws.regions(List.of("eu-west-1", "us-east-1"));
      aws.addOrganizationAccounts(accounts);
      aws.addOrganizationAccount("929999999999", "old-prod", "SUSPENDED",
          aws.organizationRoot(), java.util.Map.of());
      for (int shard : new int[] {1, 0}) {
        Set<String> mine = new TreeSet<>(Shard.of(shard, 4).select(accounts, Account::of));
        long before = aws.requests(Operation.STS_ASSUME_ROLE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setProperty("aws.accessKeyId", aws.accessKeyId());
        System.setProperty("aws.secretAccessKey", aws.secretAccessKey());
        int code;
        try {
          code = InventoryCommand.run(new String[] {"--endpoint", aws.endpoint().toString(),
                  "--org", "--exclude-management", "--regions", "enabled",
                  "--shard", shard + "/4", "--format", "json"},
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
          System.clearProperty("aws.accessKeyId");
          System.clearProperty("aws.secretAccessKey");
        }
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8))
            .getAsJsonObject();
        assertThat(aws.requests(Operation.STS_ASSUME_ROLE) - before).as("shard %d", shard)
            .isEqualTo(mine.size());
        assertThat(json.getAsJsonObject("summary").get("targets").getAsInt())
            .isEqualTo(2 * mine.size());
        assertThat(json.getAsJsonArray("skipped")).as("shard %d", shard)
            .hasSize(shard == 0 ? 1 : 0);
        if (shard == 1) {
          for (String account : accounts) {
            assertThat(aws.requests(Operation.STS_ASSUME_ROLE, account)).as(account)
                .isEqualTo(mine.contains(account) ? 1 : 0);
          }
        }
      }
    }
  }

  @Test
  void terminalDevicesAreTheTtyAndPtsOnes() {
    assertThat(StderrTerminal.isTerminalDevice("/dev/pts/3")).isTrue();
    assertThat(StderrTerminal.isTerminalDevice("/dev/tty1")).isTrue();
    assertThat(StderrTerminal.isTerminalDevice("/tmp/err.log")).isFalse();
    assertThat(StderrTerminal.isTerminalDevice("pipe:[12345]")).isFalse();
    assertThat(StderrTerminal.isTerminalDevice("/dev/null")).isFalse();
  }

  /**
   * The bar follows stderr, where it draws, not stdin and stdout: in a child JVM under {@code
   * script} (util-linux), which gives it a pseudo-terminal, with stdin and stdout redirected
   * away (the bar draws: {@code --format csv > out.csv}), then with stderr redirected to a file
   * (it does not: {@code 2> log}).
   */
  @Test
  void theBarFollowsStderrsTerminalNotStdinOrStdout(@TempDir Path dir) throws Exception {
    assumeTrue(new File("/usr/bin/script").canExecute(), "util-linux script is not installed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String probe = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
        + StderrTerminalProbe.class.getName() + " ";
    Path onlyStderr = dir.resolve("only-stderr");
    Path notStderr = dir.resolve("not-stderr");
    script(probe + "'" + onlyStderr + "' < /dev/null > /dev/null", dir);
    script(probe + "'" + notStderr + "' 2> '" + dir.resolve("err.log") + "'", dir);
    assertThat(Files.readString(onlyStderr)).as("stderr a terminal, stdin and stdout not")
        .isEqualTo("true");
    assertThat(Files.readString(notStderr)).as("stdin and stdout terminals, stderr a file")
        .isEqualTo("false");
  }

  /** Runs {@code command} on a new pseudo-terminal; bounded. */
  private static void script(String command, Path dir) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/script", "-qec", command, "/dev/null")
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(dir.resolve("script.out").toFile())
        .redirectErrorStream(true)
        .start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("script finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("script.out"))).isZero();
  }
}
