package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command line against the testkit's in-JVM {@link SimulatedAws}, for what only it can
 * script: a target that fails at run time (not on bad input, which fails before any call).
 */
class InventoryOnSimulatedAwsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void aTargetFailingAtRunTimeIsListedUnderErrorsWithoutHidingTheOthersAndExits1() {
    try (SimulatedAws aws = SimulatedAws.start()) {
      aws.addInstances("111111111111", "eu-west-1", "t3.micro", "running", "stopped");
      aws.rejectCredentialsOf("222222222222"); // its role's credentials are refused by EC2
      Map<String, String> keys = Map.of("aws.accessKeyId", aws.accessKeyId(),
          "aws.secretAccessKey", aws.secretAccessKey());
      keys.forEach(System::setProperty);
      int code;
      try {
        code = InventoryCommand.run(new String[] {"--endpoint", aws.endpoint().toString(),
                "--accounts", "111111111111,222222222222", "--regions", "eu-west-1",
                "--format", "json"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
      } finally {
        keys.keySet().forEach(System::clearProperty);
      }

      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
      JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8))
          .getAsJsonObject();
      assertThat(json.getAsJsonArray("instances")).hasSize(2);
      assertThat(json.getAsJsonArray("errors")).singleElement().satisfies(e -> {
        assertThat(e.getAsJsonObject().get("account").getAsString()).isEqualTo("222222222222");
        assertThat(e.getAsJsonObject().get("message").getAsString())
            .contains("InvalidClientTokenId");
      });
      assertThat(json.getAsJsonObject("summary").get("failed").getAsInt()).isEqualTo(1);
      assertThat(aws.requests(Operation.STS_ASSUME_ROLE)).isGreaterThanOrEqualTo(2);
    }
  }
}
