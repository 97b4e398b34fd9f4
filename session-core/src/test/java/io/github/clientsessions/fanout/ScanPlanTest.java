package io.github.clientsessions.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schedule alone, step by step: which target a free worker gets, with the caps, region
 * budgets and credentials ahead. No threads: the engine calls the plan under its lock.
 */
class ScanPlanTest {

  private static final int NO_CAP = Integer.MAX_VALUE;
  private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-south-1");

  private static List<FanOutSlot<Target, String>> slots(List<Target> targets) {
    List<FanOutSlot<Target, String>> slots = new ArrayList<>();
    for (Target t : targets) {
      slots.add(new FanOutSlot<>(slots.size(), t));
    }
    return slots;
  }

  private static ScanPlan<Target, String> plan(int perAccount, int perRegion, boolean ahead,
      List<Target> targets) {
    ScanPlan<Target, String> plan = new ScanPlan<>(perAccount, perRegion, ahead);
    for (FanOutSlot<Target, String> slot : slots(targets)) {
      assertThat(plan.add(slot)).isTrue();
    }
    return plan;
  }

  private static List<String> ids(int n) {
    return FanOutFixtures.ids(100_000_000_000L, n);
  }

  @Test
  void theFirstStartsGoToDifferentAccountsEachOnAnotherRegion() {
    ScanPlan<Target, String> plan =
        plan(NO_CAP, NO_CAP, false, FanOut.crossProductOfIds(ids(4), REGIONS));

    List<Target> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      started.add(plan.take().target);
    }

    assertThat(started).extracting(Target::account).doesNotHaveDuplicates();
    assertThat(started).extracting(Target::region).containsExactlyElementsOf(REGIONS);
  }

  @Test
  void aFreedWorkerTakesTheEarliestAccountWithTheFewestRunningAndItsNextRegion() {
    ScanPlan<Target, String> plan =
        plan(NO_CAP, NO_CAP, false, FanOut.crossProductOfIds(ids(4), REGIONS));
    FanOutSlot<Target, String> a0 = plan.take();
    plan.take();
    plan.take();

    plan.finished(a0);
    FanOutSlot<Target, String> next = plan.take();

    assertThat(next.target.account()).isEqualTo(a0.target.account()); // idle, and first
    assertThat(next.target.region()).isNotEqualTo(a0.target.region());
    // every account now runs one: the fourth account, idle, comes before a second of another
    assertThat(plan.take().target.account()).isEqualTo(Account.of(ids(4).get(3)));
  }

  @Test
  void theSameAccountRegionNeverStartsTwiceInARowWhileTheAccountHasOtherRegionsPending() {
    List<Target> calls = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      calls.addAll(FanOut.crossProductOfIds(ids(1), REGIONS)); // one account, 3 calls a region
    }
    ScanPlan<Target, String> plan = plan(NO_CAP, NO_CAP, false, calls);

    List<Target> order = new ArrayList<>();
    for (FanOutSlot<Target, String> s = plan.take(); s != null; s = plan.take()) {
      order.add(s.target);
      plan.finished(s);
    }

    assertThat(order).hasSize(9);
    for (int i = 1; i < order.size(); i++) {
      assertThat(order.get(i)).as("start %d", i).isNotEqualTo(order.get(i - 1));
    }
  }

  @Test
  void capsHoldAnAccountOrAnAccountRegionBack() {
    List<Target> two = FanOut.crossProductOfIds(ids(2), REGIONS);
    ScanPlan<Target, String> perAccount = plan(1, NO_CAP, false, two);
    FanOutSlot<Target, String> first = perAccount.take();
    FanOutSlot<Target, String> second = perAccount.take();
    assertThat(second.target.account()).isNotEqualTo(first.target.account());
    assertThat(perAccount.take()).as("both accounts at their cap").isNull();
    perAccount.finished(first);
    assertThat(perAccount.take().target.account()).isEqualTo(first.target.account());

    List<Target> sameTarget = List.of(Target.of(ids(1).get(0), "eu-west-1"),
        Target.of(ids(1).get(0), "eu-west-1"), Target.of(ids(1).get(0), "us-east-1"));
    ScanPlan<Target, String> perRegion = plan(NO_CAP, 1, false, sameTarget);
    FanOutSlot<Target, String> a = perRegion.take();
    FanOutSlot<Target, String> b = perRegion.take();
    assertThat(List.of(a.target.region(), b.target.region()))
        .containsExactlyInAnyOrder("eu-west-1", "us-east-1");
    assertThat(perRegion.take()).as("eu-west-1 runs one already").isNull();
    perRegion.finished(a.target.region().equals("eu-west-1") ? a : b);
    assertThat(perRegion.take().target.region()).isEqualTo("eu-west-1");
  }

  @Test
  void aDroppedRegionLosesItsPendingTargetsAndRefusesNewOnes() {
    ScanPlan<Target, String> plan =
        plan(NO_CAP, NO_CAP, false, FanOut.crossProductOfIds(ids(3), REGIONS));

    List<FanOutSlot<Target, String>> dropped = plan.dropRegion("us-east-1");

    assertThat(dropped).extracting(s -> s.target.region()).containsOnly("us-east-1").hasSize(3);
    assertThat(plan.pending()).isEqualTo(6);
    assertThat(plan.add(new FanOutSlot<>(99, Target.of(ids(5).get(4), "us-east-1")))).isFalse();
    List<String> regions = new ArrayList<>();
    for (FanOutSlot<Target, String> s = plan.take(); s != null; s = plan.take()) {
      regions.add(s.target.region());
    }
    assertThat(regions).hasSize(6).doesNotContain("us-east-1");
  }

  @Test
  void credentialsAheadFetchesAccountsInOrderWithinTheCapAndTheWindow() {
    List<String> ids = ids(10);
    ScanPlan<Target, String> plan = plan(NO_CAP, NO_CAP, true,
        FanOut.crossProductOfIds(ids, List.of("eu-west-1", "us-east-1")));

    assertThat(plan.accountsToFetch(2, 3)).containsExactly(Account.of(ids.get(0)),
        Account.of(ids.get(1)));
    assertThat(plan.accountsToFetch(2, 3)).as("two in flight already").isEmpty();

    plan.fetched(Account.of(ids.get(1)));
    assertThat(plan.accountsToFetch(2, 3)).containsExactly(Account.of(ids.get(2)));
    plan.fetched(Account.of(ids.get(0)));
    assertThat(plan.accountsToFetch(2, 3))
        .as("three accounts fetched and not started in full: the window is full").isEmpty();

    // the ready accounts start first, earliest first; an account started in full leaves the window
    assertThat(plan.take().target.account()).isEqualTo(Account.of(ids.get(0)));
    assertThat(plan.take().target.account()).isEqualTo(Account.of(ids.get(1)));
    assertThat(plan.take().target.account()).isEqualTo(Account.of(ids.get(0)));
    assertThat(plan.accountsToFetch(2, 3)).containsExactly(Account.of(ids.get(3)));
  }

  @Test
  void withNoReadyAccountAWorkerJoinsTheEarliestFetchInFlight() {
    List<String> ids = ids(3);
    ScanPlan<Target, String> plan =
        plan(NO_CAP, NO_CAP, true, FanOut.crossProductOfIds(ids, List.of("eu-west-1")));
    plan.accountsToFetch(2, 10);
    plan.fetched(Account.of(ids.get(1)));

    assertThat(plan.take().target.account()).as("ready first").isEqualTo(Account.of(ids.get(1)));
    assertThat(plan.take().target.account()).as("then the fetch in flight")
        .isEqualTo(Account.of(ids.get(0)));
    assertThat(plan.take().target.account()).as("then one not fetched yet")
        .isEqualTo(Account.of(ids.get(2)));
    assertThat(plan.take()).isNull();
  }

  @Test
  void targetsThatAreNotTargetsRunInInputOrderWithoutCaps() {
    ScanPlan<Integer, String> plan = new ScanPlan<>(1, 1, true);
    for (int i = 0; i < 5; i++) {
      plan.add(new FanOutSlot<>(i, i));
    }
    assertThat(plan.accountsToFetch(4, 4)).isEmpty();
    List<Integer> order = new ArrayList<>();
    for (FanOutSlot<Integer, String> s = plan.take(); s != null; s = plan.take()) {
      order.add(s.target); // none finished: caps would stop the second if they applied
    }
    assertThat(order).containsExactly(0, 1, 2, 3, 4);
  }
}
