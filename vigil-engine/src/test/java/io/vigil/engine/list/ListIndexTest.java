package io.vigil.engine.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.engine.Limits;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.ValidationException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ListIndexTest {
  static final long NOW = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();

  final ListIndex index = new ListIndex();

  static Event event(Consumer<Map<String, Object>> fields) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("event_id", "evt_1");
    b.put("type", "login");
    b.put("occurred_at", Instant.ofEpochMilli(NOW).toString());
    b.put("account_id", "acc_1");
    fields.accept(b);
    return EventParser.parse(b);
  }

  static Event fromIp(String ip) {
    return event(b -> b.put("ip", ip));
  }

  /** An entry whose value went through {@link ListValues#normalize}, as the API does. */
  static ListEntry entry(String id, ListKind kind, ListEntity entity, String rawValue, long expiresAt) {
    return new ListEntry(id, kind, entity, ListValues.normalize(entity, rawValue), "reason", "test", "tester", NOW - 1_000, expiresAt);
  }

  static ListEntry block(String id, ListEntity entity, String rawValue) {
    return entry(id, ListKind.BLOCK, entity, rawValue, 0);
  }

  ListEntry blockedIp(String ip) {
    return index.match(ListKind.BLOCK, ListEntity.IP, fromIp(ip), NOW);
  }

  // ---- CIDR ranges -------------------------------------------------------------------------------

  record Case(String range, List<String> inside, List<String> outside) {}

  static final List<Case> IPV4 = List.of(
      new Case("0.0.0.0/0", List.of("0.0.0.0", "255.255.255.255", "10.1.2.3"), List.of("::", "::1", "2001:db8::1")),
      new Case("10.0.0.0/8", List.of("10.0.0.0", "10.255.255.255", "10.128.0.1"), List.of("9.255.255.255", "11.0.0.0")),
      new Case("172.16.0.0/12", List.of("172.16.0.0", "172.31.255.255"), List.of("172.15.255.255", "172.32.0.0")),
      new Case("203.0.113.0/24", List.of("203.0.113.0", "203.0.113.255"), List.of("203.0.112.255", "203.0.114.0")),
      new Case("203.0.113.128/25", List.of("203.0.113.128", "203.0.113.255"), List.of("203.0.113.127", "203.0.114.0")),
      new Case("198.51.100.6/31", List.of("198.51.100.6", "198.51.100.7"), List.of("198.51.100.5", "198.51.100.8")),
      new Case("198.51.100.7/32", List.of("198.51.100.7"), List.of("198.51.100.6", "198.51.100.8")),
      // Host bits set in the entry do not matter: only the prefix is compared.
      new Case("10.1.2.3/8", List.of("10.200.0.1", "10.0.0.0"), List.of("11.1.2.3")));

  static final List<Case> IPV6 = List.of(
      new Case("::/0", List.of("::", "::1", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
          List.of("0.0.0.0", "1.2.3.4", "255.255.255.255")),
      new Case("2001:db8::/32", List.of("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"),
          List.of("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::")),
      new Case("2001:db8:0:2::/63", List.of("2001:db8:0:2::", "2001:db8:0:3:ffff:ffff:ffff:ffff"),
          List.of("2001:db8:0:1:ffff:ffff:ffff:ffff", "2001:db8:0:4::")),
      new Case("2001:DB8:1:2::/64", List.of("2001:db8:1:2::", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:DB8:1:2::abcd"),
          List.of("2001:db8:1:1:ffff:ffff:ffff:ffff", "2001:db8:1:3::")),
      new Case("2001:db8::1/128", List.of("2001:db8::1", "2001:0db8:0:0:0:0:0:1"), List.of("2001:db8::", "2001:db8::2")),
      // The IPv4-compatible range ::/96 holds ::a.b.c.d, never the IPv4 address a.b.c.d itself.
      new Case("::/96", List.of("::1.2.3.4", "::"), List.of("1.2.3.4", "0.0.0.0")));

  @Test
  void ipv4RangesMatchExactlyTheirAddresses() {
    checkRanges(IPV4);
  }

  @Test
  void ipv6RangesMatchExactlyTheirAddresses() {
    checkRanges(IPV6);
  }

  private void checkRanges(List<Case> cases) {
    for (Case c : cases) {
      ListIndex fresh = new ListIndex();
      fresh.put(block("r", ListEntity.IP, c.range()));
      for (String ip : c.inside()) {
        assertThat(fresh.match(ListKind.BLOCK, ListEntity.IP, fromIp(ip), NOW)).as("%s in %s", ip, c.range()).isNotNull();
      }
      for (String ip : c.outside()) {
        assertThat(fresh.match(ListKind.BLOCK, ListEntity.IP, fromIp(ip), NOW)).as("%s not in %s", ip, c.range()).isNull();
      }
    }
  }

  @Test
  void anIpv4AddressNeverMatchesAnIpv6RangeNorTheOtherWayRound() {
    for (Case c : IPV6) index.put(block("v6 " + c.range(), ListEntity.IP, c.range()));
    for (String ip : new String[] {"0.0.0.0", "1.2.3.4", "10.0.0.1", "203.0.113.7", "255.255.255.255"}) {
      assertThat(blockedIp(ip)).as(ip).isNull();
    }
    ListIndex v4 = new ListIndex();
    v4.put(block("all v4", ListEntity.IP, "0.0.0.0/0"));
    for (String ip : new String[] {"::", "::1", "::1.2.3.4", "2001:db8::1"}) {
      assertThat(v4.match(ListKind.BLOCK, ListEntity.IP, fromIp(ip), NOW)).as(ip).isNull();
    }
  }

  @Test
  void anIpv4MappedAddressIsTheIpv4Address() {
    index.put(block("r", ListEntity.IP, "203.0.113.0/24"));
    index.put(block("x", ListEntity.IP, "198.51.100.7"));
    assertThat(blockedIp("::ffff:203.0.113.9")).isNotNull();
    assertThat(blockedIp("::ffff:198.51.100.7")).isNotNull();
  }

  @Test
  void anExactAddressMatchesOnlyItselfInAnySpelling() {
    index.put(block("x", ListEntity.IP, "2001:DB8:0:0::1"));
    index.put(block("y", ListEntity.IP, "203.0.113.7"));
    assertThat(blockedIp("2001:db8::1").id()).isEqualTo("x");
    assertThat(blockedIp("2001:0db8::0001").id()).isEqualTo("x");
    assertThat(blockedIp("2001:db8::2")).isNull();
    assertThat(blockedIp("203.0.113.7").id()).isEqualTo("y");
    assertThat(blockedIp("203.0.113.70")).isNull();
  }

  @Test
  void kindsAreSeparate() {
    index.put(block("r", ListEntity.IP, "203.0.113.0/24"));
    index.put(block("a", ListEntity.ACCOUNT, "acc_1"));
    Event e = event(b -> b.put("ip", "203.0.113.9"));
    for (ListKind kind : List.of(ListKind.ALLOW, ListKind.WATCH)) {
      assertThat(index.match(kind, ListEntity.IP, e, NOW)).isNull();
      assertThat(index.match(kind, ListEntity.ACCOUNT, e, NOW)).isNull();
    }
    assertThat(index.match(ListKind.BLOCK, ListEntity.IP, e, NOW).id()).isEqualTo("r");
    assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, e, NOW).id()).isEqualTo("a");
    assertThat(index.match(ListKind.BLOCK, ListEntity.DEVICE, e, NOW)).isNull(); // the event has no device
  }

  // ---- every entity ------------------------------------------------------------------------------

  @Test
  void everyEntityMatchesItsNormalizedEventValue() {
    index.put(block("account", ListEntity.ACCOUNT, "acc_1"));
    index.put(block("device", ListEntity.DEVICE, "dev-9"));
    index.put(block("card", ListEntity.CARD, "tok_1"));
    index.put(block("bin", ListEntity.BIN, "411111"));
    index.put(block("phone", ListEntity.PHONE, "+8801712345678"));
    index.put(block("domain", ListEntity.EMAIL_DOMAIN, "Mail.Example.COM"));
    index.put(block("merchant", ListEntity.MERCHANT, "m_7"));
    index.put(block("country", ListEntity.COUNTRY, "bd"));
    Event e = event(b -> {
      b.put("merchant_id", "m_7");
      b.put("device", Map.of("id", "dev-9"));
      b.put("card", Map.of("token", "tok_1", "bin", "411111"));
      b.put("phone", "+8801712345678");
      b.put("email", "Someone@MAIL.example.com");
      b.put("attributes", Map.of("country", "bd"));
    });
    for (ListEntity entity : ListEntity.values()) {
      if (entity == ListEntity.IP) continue;
      ListEntry hit = index.match(ListKind.BLOCK, entity, e, NOW);
      assertThat(hit).as(entity.wireName()).isNotNull();
      assertThat(hit.entity()).isEqualTo(entity);
    }
    Event other = event(b -> {
      b.put("account_id", "acc_2");
      b.put("email", "someone@example.com");
      b.put("attributes", Map.of("country", "IN"));
    });
    assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, other, NOW)).isNull();
    assertThat(index.match(ListKind.BLOCK, ListEntity.EMAIL_DOMAIN, other, NOW)).isNull(); // a parent domain is another domain
    assertThat(index.match(ListKind.BLOCK, ListEntity.COUNTRY, other, NOW)).isNull();
  }

  // ---- removal, replacement, expiry ----------------------------------------------------------------

  @Test
  void removedEntriesStopMatching() {
    ListEntry range = block("r", ListEntity.IP, "203.0.113.0/24");
    ListEntry exact = block("x", ListEntity.IP, "198.51.100.7");
    ListEntry account = block("a", ListEntity.ACCOUNT, "acc_1");
    index.put(range);
    index.put(exact);
    index.put(account);
    assertThat(index.size()).isEqualTo(3);

    assertThat(index.remove("r")).isEqualTo(range);
    assertThat(blockedIp("203.0.113.9")).isNull();
    assertThat(blockedIp("198.51.100.7")).isNotNull();
    assertThat(index.remove("x")).isEqualTo(exact);
    assertThat(blockedIp("198.51.100.7")).isNull();
    assertThat(index.remove("a")).isEqualTo(account);
    assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, fromIp("1.2.3.4"), NOW)).isNull();

    assertThat(index.size()).isZero();
    assertThat(index.get("r")).isNull();
    assertThat(index.remove("r")).isNull();
    assertThat(index.remove("never-existed")).isNull();
  }

  @Test
  void puttingAnEntryWithAnExistingIdReplacesIt() {
    index.put(block("e1", ListEntity.IP, "203.0.113.0/24"));
    index.put(block("e1", ListEntity.IP, "198.51.100.7")); // range → exact
    assertThat(index.size()).isEqualTo(1);
    assertThat(blockedIp("203.0.113.9")).isNull();
    assertThat(blockedIp("198.51.100.7").id()).isEqualTo("e1");

    index.put(block("e1", ListEntity.IP, "2001:db8::/32")); // exact → range
    assertThat(blockedIp("198.51.100.7")).isNull();
    assertThat(blockedIp("2001:db8::5").id()).isEqualTo("e1");

    index.put(entry("e1", ListKind.ALLOW, ListEntity.IP, "2001:db8::/32", 0)); // another kind
    assertThat(blockedIp("2001:db8::5")).isNull();
    assertThat(index.match(ListKind.ALLOW, ListEntity.IP, fromIp("2001:db8::5"), NOW).id()).isEqualTo("e1");

    index.put(block("e1", ListEntity.ACCOUNT, "acc_1")); // another entity
    assertThat(index.match(ListKind.ALLOW, ListEntity.IP, fromIp("2001:db8::5"), NOW)).isNull();
    assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, fromIp("2001:db8::5"), NOW).id()).isEqualTo("e1");
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.get("e1").entity()).isEqualTo(ListEntity.ACCOUNT);
  }

  @Test
  void entriesExpireAtTheirExpiryTime() {
    long expiry = NOW + 60_000;
    index.put(entry("x", ListKind.BLOCK, ListEntity.ACCOUNT, "acc_1", expiry));
    index.put(entry("r", ListKind.BLOCK, ListEntity.IP, "203.0.113.0/24", expiry));
    Event e = event(b -> b.put("ip", "203.0.113.9"));
    for (long t : new long[] {NOW, expiry - 1}) {
      assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, e, t)).as("at %d", t).isNotNull();
      assertThat(index.match(ListKind.BLOCK, ListEntity.IP, e, t)).isNotNull();
    }
    for (long t : new long[] {expiry, expiry + 1, Long.MAX_VALUE}) {
      assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, e, t)).as("at %d", t).isNull();
      assertThat(index.match(ListKind.BLOCK, ListEntity.IP, e, t)).isNull();
    }
    // 0 means never.
    index.put(block("forever", ListEntity.DEVICE, "dev-1"));
    assertThat(index.match(ListKind.BLOCK, ListEntity.DEVICE, event(b -> b.put("device", Map.of("id", "dev-1"))), Long.MAX_VALUE)).isNotNull();
  }

  @Test
  void anExpiredExactAddressDoesNotHideAnActiveRange() {
    index.put(entry("old", ListKind.BLOCK, ListEntity.IP, "203.0.113.9", NOW - 1));
    index.put(block("range", ListEntity.IP, "203.0.113.0/24"));
    assertThat(blockedIp("203.0.113.9").id()).isEqualTo("range");
  }

  @Test
  void twoEntriesForTheSameValueAreIndependent() {
    // A permanent block from a feed, and a temporary one added by an analyst for the same account.
    index.put(block("feed", ListEntity.ACCOUNT, "acc_1"));
    index.put(entry("analyst", ListKind.BLOCK, ListEntity.ACCOUNT, "acc_1", NOW + 60_000));
    Event e = fromIp("1.2.3.4");
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, e, NOW)).isNotNull();
    // When the temporary one expires, the permanent one still blocks.
    assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, e, NOW + 120_000)).as("after the temporary entry expired")
        .isNotNull().extracting(ListEntry::id).isEqualTo("feed");
    // When the analyst's is removed, the feed's still blocks.
    index.remove("analyst");
    assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, e, NOW)).as("after the other entry was removed")
        .isNotNull().extracting(ListEntry::id).isEqualTo("feed");
    index.remove("feed");
    assertThat(index.match(ListKind.BLOCK, ListEntity.ACCOUNT, e, NOW)).isNull();
    assertThat(index.size()).isZero();

    // The same for exact IP addresses, and in the other order of removal.
    index.put(block("a", ListEntity.IP, "198.51.100.7"));
    index.put(block("b", ListEntity.IP, "198.51.100.7"));
    index.remove("a");
    assertThat(blockedIp("198.51.100.7")).isNotNull().extracting(ListEntry::id).isEqualTo("b");
    index.put(block("a", ListEntity.IP, "198.51.100.7"));
    index.remove("b");
    assertThat(blockedIp("198.51.100.7")).isNotNull().extracting(ListEntry::id).isEqualTo("a");
  }

  @Test
  void roomCountsTheEntriesOfOneListKindAndEntityRangesIncluded() {
    int full = Limits.LIST_ENTRIES_PER_LIST_MAX;
    index.put(block("a", ListEntity.IP, "198.51.100.7"));
    index.put(block("b", ListEntity.IP, "198.51.100.0/24"));
    index.put(entry("c", ListKind.WATCH, ListEntity.IP, "198.51.100.8", 0));
    assertThat(index.room(ListKind.BLOCK, ListEntity.IP)).isEqualTo(full - 2);
    assertThat(index.room(ListKind.WATCH, ListEntity.IP)).isEqualTo(full - 1);
    assertThat(index.room(ListKind.BLOCK, ListEntity.ACCOUNT)).isEqualTo(full);
    index.remove("b");
    assertThat(index.room(ListKind.BLOCK, ListEntity.IP)).isEqualTo(full - 1);
  }

  // ---- normalization -------------------------------------------------------------------------------

  static void invalid(ListEntity entity, String raw) {
    ValidationException e = catchThrowableOfType(() -> ListValues.normalize(entity, raw), ValidationException.class);
    assertThat(e).as("%s '%s' must be refused", entity, raw).isNotNull();
    assertThat(e.code()).isEqualTo("invalid_list_value");
    assertThat(e.param()).isEqualTo("value");
  }

  @Test
  void badValuesAreRefused() {
    for (String ip : new String[] {"10.0.0.0/33", "::/129", "2001:db8::/200", "10.0.0.0/-1", "10.0.0.0/abc", "10.0.0.0/",
        "10.0.0.0/8/8", "999.0.0.0/8", "10.0.0/8", "example.com", "fe80::1%eth0", "fe80::1%eth0/64", "/8"}) {
      invalid(ListEntity.IP, ip);
    }
    for (String country : new String[] {"USA", "U1", "B", "1D", "B D"}) invalid(ListEntity.COUNTRY, country);
    for (String bin : new String[] {"12345", "123456789", "12345a", "4111 11", "-123456"}) invalid(ListEntity.BIN, bin);
    for (String phone : new String[] {"01712345678", "+0123456789", "+1 555 0100", "+1234567890123456"}) invalid(ListEntity.PHONE, phone);
    for (String domain : new String[] {"localhost", "@example.com", "exa mple.com", "example.c", "-example.com"}) {
      invalid(ListEntity.EMAIL_DOMAIN, domain);
    }
    for (String id : new String[] {"acc 1", "acc/1", "a".repeat(129), "-acc"}) invalid(ListEntity.ACCOUNT, id);
    for (ListEntity entity : ListEntity.values()) {
      invalid(entity, null);
      invalid(entity, "");
      invalid(entity, "   ");
    }
  }

  @Test
  void valuesAreNormalizedLikeEventValues() {
    assertThat(ListValues.normalize(ListEntity.IP, " 2001:DB8:0:0::/32 ")).isEqualTo("2001:db8::/32");
    assertThat(ListValues.normalize(ListEntity.IP, "2001:db8::1")).isEqualTo("2001:db8::1");
    assertThat(ListValues.normalize(ListEntity.IP, "10.0.0.0/0")).isEqualTo("10.0.0.0/0");
    assertThat(ListValues.normalize(ListEntity.IP, "::/0")).isEqualTo("::/0");
    assertThat(ListValues.normalize(ListEntity.IP, "203.0.113.7/32")).isEqualTo("203.0.113.7/32");
    assertThat(ListValues.normalize(ListEntity.IP, "::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ListValues.normalize(ListEntity.COUNTRY, " bd ")).isEqualTo("BD");
    assertThat(ListValues.normalize(ListEntity.EMAIL_DOMAIN, "Example.COM")).isEqualTo("example.com");
    assertThat(ListValues.normalize(ListEntity.BIN, "41111111")).isEqualTo("41111111");
    assertThat(ListValues.normalize(ListEntity.ACCOUNT, "a".repeat(128))).hasSize(128);
    assertThat(ListValues.normalize(ListEntity.ACCOUNT, "Acc_1")).isEqualTo("Acc_1"); // identifiers are case-sensitive
  }
}
