package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.ThreadAffinity;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Which threads share a real client: per thread name (the default) or all of them. */
class ThreadAffinityIT {

  private static final String ACCOUNT = "444444444444";
  private static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  /** Runs {@code task} on a new thread called {@code name} and returns its result. */
  private static <T> T onThread(String name, Callable<T> task) throws Exception {
    FutureTask<T> future = new FutureTask<>(task);
    Thread t = new Thread(future, name);
    t.start();
    return future.get(60, TimeUnit.SECONDS);
  }

  private static Callable<Ec2Client> listing(AwsSessionManager sm) {
    return () -> {
      Ec2Client ec2 = sm.client(Ec2Client.class, ACCOUNT);
      Ec2Fixtures.instanceIds(ec2); // the client works
      return ec2;
    };
  }

  @Test
  void perThreadNameSharesAClientBetweenThreadsOfTheSameNameOnly() throws Exception {
    try (AwsSessionManager sm = moto.manager().roleName("Audit").build()) {
      Ec2Client first = onThread("worker-a", listing(sm));
      Ec2Client again = onThread("worker-a", listing(sm)); // another thread, same name
      Ec2Client other = onThread("worker-b", listing(sm));

      assertThat(again).isSameAs(first);
      assertThat(other).isNotSameAs(first);
      assertThat(sm.stats().clientBuilds()).isEqualTo(2);
      assertThat(sm.stats().fetches()).isEqualTo(1);
    }
  }

  @Test
  void sharedAffinityGivesEveryThreadTheSameClient() throws Exception {
    try (AwsSessionManager sm = moto.manager().roleName("Audit")
        .threadAffinity(ThreadAffinity.shared()).build()) {
      Ec2Client first = onThread("worker-a", listing(sm));
      Ec2Client second = onThread("worker-b", listing(sm));
      Ec2Client here = listing(sm).call();

      assertThat(second).isSameAs(first);
      assertThat(here).isSameAs(first);
      assertThat(sm.stats().clientBuilds()).isEqualTo(1);
    }
  }
}
