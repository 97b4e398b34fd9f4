package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Harness 3: heap per cached client and live threads at N cached clients (default 1,000 and
 * 10,000), beside N plain SDK clients.
 *
 * <ul>
 *   <li>SDK only: N {@code Ec2Client}s built with the SDK's builder on one shared
 *       {@link Apache5HttpClient}, held in a list.
 *   <li>Library: N {@code Ec2Client}s cached by an {@link AwsSessionManager} (its own shared
 *       HTTP client, maximumClients above N). They are N distinct cache entries of the current
 *       account under N thread names, so no network is needed; each entry's key holds its own
 *       thread-name string, which is counted against the library.
 * </ul>
 *
 * <p>Heap is measured after full collections before and after building, past a warm-up that
 * creates the shared HTTP client and the SDK's lazily built statics. Prints one JSON line per N.
 * Run from the main thread only (it renames it, and restores the name).
 */
final class Memory {

  private static final String REGION = "eu-west-1";
  private static final int WARM_UP = 50;

  private Memory() {}

  /** {@code Bench memory}: the options of this harness. */
  @Command(name = "memory",
      description = "Heap per cached client and live threads at N cached clients, beside N "
          + "plain SDK clients.")
  static final class Cli extends Bench.Harness {
    @Option(names = "--clients", split = ",", paramLabel = "N",
        description = "One measurement per N. Default: 1000,10000; quick: 1000.")
    List<Integer> clients;

    List<Integer> counts() {
      return clients != null ? List.copyOf(clients)
          : size.quick ? List.of(1000) : List.of(1000, 10_000);
    }

    @Override
    void run() throws Exception {
      for (int n : counts()) {
        print(measure(n));
      }
    }
  }

  static JsonObject measure(int n) throws Exception {
    Measured sdk = sdkOnly(n);
    Measured library = library(n);
    JsonObject line = new JsonObject();
    line.addProperty("bench", "memory");
    line.addProperty("clients", n);
    line.add("heap_per_client_kb", Benchmarks.rounded(library.bytesPerClient() / 1024.0, 2));
    line.add("sdk_only_heap_per_client_kb", Benchmarks.rounded(sdk.bytesPerClient() / 1024.0, 2));
    line.add("library_overhead_per_client_kb",
        Benchmarks.rounded((library.bytesPerClient() - sdk.bytesPerClient()) / 1024.0, 2));
    line.addProperty("threads", library.threadsAfter());
    line.addProperty("threads_before", library.threadsBefore());
    line.addProperty("sdk_only_threads", sdk.threadsAfter());
    return line;
  }

  record Measured(double bytesPerClient, int threadsBefore, int threadsAfter) {}

  static Measured sdkOnly(int n) throws InterruptedException {
    try (SdkHttpClient http = Apache5HttpClient.create()) {
      List<Ec2Client> clients = new ArrayList<>(n + WARM_UP);
      for (int i = 0; i < WARM_UP; i++) {
        clients.add(sdkClient(http));
      }
      long before = Benchmarks.usedHeapAfterGc();
      int threadsBefore = liveThreads();
      for (int i = 0; i < n; i++) {
        clients.add(sdkClient(http));
      }
      long after = Benchmarks.usedHeapAfterGc();
      int threadsAfter = liveThreads();
      clients.forEach(Ec2Client::close);
      return new Measured((after - before) / (double) n, threadsBefore, threadsAfter);
    }
  }

  private static Ec2Client sdkClient(SdkHttpClient http) {
    return Ec2Client.builder()
        .region(Region.of(REGION))
        .credentialsProvider(AwsFixtures.FAKE_KEYS)
        .httpClient(http)
        .build();
  }

  static Measured library(int n) throws InterruptedException {
    Thread me = Thread.currentThread();
    String name = me.getName();
    try (AwsSessionManager manager =
        AwsFixtures.currentAccountManager("per-thread-name", n + WARM_UP + 10)) {
      for (int i = 0; i < WARM_UP; i++) {
        me.setName("warm-up-" + i);
        manager.client(Ec2Client.class, Target.current(REGION));
      }
      long before = Benchmarks.usedHeapAfterGc();
      int threadsBefore = liveThreads();
      for (int i = 0; i < n; i++) {
        me.setName("client-" + i);
        manager.client(Ec2Client.class, Target.current(REGION));
      }
      me.setName(name);
      long after = Benchmarks.usedHeapAfterGc();
      int threadsAfter = liveThreads();
      int cached = manager.stats().clients();
      if (cached != n + WARM_UP) {
        throw new IllegalStateException("expected " + (n + WARM_UP) + " cached clients, found "
            + cached);
      }
      return new Measured((after - before) / (double) n, threadsBefore, threadsAfter);
    } finally {
      me.setName(name);
    }
  }

  private static int liveThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
