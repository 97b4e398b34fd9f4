package io.github.clientsessions.examples.audit;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of an {@link UnusedRegionsAudit}: usage per account, and the account × region pairs
 * that could not be read (which are neither used nor unused: unknown).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param accounts usage per account ID, sorted by account
 * @param failures pairs that could not be read, in the order they were audited
 */
public record AuditReport(Map<String, AccountUsage> accounts, List<Failure> failures) {

  /**
   * One account × region the audit could not read.
   *
   * @param account the account ID
   * @param region the region
   * @param reason the failure's type and message (never credentials)
   */
  public record Failure(String account, String region, String reason) {}

  /** Copies the inputs into unmodifiable collections. */
  public AuditReport {
    accounts = Collections.unmodifiableSortedMap(new TreeMap<>(accounts));
    failures = List.copyOf(failures);
  }

  /** Whether every account × region was read. */
  public boolean complete() {
    return failures.isEmpty();
  }

  /** A short human-readable report, one line per account, then the failures. */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (AccountUsage usage : accounts.values()) {
      out.append(usage.account()).append("  used: ").append(usage.usedRegions())
          .append("  unused: ").append(usage.unusedRegions()).append('\n');
    }
    for (Failure f : failures) {
      out.append(f.account()).append('/').append(f.region()).append("  unknown: ")
          .append(f.reason()).append('\n');
    }
    return out.toString();
  }
}
