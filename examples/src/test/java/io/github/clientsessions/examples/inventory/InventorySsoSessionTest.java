package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.github.clientsessions.testkit.emulator.WithoutAwsCredentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sso-session}: the inventory with IAM Identity Center permission set credentials
 * ({@code --role} naming the permission set), signed in through a token cache the test writes as
 * {@code aws sso login} does, on the testkit's {@link SimulatedAws}, with no base identity at all
 * (the SDK's default chain finds nothing): the accounts assigned to the user (no Organizations
 * rights), given accounts with one not assigned, and no sign-in.
 */
class InventorySsoSessionTest {

  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String C = "333333333333";

  @TempDir
  Path cache;
  final SimulatedAws aws = SimulatedAws.start();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void world() {
    aws.assignPermissionSet("ReadOnly", List.of(A, B, C));
    aws.assignPermissionSet("Admin", List.of("444444444444"));
    aws.addInstances(A, "eu-west-1", "t3.micro", "running", "stopped");
    aws.addInstances(B, "eu-west-1", "t3.small", "running");
    aws.addInstances(C, "us-east-1", "t3.small", "running");
  }

  @AfterEach
  void close() {
    aws.close();
  }

  int run(String... args) throws Exception {
    return runAs("ReadOnly", args);
  }

  /** The command line with {@code --role permissionSet} and {@code args}. */
  int runAs(String permissionSet, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--endpoint", aws.endpoint().toString(),
        "--sso-session", "my-sso", "--sso-cache-dir", cache.toString(), "--role", permissionSet,
        "--format", "json"));
    all.addAll(List.of(args));
    return WithoutAwsCredentials.call(() -> InventoryCommand.run(all.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)));
  }

  JsonObject report() {
    return JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
  }

  static List<String> strings(JsonArray rows, String field) {
    return StreamSupport.stream(rows.spliterator(), false)
        .map(JsonElement::getAsJsonObject).map(o -> o.get(field).getAsString()).toList();
  }

  @Test
  void withoutAccountsItListsTheAccountsAssignedToTheSignedInUser() throws Exception {
    aws.ssoLogin(Duration.ofHours(8)).writeTokenCache(cache, "my-sso");

    int code = run("--regions", "eu-west-1,us-east-1", "--exclude-accounts", C);

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonObject json = report();
    assertThat(strings(json.getAsJsonArray("instances"), "account"))
        .containsExactlyInAnyOrder(A, A, B);
    assertThat(strings(json.getAsJsonArray("instances"), "account_name"))
        .contains("account-" + A);
    JsonObject summary = json.getAsJsonObject("summary");
    assertThat(summary.get("targets").getAsInt()).isEqualTo(4);
    assertThat(summary.get("assume_role_calls").getAsInt()).as("GetRoleCredentials, one each")
        .isEqualTo(2);
    assertThat(aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, A)).isEqualTo(1);
    assertThat(aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, C)).as("excluded").isZero();
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE)).isZero();
    assertThat(aws.requests(Operation.ORGANIZATIONS_LIST_ACCOUNTS)).isZero();
  }

  @Test
  void givenAccountsOneWithoutThePermissionSetFailsAloneAndExits1() throws Exception {
    aws.ssoLogin(Duration.ofHours(8)).writeTokenCache(cache, "my-sso");

    int code = run("--accounts", A + ",444444444444", "--regions", "eu-west-1");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
    JsonObject json = report();
    assertThat(strings(json.getAsJsonArray("instances"), "account")).containsOnly(A);
    assertThat(json.getAsJsonArray("errors")).singleElement().satisfies(e -> {
      assertThat(e.getAsJsonObject().get("account").getAsString()).isEqualTo("444444444444");
      assertThat(e.getAsJsonObject().get("message").getAsString())
          .contains("ACCESS_DENIED", "permission set 'ReadOnly' is not assigned");
    });
  }

  @Test
  void withoutASignInItSaysWhichFileItLookedForAndHowToSignInThenExits3() throws Exception {
    for (String[] args : List.of(new String[] {"--regions", "eu-west-1"},
        new String[] {"--accounts", A})) {
      out.reset();
      err.reset();
      assertThat(run(args)).isEqualTo(3);
      String message = err.toString(StandardCharsets.UTF_8);
      assertThat(message.lines()).as(message).singleElement().satisfies(line -> assertThat(line)
          .startsWith("inventory: ")
          .contains(cache.toString(), "does not exist", "aws sso login --sso-session my-sso"));
      assertThat(out.size()).isZero();
    }
    assertThat(aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS)).isZero();
  }

  @Test
  void theFlagsOfAnotherSourceAreUsageErrors() throws Exception {
    assertThat(run("--org")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("give --org or --sso-session");
    err.reset();
    assertThat(runAs("arn:aws:sso:::permissionSet/ssoins-1/ps-1")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--role", "not its ARN");
  }
}
