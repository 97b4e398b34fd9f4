package io.github.clientsessions.aws.internal;

import io.github.clientsessions.core.InvalidInputException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The AWS rules for the inputs this module accepts, each checked before any network call and
 * rejected with an {@link InvalidInputException} that states the rule. Stateless; thread-safe.
 */
public final class AwsRules {

  public static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  /** IAM role names; also session names and source identities (with other lengths). */
  private static final Pattern IAM_NAME = Pattern.compile("[\\w+=,.@-]+");
  private static final Pattern ROLE_PATH = Pattern.compile("/|/[\\x21-\\x7E]+/");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]+");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
  /** Any ARN with an account field, e.g. a role ARN given where an account ID belongs. */
  private static final Pattern ARN_ACCOUNT =
      Pattern.compile("arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\\d{12}):.*");
  public static final Pattern ROLE_ARN =
      Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/(.*/)?([\\w+=,.@-]{1,64})");

  public static final Duration MIN_DURATION = Duration.ofSeconds(900);
  public static final Duration MAX_DURATION = Duration.ofSeconds(43_200);
  /** AWS caps a session obtained through role chaining at one hour. */
  public static final Duration MAX_CHAINED_DURATION = Duration.ofHours(1);

  private AwsRules() {}

  /**
   * {@code uri} as text with any user-info replaced by {@code ***} (e.g.
   * {@code http://***@host:5000}), for messages and logs: an endpoint may carry a password.
   */
  public static String redact(URI uri) {
    if (uri == null) {
      return "null";
    }
    String text = uri.toString();
    if (uri.isOpaque()) {
      String part = uri.getRawSchemeSpecificPart();
      int at = part == null ? -1 : part.lastIndexOf('@');
      return at < 0 ? text : uri.getScheme() + ":***" + part.substring(at)
          + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    }
    String authority = uri.getRawAuthority();
    int at = authority == null ? -1 : authority.lastIndexOf('@');
    if (at < 0) {
      return text;
    }
    int start = text.indexOf("//" + authority);
    return text.substring(0, start) + "//***" + authority.substring(at)
        + text.substring(start + 2 + authority.length());
  }

  public static String account(String id) {
    if (id == null || !ACCOUNT.matcher(id).matches()) {
      var arn = ARN_ACCOUNT.matcher(id == null ? "" : id);
      throw new InvalidInputException("account", id, "must be exactly 12 digits"
          + (arn.matches() ? "; an account ID is expected, not an ARN (this one names account "
              + arn.group(1) + ")" : ""));
    }
    return id;
  }

  /**
   * A region code: one of a partition the SDK knows (its {@link Partitions} shape), and one the
   * SDK knows.
   */
  public static String region(String parameter, String region) {
    if (region == null || !Partitions.isRegionShaped(region)) {
      throw new InvalidInputException(parameter, region,
          "must be a lowercase AWS region code such as eu-west-1, us-gov-west-1 or cn-north-1"
              + " (as the AWS SDK's partitions spell them)");
    }
    if (!Partitions.isKnownRegion(region)) {
      throw new InvalidInputException(parameter, region,
          "is not a region known to this AWS SDK version; check the spelling, or upgrade the SDK"
              + " for a region launched after it");
    }
    return region;
  }

  public static String roleName(String name) {
    try {
      return iamName("roleName", name, 1, 64);
    } catch (InvalidInputException e) {
      String hint = roleNameHint(name);
      if (hint == null) {
        throw e;
      }
      throw new InvalidInputException("roleName", name,
          "must be 1 to 64 characters of letters, digits and +=,.@_-; " + hint);
    }
  }

  /** What to use instead, for the two common mistakes: a whole ARN, or a name with its path. */
  private static @Nullable String roleNameHint(@Nullable String name) {
    if (name == null) {
      return null;
    }
    if (name.startsWith("arn:")) {
      return "a whole role ARN goes to roleArnOverride(account -> arn) (or hubRole(arn) for the"
          + " role to chain through); roleName takes the name after the last '/'";
    }
    int slash = name.lastIndexOf('/');
    if (slash >= 0 && slash < name.length() - 1) {
      String path = name.substring(0, slash + 1);
      return "a path goes to rolePath: rolePath(\"" + (path.startsWith("/") ? "" : "/") + path
          + "\").roleName(\"" + name.substring(slash + 1) + "\")";
    }
    return null;
  }

  public static String sessionName(String name) {
    return iamName("sessionName", name, 2, 64);
  }

  public static String sourceIdentity(String identity) {
    return iamName("sourceIdentity", identity, 2, 64);
  }

  private static String iamName(String parameter, String value, int min, int max) {
    if (value == null || value.length() < min || value.length() > max
        || !IAM_NAME.matcher(value).matches()) {
      throw new InvalidInputException(parameter, value,
          "must be " + min + " to " + max + " characters of letters, digits and +=,.@_-");
    }
    return value;
  }

  public static String rolePath(String path) {
    if (path == null || path.length() > 512 || !ROLE_PATH.matcher(path).matches()) {
      throw new InvalidInputException("rolePath", path,
          "must be '/' or start and end with '/' (e.g. /teams/ops/), at most 512 printable"
              + " ASCII characters");
    }
    return path;
  }

  public static String externalId(String id) {
    if (id == null || id.length() < 2 || id.length() > 1224 || !EXTERNAL_ID.matcher(id).matches()) {
      // "***", not null: the message must not claim the value was null
      throw new InvalidInputException("externalId", id == null ? null : "***",
          "must be 2 to 1224 characters of letters, digits and +=,.@:/_- (value not shown)");
    }
    return id;
  }

  public static Duration duration(Duration d, Duration max) {
    if (d == null || d.compareTo(MIN_DURATION) < 0 || d.compareTo(max) > 0
        || d.getNano() != 0) {
      throw new InvalidInputException("duration", d == null ? null : d.toString(),
          "must be whole seconds from " + MIN_DURATION.toSeconds() + " to " + max.toSeconds()
              + (max.equals(MAX_CHAINED_DURATION) ? " (role chaining caps sessions at one hour)"
                  : ""));
    }
    return d;
  }

  public static String policy(String policy) {
    if (policy == null || policy.isBlank() || policy.length() > 2048) {
      throw new InvalidInputException("policy", policy == null ? null : "***",
          "must be a non-blank JSON policy of at most 2048 characters (value not shown)");
    }
    return policy;
  }

  public static Map<String, String> tags(Map<String, String> tags) {
    if (tags == null || tags.size() > 50) {
      throw new InvalidInputException("tags", tags == null ? null : tags.size() + " tags",
          "must be at most 50 session tags");
    }
    tags.forEach((key, value) -> {
      if (key == null || key.isEmpty() || key.length() > 128 || !TAG_KEY.matcher(key).matches()) {
        throw new InvalidInputException("tag key", key,
            "must be 1 to 128 letters, digits, spaces or _.:/=+-@");
      }
      if (value == null || value.length() > 256) {
        throw new InvalidInputException("tag value", value,
            "must be at most 256 characters (tag " + key + ")");
      }
    });
    return Map.copyOf(tags);
  }

  public static Set<String> transitiveTagKeys(Set<String> keys, Map<String, String> tags) {
    for (String key : keys) {
      if (key == null || !tags.containsKey(key)) {
        throw new InvalidInputException("transitiveTagKeys", key,
            "each transitive key must be one of the session tags' keys " + tags.keySet());
      }
    }
    return Set.copyOf(keys);
  }

  /**
   * A role ARN, checked for shape, partition and (when given) account.
   *
   * @param account the account the ARN must belong to, or null for any
   */
  public static String roleArn(String parameter, String arn, String partition, @Nullable String account) {
    var m = arn == null ? null : ROLE_ARN.matcher(arn);
    if (m == null || !m.matches()) {
      throw new InvalidInputException(parameter, arn,
          "must be a role ARN like arn:aws:iam::123456789012:role/path/Name");
    }
    if (!m.group(1).equals(partition)) {
      throw new InvalidInputException(parameter, arn,
          "is in partition " + m.group(1) + " but this manager's STS region is in partition "
              + partition);
    }
    if (account != null && !m.group(2).equals(account)) {
      throw new InvalidInputException(parameter, arn,
          "must be a role in account " + account + ", the account it is used for");
    }
    return arn;
  }

  /** The 12-digit account of a role ARN already checked by {@link #roleArn}. */
  public static String accountOf(String roleArn) {
    var m = ROLE_ARN.matcher(roleArn);
    if (!m.matches()) {
      throw new InvalidInputException("roleArn", roleArn, "is not a role ARN");
    }
    return m.group(2);
  }

  /**
   * The partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...) of a known region
   * ({@link Partitions#of}).
   */
  public static String partitionOf(String region) {
    return Partitions.of(region);
  }
}
