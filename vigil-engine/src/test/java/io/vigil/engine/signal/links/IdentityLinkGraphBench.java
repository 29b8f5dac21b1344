package io.vigil.engine.signal.links;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Cost of {@link IdentityLinkGraph#observe} and bytes per node; prints, asserts nothing. Not a
 * {@code *Test}, so ordinary builds skip it. Run:
 * <pre>
 * ./mvnw -q -pl vigil-engine test -Dtest=IdentityLinkGraphBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * A plain timed loop (warm-up, then a measured run, median of 5), not JMH: the figures are
 * indicative. The event stream is precomputed so the loop does nothing else.
 */
class IdentityLinkGraphBench {
  static final int ACCOUNTS = 200_000;
  static final int EVENTS = 400_000;
  static final long T0_MILLIS = 1_795_000_000_000L;

  record Event(String account, long tMillis, Map<LinkKind, String> ids) {}

  @Test
  void observeCost() {
    Random random = new Random(42);
    Map<LinkKind, String>[] homes = homes(random);
    IdentityLinkGraph g = new IdentityLinkGraph(LinkLimits.defaults(), random.nextLong(), random.nextLong());
    Set<String> blocked = new HashSet<>();
    for (int a = 0; a < ACCOUNTS; a += 100) blocked.add(account(a));
    Predicate<String> isBlocked = blocked::contains;
    for (int a = 0; a < ACCOUNTS; a++) g.observe(account(a), T0_MILLIS, homes[a], isBlocked); // population
    for (int a = 0; a < ACCOUNTS; a += 500) g.markConfirmedFraud(account(a), true);
    Event[] events = new Event[EVENTS];
    for (int i = 0; i < EVENTS; i++) events[i] = nextEvent(random, homes, i);
    long[] nanosPerOp = new long[5];
    long clusterTotal = 0;
    for (int round = 0; round < 2 + nanosPerOp.length; round++) { // 2 warm-up rounds
      long start = System.nanoTime();
      for (Event e : events) clusterTotal += g.observe(e.account(), e.tMillis(), e.ids(), isBlocked).clusterSize();
      long elapsed = System.nanoTime() - start;
      if (round >= 2) nanosPerOp[round - 2] = elapsed / EVENTS;
    }
    java.util.Arrays.sort(nanosPerOp);
    System.out.printf("observe, realistic event (5 identifiers, 200k accounts): median %d ns/op, runs %s%n",
        nanosPerOp[2], java.util.Arrays.toString(nanosPerOp));
    System.out.printf("  mean cluster %.1f, %s%n", clusterTotal / (7.0 * EVENTS), g.stats());
    hashingCost(g, events);
    worstCase(isBlocked);
    worstCase(a -> false); // the walk alone, without 1,000 block-list look-ups
  }

  /**
   * Walks that spend their whole link budget: 1,000 accounts, each linked to about 64 of 1,000 random cards
   * (about 64 accounts per card), so everyone is within two hops and every card is examined from both
   * sides: about 128,000 links, twice the default budget.
   */
  static void worstCase(Predicate<String> isBlocked) {
    IdentityLinkGraph g = new IdentityLinkGraph(LinkLimits.defaults(), 1, 2);
    Random random = new Random(7);
    for (int a = 0; a < 1_000; a++) {
      g.observe("dense-" + a, T0_MILLIS, Map.of(LinkKind.CARD, "card-" + a), isBlocked);
      for (int j = 1; j < 64; j++) {
        g.observe("dense-" + a, T0_MILLIS + j, Map.of(LinkKind.CARD, "card-" + random.nextInt(1_000)), isBlocked);
      }
    }
    long best = Long.MAX_VALUE;
    LinkSnapshot last = null;
    for (int round = 0; round < 7; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < 5_000; i++) { // each account with a card it already holds: the graph does not change
        int a = i % 1_000;
        last = g.observe("dense-" + a, T0_MILLIS + 64, Map.of(LinkKind.CARD, "card-" + a), isBlocked);
      }
      best = Math.min(best, (System.nanoTime() - start) / 5_000);
    }
    System.out.printf("observe, worst case (link budget %d spent): best %d ns/op, %s, %s%n",
        g.limits().clusterLinksMax(), best, last, g.stats());
  }

  /** The keyed hashing alone: five SipHash-2-4 values, as one realistic event costs. */
  static void hashingCost(IdentityLinkGraph g, Event[] events) {
    long sink = 0;
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      for (Event e : events) for (Map.Entry<LinkKind, String> id : e.ids().entrySet()) sink += g.hash(id.getKey(), id.getValue());
      best = Math.min(best, (System.nanoTime() - start) / events.length);
    }
    System.out.printf("  of which hashing the identifiers: best %d ns/event (%d)%n", best, sink & 1);
  }

  @Test
  void bytesPerNode() {
    int n = 300_000;
    for (int round = 0; round < 2; round++) { // the first round also loads classes
      long bare = retained(n, 0);
      long one = retained(n, 1);
      long three = retained(n, 3);
      System.out.printf("memory: %d B per account (a labelled account, no link), %d B per unshared identifier "
          + "with its link (1 per account), %d B (3 per account)%n", bare / n, (one - bare) / n, (three - bare) / (3L * n));
    }
  }

  /** Heap retained by a graph of n accounts with k unshared identifiers each (k = 0: fraud labels only). */
  static long retained(int n, int k) {
    String[] ids = new String[n];
    for (int a = 0; a < n; a++) ids[a] = account(a);
    long before = usedAfterGc();
    IdentityLinkGraph g = new IdentityLinkGraph(LinkLimits.defaults(), 3, 4);
    LinkKind[] kinds = {LinkKind.DEVICE, LinkKind.CARD, LinkKind.EMAIL};
    for (int a = 0; a < n; a++) {
      if (k == 0) g.markConfirmedFraud(ids[a], true);
      Map<LinkKind, String> values = new EnumMap<>(LinkKind.class);
      for (int i = 0; i < k; i++) values.put(kinds[i], kinds[i].wireName() + "-" + a);
      g.observe(ids[a], T0_MILLIS, values, x -> false);
    }
    long after = usedAfterGc();
    if (g.stats().accounts() != n || g.stats().identifiers() != (long) n * k) throw new AssertionError(g.stats());
    // The id strings are the caller's (they exist before the graph); add ~56 B per 15-character id if the graph
    // is their only holder.
    return after - before;
  }

  static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Usual identifiers: personal device, phone, card, e-mail; 1 in 20 accounts in a ring of 10 sharing a device; IPs from a NAT pool. */
  @SuppressWarnings("unchecked")
  static Map<LinkKind, String>[] homes(Random random) {
    Map<LinkKind, String>[] homes = new Map[ACCOUNTS];
    for (int a = 0; a < ACCOUNTS; a++) {
      Map<LinkKind, String> m = new EnumMap<>(LinkKind.class);
      boolean ring = a % 20 == 0;
      m.put(LinkKind.DEVICE, ring ? "ring-device-" + (a / 200) : "device-" + a);
      m.put(LinkKind.PHONE, "+88017" + (10_000_000 + random.nextInt(ACCOUNTS * 5)));
      m.put(LinkKind.CARD, "tok_" + (random.nextInt(10) == 0 ? random.nextInt(ACCOUNTS) : ACCOUNTS + a));
      m.put(LinkKind.EMAIL, "user" + a + "@example.com");
      m.put(LinkKind.IP, "100.64." + random.nextInt(40) + "." + random.nextInt(250));
      homes[a] = m;
    }
    return homes;
  }

  static Event nextEvent(Random random, Map<LinkKind, String>[] homes, int i) {
    int a = random.nextInt(ACCOUNTS);
    Map<LinkKind, String> ids = new EnumMap<>(homes[a]);
    if (random.nextInt(20) == 0) ids.put(LinkKind.CARD, "tok_new_" + i);
    ids.put(LinkKind.IP, "100.64." + random.nextInt(40) + "." + random.nextInt(250));
    return new Event(account(a), T0_MILLIS + i * 100L - random.nextInt(3_600_000), ids);
  }

  static String account(int a) {
    return String.format("acct-%010d", a);
  }
}
