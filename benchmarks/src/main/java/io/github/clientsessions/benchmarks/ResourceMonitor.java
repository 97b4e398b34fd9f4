package io.github.clientsessions.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples used heap every few milliseconds on its own thread and reads the JVM's peak live
 * thread count, between {@link #start()} and {@link #close()}.
 *
 * <p>Heap is sampled rather than read from the pools' peaks: the pools' peaks add up eden's size
 * just before each young collection, which measures the collector's sizing, not the workload.
 *
 * <p>Thread-safety: start and close from one thread; the readings may be read from any thread.
 */
final class ResourceMonitor implements AutoCloseable {

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final AtomicLong peakHeap = new AtomicLong(); // written by the sampler, read by anyone
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread sampler;

  private ResourceMonitor() {
    sampler = new Thread(this::sample, "resource-monitor");
    sampler.setDaemon(true);
  }

  /** Resets the peaks and starts sampling. */
  static ResourceMonitor start() {
    ResourceMonitor m = new ResourceMonitor();
    m.threads.resetPeakThreadCount();
    m.sampler.start();
    return m;
  }

  private void sample() {
    try {
      do {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      } while (!stop.await(5, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The most heap seen in use, in MB. */
  double peakHeapMb() {
    return Math.max(peakHeap.get(), memory.getHeapMemoryUsage().getUsed()) / (1024.0 * 1024.0);
  }

  /** The most live threads in the JVM since {@link #start()}, the monitor's own included. */
  int peakThreads() {
    return threads.getPeakThreadCount();
  }

  /** Live threads now. */
  int liveThreads() {
    return threads.getThreadCount();
  }

  @Override
  public void close() {
    stop.countDown();
    try {
      sampler.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
