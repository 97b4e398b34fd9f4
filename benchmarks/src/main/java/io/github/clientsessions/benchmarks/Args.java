package io.github.clientsessions.benchmarks;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the form {@code --name value} or {@code --flag}; every option a
 * harness does not read is reported, so a typo fails instead of silently using a default.
 *
 * <p>Not thread-safe; use from the main thread.
 */
final class Args {

  private final Map<String, String> values = new HashMap<>();
  private final Set<String> read = new HashSet<>();

  Args(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + a);
      }
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        values.put(name, args.get(++i));
      } else {
        values.put(name, "true");
      }
    }
  }

  String string(String name, String fallback) {
    read.add(name);
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    String v = string(name, null);
    return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(string(name, "false"));
  }

  /** Fails if an option was given that nothing read. */
  void requireAllRead() {
    Set<String> unknown = new HashSet<>(values.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown options: " + unknown);
    }
  }
}
