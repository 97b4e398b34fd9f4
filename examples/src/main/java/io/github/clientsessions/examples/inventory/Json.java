package io.github.clientsessions.examples.inventory;

/**
 * The one piece of JSON the inventory needs beyond numbers: a correctly escaped string literal
 * (RFC 8259 section 7), so that the output parses whatever an error message contains.
 *
 * <p>Stateless; thread-safe.
 */
final class Json {

  private Json() {}

  /** {@code value} as a quoted JSON string, or {@code null} for null. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // Other control characters must be escaped; U+2028/2029 too, for JavaScript readers.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
