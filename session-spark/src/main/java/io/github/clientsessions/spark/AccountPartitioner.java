package io.github.clientsessions.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.jspecify.annotations.Nullable;
import scala.Tuple2;

/**
 * Places each account's targets in one partition, the accounts spread evenly: the distinct
 * accounts, sorted, go round-robin over the partitions, so no partition holds more than
 * ⌈accounts ÷ partitions⌉ of them (hashing the account, as {@code repartition} does, filled 43 of
 * 64 partitions with 64 accounts, the busiest with 3). Keys are {@code (account, region)}
 * pairs; an account it was not given (none, when built from the same targets) or none at all
 * (a null account, which its row reports) goes to partition 0.
 *
 * <p>Immutable; serialized into the job with its account map (a few bytes per account).
 */
final class AccountPartitioner extends Partitioner {

  private static final long serialVersionUID = 1L;

  private final int partitions;
  private final HashMap<String, Integer> partitionOf;

  /**
   * @param accounts the distinct accounts, sorted
   * @param partitions at least 1
   */
  AccountPartitioner(List<String> accounts, int partitions) {
    this.partitions = partitions;
    this.partitionOf = new HashMap<>();
    for (int rank = 0; rank < accounts.size(); rank++) {
      partitionOf.put(accounts.get(rank), rank % partitions);
    }
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    Object account = key instanceof Tuple2<?, ?> pair ? pair._1() : key;
    Integer partition = account == null ? null : partitionOf.get(account.toString());
    return partition == null ? 0 : partition;
  }

  /** The partition of each account (tests). */
  Map<String, Integer> partitions() {
    return Map.copyOf(partitionOf);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AccountPartitioner p && partitions == p.partitions
        && partitionOf.equals(p.partitionOf);
  }

  @Override
  public int hashCode() {
    return 31 * partitions + partitionOf.hashCode();
  }
}
