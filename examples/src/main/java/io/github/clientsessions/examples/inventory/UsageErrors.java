package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.core.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The command line's usage errors in its user's terms. Every input rule is the library's (an
 * {@link InvalidInputException} with the parameter, the value and the rule); this class is the
 * one place that maps the library's parameter names to the flags that carry them, and rewords
 * the hints meant for Java callers (a builder method to call instead) as flags to give instead.
 *
 * <p>Stateless; thread-safe.
 */
final class UsageErrors {

  /** What to print after a usage error, instead of the whole usage. */
  static final String HELP_POINTER = "Try 'inventory --help' for more information.";

  /** The library's parameter → the flag that carries it (and, for a part of it, which part). */
  private static final Map<String, Flag> FLAGS = Map.ofEntries(
      Map.entry("roleName", new Flag("--role", null)),
      Map.entry("permissionSet", new Flag("--role", null)),
      Map.entry("ssoSession", new Flag("--sso-session", null)),
      Map.entry("ssoCacheDirectory", new Flag("--sso-cache-dir", null)),
      Map.entry("sessionName", new Flag("--session-name", null)),
      Map.entry("defaultRegion", new Flag("--regions", null)),
      Map.entry("stsRegion", new Flag("--regions", null)),
      Map.entry("region", new Flag("--regions", null)),
      Map.entry("regions", new Flag("--regions", null)),
      Map.entry("account", new Flag("--accounts", null)),
      Map.entry("includeOus", new Flag("--ou", null)),
      Map.entry("excludeOus", new Flag("--exclude-ou", null)),
      Map.entry("excludeAccounts", new Flag("--exclude-accounts", null)),
      Map.entry("shard", new Flag("--shard", null)),
      Map.entry("index", new Flag("--shard", "I")),
      Map.entry("count", new Flag("--shard", "N")),
      Map.entry("endpointOverride", new Flag("--endpoint", null)),
      Map.entry("threadAffinity", new Flag("--affinity", null)),
      Map.entry("parallelism", new Flag("--threads", null)));

  /**
   * Rules worded for Java callers, reworded for the command line: (parameter, what the rule
   * contains) → the CLI's rule for the value.
   */
  private static final List<Rewording> REWORDINGS = List.of(
      new Rewording("roleName", "roleArnOverride", value ->
          "is a role ARN; --role takes the role's name: --role " + afterLastSlash(value)),
      new Rewording("roleName", "rolePath", value ->
          "has a path; --role takes the role's name without it: --role "
              + afterLastSlash(value) + " (this command assumes roles at the path /)"),
      new Rewording("region", "use one manager per partition", value ->
          "is in another partition than the first region; list regions of one partition"
              + " (aws, aws-cn, aws-us-gov, ...) per run"),
      new Rewording("regions", "but the manager works in partition", value ->
          "is in another partition than the first region; list regions of one partition"
              + " (aws, aws-cn, aws-us-gov, ...) per run"));

  /** Which flag a parameter is, and the part of its value ({@code I} of {@code I/N}) if any. */
  private record Flag(String name, @Nullable String part) {}

  private record Rewording(String parameter, String marker, UnaryOperator<String> rule) {}

  private UsageErrors() {}

  /**
   * The one line for {@code e}: the flag, the value and the rule, e.g. {@code --regions
   * 'eu-west-9' is not a region known to this AWS SDK version; ...}.
   *
   * @param given the flag's whole value as typed, shown where the library's value is a part of
   *     it ({@code --shard}'s count) or not shown ({@code --endpoint}'s, which may hold a
   *     password); null to show the library's
   */
  static String line(InvalidInputException e, @Nullable String given) {
    Flag flag = FLAGS.get(e.parameter());
    String name = flag == null ? e.parameter() : flag.name();
    String value = given != null ? given : Optional.ofNullable(e.value()).orElse("");
    String rule = REWORDINGS.stream()
        .filter(r -> r.parameter().equals(e.parameter()) && e.rule().contains(r.marker()))
        .findFirst().map(r -> r.rule().apply(value)).orElse(e.rule());
    return name + " '" + value + "'"
        + (flag != null && flag.part() != null ? ": " + flag.part() + " " : " ") + rule;
  }

  /** {@link #line(InvalidInputException, String)} with the library's value. */
  static String line(InvalidInputException e) {
    return line(e, null);
  }

  private static String afterLastSlash(String value) {
    return value.substring(value.lastIndexOf('/') + 1);
  }
}
