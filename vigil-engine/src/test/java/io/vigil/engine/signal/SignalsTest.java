package io.vigil.engine.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signals of whole events, on the real geo and ASN databases and the built-in samples. */
class SignalsTest {
  @TempDir static Path temp;
  static ReferenceData reference;
  static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
  int sequence;

  @BeforeAll
  static void load() throws Exception {
    reference = ReferenceDataLoader.load(TestReference.directory(temp), 1, 1_000);
  }

  private Event event(String account, long tMillis, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", "e" + (++sequence));
    body.put("type", "login");
    body.put("occurred_at", Instant.ofEpochMilli(tMillis).toString());
    body.put("account_id", account);
    body.putAll(extra);
    return EventParser.parse(body);
  }

  @Test
  void ipSignalsComeFromTheRealDatabases() {
    SignalState state = new SignalState(SignalConfig.defaults());
    Signals bd = state.observe(event("a1", T0, Map.of("ip", TestReference.BTCL_IP)), reference, id -> false);
    assertThat(bd.value("ip.country")).isEqualTo("BD");
    assertThat(bd.value("ip.known")).isEqualTo(true);
    assertThat(bd.value("ip.asn")).isEqualTo(17494L);
    Signals nl = state.observe(event("a2", T0, Map.of("ip", TestReference.RIPE_NCC_V6)), reference, id -> false);
    assertThat(nl.value("ip.country")).isEqualTo("NL");
    assertThat(nl.value("ip.asn")).isEqualTo(3333L);
    assertThat(reference.components()).containsKeys("geo", "asn", "bin_table", "phone_operators", "email_domains");
    assertThat(reference.components().get("geo")).isNotEqualTo(ReferenceData.NOT_CONFIGURED);
  }

  @Test
  void impossibleTravelAndCountryMismatches() {
    SignalState state = new SignalState(SignalConfig.defaults());
    state.observe(event("a1", T0, Map.of("ip", TestReference.BTCL_IP, "account_country", "BD")), reference, id -> false);
    Signals jump = state.observe(event("a1", T0 + 10 * 60_000, Map.of("ip", TestReference.GOOGLE_DNS,
        "phone", "+8801712345678")), reference, id -> false);
    assertThat((double) jump.value("geo.travel_distance_km")).isGreaterThan(10_000);
    assertThat((double) jump.value("geo.travel_speed_kmh")).isGreaterThan(50_000);
    assertThat(jump.value("geo.impossible_travel")).isEqualTo(true);
    assertThat(jump.value("geo.usual_country")).isEqualTo("BD");
    assertThat(jump.value("account.country")).isEqualTo("BD"); // remembered from the first event
    assertThat(jump.value("geo.ip_country_mismatch_account")).isEqualTo(true);
    assertThat(jump.value("geo.ip_country_mismatch_phone")).isEqualTo(true);
    assertThat(jump.value("phone.operator")).isEqualTo("Grameenphone");
    assertThat(jump.value("geo.regions_24h")).isEqualTo(2L);
    // Unknown never fires: no card, so no BIN mismatch; no earlier event for a fresh account.
    assertThat(jump.value("geo.ip_country_mismatch_bin")).isEqualTo(false);
    Signals fresh = state.observe(event("a3", T0, Map.of("ip", TestReference.GOOGLE_DNS)), reference, id -> false);
    assertThat(fresh.value("geo.travel_speed_kmh")).isEqualTo(-1.0);
    assertThat(fresh.value("geo.distance_from_usual_km")).isEqualTo(-1.0);
  }

  @Test
  void phoneBindingCardAndIdentity() {
    SignalState state = new SignalState(SignalConfig.defaults());
    state.observe(event("a1", T0, Map.of("phone", "+8801712345678")), reference, id -> false);
    Signals same = state.observe(event("a1", T0 + 86_400_000L * 3, Map.of("phone", "+8801712345678")), reference, id -> false);
    assertThat(same.value("phone.new_for_account")).isEqualTo(false);
    assertThat(same.value("phone.account_binding_age_days")).isEqualTo(3L);
    Signals swapped = state.observe(event("a1", T0 + 86_400_000L * 4, Map.of("phone", "+8801812345678",
        "sim", Map.of("binding_age_days", 1L))), reference, id -> false);
    assertThat(swapped.value("phone.new_for_account")).isEqualTo(true);
    assertThat(swapped.value("phone.operator")).isEqualTo("Robi");
    assertThat(swapped.value("phone.sim_binding_age_days")).isEqualTo(1L);
    Signals back = state.observe(event("a1", T0 + 86_400_000L * 5, Map.of("phone", "+8801712345678")), reference, id -> false);
    assertThat(back.value("phone.new_for_account")).as("a dual-SIM user switching back").isEqualTo(false);
    assertThat(back.value("phone.account_binding_age_days")).isEqualTo(5L);

    Signals id = state.observe(event("a2", T0, Map.of("email", "x@sub.mailinator.com",
        "identity", Map.of("national_id", "19901234567890123", "national_id_type", "bd_nid", "date_of_birth", "31-01-1991",
            "document_status", "provided"))), reference, x -> false);
    assertThat(id.value("email.disposable")).isEqualTo(true);
    assertThat(id.value("identity.national_id_valid")).isEqualTo(false);
    assertThat(id.value("identity.national_id_check")).isEqualTo("dob_mismatch");
    assertThat(id.value("identity.document_status")).isEqualTo("provided");
  }

  @Test
  void linksAcrossAccounts() {
    SignalState state = new SignalState(SignalConfig.defaults());
    state.observe(event("a1", T0, Map.of("phone", "+8801712345678", "device", Map.of("id", "d1"))), reference, id -> false);
    state.observe(event("a2", T0 + 1, Map.of("phone", "+8801712345678")), reference, id -> false);
    Signals third = state.observe(event("a3", T0 + 2, Map.of("phone", "+8801712345678")), reference, id -> id.equals("a1"));
    assertThat(third.value("links.accounts_sharing_phone")).isEqualTo(2L);
    assertThat(third.value("links.cluster_size")).isEqualTo(2L);
    assertThat(third.value("links.linked_blocked")).isEqualTo(true);
    assertThat(third.value("links.accounts_sharing_device")).isEqualTo(0L);
  }

  @Test
  void replayBuildsTheSameStateAsDeciding() {
    SignalState decided = new SignalState(SignalConfig.defaults());
    SignalState replayed = new SignalState(SignalConfig.defaults());
    String[] ips = {TestReference.BTCL_IP, TestReference.GOOGLE_DNS, TestReference.RIPE_NCC_V6};
    for (int i = 0; i < 60; i++) {
      Event e = event("a" + (i % 4), T0 + i * 60_000L, Map.of("ip", ips[i % 3], "phone", "+88017123456" + (10 + i % 5),
          "device", Map.of("id", "d" + (i % 3)), "card", Map.of("token", "tok_" + (i % 7))));
      decided.observe(e, reference, id -> false);
      replayed.replay(e, reference);
    }
    Event last = event("a1", T0 + 61 * 60_000L, Map.of("ip", TestReference.BTCL_IP, "phone", "+8801712345610",
        "device", Map.of("id", "d2"), "card", Map.of("token", "tok_3")));
    Signals a = decided.observe(last, reference, id -> id.equals("a2"));
    Signals b = replayed.observe(last, reference, id -> id.equals("a2"));
    for (String name : Signals.DECLARATIONS.keySet()) assertThat(b.value(name)).as(name).isEqualTo(a.value(name));
    assertThat(a.value("links.cluster_size")).isEqualTo(3L);
  }

  @Test
  void everyDeclaredNameResolves() {
    SignalState state = new SignalState(SignalConfig.defaults());
    Signals s = state.observe(event("a1", T0, Map.of()), reference, id -> false);
    for (Map.Entry<String, String> e : Signals.DECLARATIONS.entrySet()) {
      Object v = s.value(e.getKey());
      assertThat(v).as(e.getKey()).isNotNull();
      Class<?> expected = switch (e.getValue()) {
        case "string" -> String.class;
        case "int" -> Long.class;
        case "double" -> Double.class;
        default -> Boolean.class;
      };
      assertThat(v).as(e.getKey()).isInstanceOf(expected);
    }
  }

  @Test
  void brokenFilesAreRefusedNamingTheComponent() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("broken-geo"));
    Files.write(dir.resolve(ReferenceDataLoader.GEO_CITY_FILE), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(() -> ReferenceDataLoader.load(dir, 2, 10))
        .isInstanceOfSatisfying(ReferenceDataException.class, e -> assertThat(e.component()).isEqualTo("geo"));
    Path bins = Files.createDirectories(temp.resolve("broken-bins"));
    Files.writeString(bins.resolve(ReferenceDataLoader.BINS_FILE),
        "range_start,range_end,scheme,type,country,issuer\n411100,411199,visa,debit,BD,Sample Bank\n4111,4112,visa,debit,BD,Short\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ReferenceDataLoader.load(bins, 2, 10))
        .isInstanceOfSatisfying(ReferenceDataException.class, e -> {
          assertThat(e.component()).isEqualTo("bin_table");
          assertThat(e.getMessage()).contains("line 3");
        });
    Path codes = Files.createDirectories(temp.resolve("broken-codes"));
    Files.writeString(codes.resolve(ReferenceDataLoader.PAYMENT_CODES_FILE), "code,institution,merchant_id,account_id,device_id\nQR1,bank,m 1,,\n");
    assertThatThrownBy(() -> ReferenceDataLoader.load(codes, 2, 10))
        .isInstanceOfSatisfying(ReferenceDataException.class, e -> assertThat(e.getMessage()).contains("line 2"));
  }

  @Test
  void hostingAsnsFallBackToTheBuiltInSampleAndAFileReplacesIt() throws Exception {
    assertThat(reference.reputation().isHostingAsn(16509)).as("AWS, in the built-in sample").isTrue();
    assertThat(reference.components().get("ip_reputation")).startsWith("built-in sha256:");
    assertThat(reference.reputation().isProxy("192.0.2.10")).as("the proxy sample holds documentation ranges only").isFalse();
    assertThat(reference.reputation().isTor("192.0.2.66")).isFalse();
    assertThat(reference.components().get("regions")).matches("built-in sha256:[0-9a-f]{16}");
    assertThat(ReferenceDataLoader.builtIn().components().get("ip_reputation")).isEqualTo(reference.components().get("ip_reputation"));
    Path dir = Files.createDirectories(temp.resolve("own-hosting"));
    Files.writeString(dir.resolve(ReferenceDataLoader.HOSTING_ASN_FILE), "AS24940 Hetzner\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(ReferenceDataLoader.REGIONS_FILE), "XA,North,South\n", StandardCharsets.UTF_8);
    ReferenceData own = ReferenceDataLoader.load(dir, 2, 10);
    assertThat(own.reputation().isHostingAsn(16509)).isFalse();
    assertThat(own.reputation().isHostingAsn(24940)).isTrue();
    assertThat(own.components().get("ip_reputation")).matches("sha256:[0-9a-f]{12}");
    assertThat(own.components().get("regions")).matches("sha256:[0-9a-f]{16}");
  }

  @Test
  void withoutAGeoDatabaseLocationIsUnknownNotGuessed() {
    ReferenceData builtIn = ReferenceDataLoader.builtIn();
    assertThat(builtIn.components().get("geo")).isEqualTo(ReferenceData.NOT_CONFIGURED);
    Signals s = new SignalState(SignalConfig.defaults()).observe(event("a1", T0, Map.of("ip", TestReference.GOOGLE_DNS)),
        builtIn, id -> false);
    assertThat(s.value("ip.known")).isEqualTo(false);
    assertThat(s.value("ip.country")).isEqualTo("");
    assertThat(List.of(s.value("geo.ip_country_mismatch_account"), s.value("geo.impossible_travel"))).containsOnly(false);
  }
}
