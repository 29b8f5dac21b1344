package io.vigil.engine.signal.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The caps bind as documented; blocked and fraud links reach two hops but not three. */
class IdentityLinkGraphTest {
  static final Predicate<String> NONE_BLOCKED = a -> false;
  static final long T_MILLIS = 1_795_000_000_000L;

  static LinkLimits limits(int idsPerAccount, int accountsPerId, int clusterAccounts) {
    return new LinkLimits(idsPerAccount, accountsPerId, clusterAccounts, 10_000, 1_000_000,
        LinkLimits.defaults().clusterKinds());
  }

  static IdentityLinkGraph graph(LinkLimits limits) {
    return new IdentityLinkGraph(limits, 0x0123456789abcdefL, 0xfedcba9876543210L);
  }

  static Map<LinkKind, String> ids(Object... kindValue) {
    Map<LinkKind, String> m = new EnumMap<>(LinkKind.class);
    for (int i = 0; i < kindValue.length; i += 2) m.put((LinkKind) kindValue[i], (String) kindValue[i + 1]);
    return m;
  }

  static LinkSnapshot see(IdentityLinkGraph g, String account, long t, Object... kindValue) {
    return g.observe(account, t, ids(kindValue), NONE_BLOCKED);
  }

  // ---- identifier eviction ----------------------------------------------------------------------

  @Test
  void aFullAccountForgetsTheLinkSeenLeastRecently() {
    IdentityLinkGraph g = graph(limits(6, 256, 1_000));
    for (int d = 1; d <= 6; d++) see(g, "a", T_MILLIS + d, LinkKind.DEVICE, "dev-" + d);
    see(g, "b", T_MILLIS, LinkKind.DEVICE, "dev-1");
    see(g, "c", T_MILLIS, LinkKind.DEVICE, "dev-3");
    see(g, "a", T_MILLIS + 1_000, LinkKind.DEVICE, "dev-1"); // dev-1 now the most recent; dev-2 the least
    assertThat(see(g, "a", T_MILLIS + 7, LinkKind.DEVICE, "dev-7").accountsSharing(LinkKind.DEVICE)).isZero();

    assertThat(g.linksOf("a").identifiers()).extracting(Links.Link::lastSeenMillis)
        .containsExactly(T_MILLIS + 1_000, T_MILLIS + 7, T_MILLIS + 6, T_MILLIS + 5, T_MILLIS + 4, T_MILLIS + 3);
    assertThat(g.stats().linksEvicted()).isEqualTo(1);
    assertThat(g.stats().accountsFull()).isEqualTo(1);
    assertThat(g.stats().identifiers()).as("dev-2 had no other account and is dropped").isEqualTo(6);

    // An out-of-order event (older than every link) still keeps its own links; dev-3 goes next,
    // and c no longer shares it with a.
    LinkSnapshot late = see(g, "a", T_MILLIS - 86_400_000L, LinkKind.DEVICE, "dev-8", LinkKind.PHONE, "+15550001");
    assertThat(late.clusterSize()).as("b through dev-1").isEqualTo(1);
    assertThat(g.linksOf("a").identifiers()).hasSize(6).extracting(Links.Link::kind)
        .containsOnlyOnce(LinkKind.PHONE).contains(LinkKind.DEVICE);
    assertThat(g.stats().linksEvicted()).isEqualTo(3);
    assertThat(see(g, "c", T_MILLIS, LinkKind.DEVICE, "dev-3").accountsSharing(LinkKind.DEVICE)).isZero();
    assertThat(see(g, "b", T_MILLIS, LinkKind.DEVICE, "dev-1").accountsSharing(LinkKind.DEVICE)).isEqualTo(1);
  }

  @Test
  void aStreamOfNewIpsDoesNotPushOutTheNationalIdOrThePhone() {
    IdentityLinkGraph g = graph(limits(64, 256, 1_000));
    see(g, "old", T_MILLIS, LinkKind.NATIONAL_ID, "bd_nid:1990123456789", LinkKind.PHONE, "+8801712345678");
    for (int i = 0; i < 200; i++) see(g, "old", T_MILLIS + 1 + i, LinkKind.IP, "10.0." + (i / 250) + "." + (i % 250));
    assertThat(g.stats().linksEvicted()).isEqualTo(200 + 2 - 64);
    LinkSnapshot newcomer = see(g, "new", T_MILLIS + 500, LinkKind.NATIONAL_ID, "bd_nid:1990123456789",
        LinkKind.PHONE, "+8801712345678");
    assertThat(newcomer.accountsSharing(LinkKind.NATIONAL_ID)).isEqualTo(1);
    assertThat(newcomer.accountsSharing(LinkKind.PHONE)).isEqualTo(1);
    assertThat(g.linksOf("old").identifiers()).filteredOn(l -> l.kind() == LinkKind.IP).hasSize(62);
  }

  @Test
  void anEventWithAllKindsFitsAFullAccountOfTheSmallestSize() {
    IdentityLinkGraph g = graph(limits(LinkKind.COUNT, 256, 1_000));
    for (int round = 0; round < 3; round++) {
      Map<LinkKind, String> all = new EnumMap<>(LinkKind.class);
      for (LinkKind kind : LinkKind.values()) all.put(kind, kind.wireName() + "-" + round);
      g.observe("a", T_MILLIS - round, all, NONE_BLOCKED); // each round older than the last
      assertThat(g.linksOf("a").identifiers()).extracting(Links.Link::lastSeenMillis).containsOnly(T_MILLIS - round);
    }
    assertThat(g.stats().linksEvicted()).isEqualTo(2L * LinkKind.COUNT);
  }

  // ---- saturation -------------------------------------------------------------------------------

  @Test
  void aSaturatedIdentifierStopsStoringAccountsAndReportsTheCapWithAFlag() {
    IdentityLinkGraph g = graph(limits(64, 3, 1_000));
    assertThat(see(g, "a1", T_MILLIS, LinkKind.DEVICE, "emulator").accountsSharing(LinkKind.DEVICE)).isZero();
    see(g, "a2", T_MILLIS, LinkKind.DEVICE, "emulator");
    LinkSnapshot third = see(g, "a3", T_MILLIS, LinkKind.DEVICE, "emulator");
    assertThat(third.accountsSharing(LinkKind.DEVICE)).isEqualTo(2);
    assertThat(third.sharingCapped(LinkKind.DEVICE)).isFalse();
    assertThat(third.clusterCapped()).isFalse();

    LinkSnapshot fourth = see(g, "a4", T_MILLIS, LinkKind.DEVICE, "emulator", LinkKind.PHONE, "+15550004");
    assertThat(fourth.accountsSharing(LinkKind.DEVICE)).isEqualTo(3);
    assertThat(fourth.sharingCapped(LinkKind.DEVICE)).isTrue();
    assertThat(fourth.sharingCapped(LinkKind.PHONE)).isFalse();
    assertThat(fourth.clusterSize()).isEqualTo(3);
    assertThat(fourth.clusterCapped()).as("the walk cannot see refused accounts").isTrue();
    see(g, "a5", T_MILLIS, LinkKind.DEVICE, "emulator");

    LinkSnapshot member = see(g, "a1", T_MILLIS + 1, LinkKind.DEVICE, "emulator");
    assertThat(member.accountsSharing(LinkKind.DEVICE)).isEqualTo(3);
    assertThat(member.sharingCapped(LinkKind.DEVICE)).isTrue();
    assertThat(member.clusterSize()).as("a4 and a5 were not stored").isEqualTo(2);
    assertThat(g.linksOf("a5").identifiers()).singleElement()
        .satisfies(l -> assertThat(l.accountsSharing()).isEqualTo(3))
        .satisfies(l -> assertThat(l.sharingCapped()).isTrue());
    LinkGraphStats stats = g.stats();
    assertThat(stats.identifiersSaturated()).isEqualTo(1);
    assertThat(stats.accountsRefused()).isEqualTo(2);
    assertThat(stats.links()).isEqualTo(6);
  }

  @Test
  void linksNameTheOtherAccountsSharingAnIdentifierUpToTheirMaximum() {
    IdentityLinkGraph g = graph(limits(6, 256, 1_000));
    see(g, "a", T_MILLIS, LinkKind.DEVICE, "dev-1", LinkKind.PHONE, "+15550001");
    see(g, "b", T_MILLIS, LinkKind.DEVICE, "dev-1");
    see(g, "c", T_MILLIS, LinkKind.DEVICE, "dev-1");
    assertThat(g.linksOf("a").identifiers()).filteredOn(l -> l.kind() == LinkKind.DEVICE).singleElement()
        .satisfies(l -> assertThat(l.sharedWith()).containsExactly("b", "c"));
    assertThat(g.linksOf("a").identifiers()).filteredOn(l -> l.kind() == LinkKind.PHONE).singleElement()
        .satisfies(l -> assertThat(l.sharedWith()).isEmpty());
    assertThat(g.linksOf("c").identifiers()).singleElement().satisfies(l -> assertThat(l.sharedWith()).containsExactly("a", "b"));
    for (int i = 0; i < Links.SHARED_WITH_MAX + 10; i++) see(g, "m" + i, T_MILLIS, LinkKind.DEVICE, "dev-1");
    assertThat(g.linksOf("a").identifiers()).filteredOn(l -> l.kind() == LinkKind.DEVICE).singleElement()
        .satisfies(l -> assertThat(l.sharedWith()).hasSize(Links.SHARED_WITH_MAX).startsWith("b", "c").doesNotContain("a"))
        .satisfies(l -> assertThat(l.accountsSharing()).isEqualTo(Links.SHARED_WITH_MAX + 12));
  }

  @Test
  void saturationIsKeptAfterMembersLeave() {
    IdentityLinkGraph g = graph(limits(6, 2, 1_000));
    see(g, "a1", T_MILLIS, LinkKind.IP, "100.64.0.1");
    see(g, "a2", T_MILLIS, LinkKind.IP, "100.64.0.1");
    see(g, "a3", T_MILLIS, LinkKind.IP, "100.64.0.1"); // refused; saturated
    for (int d = 0; d < 6; d++) see(g, "a1", T_MILLIS + 1 + d, LinkKind.DEVICE, "dev-" + d); // a1 forgets the IP
    LinkSnapshot again = see(g, "a3", T_MILLIS + 10, LinkKind.IP, "100.64.0.1");
    assertThat(again.accountsSharing(LinkKind.IP)).isEqualTo(2);
    assertThat(again.sharingCapped(LinkKind.IP)).isTrue();
    assertThat(g.stats().identifiersSaturated()).isEqualTo(1);
  }

  // ---- cluster caps -----------------------------------------------------------------------------

  @Test
  void theClusterCountStopsAtItsCapAndSaysSo() {
    IdentityLinkGraph g = graph(limits(64, 256, 5));
    for (int i = 1; i <= 5; i++) see(g, "a" + i, T_MILLIS, LinkKind.CARD, "card-hub");
    LinkSnapshot exactlyFive = see(g, "a0", T_MILLIS, LinkKind.CARD, "card-hub");
    assertThat(exactlyFive.clusterSize()).isEqualTo(5);
    assertThat(exactlyFive.clusterCapped()).as("five others fit a cap of five").isFalse();

    see(g, "a6", T_MILLIS, LinkKind.PHONE, "+15550006", LinkKind.EMAIL, "six@example.com");
    see(g, "a1", T_MILLIS, LinkKind.PHONE, "+15550006"); // a6 is two hops from a0
    LinkSnapshot six = see(g, "a0", T_MILLIS, LinkKind.CARD, "card-hub");
    assertThat(six.clusterSize()).isEqualTo(5);
    assertThat(six.clusterCapped()).isTrue();
    assertThat(six.accountsSharing(LinkKind.CARD)).isEqualTo(5);
    assertThat(g.stats().walksCapped()).as("a1 also saw six others when it linked the phone").isEqualTo(2);
  }

  @Test
  void theWalkWorkBoundsStopItWithTheCappedFlag() {
    Set<LinkKind> kinds = LinkLimits.defaults().clusterKinds();
    IdentityLinkGraph fewLinks = graph(new LinkLimits(64, 256, 1_000, 10_000, 8, kinds));
    IdentityLinkGraph fewIdentifiers = graph(new LinkLimits(64, 256, 1_000, 2, 1_000_000, kinds));
    for (IdentityLinkGraph g : List.of(fewLinks, fewIdentifiers)) {
      for (int i = 1; i <= 4; i++) see(g, "a" + i, T_MILLIS, LinkKind.DEVICE, "dev-" + i, LinkKind.CARD, "card-" + i);
      LinkSnapshot s = see(g, "a0", T_MILLIS, LinkKind.DEVICE, "dev-1", LinkKind.CARD, "card-2",
          LinkKind.PHONE, "+15550003");
      assertThat(s.clusterCapped()).isTrue();
      assertThat(s.clusterSize()).isBetween(1, 2);
    }
    IdentityLinkGraph enough = graph(new LinkLimits(64, 256, 1_000, 2, 6, kinds)); // exactly what it needs
    for (int i = 1; i <= 2; i++) see(enough, "a" + i, T_MILLIS, LinkKind.DEVICE, "dev-" + i);
    LinkSnapshot s = see(enough, "a0", T_MILLIS, LinkKind.DEVICE, "dev-1", LinkKind.CARD, "card-x");
    // a0: 2 links, dev-1: 2 members, a1: 1 link; card-x: 1 member = 6 links, 2 identifiers.
    assertThat(s.clusterSize()).isEqualTo(1);
    assertThat(s.clusterCapped()).isFalse();
  }

  // ---- blocked and fraud through hops -----------------------------------------------------------

  /** a0 -device- a1 -phone- a2 -card- a3: a1 one hop from a0, a2 two, a3 three. */
  static IdentityLinkGraph chain() {
    IdentityLinkGraph g = graph(LinkLimits.defaults());
    see(g, "a0", T_MILLIS, LinkKind.DEVICE, "d01");
    see(g, "a1", T_MILLIS, LinkKind.DEVICE, "d01", LinkKind.PHONE, "+15550012");
    see(g, "a2", T_MILLIS, LinkKind.PHONE, "+15550012", LinkKind.CARD, "c23");
    see(g, "a3", T_MILLIS, LinkKind.CARD, "c23");
    return g;
  }

  @Test
  void aBlockedAccountIsFoundOneAndTwoHopsAwayButNotThree() {
    for (String blocked : List.of("a1", "a2", "a3")) {
      LinkSnapshot s = chain().observe("a0", T_MILLIS, Map.of(), blocked::equals);
      assertThat(s.clusterSize()).isEqualTo(2);
      assertThat(s.linkedBlocked()).as("blocked %s", blocked).isEqualTo(!blocked.equals("a3"));
      assertThat(s.linkedFraud()).isFalse();
    }
    assertThat(chain().observe("a0", T_MILLIS, Map.of(), "a0"::equals).linkedBlocked())
        .as("the account itself is not a link").isFalse();
  }

  @Test
  void aConfirmedFraudAccountIsFoundOneAndTwoHopsAwayButNotThree() {
    for (String fraud : List.of("a1", "a2", "a3")) {
      IdentityLinkGraph g = chain();
      g.markConfirmedFraud(fraud, true);
      LinkSnapshot s = g.observe("a0", T_MILLIS, Map.of(), NONE_BLOCKED);
      boolean within = !fraud.equals("a3");
      assertThat(s.linkedFraud()).as("fraud %s", fraud).isEqualTo(within);
      assertThat(s.linkedBlocked()).as("fraud counts as blocked").isEqualTo(within);
      g.markConfirmedFraud(fraud, false);
      assertThat(g.observe("a0", T_MILLIS, Map.of(), NONE_BLOCKED).linkedFraud()).isFalse();
    }
    IdentityLinkGraph g = chain();
    g.markConfirmedFraud("a3", true);
    assertThat(g.observe("a1", T_MILLIS, Map.of(), NONE_BLOCKED).linkedFraud()).as("a3 is two hops from a1").isTrue();
  }

  @Test
  void fraudLabelsOfUnseenAccountsAreKeptUntilCleared() {
    IdentityLinkGraph g = graph(LinkLimits.defaults());
    g.markConfirmedFraud("mule", true);
    assertThat(g.stats().accounts()).isEqualTo(1);
    see(g, "mule", T_MILLIS, LinkKind.EMAIL, "mule@example.com");
    assertThat(see(g, "victim", T_MILLIS, LinkKind.EMAIL, "mule@example.com").linkedFraud()).isTrue();
    g.markConfirmedFraud("ghost", true);
    g.markConfirmedFraud("ghost", false);
    assertThat(g.stats().accounts()).isEqualTo(2);
    assertThat(g.stats().confirmedFraudAccounts()).isEqualTo(1);
  }

  // ---- kinds the walk follows -------------------------------------------------------------------

  @Test
  void ipIsCountedAsSharingButNotFollowedByDefault() {
    IdentityLinkGraph byDefault = graph(LinkLimits.defaults());
    IdentityLinkGraph withIp = graph(LinkLimits.defaults().withClusterKinds(EnumSet.allOf(LinkKind.class)));
    for (IdentityLinkGraph g : List.of(byDefault, withIp)) {
      see(g, "a1", T_MILLIS, LinkKind.IP, "100.64.1.1");
      g.markConfirmedFraud("a1", true);
    }
    LinkSnapshot d = see(byDefault, "a2", T_MILLIS, LinkKind.IP, "100.64.1.1");
    assertThat(d.accountsSharing(LinkKind.IP)).isEqualTo(1);
    assertThat(d.clusterSize()).isZero();
    assertThat(d.linkedFraud()).isFalse();
    LinkSnapshot w = see(withIp, "a2", T_MILLIS, LinkKind.IP, "100.64.1.1");
    assertThat(w.clusterSize()).isEqualTo(1);
    assertThat(w.linkedFraud()).isTrue();
    assertThat(LinkLimits.defaults().clusterKinds()).containsExactlyInAnyOrder(LinkKind.DEVICE, LinkKind.PHONE,
        LinkKind.CARD, LinkKind.NATIONAL_ID, LinkKind.EMAIL);
  }

  // ---- privacy ----------------------------------------------------------------------------------

  @Test
  void linksOfNeverShowsARawIdentifier() {
    Map<LinkKind, String> raw = ids(LinkKind.DEVICE, "device-7f3a", LinkKind.PHONE, "+8801712345678",
        LinkKind.CARD, "tok_4242", LinkKind.NATIONAL_ID, "19901234567890123", LinkKind.EMAIL, "rahim@example.com",
        LinkKind.IP, "203.0.113.9");
    IdentityLinkGraph g = graph(LinkLimits.defaults());
    g.observe("a1", T_MILLIS, raw, NONE_BLOCKED);
    g.observe("a2", T_MILLIS, raw, NONE_BLOCKED);
    Links links = g.linksOf("a1");
    assertThat(links.identifiers()).hasSize(LinkKind.COUNT).allSatisfy(l -> {
      assertThat(l.fingerprint()).matches(l.kind().wireName() + ":[0-9a-f]{16}");
      assertThat(l.accountsSharing()).isEqualTo(1);
    });
    String shown = links.toString() + g.stats();
    for (String value : raw.values()) {
      assertThat(shown).doesNotContain(value);
      assertThat(shown).doesNotContain(value.substring(value.length() - 4)); // not even a suffix
    }
    assertThat(g.linksOf("a2").identifiers()).extracting(Links.Link::fingerprint)
        .containsExactlyElementsOf(links.identifiers().stream().map(Links.Link::fingerprint).toList());
    IdentityLinkGraph otherKey = new IdentityLinkGraph(LinkLimits.defaults(), 1, 2);
    otherKey.observe("a1", T_MILLIS, raw, NONE_BLOCKED);
    assertThat(otherKey.linksOf("a1").identifiers()).extracting(Links.Link::fingerprint)
        .doesNotContainAnyElementsOf(links.identifiers().stream().map(Links.Link::fingerprint).toList());
  }

  @Test
  void theSameValueUnderTwoKindsIsTwoIdentifiers() {
    IdentityLinkGraph g = graph(LinkLimits.defaults());
    see(g, "a1", T_MILLIS, LinkKind.DEVICE, "12345");
    LinkSnapshot s = see(g, "a2", T_MILLIS, LinkKind.CARD, "12345");
    assertThat(s.accountsSharing(LinkKind.CARD)).isZero();
    assertThat(s.clusterSize()).isZero();
    assertThat(g.linksOf("unknown").identifiers()).isEmpty();
  }

  // ---- mechanics --------------------------------------------------------------------------------

  @Test
  void featuresStayRightWhenTheWalkEpochWraps() {
    IdentityLinkGraph g = chain();
    g.setWalkEpochForTest(Integer.MAX_VALUE - 2);
    for (int i = 0; i < 5; i++) {
      LinkSnapshot s = g.observe("a0", T_MILLIS, Map.of(), NONE_BLOCKED);
      assertThat(s.clusterSize()).as("walk %d", i).isEqualTo(2);
    }
  }

  @Test
  void aThrowingPredicateLeavesTheGraphUsable() {
    IdentityLinkGraph g = chain();
    assertThatThrownBy(() -> g.observe("a0", T_MILLIS, ids(LinkKind.EMAIL, "x@example.com"), a -> {
      throw new IllegalStateException("list unavailable");
    })).isInstanceOf(IllegalStateException.class);
    LinkSnapshot s = g.observe("a0", T_MILLIS, Map.of(), NONE_BLOCKED);
    assertThat(s.accountsSharing(LinkKind.EMAIL)).isZero();
    assertThat(s.clusterSize()).isEqualTo(2);
  }

  @Test
  void badArgumentsAreRefusedAndNothingIsRecorded() {
    IdentityLinkGraph g = graph(LinkLimits.defaults());
    assertThatThrownBy(() -> g.observe("", T_MILLIS, Map.of(), NONE_BLOCKED)).hasMessageContaining("accountId");
    assertThatThrownBy(() -> g.observe("x".repeat(129), T_MILLIS, Map.of(), NONE_BLOCKED))
        .hasMessageContaining("at most 128");
    assertThatThrownBy(() -> see(g, "a", T_MILLIS, LinkKind.EMAIL, "e".repeat(513))).hasMessageContaining("email");
    assertThatThrownBy(() -> g.observe("a", T_MILLIS, null, NONE_BLOCKED)).hasMessageContaining("identifiers");
    assertThatThrownBy(() -> g.observe("a", T_MILLIS, Map.of(), null)).hasMessageContaining("accountBlocked");
    assertThat(g.stats().accounts()).isZero();
  }

  @Test
  void limitsAreCheckedWhenBuilt() {
    LinkLimits d = LinkLimits.defaults();
    assertThat(List.of(d.identifiersPerAccountMax(), d.accountsPerIdentifierMax(), d.clusterAccountsMax()))
        .containsExactly(64, 256, 1_000);
    Set<LinkKind> kinds = d.clusterKinds();
    assertThatThrownBy(() -> new LinkLimits(5, 256, 1_000, 4_096, 65_536, kinds))
        .hasMessage("identifiersPerAccountMax must be at least 6, was 5");
    assertThatThrownBy(() -> new LinkLimits(64, 1, 1_000, 4_096, 65_536, kinds))
        .hasMessageContaining("accountsPerIdentifierMax");
    assertThatThrownBy(() -> new LinkLimits(64, 256, 0, 4_096, 65_536, kinds)).hasMessageContaining("clusterAccountsMax");
    assertThatThrownBy(() -> new LinkLimits(64, 256, 1_000, 4_096, 65_536, null)).hasMessageContaining("clusterKinds");
    assertThat(new LinkLimits(64, 256, 1_000, 4_096, 65_536, Set.of()).clusterKinds()).isEmpty();
  }

  @Test
  void theIdentifierTableAgreesWithAHashMapUnderChurn() {
    IdentifierTable table = new IdentifierTable();
    Map<String, IdentifierNode> reference = new HashMap<>();
    Random random = new Random(7);
    for (int op = 0; op < 200_000; op++) {
      LinkKind kind = LinkKind.ALL[random.nextInt(LinkKind.COUNT)];
      long hash = random.nextInt(4_000) * 0x1_0000_0001L; // few distinct values, so churn and clusters
      String key = kind + ":" + hash;
      IdentifierNode present = reference.get(key);
      assertThat(table.get(kind, hash)).isSameAs(present);
      if (present == null) reference.put(key, table.create(kind, hash));
      else if (random.nextBoolean()) table.remove(reference.remove(key));
      assertThat(table.size()).isEqualTo(reference.size());
    }
    reference.values().forEach(n -> assertThat(table.get(n.kind, n.hash)).isSameAs(n));
  }
}
