package io.github.clientsessions.testkit.aws;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The regions of {@link SimulatedAws}: the commercial partition's regions, which of them AWS
 * makes opt-in, and which opt-in regions each account has enabled.
 *
 * <p>Sources. The region list is the {@code aws} partition's regions in the AWS SDK for Java
 * 2.59.1 (the SDK this repository builds with): {@code Region.regions()}, the
 * {@code RegionMetadata} of {@code software.amazon.awssdk.regions.regionmetadata}. The testkit
 * has no SDK dependency, so the list is copied here, and {@code SimulatedOptInRegionsTest} in
 * session-aws checks the copy against the SDK. The SDK's metadata does not say which regions
 * are opt-in; that comes from the AWS Account Management Reference Guide, "Specify which AWS
 * Regions your account can use"
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html): regions
 * launched before March 20, 2019 are enabled by default in every account and cannot be
 * enabled or disabled; regions launched after it are opt-in, disabled until an account enables
 * them.
 *
 * <p>Concurrency: the per-account choices are a concurrent map read once per request; the mode
 * is a volatile field. A request racing with a change sees the old or the new choice.
 */
final class Regions {

  /** Every region of the {@code aws} partition in the SDK's metadata, sorted. */
  static final List<String> COMMERCIAL = List.of("af-south-1", "ap-east-1", "ap-east-2",
      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
      "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
      "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
      "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
      "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "me-west-1", "mx-central-1",
      "sa-east-1", "sa-west-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2");

  /**
   * The opt-in regions among {@link #COMMERCIAL}: those launched after March 20, 2019, as the
   * Account Management guide's page lists them (Cape Town, Hong Kong, Taipei, Hyderabad,
   * Jakarta, Melbourne, Malaysia, New Zealand, Thailand, Calgary, Zurich, Milan, Spain, Tel
   * Aviv, UAE, Bahrain, Mexico), and by the page's rule the two the SDK knows that launched
   * since (me-west-1, Saudi Arabia; sa-west-1, Chile).
   */
  static final Set<String> OPT_IN = Set.of("af-south-1", "ap-east-1", "ap-east-2", "ap-south-2",
      "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
      "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1",
      "me-south-1", "me-west-1", "mx-central-1", "sa-west-1");

  /** The regions enabled by default in every account: {@link #COMMERCIAL} less {@link #OPT_IN}. */
  static final List<String> DEFAULT =
      COMMERCIAL.stream().filter(r -> !OPT_IN.contains(r)).toList();

  private final boolean optInEnabledByDefault;
  // account -> opt-in region -> enabled, where a test chose otherwise than the default
  private final Map<String, Map<String, Boolean>> chosen = new ConcurrentHashMap<>();

  /**
   * @param optInEnabledByDefault whether an account's opt-in regions are enabled until disabled
   *     (the simulator's historical leniency) or disabled until enabled (as AWS)
   */
  Regions(boolean optInEnabledByDefault) {
    this.optInEnabledByDefault = optInEnabledByDefault;
  }

  /** Whether {@code region} is opt-in (unknown regions, e.g. other partitions', are not). */
  static boolean isOptIn(String region) {
    return OPT_IN.contains(region);
  }

  /**
   * Whether {@code account} may act in {@code region}: always in a region that is not opt-in,
   * in an opt-in one if the account enabled it (or by this simulator's default).
   */
  boolean isEnabled(String account, String region) {
    if (!isOptIn(region)) {
      return true;
    }
    Map<String, Boolean> mine = chosen.get(account);
    Boolean choice = mine == null ? null : mine.get(region);
    return choice != null ? choice : optInEnabledByDefault;
  }

  /**
   * Enables or disables opt-in {@code regions} for {@code account}.
   *
   * @throws IllegalArgumentException for a region that is not opt-in: AWS's default regions
   *     "cannot be enabled or disabled" (the Account Management guide's page), and the simulator
   *     knows no other partition's opt-in regions
   */
  void choose(String account, Collection<String> regions, boolean enabled) {
    if (account == null || !account.matches("\\d{12}")) {
      throw new IllegalArgumentException("an account ID is 12 digits, not " + account);
    }
    for (String region : Objects.requireNonNull(regions, "regions")) {
      if (!isOptIn(region)) {
        throw new IllegalArgumentException(region + " is not an opt-in region: "
            + (COMMERCIAL.contains(region) ? "AWS enables it in every account, for good"
                : "the simulator knows no such opt-in region") + " (opt-in: " + OPT_IN + ")");
      }
    }
    Map<String, Boolean> mine = chosen.computeIfAbsent(account, a -> new ConcurrentHashMap<>());
    regions.forEach(r -> mine.put(r, enabled));
  }

  /** Forgets every account's choices. */
  void reset() {
    chosen.clear();
  }
}
