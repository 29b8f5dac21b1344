package io.vigil.engine.signal.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proves the link features exact while no cap binds: for every event of seeded random streams
 * (small pools so identifiers are shared often, out-of-order times, fraud labels set and cleared,
 * events without identifiers), the snapshot and {@code linksOf} equal a brute-force recount over
 * the list of everything observed so far.
 */
class IdentityLinkGraphPropertyTest {
  static final long HOUR_MILLIS = 3_600_000L;
  static final long T0_MILLIS = 1_795_000_000_000L;
  static final int EVENTS_PER_SEED = 3_000;
  static final int ACCOUNTS = 150;

  /** Pool size per kind: smaller than the accounts, so values are shared. */
  static final Map<LinkKind, Integer> POOL = new EnumMap<>(Map.of(LinkKind.DEVICE, 110, LinkKind.PHONE, 130,
      LinkKind.CARD, 140, LinkKind.NATIONAL_ID, 140, LinkKind.EMAIL, 140, LinkKind.IP, 20));
  /** Chance that an event carries an identifier of the kind. */
  static final Map<LinkKind, Double> PRESENT = new EnumMap<>(Map.of(LinkKind.DEVICE, 0.9, LinkKind.PHONE, 0.4,
      LinkKind.CARD, 0.6, LinkKind.NATIONAL_ID, 0.15, LinkKind.EMAIL, 0.4, LinkKind.IP, 0.8));

  /** Caps at their ceilings (or beyond any stream here) so that none binds. */
  static LinkLimits unbound(Set<LinkKind> clusterKinds) {
    return new LinkLimits(LinkLimits.IDENTIFIERS_PER_ACCOUNT_MAX_CEILING, LinkLimits.ACCOUNTS_PER_IDENTIFIER_MAX_CEILING,
        100_000, LinkLimits.CLUSTER_LINKS_MAX_CEILING, LinkLimits.CLUSTER_LINKS_MAX_CEILING, clusterKinds);
  }

  record Observed(String account, long tMillis, Map<LinkKind, String> ids) {}

  record Label(String account, boolean fraud) {}

  record Key(LinkKind kind, String value) {}

  @ParameterizedTest(name = "seed {0}, follow IP {1}")
  @CsvSource({"1, false", "20261121, false", "24601, true", "9001, false", "77, true"})
  void everyFeatureOfEveryEventEqualsABruteForceRecount(long seed, boolean followIp) {
    Set<LinkKind> kinds = followIp ? EnumSet.allOf(LinkKind.class) : LinkLimits.defaults().clusterKinds();
    IdentityLinkGraph graph = new IdentityLinkGraph(unbound(kinds), seed, ~seed);
    Random random = new Random(seed);
    Set<String> blocked = new HashSet<>();
    for (int a = 0; a < ACCOUNTS; a++) if (random.nextInt(25) == 0) blocked.add(account(a));
    Map<String, Map<LinkKind, String>> homes = homes(random);
    List<Object> history = new ArrayList<>(); // Observed and Label, in call order
    Map<String, Key> fingerprints = new HashMap<>();
    int[] clusterSizes = new int[ACCOUNTS];
    int linkedBlockedTrue = 0;
    int linkedFraudTrue = 0;
    long clockMillis = T0_MILLIS;
    for (int i = 0; i < EVENTS_PER_SEED; i++) {
      clockMillis += random.nextInt(600_000);
      if (random.nextInt(120) == 0) {
        Label label = new Label(account(random.nextInt(ACCOUNTS)), random.nextInt(3) != 0);
        graph.markConfirmedFraud(label.account(), label.fraud());
        history.add(label);
      }
      Observed event = nextEvent(random, homes, clockMillis);
      LinkSnapshot actual = graph.observe(event.account(), event.tMillis(), event.ids(), blocked::contains);
      history.add(event);
      Recount recount = new Recount(history, kinds);
      LinkSnapshot expected = recount.snapshot(event, blocked);
      if (!actual.equals(expected)) fail("event " + i + " " + event + ": " + actual + ", recount " + expected);
      checkLinks(graph.linksOf(event.account()), recount, event.account(), fingerprints);
      clusterSizes[Math.min(actual.clusterSize(), ACCOUNTS - 1)]++;
      if (actual.linkedBlocked()) linkedBlockedTrue++;
      if (actual.linkedFraud()) linkedFraudTrue++;
    }
    checkStats(graph.stats(), new Recount(history, kinds));
    // The stream exercised what it claims to: small, middle and large clusters, both answers.
    assertThat(clusterSizes[0]).as("events of an isolated account").isPositive();
    assertThat(sum(clusterSizes, 1, 20)).as("small clusters").isPositive();
    assertThat(sum(clusterSizes, 20, ACCOUNTS)).as("large clusters").isPositive();
    assertThat(linkedBlockedTrue).isBetween(1, EVENTS_PER_SEED - 1);
    assertThat(linkedFraudTrue).isBetween(1, EVENTS_PER_SEED - 1);
  }

  /**
   * With tiny caps that bind all the time (eviction, saturation, capped walks), the graph stays
   * consistent with itself: every feature within its cap, each identifier's sharing equal to the
   * accounts that still list it while unsaturated, and the stats equal to a count over linksOf.
   */
  @ParameterizedTest(name = "seed {0}")
  @CsvSource({"3", "1234567"})
  void bindingCapsKeepTheGraphConsistent(long seed) {
    LinkLimits tiny = new LinkLimits(LinkKind.COUNT, 3, 5, 6, 40, EnumSet.allOf(LinkKind.class));
    IdentityLinkGraph graph = new IdentityLinkGraph(tiny, seed, seed * 31);
    Random random = new Random(seed);
    Map<String, Map<LinkKind, String>> homes = homes(random);
    for (int i = 0; i < EVENTS_PER_SEED; i++) {
      Observed e = nextEvent(random, homes, T0_MILLIS + i * 60_000L);
      LinkSnapshot s = graph.observe(e.account(), e.tMillis(), e.ids(), a -> false);
      for (LinkKind kind : LinkKind.values()) {
        assertThat(s.accountsSharing(kind)).isBetween(0, 3);
        if (s.sharingCapped(kind)) assertThat(s.accountsSharing(kind)).isEqualTo(3);
      }
      assertThat(s.clusterSize()).isBetween(0, 5);
      if (i % 100 == 0) checkSelfConsistent(graph, tiny);
    }
    LinkGraphStats stats = graph.stats();
    assertThat(stats.linksEvicted()).isPositive();
    assertThat(stats.accountsRefused()).isPositive();
    assertThat(stats.walksCapped()).isPositive();
  }

  static void checkSelfConsistent(IdentityLinkGraph graph, LinkLimits limits) {
    Map<String, Integer> listing = new HashMap<>(); // fingerprint -> accounts listing it
    Map<String, Links.Link> seen = new HashMap<>();
    long links = 0;
    for (int a = 0; a < ACCOUNTS; a++) {
      List<Links.Link> ids = graph.linksOf(account(a)).identifiers();
      assertThat(ids.size()).isLessThanOrEqualTo(limits.identifiersPerAccountMax());
      links += ids.size();
      for (Links.Link l : ids) {
        listing.merge(l.fingerprint(), 1, Integer::sum);
        seen.put(l.fingerprint(), l);
        assertThat(l.firstSeenMillis()).isLessThanOrEqualTo(l.lastSeenMillis());
      }
    }
    for (Map.Entry<String, Links.Link> e : seen.entrySet()) {
      Links.Link l = e.getValue();
      if (l.sharingCapped()) assertThat(l.accountsSharing()).isEqualTo(limits.accountsPerIdentifierMax());
      else assertThat(l.accountsSharing()).isEqualTo(listing.get(e.getKey()) - 1);
    }
    LinkGraphStats stats = graph.stats();
    assertThat(stats.links()).isEqualTo(links);
    assertThat(stats.identifiers()).isEqualTo(seen.size());
    assertThat(stats.identifiersSaturated()).isEqualTo((int) seen.values().stream().filter(Links.Link::sharingCapped).count());
  }

  /** Each account has a usual value per kind; events use it most of the time. */
  static Map<String, Map<LinkKind, String>> homes(Random random) {
    Map<String, Map<LinkKind, String>> homes = new HashMap<>();
    for (int a = 0; a < ACCOUNTS; a++) {
      Map<LinkKind, String> home = new EnumMap<>(LinkKind.class);
      for (LinkKind kind : LinkKind.values()) home.put(kind, value(kind, random.nextInt(POOL.get(kind))));
      homes.put(account(a), home);
    }
    return homes;
  }

  static Observed nextEvent(Random random, Map<String, Map<LinkKind, String>> homes, long clockMillis) {
    // Skewed towards low account numbers so some accounts have long histories.
    String account = account(Math.min(random.nextInt(ACCOUNTS), random.nextInt(ACCOUNTS)));
    long tMillis = random.nextInt(6) == 0 ? clockMillis - (long) (random.nextDouble() * 24 * HOUR_MILLIS) : clockMillis;
    Map<LinkKind, String> ids = new EnumMap<>(LinkKind.class);
    if (random.nextInt(50) == 0) return new Observed(account, tMillis, ids);
    for (LinkKind kind : LinkKind.values()) {
      if (random.nextDouble() >= PRESENT.get(kind)) continue;
      boolean usual = kind == LinkKind.IP ? random.nextInt(2) == 0 : random.nextInt(100) >= 3;
      ids.put(kind, usual ? homes.get(account).get(kind) : value(kind, random.nextInt(POOL.get(kind))));
    }
    if (random.nextInt(30) == 0) ids.put(LinkKind.EMAIL, ""); // empty means absent
    return new Observed(account, tMillis, ids);
  }

  static void checkLinks(Links links, Recount recount, String account, Map<String, Key> fingerprints) {
    Map<Key, long[]> expected = recount.linkTimes.getOrDefault(account, Map.of());
    assertThat(links.accountId()).isEqualTo(account);
    assertThat(links.confirmedFraud()).isEqualTo(recount.fraud.contains(account));
    assertThat(links.identifiers()).hasSize(expected.size());
    for (Links.Link link : links.identifiers()) {
      Key key = fingerprints.get(link.fingerprint());
      if (key == null) { // first sight of this fingerprint: it must be one of the account's unclaimed keys
        key = expected.keySet().stream().filter(k -> k.kind() == link.kind() && !fingerprints.containsValue(k))
            .filter(k -> expected.get(k)[0] == link.firstSeenMillis() && expected.get(k)[1] == link.lastSeenMillis())
            .findFirst().orElseThrow(() -> new AssertionError("no key for " + link));
        fingerprints.put(link.fingerprint(), key);
      }
      long[] times = expected.get(key);
      assertThat(times).as("link %s of %s", link, account).isNotNull();
      assertThat(link.kind()).isEqualTo(key.kind());
      assertThat(link.firstSeenMillis()).isEqualTo(times[0]);
      assertThat(link.lastSeenMillis()).isEqualTo(times[1]);
      assertThat(link.accountsSharing()).isEqualTo(recount.accountsOf.get(key).size() - 1);
      assertThat(link.sharingCapped()).isFalse();
    }
  }

  static void checkStats(LinkGraphStats stats, Recount recount) {
    Set<String> nodes = new HashSet<>(recount.linkTimes.keySet());
    nodes.addAll(recount.fraud);
    assertThat(stats.accounts()).isEqualTo(nodes.size());
    assertThat(stats.identifiers()).isEqualTo(recount.accountsOf.size());
    assertThat(stats.links()).isEqualTo(recount.linkTimes.values().stream().mapToLong(Map::size).sum());
    assertThat(stats.confirmedFraudAccounts()).isEqualTo(recount.fraud.size());
    assertThat(stats.linksEvicted()).isZero();
    assertThat(stats.accountsRefused()).isZero();
    assertThat(stats.identifiersSaturated()).isZero();
    assertThat(stats.walksCapped()).isZero();
  }

  /** Everything recomputed from the history list alone, with plain collections. */
  static final class Recount {
    final Map<Key, Set<String>> accountsOf = new HashMap<>();
    final Map<String, Map<Key, long[]>> linkTimes = new HashMap<>();
    final Set<String> fraud = new HashSet<>();
    final Set<LinkKind> clusterKinds;

    Recount(List<Object> history, Set<LinkKind> clusterKinds) {
      this.clusterKinds = clusterKinds;
      for (Object item : history) {
        if (item instanceof Label label) {
          if (label.fraud()) fraud.add(label.account());
          else fraud.remove(label.account());
          continue;
        }
        Observed e = (Observed) item;
        e.ids().forEach((kind, value) -> {
          if (value.isEmpty()) return;
          Key key = new Key(kind, value);
          accountsOf.computeIfAbsent(key, k -> new HashSet<>()).add(e.account());
          long[] times = linkTimes.computeIfAbsent(e.account(), a -> new HashMap<>())
              .computeIfAbsent(key, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
          times[0] = Math.min(times[0], e.tMillis());
          times[1] = Math.max(times[1], e.tMillis());
        });
      }
    }

    LinkSnapshot snapshot(Observed e, Set<String> blocked) {
      int[] sharing = new int[LinkKind.COUNT];
      e.ids().forEach((kind, value) -> {
        if (!value.isEmpty()) sharing[kind.ordinal()] = accountsOf.get(new Key(kind, value)).size() - 1;
      });
      Set<String> cluster = clusterOf(e.account());
      boolean linkedFraud = cluster.stream().anyMatch(fraud::contains);
      boolean linkedBlocked = linkedFraud || cluster.stream().anyMatch(blocked::contains);
      return new LinkSnapshot(sharing, 0, cluster.size(), false, linkedBlocked, linkedFraud);
    }

    /** Other accounts within two hops, breadth-first over the followed kinds. */
    Set<String> clusterOf(String self) {
      Map<String, Integer> hops = new HashMap<>(Map.of(self, 0));
      ArrayDeque<String> queue = new ArrayDeque<>(List.of(self));
      while (!queue.isEmpty()) {
        String a = queue.poll();
        if (hops.get(a) == 2) continue;
        for (Key key : linkTimes.getOrDefault(a, Map.of()).keySet()) {
          if (!clusterKinds.contains(key.kind())) continue;
          for (String b : accountsOf.get(key)) {
            if (hops.containsKey(b)) continue;
            hops.put(b, hops.get(a) + 1);
            queue.add(b);
          }
        }
      }
      hops.remove(self);
      return hops.keySet();
    }
  }

  static String account(int n) {
    return "acct-" + n;
  }

  static String value(LinkKind kind, int n) {
    return switch (kind) {
      case PHONE -> "+88017" + (10_000_000 + n);
      case EMAIL -> "user" + n + "@example.com";
      case IP -> "100.64.0." + n;
      default -> kind.wireName() + "-" + n;
    };
  }

  static int sum(int[] counts, int from, int to) {
    int s = 0;
    for (int i = from; i < to; i++) s += counts[i];
    return s;
  }
}
