package io.github.clientsessions.aws.internal;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.regions.ServicePartitionMetadata;

/**
 * The AWS partitions' facts this module needs, read from the AWS SDK's own metadata and from
 * nowhere else: which regions exist and in which partition ({@link Region#regions()},
 * {@link RegionMetadata}), what a region code looks like in each partition
 * ({@link PartitionMetadata#regionRegex()}), and where a partition's global Organizations
 * endpoint answers ({@link ServiceMetadata}, {@link ServicePartitionMetadata#globalRegion()}).
 * A region or partition an SDK upgrade brings (e.g. {@code eusc-de-east-1} of
 * {@code aws-eusc}) is known here with it.
 *
 * <p>Stateless: the metadata is read once, into immutable maps; thread-safe.
 */
public final class Partitions {

  /** Every region the SDK knows, but the global pseudo-regions, with its partition. */
  private static final Map<String, String> PARTITION_OF = Region.regions().stream()
      .filter(r -> !r.isGlobalRegion() && r.metadata() != null)
      .collect(Collectors.toUnmodifiableMap(Region::id, r -> r.metadata().partition().id()));

  /** Each known partition's region code pattern. */
  private static final List<Pattern> REGION_SHAPES = PARTITION_OF.values().stream().distinct()
      .map(p -> Pattern.compile(PartitionMetadata.of(p).regionRegex())).toList();

  private Partitions() {}

  /** Where a partition's Organizations calls go, and the region they are signed for. */
  public record Endpoint(URI uri, String signingRegion) {}

  /** Whether {@code code} has the shape of a region code of some partition the SDK knows. */
  public static boolean isRegionShaped(String code) {
    return REGION_SHAPES.stream().anyMatch(p -> p.matcher(code).matches());
  }

  /** Whether the SDK knows {@code region} (a real region, not a global pseudo-region). */
  public static boolean isKnownRegion(String region) {
    return PARTITION_OF.containsKey(region);
  }

  /**
   * The partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, {@code aws-iso}, ...) of
   * a region the SDK knows.
   *
   * @throws IllegalArgumentException for a region it does not know
   */
  public static String of(String region) {
    String partition = PARTITION_OF.get(region);
    if (partition == null) {
      throw new IllegalArgumentException("not a region this AWS SDK knows: " + region);
    }
    return partition;
  }

  /** The regions of {@code partition} the SDK knows, sorted. */
  public static List<String> regions(String partition) {
    return PARTITION_OF.entrySet().stream().filter(e -> e.getValue().equals(partition))
        .map(Map.Entry::getKey).sorted().toList();
  }

  /**
   * Organizations' endpoint in {@code partition}: the SDK's global endpoint for it (e.g.
   * {@code organizations.us-east-1.amazonaws.com}, signed for {@code us-east-1};
   * {@code organizations.us-iso-east-1.c2s.ic.gov}, signed for {@code us-iso-east-1}). For a
   * partition whose Organizations endpoint the SDK does not list, the SDK's pattern for
   * {@code region} of that partition (a best effort: the service may not be offered there).
   *
   * @param region a region of {@code partition} (the manager's STS region)
   */
  public static Endpoint organizations(String partition, String region) {
    ServiceMetadata organizations = ServiceMetadata.of("organizations");
    Region at = organizations.servicePartitions().stream()
        .filter(p -> p.partition().id().equals(partition))
        .map(ServicePartitionMetadata::globalRegion).flatMap(Optional::stream).findFirst()
        .orElse(Region.of(region));
    return new Endpoint(URI.create("https://" + organizations.endpointFor(at)),
        organizations.signingRegion(at).id());
  }
}
