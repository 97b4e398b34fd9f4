package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.spi.ClientType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.junit.jupiter.api.Test;

/**
 * The client cache's map: Lincheck checks that every interleaving of concurrent lookups, inserts
 * and removals (on a table of two buckets that grows as it fills, with keys that share buckets)
 * is linearizable, that is, explainable by some sequential order of the same operations, both
 * model-checked and on real threads; plain tests pin growth, exact-value removal and the
 * snapshot that maintenance iterates.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:5")
public class ClientTableTest {

  /** A type key whose hash puts keys 0, 2, 4 in one bucket and 1, 3, 5 in another. */
  record TypeKey(int id) {
    @Override
    public int hashCode() {
      return id % 2;
    }
  }

  /** A client type cached under a key given to it; it builds nothing here. */
  record KeyedType(Object cacheKey) implements ClientType<String, Object>, KeyedClientType {
    @Override
    public Object build(Target target, Supplier<String> credentials) {
      throw new UnsupportedOperationException("the table never builds");
    }
  }

  private static final Target TARGET = Target.of("111111111111", "eu-west-1");

  private static ClientKey key(Object typeKey) {
    return new ClientKey(new KeyedType(typeKey), TARGET, "thread");
  }

  private static ClientKey key(int id) {
    return key(new TypeKey(id));
  }

  // ---- Lincheck: operations on one table, entries numbered so that results compare by value ----

  private final ClientTable table = new ClientTable(2);
  private final List<ClientEntry> entries = new ArrayList<>();

  public ClientTableTest() {
    for (int i = 0; i < 6; i++) {
      entries.add(new ClientEntry(key(i), 0));
    }
  }

  private int number(ClientEntry e) {
    return e == null ? -1 : entries.indexOf(e);
  }

  @Operation
  public int get(@Param(name = "key") int k) {
    TypeKey typeKey = new TypeKey(k); // by its parts, as a hit looks up
    return number(table.get(ClientKey.hash(typeKey, TARGET, "thread"), typeKey, TARGET, "thread"));
  }

  @Operation
  public int putIfAbsent(@Param(name = "key") int k) {
    return number(table.putIfAbsent(key(k), entries.get(k)));
  }

  @Operation
  public boolean remove(@Param(name = "key") int k) {
    return table.remove(key(k), entries.get(k));
  }

  @Operation
  public int size() {
    return table.size();
  }

  @Test
  void lookupsInsertsAndRemovalsAreLinearizable() {
    new ModelCheckingOptions()
        .iterations(20)
        .invocationsPerIteration(200)
        .actorsBefore(3)
        .threads(3)
        .actorsPerThread(3)
        .check(ClientTableTest.class);
  }

  @Test
  void linearizableOnRealThreads() {
    new StressOptions()
        .iterations(20)
        .invocationsPerIteration(500)
        .actorsBefore(3)
        .threads(2)
        .actorsPerThread(4)
        .check(ClientTableTest.class);
  }

  // ---- plain tests ----

  @Test
  void growsAndKeepsEveryEntry() {
    ClientTable t = new ClientTable(2);
    List<ClientEntry> added = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ClientEntry e = new ClientEntry(key("type-" + i), 0);
      assertThat(t.putIfAbsent(e.key, e)).isNull();
      added.add(e);
    }
    assertThat(t.size()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(t.get(key("type-" + i))).isSameAs(added.get(i));
      String typeKey = "type-" + i; // looked up by its parts, as a hit does
      assertThat(t.get(ClientKey.hash(typeKey, TARGET, "thread"), typeKey, TARGET, "thread"))
          .isSameAs(added.get(i));
    }
    assertThat(t.get(key("type-100"))).isNull();
    assertThat(t.get(ClientKey.hash("type-1", TARGET, "other"), "type-1", TARGET, "other"))
        .isNull();
    assertThat(t.values()).containsExactlyInAnyOrderElementsOf(added);
  }

  @Test
  void anEqualKeyFindsTheEntryAndAnInsertKeepsTheFirst() {
    ClientTable t = new ClientTable(16);
    ClientEntry first = new ClientEntry(key(0), 0);
    ClientEntry second = new ClientEntry(key(0), 0);
    assertThat(t.putIfAbsent(key(0), first)).isNull();
    assertThat(t.putIfAbsent(key(0), second)).isSameAs(first);
    assertThat(t.get(key(0))).isSameAs(first);
    assertThat(t.get(key(2))).isNull(); // same bucket, other key
    assertThat(t.size()).isEqualTo(1);
  }

  @Test
  void removesOnlyTheExactEntryAndKeepsItsBucketMates() {
    ClientTable t = new ClientTable(16);
    ClientEntry a = new ClientEntry(key(0), 0);
    ClientEntry b = new ClientEntry(key(2), 0);
    ClientEntry c = new ClientEntry(key(4), 0);
    t.putIfAbsent(key(0), a);
    t.putIfAbsent(key(2), b);
    t.putIfAbsent(key(4), c);

    assertThat(t.remove(key(2), new ClientEntry(key(2), 0))).isFalse(); // another entry
    assertThat(t.remove(key(2), b)).isTrue();
    assertThat(t.remove(key(2), b)).isFalse();

    assertThat(t.get(key(0))).isSameAs(a);
    assertThat(t.get(key(2))).isNull();
    assertThat(t.get(key(4))).isSameAs(c);
    assertThat(t.size()).isEqualTo(2);
  }

  @Test
  void valuesIsASnapshotThatLaterWritesDoNotChange() {
    ClientTable t = new ClientTable(16);
    ClientEntry a = new ClientEntry(key(0), 0);
    ClientEntry b = new ClientEntry(key(1), 0);
    t.putIfAbsent(key(0), a);
    List<ClientEntry> snapshot = t.values();
    t.putIfAbsent(key(1), b);
    t.remove(key(0), a);
    assertThat(snapshot).containsExactly(a);
    assertThat(t.values()).containsExactly(b);
  }

  @Test
  void aCapacityMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new ClientTable(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClientTable(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
