package io.github.clientsessions.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** {@link FanOut#virtualThreads()}: virtual threads where the JDK has them, a typed error else. */
class FanOutVirtualThreadsTest {

  static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void runsEveryTaskOnAVirtualThreadWithThousandsAtOnce() {
    int n = 2_000;
    CountDownLatch allStarted = new CountDownLatch(n);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    List<Integer> targets = IntStream.range(0, n).boxed().toList();
    FanOutResult<Integer, Boolean> result = FanOut.over(targets).parallelism(n).virtualThreads()
        .deadline(BOUND)
        .run(i -> {
          threads.add(Thread.currentThread());
          allStarted.countDown();
          // every task waits for all the others: only possible if all n run at once
          if (!allStarted.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("not all tasks ran at once");
          }
          return isVirtual(Thread.currentThread());
        });
    assertThat(result.allSucceeded()).as("%s", result.failed()).isTrue();
    assertThat(result.values()).hasSize(n).containsOnly(true);
    assertThat(threads).hasSize(n);
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void failsNamingTheJdkBefore21() {
    assertThatThrownBy(() -> FanOut.over(List.of(1)).virtualThreads())
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("JDK 21 or later")
        .hasMessageContaining(Runtime.version().toString());
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void isAnExecutorSoItCannotBeCombinedWithAnother() {
    assertThatThrownBy(() -> FanOut.over(List.of(1)).virtualThreads()
        .executor(Executors.newSingleThreadExecutor()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("executor");
  }

  private static boolean isVirtual(Thread t) throws ReflectiveOperationException {
    try {
      return (boolean) MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class))
          .invoke(t);
    } catch (ReflectiveOperationException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
