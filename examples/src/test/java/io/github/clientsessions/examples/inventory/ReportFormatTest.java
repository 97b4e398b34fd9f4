package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportFormatTest {

  /** Everything JSON and CSV must escape, as an error message might contain it. */
  private static final String NASTY =
      "quote \" backslash \\ newline \n return \r tab \t bell \u0007 comma , e-acute \u00e9 "
          + "line-sep \u2028 emoji \uD83D\uDE00";

  private static final InventoryReport REPORT = new InventoryReport(
      List.of(
          new Instance("222222222222", "prod-app", "eu-west-1", "i-2", "t3.small", "running"),
          new Instance("111111111111", "", "us-east-1", "i-9", "t3.micro", "stopped"),
          new Instance("111111111111", "", "eu-west-1", "i-5", "t3.micro", "running"),
          new Instance("111111111111", "", "eu-west-1", "i-1", "m5.large", "running")),
      List.of(new TargetError("333333333333", "eu-west-3", "CredentialFetchException", NASTY)),
      List.of(new SkippedAccount("444444444444", "old-prod", "SUSPENDED")),
      new Summary(4, 3, 1, 1, 3, 3, 1234));

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private String write(ReportFormat format, InventoryReport report) {
    format.write(report, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void instancesAreSortedByAccountRegionAndId() {
    assertThat(REPORT.instances()).extracting(Instance::instanceId)
        .containsExactly("i-1", "i-5", "i-9", "i-2");
  }

  @Test
  void jsonIsOneDocumentWhoseSummaryHasExactlyTheAgreedFields() {
    JsonObject json = JsonParser.parseString(write(ReportFormat.JSON, REPORT)).getAsJsonObject();

    assertThat(json.keySet())
        .containsExactlyInAnyOrder("instances", "errors", "skipped", "not_run", "summary");
    JsonObject summary = json.getAsJsonObject("summary");
    assertThat(summary.keySet()).containsExactlyInAnyOrder("targets", "succeeded", "failed",
        "not_run", "skipped", "assume_role_calls", "clients_built", "wall_ms", "interrupted");
    assertThat(summary.get("interrupted").getAsBoolean()).isFalse();
    assertThat(summary.get("not_run").getAsInt()).isZero();
    assertThat(summary.get("skipped").getAsInt()).isEqualTo(1);
    JsonObject skipped = json.getAsJsonArray("skipped").get(0).getAsJsonObject();
    assertThat(skipped.keySet()).containsExactly("account", "name", "reason");
    assertThat(skipped.get("reason").getAsString()).isEqualTo("SUSPENDED");
    assertThat(summary.get("targets").getAsInt()).isEqualTo(4);
    assertThat(summary.get("succeeded").getAsInt()).isEqualTo(3);
    assertThat(summary.get("failed").getAsInt()).isEqualTo(1);
    assertThat(summary.get("assume_role_calls").getAsLong()).isEqualTo(3);
    assertThat(summary.get("clients_built").getAsLong()).isEqualTo(3);
    assertThat(summary.get("wall_ms").getAsLong()).isEqualTo(1234);

    JsonArray instances = json.getAsJsonArray("instances");
    assertThat(instances).hasSize(4);
    JsonObject first = instances.get(0).getAsJsonObject();
    assertThat(first.keySet())
        .containsExactlyInAnyOrder("account", "account_name", "region", "instance_id", "type",
            "state");
    assertThat(instances.get(3).getAsJsonObject().get("account_name").getAsString())
        .isEqualTo("prod-app");
    assertThat(first.get("instance_id").getAsString()).isEqualTo("i-1");
    assertThat(first.get("type").getAsString()).isEqualTo("m5.large");

    JsonObject error = json.getAsJsonArray("errors").get(0).getAsJsonObject();
    assertThat(error.get("account").getAsString()).isEqualTo("333333333333");
    assertThat(error.get("error").getAsString()).isEqualTo("CredentialFetchException");
    assertThat(error.get("message").getAsString()).isEqualTo(NASTY); // escaped, then unescaped
    assertThat(err.size()).isZero();
  }

  @Test
  void jsonKeepsOneLinePerRowAndEscapesLikeRfc8259() {
    InventoryReport report = new InventoryReport(
        List.of(new Instance("111111111111", "", "eu-west-1", "i-1", "t3.micro", "running"),
            new Instance("111111111111", "", "eu-west-1", "i-2", "t3.micro", "stopped")),
        List.of(new TargetError("333333333333", "eu-west-3", "X", "a\"b\\c\n\u0001\u2028<&>")),
        List.of(), new Summary(3, 2, 1, 0, 2, 2, 388));

    assertThat(write(ReportFormat.JSON, report)).isEqualTo("""
        {
          "instances": [
            {"account": "111111111111", "account_name": "", "region": "eu-west-1", \
        "instance_id": "i-1", "type": "t3.micro", "state": "running"},
            {"account": "111111111111", "account_name": "", "region": "eu-west-1", \
        "instance_id": "i-2", "type": "t3.micro", "state": "stopped"}
          ],
          "errors": [
            {"account": "333333333333", "region": "eu-west-3", "error": "X", \
        "message": "a\\"b\\\\c\\n\\u0001\\u2028<&>"}
          ],
          "skipped": [],
          "not_run": [],
          "summary": {"targets": 3, "succeeded": 2, "failed": 1, "not_run": 0, "skipped": 0, \
        "assume_role_calls": 2, "clients_built": 2, "wall_ms": 388, "interrupted": false}
        }""" + System.lineSeparator());
  }

  @Test
  void jsonOfAnEmptyReportParses() {
    InventoryReport empty = new InventoryReport(List.of(), List.of(), List.of(),
        new Summary(0, 0, 0, 0, 0, 0, 0));
    JsonObject json = JsonParser.parseString(write(ReportFormat.JSON, empty)).getAsJsonObject();

    assertThat(json.getAsJsonArray("instances")).isEmpty();
    assertThat(json.getAsJsonArray("errors")).isEmpty();
    assertThat(json.getAsJsonObject("summary").get("targets").getAsInt()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\n  \"instances\": [],\n"
        + "  \"errors\": [],\n  \"skipped\": [],\n  \"not_run\": [],\n"
        + "  \"summary\": {\"targets\": 0,");
  }

  @Test
  void csvHasOnlyTheInstancesOnStdoutAndQuotesWhatNeedsIt() {
    InventoryReport report = new InventoryReport(
        List.of(new Instance("111111111111", "", "eu-west-1", "i-1", "t3.micro", "odd, \"state\"")),
        REPORT.errors(), REPORT.skipped(), REPORT.summary());

    String csv = write(ReportFormat.CSV, report);

    assertThat(csv).isEqualTo("account,account_name,region,instance_id,type,state\r\n"
        + "111111111111,,eu-west-1,i-1,t3.micro,\"odd, \"\"state\"\"\"\r\n");
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(stderr).contains("333333333333/eu-west-3").contains("AssumeRole calls  3")
        .contains("skipped: 444444444444  old-prod  SUSPENDED");
  }

  @Test
  void tableAlignsColumnsAndEndsWithTheSummary() {
    String table = write(ReportFormat.TABLE, REPORT);
    List<String> lines = table.lines().toList();

    assertThat(lines.get(0))
        .isEqualTo("ACCOUNT       NAME      REGION     INSTANCE  TYPE      STATE");
    assertThat(lines.get(1))
        .isEqualTo("111111111111  -         eu-west-1  i-1       m5.large  running");
    assertThat(lines.get(4))
        .isEqualTo("222222222222  prod-app  eu-west-1  i-2       t3.small  running");
    assertThat(table).contains("Errors (1):", "333333333333/eu-west-3  CredentialFetchException",
        "Skipped (1):\n  444444444444  old-prod  SUSPENDED\n");
    assertThat(lines.subList(lines.size() - 8, lines.size())).containsExactly(
        "Summary",
        "  targets           4",
        "  succeeded         3",
        "  failed            1",
        "  skipped accounts  1",
        "  AssumeRole calls  3",
        "  clients built     3",
        "  wall time         1234 ms");
  }

  @Test
  void formatsAreNamedCaseInsensitively() {
    assertThat(ReportFormat.parse("Json")).isEqualTo(ReportFormat.JSON);
    assertThat(ReportFormat.parse(" csv ")).isEqualTo(ReportFormat.CSV);
    assertThatThrownBy(() -> ReportFormat.parse("xml"))
        .hasMessageContaining("expected table, json or csv");
  }

  /**
   * A cell a spreadsheet would evaluate (=, +, -, @, tab, CR first) is neutralised as OWASP's
   * "CSV Injection" page recommends: a single quote before it, the cell in double quotes.
   */
  @Test
  void csvCellsASpreadsheetWouldEvaluateAreNeutralisedAsOwaspRecommends() {
    for (String formula : List.of("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
        "\tnext", "\rnext")) {
      assertThat(ReportFormat.csv(formula)).as(formula)
          .isEqualTo("\"'" + formula.replace("\"", "\"\"") + "\"");
    }
    assertThat(ReportFormat.csv("prod-app")).isEqualTo("prod-app");
    assertThat(ReportFormat.csv("a=b")).isEqualTo("a=b");
    assertThat(ReportFormat.csv("")).isEmpty();

    InventoryReport report = new InventoryReport(
        List.of(new Instance("111111111111", "=cmd|' /C calc'!A0", "eu-west-1", "i-1",
            "t3.micro", "running")), List.of(), List.of(), new Summary(1, 1, 0, 0, 1, 1, 5));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReportFormat.CSV.write(report, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8).lines().toList().get(1))
        .isEqualTo("111111111111,\"'=cmd|' /C calc'!A0\",eu-west-1,i-1,t3.micro,running");
  }
}
