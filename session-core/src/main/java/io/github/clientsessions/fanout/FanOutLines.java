package io.github.clientsessions.fanout;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOutOutcome.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A run's outcomes as JSON lines, one object per target, and the targets of such a result that
 * did not succeed, to run them again: a scan that stopped half-way (a failure budget, a deadline,
 * a crash) resumes with {@code FanOut.over(FanOutLines.rerun(previous))} and writes its lines in
 * the same format.
 *
 * <pre>{@code
 * {"account":"123456789012","region":"eu-west-1","status":"SUCCEEDED","value":"3"}
 * {"account":"234567890123","region":"eu-west-1","status":"FAILED","kind":"ACCESS_DENIED","detail":"..."}
 * {"account":"345678901234","region":"eu-west-1","status":"NOT_RUN","reason":"FAILURE_BUDGET"}
 * }</pre>
 *
 * <p>Fields: {@code account} (the 12-digit ID, or null for the current account), {@code region},
 * {@code status} (a {@link Status} name); for {@code FAILED} the {@code kind} ({@link
 * FanOutFailures#kindOf}) and, for a credential failure, its one-line {@code detail} ({@link
 * CredentialFetchException#detail()}, never a secret); for {@code NOT_RUN} the {@code reason}
 * (a {@link FanOutOutcome.StopReason} name); for {@code SUCCEEDED} the {@code value} if a value
 * function was given. Other exception messages are not written: they are the task's and may say
 * anything.
 *
 * <p>Stateless; thread-safe. A writer is called one outcome at a time, as a fan-out's sink is.
 */
public final class FanOutLines {

  private FanOutLines() {}

  /**
   * A sink writing each outcome as one line to {@code out}; an {@link IOException} is thrown as
   * {@link UncheckedIOException} (which stops a streaming run).
   *
   * @throws InvalidInputException if {@code out} is null
   */
  public static Consumer<FanOutOutcome<? extends Target, ?>> writer(Appendable out) {
    return writer(out, value -> null);
  }

  /**
   * As {@link #writer(Appendable)}, with each success's {@code value} as {@code valueText}
   * gives it (a string; null writes none).
   *
   * @throws InvalidInputException if an argument is null
   */
  public static <R> Consumer<FanOutOutcome<? extends Target, ? extends R>> writer(Appendable out,
      Function<? super R, ? extends @Nullable String> valueText) {
    if (out == null) {
      throw new InvalidInputException("out", null, "must not be null");
    }
    if (valueText == null) {
      throw new InvalidInputException("valueText", null, "must not be null");
    }
    return outcome -> {
      try {
        out.append(line(outcome, valueText)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("could not write the outcome of " + outcome.target(), e);
      }
    };
  }

  /**
   * Writes every outcome of {@code result}, in input order.
   *
   * @throws UncheckedIOException if {@code out} throws
   */
  public static void write(FanOutResult<? extends Target, ?> result, Appendable out) {
    if (result == null) {
      throw new InvalidInputException("result", null, "must not be null");
    }
    Consumer<FanOutOutcome<? extends Target, ?>> writer = writer(out);
    result.results().forEach(writer);
  }

  /** The line of {@code outcome}, without a value and without the line break. */
  public static String line(FanOutOutcome<? extends Target, ?> outcome) {
    return line(outcome, value -> null);
  }

  private static <R> String line(FanOutOutcome<? extends Target, ? extends R> outcome,
      Function<? super R, ? extends @Nullable String> valueText) {
    Target target = outcome.target();
    StringBuilder b = new StringBuilder(128).append('{');
    field(b, "account", target.account().id().orElse(null));
    field(b.append(','), "region", target.region());
    field(b.append(','), "status", outcome.status().name());
    if (outcome instanceof FanOutOutcome.Succeeded<? extends Target, ? extends R> ok) {
      String value = valueText.apply(ok.value());
      if (value != null) {
        field(b.append(','), "value", value);
      }
    } else if (outcome instanceof FanOutOutcome.Failed<? extends Target, ? extends R> failed) {
      field(b.append(','), "kind", failed.kind());
      CredentialFetchException credentials = FanOutFailures.credentialFailure(failed.error());
      String detail = credentials == null ? null : credentials.detail().orElse(null);
      if (detail != null) {
        field(b.append(','), "detail", detail);
      }
    } else if (outcome instanceof FanOutOutcome.NotRun<? extends Target, ? extends R> notRun) {
      field(b.append(','), "reason", notRun.reason().name());
    }
    return b.append('}').toString();
  }

  /**
   * The targets of a previous result that did not succeed ({@code FAILED}, {@code NOT_RUN},
   * {@code CANCELLED}, {@code TIMED_OUT}), in the order they first appear. When a target has
   * several lines (a rerun's lines appended to the first run's), the last one counts. Blank
   * lines are skipped.
   *
   * @throws IOException if reading fails
   * @throws InvalidInputException naming the line if a line is not one this class writes
   */
  public static List<Target> rerun(Reader previous) throws IOException {
    if (previous == null) {
      throw new InvalidInputException("previous", null, "must not be null");
    }
    Map<Target, Boolean> succeeded = new LinkedHashMap<>();
    BufferedReader lines = previous instanceof BufferedReader b ? b : new BufferedReader(previous);
    int number = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      Map<String, @Nullable String> fields = parse(line, number);
      String region = fields.get("region");
      String status = fields.get("status");
      if (region == null || status == null || !fields.containsKey("account")) {
        throw notALine(number, "it needs account, region and status");
      }
      String account = fields.get("account");
      Target target = Target.of(account == null ? Account.current() : Account.of(account), region);
      Status parsed;
      try {
        parsed = Status.valueOf(status);
      } catch (IllegalArgumentException e) {
        throw notALine(number, "status " + status + " is not a FanOutOutcome.Status");
      }
      succeeded.remove(target); // the last line of a target counts, at its first place
      succeeded.put(target, parsed == Status.SUCCEEDED);
    }
    List<Target> again = new ArrayList<>();
    succeeded.forEach((target, ok) -> {
      if (!ok) {
        again.add(target);
      }
    });
    return again;
  }

  // ---------------------------------------------------------------- JSON, the little we need

  private static void field(StringBuilder b, String name, @Nullable String value) {
    quote(b, name).append(':');
    if (value == null) {
      b.append("null");
    } else {
      quote(b, value);
    }
  }

  private static StringBuilder quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }

  /** A flat JSON object whose values are strings, null, numbers or booleans (kept as text). */
  private static Map<String, @Nullable String> parse(String line, int number) {
    Parser p = new Parser(line, number);
    Map<String, @Nullable String> fields = new LinkedHashMap<>();
    p.expect('{');
    if (!p.consume('}')) {
      do {
        String name = p.string();
        p.expect(':');
        fields.put(name, p.value());
      } while (p.consume(','));
      p.expect('}');
    }
    p.end();
    return fields;
  }

  private static InvalidInputException notALine(int number, String why) {
    return new InvalidInputException("previous", "line " + number,
        "must be a JSON object as FanOutLines writes it: " + why);
  }

  /** A cursor over one line. */
  private static final class Parser {
    private final String s;
    private final int number;
    private int i;

    Parser(String s, int number) {
      this.s = s;
      this.number = number;
    }

    void skipBlanks() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean consume(char c) {
      skipBlanks();
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!consume(c)) {
        throw notALine(number, "expected '" + c + "' at column " + (i + 1));
      }
    }

    void end() {
      skipBlanks();
      if (i != s.length()) {
        throw notALine(number, "unexpected text at column " + (i + 1));
      }
    }

    @Nullable String value() {
      skipBlanks();
      if (i < s.length() && s.charAt(i) == '"') {
        return string();
      }
      int start = i;
      while (i < s.length() && ",} \t".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      String literal = s.substring(start, i);
      if (literal.equals("null")) {
        return null;
      }
      if (literal.equals("true") || literal.equals("false")
          || literal.matches("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")) {
        return literal;
      }
      throw notALine(number, "a value at column " + (start + 1)
          + " is not a string, number, boolean or null");
    }

    String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (i >= s.length()) {
          break;
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw notALine(number, "a \\u escape is cut short");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException bad) {
              throw notALine(number, "a \\u escape is not hexadecimal");
            }
            i += 4;
          }
          default -> throw notALine(number, "unknown escape \\" + e);
        }
      }
      throw notALine(number, "a string is not closed");
    }
  }
}
