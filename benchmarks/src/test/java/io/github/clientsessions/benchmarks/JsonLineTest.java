package io.github.clientsessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A fast smoke test of the JSON-lines output; the benchmarks themselves never run in tests. */
class JsonLineTest {

  @Test
  void printsFieldsInOrderOnOneLine() {
    String line = new JsonLine()
        .put("bench", "client_hit")
        .put("mode", "per-thread-name")
        .put("threads", 2)
        .put("ns_per_op", 12.345, 1)
        .put("ok", true)
        .toString();

    assertThat(line).isEqualTo(
        "{\"bench\":\"client_hit\",\"mode\":\"per-thread-name\",\"threads\":2,"
            + "\"ns_per_op\":12.3,\"ok\":true}");
  }

  @Test
  void escapesStringsAndPrintsNonFiniteNumbersAsNull() {
    String line = new JsonLine()
        .put("s", "a\"b\\c\nd\u0001")
        .put("nan", Double.NaN, 1)
        .put("none", (String) null)
        .toString();

    assertThat(line).isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"nan\":null,\"none\":null}");
    assertThat(line).doesNotContain("\n");
  }

  @Test
  void rejectsADuplicateField() {
    JsonLine line = new JsonLine().put("a", 1);

    assertThatThrownBy(() -> line.put("a", 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void argsRejectOptionsNobodyRead() {
    Args args = new Args(List.of("--accounts", "7", "--typo", "1", "--quick"));

    assertThat(args.integer("accounts", 1)).isEqualTo(7);
    assertThat(args.flag("quick")).isTrue();
    assertThatThrownBy(args::requireAllRead).hasMessageContaining("typo");
  }
}
