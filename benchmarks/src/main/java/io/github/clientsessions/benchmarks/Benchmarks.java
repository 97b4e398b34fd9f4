package io.github.clientsessions.benchmarks;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/** Small helpers shared by the harnesses. Stateless; thread-safe. */
final class Benchmarks {

  private Benchmarks() {}

  /** Sleeps for {@code d}, if positive: simulated latency (benchmarks may sleep; tests may not). */
  static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero() && !d.isNegative()) {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }
  }

  /**
   * The HTTP client of the baseline modes (floor, naive, seed-design): the pool size the
   * library's managers give their shared client, so that no mode is capped by connections where
   * another is not.
   */
  static SdkHttpClient baselineHttpClient() {
    return Apache5HttpClient.builder().maxConnections(256).build();
  }

  /** A factory of non-daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
  }

  /** CPU time used by the whole process so far, in nanoseconds, or -1 if unavailable. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** Bytes of heap in use after a few full collections: the live set, near enough. */
  static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }

  /**
   * {@code value} as a JSON number with {@code decimals} digits after the point (rounded half
   * up), for the harnesses' result lines; NaN and infinities, which JSON has no number for, as
   * {@code null}.
   */
  static JsonElement rounded(double value, int decimals) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return JsonNull.INSTANCE;
    }
    return new JsonPrimitive(BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP));
  }
}
