package io.github.clientsessions.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ShardTest {

  private static final List<String> REGIONS =
      List.of("us-east-1", "eu-west-1", "eu-west-3", "ap-southeast-2");

  /** 12-digit account IDs, as AWS has them (leading zeros included). */
  private static Gen<String> accountIds() {
    return longs().between(0, 999_999_999_999L).map(n -> String.format("%012d", n));
  }

  /** A target list: some accounts, each in a non-empty subset of the regions, shuffled. */
  private static Gen<List<Target>> targetLists() {
    return lists().of(accountIds()).ofSizeBetween(0, 60)
        .zip(integers().between(1, 15), integers().all(), (ids, regionMask, seed) -> {
          List<Target> targets = new ArrayList<>();
          for (String id : ids) {
            for (int r = 0; r < REGIONS.size(); r++) {
              if ((regionMask & (1 << r)) != 0) {
                targets.add(Target.of(id, REGIONS.get(r)));
              }
            }
          }
          java.util.Collections.shuffle(targets, new Random(seed));
          return targets;
        });
  }

  /**
   * Issue 22, item 7: every method applies the one rule. Shard {@code i}'s targets as {@code
   * select}, {@code filter}, {@code asPredicate} and {@code contains} give them, and as {@code
   * indexOf} says, are the same list.
   */
  private static List<Target> shard(List<Target> targets, int i, int count) {
    Shard shard = Shard.of(i, count);
    List<Target> selected = shard.select(targets);
    List<Target> filtered = new ArrayList<>();
    shard.filter(targets.iterator(), Target::account).forEachRemaining(filtered::add);
    assertThat(filtered).isEqualTo(selected);
    assertThat(targets.stream().filter(shard.asPredicate()).toList()).isEqualTo(selected);
    assertThat(targets.stream().filter(shard::contains).toList()).isEqualTo(selected);
    assertThat(targets.stream().filter(t -> Shard.indexOf(t.account(), count) == i).toList())
        .isEqualTo(selected);
    return selected;
  }

  @Test
  void everyMethodPutsAnAccountInTheSameShard() {
    qt().withExamples(200)
        .forAll(targetLists(), integers().between(1, 16))
        .checkAssert((targets, count) -> {
          for (int i = 0; i < count; i++) {
            shard(targets, i, count); // asserts that the methods agree
          }
        });
  }

  @Test
  void everyTargetIsInExactlyOneShardAndShardsKeepInputOrder() {
    String name = "shard";
    qt().withExamples(100)
        .forAll(targetLists(), integers().between(1, 16))
        .checkAssert((targets, count) -> {
          List<List<Target>> shards = IntStream.range(0, count)
              .mapToObj(i -> shard(targets, i, count))
              .collect(Collectors.toList());
          assertThat(shards.stream().mapToInt(List::size).sum()).as(name)
              .isEqualTo(targets.size());
          for (Target t : targets) {
            assertThat(shards.stream().filter(shard -> shard.contains(t)).count())
                .as("%s: shards holding %s", name, t).isEqualTo(1);
          }
          // each shard is the input's subsequence of its own targets (duplicates kept)
          for (List<Target> shard : shards) {
            Set<Target> members = new HashSet<>(shard);
            assertThat(shard).as(name)
                .isEqualTo(targets.stream().filter(members::contains).toList());
          }
        });
  }

  @Test
  void allRegionsOfAnAccountAreInTheSameShard() {
    String name = "shard";
    qt().withExamples(100)
        .forAll(targetLists(), integers().between(1, 16))
        .checkAssert((targets, count) -> {
          Map<Account, Set<Integer>> shardsOfAccount = new HashMap<>();
          for (int i = 0; i < count; i++) {
            for (Target t : shard(targets, i, count)) {
              shardsOfAccount.computeIfAbsent(t.account(), a -> new HashSet<>()).add(i);
            }
          }
          assertThat(shardsOfAccount.values()).as(name)
              .allSatisfy(s -> assertThat(s).hasSize(1));
          assertThat(shardsOfAccount.keySet()).as(name)
              .isEqualTo(targets.stream().map(Target::account).collect(Collectors.toSet()));
        });
  }

  @Test
  void theRuleIsTheHashModuloTheCount() {
    qt().withExamples(500)
        .forAll(accountIds(), integers().between(1, 1000))
        .checkAssert((id, count) -> {
          int index = Shard.indexOf(Account.of(id), count);
          assertThat(index)
              .isEqualTo((int) Long.remainderUnsigned(Shard.hash(id), count))
              .isBetween(0, count - 1);
          assertThat(Shard.of(index, count).contains(Target.of(id, "eu-west-1"))).isTrue();
        });
  }

  /**
   * An account's shard depends on nothing but its ID and the count: not on the other targets,
   * their order or duplicates (machines that read different lists agree on every account).
   */
  @Test
  void anAccountsShardDoesNotDependOnTheOtherTargets() {
    qt().withExamples(100)
        .forAll(targetLists(), integers().between(1, 12), integers().all())
        .checkAssert((targets, count, seed) -> {
          List<Target> other = new ArrayList<>(targets.subList(0, targets.size() / 2));
          other.addAll(targets.subList(0, targets.size() / 3));
          java.util.Collections.shuffle(other, new Random(seed));
          for (int i = 0; i < count; i++) {
            Set<Target> mine = new HashSet<>(shard(targets, i, count));
            assertThat(shard(other, i, count)).allSatisfy(t -> assertThat(mine).contains(t));
          }
        });
  }

  /**
   * The documented hash, pinned: these values were computed outside Java (Python's hashlib:
   * {@code int.from_bytes(sha256(id.encode()).digest()[:8], 'big')}), so a change of the rule,
   * or a dependence on the JVM, fails here.
   */
  @Test
  void theHashIsTheDocumentedOneAndReproducibleOutsideJava() {
    assertThat(Long.toUnsignedString(Shard.hash("123456789012"))).isEqualTo("3040832028734941834");
    assertThat(Long.toUnsignedString(Shard.hash("000000000000"))).isEqualTo("17848069930752570819");
    assertThat(Long.toUnsignedString(Shard.hash(""))).isEqualTo("16406829232824261652");
    assertThat(Shard.indexOf(Account.of("123456789012"), 4)).isEqualTo(2);
    assertThat(Shard.indexOf(Account.of("123456789012"), 7)).isEqualTo(1);
    assertThat(Shard.indexOf(Account.of("000000000000"), 4)).isEqualTo(3);
    assertThat(Shard.indexOf(Account.of("999999999999"), 1000)).isEqualTo(132);
    assertThat(Shard.indexOf(Account.current(), 1000)).as("the current account hashes \"\"")
        .isEqualTo(652);
    assertThat(Shard.HASH_VERSION).isEqualTo(2);
  }

  /**
   * 1,000 distinct 12-digit IDs (seeded, so the figures are fixed), each in 3 regions: the
   * shards' account counts stay within four binomial standard deviations of the mean (a broken
   * hash, say one that puts similar IDs together, fails that); the measured figures are printed.
   */
  @Test
  void thousandAccountsSpreadEvenly() {
    Random random = new Random(15);
    Set<String> ids = new LinkedHashSet<>();
    while (ids.size() < 1000) {
      ids.add(String.format("%012d", (long) (random.nextDouble() * 1_000_000_000_000L)));
    }
    List<Target> targets =
        FanOut.crossProductOfIds(ids, List.of("us-east-1", "eu-west-1", "ap-south-1"));
    for (int count : new int[] {2, 3, 4, 8, 10}) {
      double mean = 1000.0 / count;
      int[] sizes = new int[count];
      for (int i = 0; i < count; i++) {
        sizes[i] = (int) Shard.of(i, count).select(targets).stream().map(Target::account)
            .distinct().count();
      }
      double maxDeviation = deviation(sizes, mean);
      System.out.printf("{\"shards\":%d,\"accounts\":1000,\"maxDeviation\":%.4f,"
          + "\"sizes\":\"%s\"}%n", count, maxDeviation, java.util.Arrays.toString(sizes));

      assertThat(IntStream.of(sizes).sum()).isEqualTo(1000);
      double sd = Math.sqrt(1000 * (1.0 / count) * (1 - 1.0 / count));
      assertThat(maxDeviation * mean).as("%d shards: %s", count,
          java.util.Arrays.toString(sizes)).isLessThanOrEqualTo(4 * sd);
    }
  }

  /** The largest relative distance of a shard's size from the mean. */
  private static double deviation(int[] sizes, double mean) {
    int max = IntStream.of(sizes).max().orElseThrow();
    int min = IntStream.of(sizes).min().orElseThrow();
    return Math.max(max - mean, mean - min) / mean;
  }

  @Test
  void oneShardHoldsEverything() {
    List<Target> targets = FanOut.crossProductOfIds(List.of("111111111111", "222222222222"),
        REGIONS);
    assertThat(Shard.of(0, 1).select(targets)).isEqualTo(targets);
  }

  @Test
  void lazyFilterReadsEachElementOnceAndSkipsOtherShards() {
    List<Target> targets = FanOut.crossProductOfIds(
        IntStream.range(0, 50).mapToObj(i -> String.format("%012d", i)).toList(), REGIONS);
    int[] reads = new int[1];
    var source = targets.stream().peek(t -> reads[0]++).iterator();
    var it = Shard.of(1, 3).filter(source, Target::account);
    List<Target> mine = new ArrayList<>();
    it.forEachRemaining(mine::add);
    assertThat(mine).isEqualTo(targets.stream().filter(Shard.of(1, 3).asPredicate()).toList())
        .isNotEmpty();
    assertThat(reads[0]).isEqualTo(targets.size());
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void parsesAndPrintsIOverN() {
    assertThat(Shard.parse("3/8")).isEqualTo(Shard.of(3, 8));
    assertThat(Shard.parse(" 0 / 1 ")).isEqualTo(Shard.of(0, 1));
    assertThat(Shard.of(3, 8)).hasToString("3/8");
    assertThat(Shard.of(3, 8).index()).isEqualTo(3);
    assertThat(Shard.of(3, 8).count()).isEqualTo(8);
    assertThat(Shard.parse(Shard.of(5, 6).toString())).isEqualTo(Shard.of(5, 6));
  }

  @Test
  void rejectsBadShardsNamingTheParameter() {
    assertInvalid(() -> Shard.of(0, 0), "count", "0");
    assertInvalid(() -> Shard.of(0, -1), "count", "-1");
    assertInvalid(() -> Shard.of(4, 4), "index", "4");
    assertInvalid(() -> Shard.of(-1, 4), "index", "-1");
    assertInvalid(() -> Shard.indexOf(Account.of("1"), 0), "count", "0");
    assertInvalid(() -> Shard.parse("4/4"), "index", "4");
    assertInvalid(() -> Shard.parse("1/0"), "count", "0");
    assertInvalid(() -> Shard.parse("1-4"), "shard", "1-4");
    assertInvalid(() -> Shard.parse("1/2/3"), "shard", "1/2/3");
    assertInvalid(() -> Shard.parse("a/4"), "shard", "a/4");
    assertThatThrownBy(() -> Shard.parse(null)).isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).parameter()).isEqualTo("shard");
    assertThatThrownBy(() -> Shard.of(0, 2).select(null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("targets");
    List<Target> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> Shard.of(0, 2).select(withNull))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("null");
  }

  private static void assertInvalid(Runnable call, String parameter, String value) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.parameter()).isEqualTo(parameter);
      assertThat(e.value()).isEqualTo(value);
    });
  }
}
