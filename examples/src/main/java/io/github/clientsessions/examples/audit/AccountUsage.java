package io.github.clientsessions.examples.audit;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the audit learned about one account: the instance count of every region it could read.
 * A region whose count failed is absent here, so it is never reported as unused.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param account the account ID
 * @param instancesByRegion instance count per region read, sorted by region
 */
public record AccountUsage(String account, Map<String, Integer> instancesByRegion) {

  /** Copies the counts into a sorted, unmodifiable map. */
  public AccountUsage {
    instancesByRegion = Collections.unmodifiableSortedMap(new TreeMap<>(instancesByRegion));
  }

  /** Regions with at least one instance, sorted. */
  public List<String> usedRegions() {
    return instancesByRegion.entrySet().stream().filter(e -> e.getValue() > 0)
        .map(Map.Entry::getKey).toList();
  }

  /** Regions read successfully and found empty: candidates for a region-deny policy. Sorted. */
  public List<String> unusedRegions() {
    return instancesByRegion.entrySet().stream().filter(e -> e.getValue() == 0)
        .map(Map.Entry::getKey).toList();
  }
}
