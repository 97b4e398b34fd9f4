package io.github.clientsessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fast smoke test of the JSON-lines output; the benchmarks themselves never run in tests. */
class ResultLineTest {

  @Test
  void anEndToEndLineHasItsFieldsInOrderOnOneLine() {
    EndToEnd.Workload w = new EndToEnd.Workload(20, 4, 16, 5);
    List<EndToEnd.Run> runs = List.of(
        new EndToEnd.Run("shared", 100, 1_900, 700, 20, 80, 123.456, 0),
        new EndToEnd.Run("shared", 100, 1_500, 600, 20, 80, 99.95, 0),
        new EndToEnd.Run("shared", 100, 1_700, 650, 20, 80, 110.0, 1));

    String line = EndToEnd.toJson(w, runs).toString();

    assertThat(line).isEqualTo("{\"bench\":\"e2e\",\"mode\":\"shared\",\"accounts\":20,"
        + "\"regions\":4,\"threads\":16,\"calls_per_target\":5,\"sts_latency_ms\":100,"
        + "\"wall_ms\":1700,\"cpu_ms\":650,\"assume_role_calls\":20,\"clients_built\":80,"
        + "\"peak_heap_mb\":110.0,\"calls_failed\":1,\"repeats\":3,\"wall_ms_min\":1500,"
        + "\"wall_ms_max\":1900}");
    JsonObject parsed = JsonParser.parseString(line).getAsJsonObject();
    assertThat(parsed.get("wall_ms").getAsLong()).isEqualTo(1_700); // the median run
  }

  @Test
  void numbersAreRoundedToTheirDecimalsAndNonFiniteOnesAreNull() {
    JsonObject line = new JsonObject();
    line.addProperty("s", "a\"b\\c\nd\u0001");
    line.add("one", Benchmarks.rounded(12.345, 1));
    line.add("two", Benchmarks.rounded(24.9051, 2));
    line.add("none", Benchmarks.rounded(600, 0));
    line.add("nan", Benchmarks.rounded(Double.NaN, 1));
    line.add("inf", Benchmarks.rounded(Double.POSITIVE_INFINITY, 1));

    assertThat(line.toString()).isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"one\":12.3,"
        + "\"two\":24.91,\"none\":600,\"nan\":null,\"inf\":null}");
  }
}
