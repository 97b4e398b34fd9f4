package io.github.clientsessions.fanout;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.Target;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Which target a free worker starts next: the schedule of one run, over the targets given (a
 * list) or drawn so far (a stream) and not yet started.
 *
 * <p>Targets are grouped by account, in the order their accounts first appear, and within an
 * account by region. A worker gets a target of the <em>earliest account with the fewest targets
 * running</em>, and within it of the region with the fewest running, regions taken in turn from
 * an offset that differs from account to account. So the scan moves through the accounts in
 * order (each account's role is wanted once, early, and then not again), while consecutive starts
 * go to different accounts and regions and no (account, region) gets a burst. Optional caps on
 * running targets per account and per (account, region) make a target wait rather than start.
 *
 * <p>With credentials ahead, an account's targets start first once its credentials are {@code
 * READY}; accounts move from {@code NEEDED} to {@code FETCHING} in order, at most {@code
 * maxFetchesInFlight} at a time and at most {@code accountsAhead} fetched and not started in
 * full. When no ready account has a startable target, a target of the earliest fetching account
 * starts (its worker joins the fetch in flight), then of the earliest account not fetched yet.
 *
 * <p>Targets that are not {@link Target}s carry no account: they form one group, run in order.
 *
 * <p>Not thread-safe: the run calls it under its lock.
 */
final class ScanPlan<T, R extends @Nullable Object> {

  /** Where an account's credentials are, when they are fetched ahead. */
  private enum Credentials { NEEDED, FETCHING, READY }

  /** The key of the one group of targets that carry no account. */
  private static final Object NO_ACCOUNT = new Object();

  private final int maxPerAccount;
  private final int maxPerAccountRegion;
  private final boolean ahead;

  private final Map<Object, Group> groups = new HashMap<>();
  // every group with pending targets is in exactly one of these, by its state and running count
  private final TreeMap<Long, Group> needed = new TreeMap<>(); // by seq
  private final TreeMap<Long, Group> fetching = new TreeMap<>();
  private final TreeMap<Long, Group> idle = new TreeMap<>(); // ready, nothing running
  private final Set<Group> busy = new HashSet<>(); // ready, some running: at most parallelism
  private final Set<String> droppedRegions = new HashSet<>();
  private long nextSeq;
  private int pending;
  private int accountsAhead; // groups FETCHING or READY with targets not started, when ahead
  private int fetchesInFlight;

  ScanPlan(int maxPerAccount, int maxPerAccountRegion, boolean ahead) {
    this.maxPerAccount = maxPerAccount;
    this.maxPerAccountRegion = maxPerAccountRegion;
    this.ahead = ahead;
  }

  /** Targets added and not yet started (nor dropped). */
  int pending() {
    return pending;
  }

  /**
   * Adds a target to start.
   *
   * @return false if its region's failure budget is spent: the slot was not added
   */
  boolean add(FanOutSlot<T, R> slot) {
    String region = regionOf(slot.target);
    if (region != null && droppedRegions.contains(region)) {
      return false;
    }
    Account account = accountOf(slot.target);
    Object key = account != null ? account : NO_ACCOUNT;
    Group g = groups.get(key);
    if (g == null) {
      g = new Group(key, nextSeq++, ahead && account != null ? Credentials.NEEDED
          : Credentials.READY);
      groups.put(key, g);
    }
    g.add(region != null ? region : "", slot);
    pending++;
    refile(g);
    return true;
  }

  /** The next target to start, marked running; null if none may start now. */
  @Nullable FanOutSlot<T, R> take() {
    Group g = nextReady();
    if (g == null) {
      g = firstStartable(fetching);
    }
    if (g == null) {
      g = firstStartable(needed);
      if (g != null) {
        g.credentials = Credentials.READY; // its first worker fetches them itself
      }
    }
    if (g == null) {
      return null;
    }
    FanOutSlot<T, R> slot = g.take(g.key == NO_ACCOUNT ? Integer.MAX_VALUE : maxPerAccountRegion);
    pending--;
    refile(g);
    return slot;
  }

  /** A target started by {@link #take} has ended. */
  void finished(FanOutSlot<T, R> slot) {
    Account account = accountOf(slot.target);
    Group g = groups.get(account != null ? account : NO_ACCOUNT);
    if (g == null) {
      return; // cannot happen while it runs; a guard rather than an exception in a worker
    }
    String region = regionOf(slot.target);
    g.finished(region != null ? region : "");
    refile(g);
  }

  /** Removes every target not started; the run starts no more. */
  List<FanOutSlot<T, R>> drainAll() {
    List<FanOutSlot<T, R>> drained = new ArrayList<>(pending);
    for (Group g : new ArrayList<>(groups.values())) {
      g.drain(null, drained);
      refile(g);
    }
    pending = 0;
    return drained;
  }

  /**
   * Removes the targets of {@code region} not started, and refuses those added later.
   *
   * @return the removed targets
   */
  List<FanOutSlot<T, R>> dropRegion(String region) {
    droppedRegions.add(region);
    List<FanOutSlot<T, R>> dropped = new ArrayList<>();
    for (Group g : new ArrayList<>(groups.values())) {
      int before = dropped.size();
      g.drain(region, dropped);
      if (dropped.size() > before) {
        refile(g);
      }
    }
    pending -= dropped.size();
    return dropped;
  }

  /**
   * The accounts whose credentials to fetch now, in order, marked {@code FETCHING}: as many as
   * {@code maxInFlight} fetches in flight and {@code maxAhead} accounts ahead allow.
   */
  List<Account> accountsToFetch(int maxInFlight, int maxAhead) {
    List<Account> start = new ArrayList<>();
    while (fetchesInFlight < maxInFlight && accountsAhead < maxAhead && !needed.isEmpty()) {
      Group g = needed.firstEntry().getValue();
      g.credentials = Credentials.FETCHING;
      fetchesInFlight++;
      refile(g);
      start.add((Account) g.key);
    }
    return start;
  }

  /** The fetch of {@code account}'s credentials started by {@link #accountsToFetch} completed. */
  void fetched(Account account) {
    fetchesInFlight--;
    Group g = groups.get(account);
    if (g != null && g.credentials == Credentials.FETCHING) {
      g.credentials = Credentials.READY;
      refile(g);
    }
  }

  /** The earliest ready account with the fewest targets running that may start one, or null. */
  private @Nullable Group nextReady() {
    Map.Entry<Long, Group> first = idle.firstEntry();
    if (first != null) {
      return first.getValue(); // nothing of it runs, so no cap holds it back
    }
    Group best = null;
    for (Group g : busy) {
      if (startable(g) && (best == null || g.running < best.running
          || (g.running == best.running && g.seq < best.seq))) {
        best = g;
      }
    }
    return best;
  }

  private @Nullable Group firstStartable(TreeMap<Long, Group> groupsBySeq) {
    for (Group g : groupsBySeq.values()) {
      if (startable(g)) {
        return g;
      }
    }
    return null;
  }

  private boolean startable(Group g) {
    if (g.key == NO_ACCOUNT) {
      return g.pending > 0;
    }
    return g.pending > 0 && g.running < maxPerAccount && g.hasLaneBelow(maxPerAccountRegion);
  }

  /** Files {@code g} where its state says, or forgets it when nothing of it is left. */
  private void refile(Group g) {
    switch (g.filed) {
      case NEEDED -> needed.remove(g.seq);
      case FETCHING -> fetching.remove(g.seq);
      case IDLE -> idle.remove(g.seq);
      case BUSY -> busy.remove(g);
      case NONE -> { }
    }
    boolean nowAhead = ahead && g.key != NO_ACCOUNT && g.pending > 0
        && g.credentials != Credentials.NEEDED;
    accountsAhead += (nowAhead ? 1 : 0) - (g.countedAhead ? 1 : 0);
    g.countedAhead = nowAhead;
    if (g.pending == 0) {
      g.filed = Filed.NONE;
      if (g.running == 0) {
        groups.remove(g.key, g);
      }
      return;
    }
    switch (g.credentials) {
      case NEEDED -> {
        needed.put(g.seq, g);
        g.filed = Filed.NEEDED;
      }
      case FETCHING -> {
        fetching.put(g.seq, g);
        g.filed = Filed.FETCHING;
      }
      case READY -> {
        if (g.running == 0) {
          idle.put(g.seq, g);
          g.filed = Filed.IDLE;
        } else {
          busy.add(g);
          g.filed = Filed.BUSY;
        }
      }
    }
  }

  private static @Nullable Account accountOf(Object target) {
    return target instanceof Target t ? t.account() : null;
  }

  private static @Nullable String regionOf(Object target) {
    return target instanceof Target t ? t.region() : null;
  }

  private enum Filed { NONE, NEEDED, FETCHING, IDLE, BUSY }

  /** One account's targets not started, by region, and how many of them run. */
  private final class Group {
    final Object key;
    final long seq;
    final Map<String, Lane> lanes = new LinkedHashMap<>();
    final ArrayDeque<Lane> turn = new ArrayDeque<>(); // lanes with pending targets, in turn
    Credentials credentials;
    Filed filed = Filed.NONE;
    boolean countedAhead;
    boolean rotated;
    int pending;
    int running;

    Group(Object key, long seq, Credentials credentials) {
      this.key = key;
      this.seq = seq;
      this.credentials = credentials;
    }

    void add(String region, FanOutSlot<T, R> slot) {
      Lane lane = lanes.computeIfAbsent(region, Lane::new);
      if (lane.pending.isEmpty()) {
        turn.addLast(lane);
      }
      lane.pending.addLast(slot);
      pending++;
    }

    boolean hasLaneBelow(int max) {
      for (Lane lane : turn) {
        if (lane.running < max) {
          return true;
        }
      }
      return false;
    }

    /** The next slot of the lane with the fewest running (first in turn on ties). */
    FanOutSlot<T, R> take(int maxPerLane) {
      if (!rotated) {
        // accounts start on different regions, so that consecutive starts differ in both
        rotated = true;
        for (long i = seq % turn.size(); i > 0; i--) {
          turn.addLast(turn.pollFirst());
        }
      }
      Lane best = null;
      for (Lane lane : turn) {
        if (lane.running < maxPerLane && (best == null || lane.running < best.running)) {
          best = lane;
        }
      }
      if (best == null) {
        throw new IllegalStateException("no startable lane in " + key); // startable() was checked
      }
      FanOutSlot<T, R> slot = best.pending.removeFirst();
      turn.remove(best);
      if (!best.pending.isEmpty()) {
        turn.addLast(best);
      }
      best.running++;
      running++;
      pending--;
      return slot;
    }

    void finished(String region) {
      Lane lane = lanes.get(region);
      if (lane != null) {
        lane.running--;
        if (lane.running == 0 && lane.pending.isEmpty()) {
          lanes.remove(region);
        }
      }
      running--;
    }

    /** Moves the pending slots of {@code region} (every region if null) to {@code into}. */
    void drain(@Nullable String region, List<FanOutSlot<T, R>> into) {
      for (Iterator<Lane> it = turn.iterator(); it.hasNext(); ) {
        Lane lane = it.next();
        if (region == null || lane.region.equals(region)) {
          pending -= lane.pending.size();
          into.addAll(lane.pending);
          lane.pending.clear();
          it.remove();
          if (lane.running == 0) {
            lanes.remove(lane.region);
          }
        }
      }
    }
  }

  /** One (account, region)'s targets not started, and how many of them run. */
  private final class Lane {
    final String region;
    final ArrayDeque<FanOutSlot<T, R>> pending = new ArrayDeque<>();
    int running;

    Lane(String region) {
      this.region = region;
    }
  }
}
