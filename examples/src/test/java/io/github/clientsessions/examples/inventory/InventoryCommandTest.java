package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
  })
  void usageErrorsExitWith2BeforeAnyCall(String args, String message) {
    int code = run(args.trim().split("\\s+"));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(message).contains("Usage:");
    assertThat(out.size()).isZero();
  }

  @Test
  void helpListsEveryOption() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--accounts", "--org", "--regions",
        "--role", "--session-name", "--threads", "--affinity", "--endpoint", "--format",
        "--demo", "Exit codes:");
  }
}
