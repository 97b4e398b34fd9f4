package io.github.clientsessions.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark result as a single-line JSON object, fields in insertion order, so that results
 * can be compared by a script.
 *
 * <p>Values are strings, integral numbers, finite doubles (rounded to a fixed number of
 * decimals), booleans or null. Not thread-safe; build and print from one thread.
 */
public final class JsonLine {

  private final Map<String, Object> fields = new LinkedHashMap<>();

  /** Adds a string field (null prints as {@code null}). */
  public JsonLine put(String name, String value) {
    return add(name, value);
  }

  /** Adds an integral field. */
  public JsonLine put(String name, long value) {
    return add(name, value);
  }

  /** Adds a boolean field. */
  public JsonLine put(String name, boolean value) {
    return add(name, value);
  }

  /**
   * Adds a number with {@code decimals} digits after the point; NaN and infinities print as
   * {@code null}, which JSON has no number for.
   */
  public JsonLine put(String name, double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return add(name, null);
    }
    return add(name, new Raw(String.format(Locale.ROOT, "%." + decimals + "f", value)));
  }

  private JsonLine add(String name, Object value) {
    if (fields.containsKey(name)) {
      throw new IllegalArgumentException("field " + name + " was already set");
    }
    fields.put(name, value);
    return this;
  }

  /** The object on one line, e.g. {@code {"bench":"hit","threads":2}}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      quote(out, field.getKey());
      out.append(':');
      Object value = field.getValue();
      if (value instanceof String s) {
        quote(out, s);
      } else {
        out.append(value instanceof Raw raw ? raw.text : String.valueOf(value));
      }
    }
    return out.append('}').toString();
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** A number already formatted. */
  private record Raw(String text) {}
}
