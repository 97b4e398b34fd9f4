package io.github.clientsessions.examples.inventory;

import com.google.gson.FormattingStyle;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the inventory prints its report.
 *
 * <ul>
 *   <li>{@link #TABLE}: aligned columns (the account's name in {@code NAME}, {@code -} when
 *       unknown), then the errors, the skipped accounts and the summary, all on stdout.
 *   <li>{@link #JSON}: stdout is one JSON document with {@code instances} (each with
 *       {@code account_name}), {@code errors}, {@code skipped}, {@code not_run} (the targets an
 *       interruption kept from being listed) and {@code summary} ({@code targets}, {@code
 *       succeeded}, {@code failed}, {@code not_run}, {@code skipped}, {@code
 *       assume_role_calls}, {@code clients_built}, {@code wall_ms}, {@code interrupted}).
 *   <li>{@link #CSV}: stdout is RFC 4180 CSV of the instances only, so it can be piped into
 *       other tools, with fields a spreadsheet would evaluate neutralised (see {@link
 *       #csv}); errors, skipped accounts, targets not run and the summary go to stderr.
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
public enum ReportFormat {

  /** Aligned columns for people. */
  TABLE {
    @Override
    public void write(InventoryReport report, PrintStream out, PrintStream err) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ACCOUNT", "NAME", "REGION", "INSTANCE", "TYPE", "STATE"});
      for (Instance i : report.instances()) {
        rows.add(new String[] {i.account(), i.accountName().isEmpty() ? "-" : i.accountName(),
            i.region(), i.instanceId(), i.type(), i.state()});
      }
      printAligned(rows, out);
      if (!report.errors().isEmpty()) {
        out.println();
        out.println("Errors (" + report.errors().size() + "):");
        for (TargetError e : report.errors()) {
          out.println("  " + e.account() + "/" + e.region() + "  " + e.error() + ": "
              + e.message());
        }
      }
      if (!report.skipped().isEmpty()) {
        out.println();
        out.println("Skipped (" + report.skipped().size() + "):");
        for (SkippedAccount s : report.skipped()) {
          out.println("  " + skippedLine(s));
        }
      }
      if (!report.notRun().isEmpty()) {
        out.println();
        out.println("Not run, interrupted (" + report.notRun().size() + "):");
        for (NotRun n : report.notRun()) {
          out.println("  " + n.account() + "/" + n.region());
        }
      }
      out.println();
      printSummary(report, out);
    }
  },

  /**
   * One JSON document, written by Gson: two-space indentation, one line per instance, error
   * and the summary (the layout the README shows).
   */
  JSON {
    @Override
    public void write(InventoryReport report, PrintStream out, PrintStream err) {
      StringWriter text = new StringWriter();
      try (JsonWriter json = new JsonWriter(text)) {
        json.setFormattingStyle(DOCUMENT);
        json.beginObject().name("instances").beginArray();
        for (Instance i : report.instances()) {
          row(json).name("account").value(i.account())
              .name("account_name").value(i.accountName()).name("region").value(i.region())
              .name("instance_id").value(i.instanceId()).name("type").value(i.type())
              .name("state").value(i.state());
          endRow(json);
        }
        json.endArray().name("errors").beginArray();
        for (TargetError e : report.errors()) {
          row(json).name("account").value(e.account()).name("region").value(e.region())
              .name("error").value(e.error()).name("message").value(e.message());
          endRow(json);
        }
        json.endArray().name("skipped").beginArray();
        for (SkippedAccount k : report.skipped()) {
          row(json).name("account").value(k.account()).name("name").value(k.name())
              .name("reason").value(k.reason());
          endRow(json);
        }
        json.endArray().name("not_run").beginArray();
        for (NotRun n : report.notRun()) {
          row(json).name("account").value(n.account()).name("region").value(n.region());
          endRow(json);
        }
        json.endArray().name("summary");
        Summary s = report.summary();
        row(json).name("targets").value(s.targets()).name("succeeded").value(s.succeeded())
            .name("failed").value(s.failed()).name("not_run").value(s.notRun())
            .name("skipped").value(s.skipped())
            .name("assume_role_calls").value(s.assumeRoleCalls())
            .name("clients_built").value(s.clientsBuilt()).name("wall_ms").value(s.wallMs())
            .name("interrupted").value(report.interrupted());
        endRow(json);
        json.endObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // a StringWriter does not fail
      }
      out.println(text);
    }
  },

  /** CSV of the instances on stdout; errors and summary on stderr. */
  CSV {
    @Override
    public void write(InventoryReport report, PrintStream out, PrintStream err) {
      out.print("account,account_name,region,instance_id,type,state\r\n");
      for (Instance i : report.instances()) {
        out.print(String.join(",", csv(i.account()), csv(i.accountName()), csv(i.region()),
            csv(i.instanceId()), csv(i.type()), csv(i.state())) + "\r\n");
      }
      out.flush();
      for (TargetError e : report.errors()) {
        err.println("error: " + e.account() + "/" + e.region() + "  " + e.error() + ": "
            + e.message());
      }
      for (SkippedAccount s : report.skipped()) {
        err.println("skipped: " + skippedLine(s));
      }
      for (NotRun n : report.notRun()) {
        err.println("not run (interrupted): " + n.account() + "/" + n.region());
      }
      printSummary(report, err);
    }
  };

  /**
   * Writes {@code report}: the format's document to {@code out}, and anything that would spoil
   * it (CSV's summary) to {@code err}.
   */
  public abstract void write(InventoryReport report, PrintStream out, PrintStream err);

  /** The format named {@code name}, case-insensitively (for the command line). */
  public static ReportFormat parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown format '" + name + "': expected table, json or csv", e);
    }
  }

  /** The document's layout: one field or element per line, indented by two spaces. */
  private static final FormattingStyle DOCUMENT = FormattingStyle.PRETTY.withIndent("  ");
  /** A row's layout: one line, a space after each colon and comma. */
  private static final FormattingStyle ROW =
      FormattingStyle.COMPACT.withSpaceAfterSeparators(true);

  /**
   * Starts an object on its own line (the document's style places it), whose fields then stay
   * on that line.
   */
  private static JsonWriter row(JsonWriter json) throws IOException {
    json.beginObject().setFormattingStyle(ROW);
    return json;
  }

  /** Ends a {@link #row} and returns to the document's layout. */
  private static void endRow(JsonWriter json) throws IOException {
    json.endObject().setFormattingStyle(DOCUMENT);
  }

  private static void printSummary(InventoryReport report, PrintStream out) {
    Summary s = report.summary();
    List<String[]> rows = new ArrayList<>(List.of(
        new String[] {"targets", Integer.toString(s.targets())},
        new String[] {"succeeded", Integer.toString(s.succeeded())},
        new String[] {"failed", Integer.toString(s.failed())}));
    if (report.interrupted()) {
      rows.add(new String[] {"not run", s.notRun() + " (interrupted)"});
    }
    rows.addAll(List.of(
        new String[] {"skipped accounts", Integer.toString(s.skipped())},
        new String[] {"AssumeRole calls", Long.toString(s.assumeRoleCalls())},
        new String[] {"clients built", Long.toString(s.clientsBuilt())},
        new String[] {"wall time", s.wallMs() + " ms"}));
    out.println("Summary");
    for (String[] row : rows) {
      out.printf("  %-17s %s%n", row[0], row[1]);
    }
  }

  /** {@code 333333333333  old-prod  SUSPENDED}. */
  private static String skippedLine(SkippedAccount s) {
    return s.account() + "  " + (s.name().isEmpty() ? "-" : s.name()) + "  " + s.reason();
  }

  private static void printAligned(List<String[]> rows, PrintStream out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        line.append(row[c]);
        if (c < row.length - 1) {
          line.append(" ".repeat(widths[c] - row[c].length() + 2));
        }
      }
      out.println(line);
    }
  }

  /**
   * A CSV field (RFC 4180). A field a spreadsheet would evaluate as a formula (one that starts
   * with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return: an account
   * name from Organizations can) is neutralised as OWASP's "CSV Injection" page recommends: a
   * single quote before it, and the field in double quotes, so spreadsheets read it as text.
   */
  static String csv(String field) {
    if (field == null) {
      return "";
    }
    boolean formula = !field.isEmpty() && "=+-@\t\r".indexOf(field.charAt(0)) >= 0;
    String text = formula ? "'" + field : field;
    boolean quote = formula || text.contains(",") || text.contains("\"") || text.contains("\n")
        || text.contains("\r");
    return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}
