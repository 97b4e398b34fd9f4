package io.github.clientsessions.spark;

import org.apache.spark.sql.SparkSession;

/** The Spark ITs' session: {@code master} on loopback, no UI, no adaptive execution. */
final class LocalSpark {

  private LocalSpark() {}

  static SparkSession start(String master, String appName) {
    return SparkSession.builder()
        .master(master)
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate();
  }

  /** Stops {@code spark}, closes the JVM's executor managers, forgets the base keys. */
  static void stop(SparkSession spark) {
    if (spark != null) {
      spark.stop();
    }
    ExecutorManagers.closeAll();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }
}
