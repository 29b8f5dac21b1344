package io.vigil.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.engine.Limits;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One test per validation rule of {@link EventParser}: the code and the offending param. */
class EventParserTest {
  static final String WHEN = "2026-11-21T10:15:30Z";
  static final long WHEN_MILLIS = Instant.parse(WHEN).toEpochMilli();

  /** A minimal valid login. */
  static Map<String, Object> login() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("event_id", "evt_1");
    b.put("type", "login");
    b.put("occurred_at", WHEN);
    b.put("account_id", "acc_1");
    return b;
  }

  /** A minimal valid payment. */
  static Map<String, Object> payment() {
    Map<String, Object> b = login();
    b.put("type", "payment");
    b.put("amount", 1_050L);
    b.put("currency", "USD");
    return b;
  }

  static Map<String, Object> with(Map<String, Object> body, Consumer<Map<String, Object>> change) {
    Map<String, Object> copy = new LinkedHashMap<>(body);
    change.accept(copy);
    return copy;
  }

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return m;
  }

  /** Asserts the refusal, and that the message does not echo the offending value. */
  static ValidationException refused(Map<String, Object> body, String code, String param, Object offendingValue) {
    ValidationException e = catchThrowableOfType(() -> EventParser.parse(body), ValidationException.class);
    assertThat(e).as("expected %s on %s", code, param).isNotNull();
    assertThat(e.code()).as("code (param %s, message %s)", e.param(), e.getMessage()).isEqualTo(code);
    assertThat(e.param()).isEqualTo(param);
    assertThat(e.getMessage()).isNotBlank();
    if (offendingValue instanceof String s && s.length() >= 3) assertThat(e.getMessage()).doesNotContain(s);
    return e;
  }

  static ValidationException refused(Map<String, Object> body, String code, String param) {
    return refused(body, code, param, null);
  }

  // ---- the happy path -------------------------------------------------------------------------

  @Test
  void aFullEventMapsEveryField() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("event_id", "evt_2026-11-21:0001");
    b.put("type", "payment");
    b.put("occurred_at", "2026-11-21T16:15:30.250+06:00");
    b.put("account_id", "acc_42");
    b.put("merchant_id", "m_7");
    b.put("counterparty_id", "cp+1@bank");
    b.put("amount", 49_999L);
    b.put("currency", "BDT");
    b.put("channel", "mobile_app");
    b.put("ip", "2001:DB8:0:0:0:0:0:1");
    b.put("device", map("id", "dev-9", "fingerprint", "fp:abc.1", "user_agent", "Mozilla/5.0 (X11; Linux)"));
    b.put("phone", "+8801712345678");
    b.put("email", "Jane.Doe@Example.COM");
    b.put("card", map("token", "tok_visa_1", "bin", "411111", "last4", "4242"));
    b.put("auth", map("method", "password_otp", "assurance_level", 2L));
    b.put("login", map("success", true));
    b.put("timezone", "Asia/Dhaka");
    b.put("attributes", map("country", "BD", "score", 7L, "ratio", 0.25, "vip", true, "small", 3));

    Event e = EventParser.parse(b);

    assertThat(e.eventId()).isEqualTo("evt_2026-11-21:0001");
    assertThat(e.type()).isEqualTo(EventType.PAYMENT);
    assertThat(e.occurredAtMillis()).isEqualTo(WHEN_MILLIS + 250);
    assertThat(e.accountId()).isEqualTo("acc_42");
    assertThat(e.merchantId()).isEqualTo("m_7");
    assertThat(e.counterpartyId()).isEqualTo("cp+1@bank");
    assertThat(e.amountMinor()).isEqualTo(49_999L);
    assertThat(e.hasAmount()).isTrue();
    assertThat(e.currency()).isEqualTo("BDT");
    assertThat(e.channel()).isEqualTo("mobile_app");
    assertThat(e.ip()).isEqualTo("2001:db8::1");
    assertThat(e.deviceId()).isEqualTo("dev-9");
    assertThat(e.deviceFingerprint()).isEqualTo("fp:abc.1");
    assertThat(e.userAgent()).isEqualTo("Mozilla/5.0 (X11; Linux)");
    assertThat(e.phone()).isEqualTo("+8801712345678");
    assertThat(e.email()).isEqualTo("Jane.Doe@example.com"); // the domain is lower-cased, the local part kept
    assertThat(e.emailDomain()).isEqualTo("example.com");
    assertThat(e.cardToken()).isEqualTo("tok_visa_1");
    assertThat(e.cardBin()).isEqualTo("411111");
    assertThat(e.cardLast4()).isEqualTo("4242");
    assertThat(e.authMethod()).isEqualTo("password_otp");
    assertThat(e.assuranceLevel()).isEqualTo(2);
    assertThat(e.loginSuccess()).isTrue();
    assertThat(e.isFailedLogin()).isFalse(); // a payment is never a failed login
    assertThat(e.timezone()).isEqualTo("Asia/Dhaka");
    assertThat(e.attributes()).containsExactly(
        Map.entry("country", "BD"), Map.entry("score", 7L), Map.entry("ratio", 0.25), Map.entry("vip", true),
        Map.entry("small", 3L)); // an Integer attribute is widened to Long, like every integer
  }

  @Test
  void absentOptionalFieldsAreNullOrTheirMarker() {
    Event e = EventParser.parse(login());
    assertThat(e.merchantId()).isNull();
    assertThat(e.ip()).isNull();
    assertThat(e.deviceId()).isNull();
    assertThat(e.email()).isNull();
    assertThat(e.emailDomain()).isNull();
    assertThat(e.hasAmount()).isFalse();
    assertThat(e.amountMinor()).isEqualTo(Event.NO_AMOUNT);
    assertThat(e.currency()).isNull();
    assertThat(e.assuranceLevel()).isEqualTo(Event.NO_ASSURANCE_LEVEL);
    assertThat(e.loginSuccess()).isNull();
    assertThat(e.isFailedLogin()).isFalse();
    assertThat(e.attributes()).isEmpty();
    assertThat(EventParser.parse(with(login(), b -> b.put("login", map("success", false)))).isFailedLogin()).isTrue();
  }

  @Test
  void aMerchantOnboardingNeedsAMerchantButNoAccount() {
    Map<String, Object> onboarding = with(login(), b -> {
      b.put("type", "merchant_onboarding");
      b.remove("account_id");
    });
    refused(onboarding, "missing_field", "merchant_id");
    Event e = EventParser.parse(with(onboarding, b -> b.put("merchant_id", "m_1")));
    assertThat(e.accountId()).isNull();
    assertThat(e.merchantId()).isEqualTo("m_1");
  }

  // ---- required fields ------------------------------------------------------------------------

  @Test
  void missingRequiredFields() {
    refused(with(login(), b -> b.remove("event_id")), "missing_field", "event_id");
    refused(with(login(), b -> b.remove("type")), "missing_field", "type");
    refused(with(login(), b -> b.remove("occurred_at")), "missing_field", "occurred_at");
    refused(with(login(), b -> b.remove("account_id")), "missing_field", "account_id");
    refused(with(payment(), b -> b.remove("amount")), "missing_field", "amount");
    refused(with(payment(), b -> b.remove("currency")), "missing_field", "currency");
    refused(with(login(), b -> b.put("currency", "USD")), "missing_field", "amount"); // a currency without an amount
    for (String type : new String[] {"payment", "transfer", "withdrawal", "refund"}) {
      refused(with(login(), b -> b.put("type", type)), "missing_field", "amount");
    }
    // Non-monetary types may carry an amount, with its currency.
    assertThat(EventParser.parse(with(payment(), b -> b.put("type", "registration"))).amountMinor()).isEqualTo(1_050L);
  }

  @Test
  void unknownType() {
    refused(with(login(), b -> b.put("type", "purchase")), "invalid_type", "type", "purchase");
    refused(with(login(), b -> b.put("type", "LOGIN")), "invalid_type", "type", "LOGIN");
  }

  @Test
  void unknownFields() {
    refused(with(login(), b -> b.put("amount_usd", 5L)), "unknown_field", "amount_usd");
    refused(with(login(), b -> b.put("device", map("id", "d1", "foo", "x"))), "unknown_field", "device.foo");
    refused(with(login(), b -> b.put("card", map("number", "x"))), "unknown_field", "card.number");
    refused(with(login(), b -> b.put("auth", map("level", 1L))), "unknown_field", "auth.level");
    refused(with(login(), b -> b.put("login", map("success", true, "reason", "x"))), "unknown_field", "login.reason");
    // A long unknown name is echoed only in part.
    String longName = "x".repeat(200);
    ValidationException e = refused(with(login(), b -> b.put(longName, 1L)), "unknown_field", "x".repeat(64) + "…");
    assertThat(e.getMessage()).doesNotContain(longName);
  }

  // ---- JSON types -------------------------------------------------------------------------------

  @Test
  void wrongJsonTypes() {
    refused(with(payment(), b -> b.put("amount", "1050")), "wrong_type", "amount");
    refused(with(payment(), b -> b.put("amount", null)), "wrong_type", "amount");
    refused(with(payment(), b -> b.put("amount", true)), "wrong_type", "amount");
    refused(with(login(), b -> b.put("event_id", 17L)), "wrong_type", "event_id");
    refused(with(login(), b -> b.put("account_id", null)), "wrong_type", "account_id");
    refused(with(login(), b -> b.put("device", "dev-1")), "wrong_type", "device");
    refused(with(login(), b -> b.put("device", List.of("dev-1"))), "wrong_type", "device");
    refused(with(login(), b -> b.put("device", null)), "wrong_type", "device");
    refused(with(login(), b -> b.put("device", map("id", 5L))), "wrong_type", "device.id");
    refused(with(login(), b -> b.put("login", map("success", "false"))), "wrong_type", "login.success");
    refused(with(login(), b -> b.put("login", map("success", null))), "wrong_type", "login.success");
    refused(with(login(), b -> b.put("auth", map("assurance_level", "2"))), "wrong_type", "auth.assurance_level");
    refused(with(login(), b -> b.put("auth", map("assurance_level", 2.0))), "wrong_type", "auth.assurance_level");
    refused(with(login(), b -> b.put("attributes", "x")), "wrong_type", "attributes");
    refused(with(login(), b -> b.put("attributes", null)), "wrong_type", "attributes");
    refused(with(login(), b -> b.put("attributes", map("tags", List.of("a", "b")))), "wrong_type", "attributes.tags");
    refused(with(login(), b -> b.put("attributes", map("geo", map("lat", 1.5)))), "wrong_type", "attributes.geo");
    refused(with(login(), b -> b.put("attributes", map("nothing", null))), "wrong_type", "attributes.nothing");
    refused(with(login(), b -> b.put("attributes", map("inf", Double.POSITIVE_INFINITY))), "wrong_type", "attributes.inf");
    refused(with(login(), b -> b.put("attributes", map("big", BigInteger.TEN.pow(20)))), "out_of_range", "attributes.big");
  }

  // ---- amounts and currencies -------------------------------------------------------------------

  @Test
  void currencies() {
    refused(with(payment(), b -> b.put("currency", "usd")), "invalid_currency", "currency", "usd");
    refused(with(payment(), b -> b.put("currency", "XXY")), "invalid_currency", "currency", "XXY");
    refused(with(payment(), b -> b.put("currency", "US")), "invalid_currency", "currency");
    refused(with(payment(), b -> b.put("currency", "USDT")), "value_too_long", "currency");
    refused(with(payment(), b -> b.put("currency", 840L)), "wrong_type", "currency");
    assertThat(EventParser.parse(with(payment(), b -> b.put("currency", "JPY"))).currency()).isEqualTo("JPY");
  }

  @Test
  void amounts() {
    refused(with(payment(), b -> b.put("amount", -1L)), "amount_negative", "amount");
    refused(with(payment(), b -> b.put("amount", Integer.MIN_VALUE)), "amount_negative", "amount");
    refused(with(payment(), b -> b.put("amount", Limits.AMOUNT_MINOR_MAX + 1)), "amount_too_large", "amount");
    refused(with(payment(), b -> b.put("amount", Long.MAX_VALUE)), "amount_too_large", "amount");
    refused(with(payment(), b -> b.put("amount", 10.5)), "amount_not_integer", "amount");
    refused(with(payment(), b -> b.put("amount", 10.0)), "amount_not_integer", "amount");
    refused(with(payment(), b -> b.put("amount", new BigDecimal("10.50"))), "amount_not_integer", "amount");
    refused(with(payment(), b -> b.put("amount", BigInteger.TWO.pow(64))), "amount_too_large", "amount");
    refused(with(payment(), b -> b.put("amount", BigInteger.TWO.pow(64).negate())), "amount_negative", "amount");

    assertThat(EventParser.parse(with(payment(), b -> b.put("amount", Limits.AMOUNT_MINOR_MAX))).amountMinor())
        .isEqualTo(Limits.AMOUNT_MINOR_MAX);
    assertThat(EventParser.parse(with(payment(), b -> b.put("amount", 0L))).amountMinor()).isZero();
    assertThat(EventParser.parse(with(payment(), b -> b.put("amount", 1_050))).amountMinor()).isEqualTo(1_050L);
  }

  // ---- addresses, times and contact data --------------------------------------------------------

  @Test
  void ipAddresses() {
    for (String bad : new String[] {"999.1.1.1", "example.com", "fe80::1%eth0", "1.2.3", "1.2.3.4.5", "::g", " 1.2.3.4"}) {
      refused(with(login(), b -> b.put("ip", bad)), "invalid_ip", "ip", bad);
    }
    refused(with(login(), b -> b.put("ip", "1".repeat(46))), "value_too_long", "ip");
    assertThat(ip("2001:DB8::1")).isEqualTo("2001:db8::1");
    assertThat(ip("2001:0db8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
    assertThat(ip("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(ip("203.0.113.7")).isEqualTo("203.0.113.7");
    // An IPv4-mapped IPv6 address is the IPv4 address, so it meets the same lists and windows.
    assertThat(ip("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
  }

  private static String ip(String raw) {
    return EventParser.parse(with(login(), b -> b.put("ip", raw))).ip();
  }

  @Test
  void timestamps() {
    for (String bad : new String[] {"2025-03-04 10:15:30", "2025-03-04", "yesterday", "2025-03-04T10:15:30", "2025-13-01T00:00:00Z", "1700000000"}) {
      refused(with(login(), b -> b.put("occurred_at", bad)), "invalid_timestamp", "occurred_at", bad);
    }
    // (Epoch seconds: WHEN_MILLIS itself is 13 digits that happen to pass Luhn, so it is refused as a card number.)
    refused(with(login(), b -> b.put("occurred_at", WHEN_MILLIS / 1000)), "wrong_type", "occurred_at");
    assertThat(EventParser.parse(with(login(), b -> b.put("occurred_at", "2026-11-21T16:15:30+06:00"))).occurredAtMillis())
        .isEqualTo(WHEN_MILLIS);
  }

  @Test
  void timezones() {
    refused(with(login(), b -> b.put("timezone", "Mars/Olympus_Mons")), "invalid_timezone", "timezone", "Mars/Olympus_Mons");
    refused(with(login(), b -> b.put("timezone", "not a zone")), "invalid_timezone", "timezone");
    assertThat(EventParser.parse(with(login(), b -> b.put("timezone", "Europe/Berlin"))).timezone()).isEqualTo("Europe/Berlin");
  }

  @Test
  void phones() {
    for (String bad : new String[] {"09998887776", "+0123456789", "+1 555 0100", "+12345", "4479998887776", "+1555010x"}) {
      refused(with(login(), b -> b.put("phone", bad)), "invalid_phone", "phone", bad);
    }
    refused(with(login(), b -> b.put("phone", "+1234567890123456")), "value_too_long", "phone");
    assertThat(EventParser.parse(with(login(), b -> b.put("phone", "+123456789012345"))).phone()).isEqualTo("+123456789012345");
  }

  @Test
  void emails() {
    for (String bad : new String[] {"no-at-sign", "a@b", "a b@example.org", "@example.org", "a@example", "a@exa mple.org"}) {
      refused(with(login(), b -> b.put("email", bad)), "invalid_email", "email", bad);
    }
    refused(with(login(), b -> b.put("email", "a".repeat(250) + "@x.io")), "value_too_long", "email");
  }

  @Test
  void cardShapes() {
    refused(with(login(), b -> b.put("card", map("bin", "12345"))), "invalid_format", "card.bin");
    refused(with(login(), b -> b.put("card", map("bin", "12345a"))), "invalid_format", "card.bin");
    refused(with(login(), b -> b.put("card", map("bin", "123456789"))), "value_too_long", "card.bin");
    refused(with(login(), b -> b.put("card", map("last4", "123"))), "invalid_format", "card.last4");
    refused(with(login(), b -> b.put("card", map("last4", "12a4"))), "invalid_format", "card.last4");
    refused(with(login(), b -> b.put("card", map("last4", "12345"))), "value_too_long", "card.last4");
    refused(with(login(), b -> b.put("card", map("token", "tok 1"))), "invalid_format", "card.token");
    assertThat(EventParser.parse(with(login(), b -> b.put("card", map("bin", "12345678")))).cardBin()).isEqualTo("12345678");
  }

  @Test
  void keywordsAndAssuranceLevels() {
    refused(with(login(), b -> b.put("channel", "Web")), "invalid_format", "channel", "Web");
    refused(with(login(), b -> b.put("channel", "w".repeat(33))), "value_too_long", "channel");
    refused(with(login(), b -> b.put("auth", map("method", "OTP"))), "invalid_format", "auth.method");
    refused(with(login(), b -> b.put("auth", map("assurance_level", 4L))), "out_of_range", "auth.assurance_level");
    refused(with(login(), b -> b.put("auth", map("assurance_level", -1))), "out_of_range", "auth.assurance_level");
    assertThat(EventParser.parse(with(login(), b -> b.put("auth", map("assurance_level", 0)))).assuranceLevel()).isZero();
  }

  // ---- strings and identifiers ------------------------------------------------------------------

  @Test
  void emptyStrings() {
    refused(with(login(), b -> b.put("event_id", "")), "empty_value", "event_id");
    refused(with(login(), b -> b.put("account_id", "")), "empty_value", "account_id");
    refused(with(login(), b -> b.put("device", map("id", ""))), "empty_value", "device.id");
    refused(with(login(), b -> b.put("email", "")), "empty_value", "email");
    refused(with(login(), b -> b.put("timezone", "")), "empty_value", "timezone");
  }

  @Test
  void identifierLengthsAndShapes() {
    String id255 = "e" + "x".repeat(Limits.EVENT_ID_CHARS_MAX - 1);
    assertThat(EventParser.parse(with(login(), b -> b.put("event_id", id255))).eventId()).isEqualTo(id255);
    refused(with(login(), b -> b.put("event_id", id255 + "x")), "value_too_long", "event_id");
    String acc128 = "a".repeat(Limits.IDENTIFIER_CHARS_MAX);
    assertThat(EventParser.parse(with(login(), b -> b.put("account_id", acc128))).accountId()).isEqualTo(acc128);
    refused(with(login(), b -> b.put("account_id", acc128 + "a")), "value_too_long", "account_id");
    refused(with(login(), b -> b.put("merchant_id", "m".repeat(129))), "value_too_long", "merchant_id");
    refused(with(login(), b -> b.put("device", map("id", "d".repeat(129)))), "value_too_long", "device.id");
    refused(with(login(), b -> b.put("device", map("user_agent", "u".repeat(Limits.TEXT_CHARS_MAX + 1)))),
        "value_too_long", "device.user_agent");
    refused(with(login(), b -> b.put("event_id", "-starts-with-a-dash")), "invalid_format", "event_id");
    refused(with(login(), b -> b.put("event_id", "has space")), "invalid_format", "event_id");
    refused(with(login(), b -> b.put("account_id", "acc/1")), "invalid_format", "account_id");
    refused(with(login(), b -> b.put("account_id", "acc\n1")), "invalid_format", "account_id");
  }

  // ---- attributes -------------------------------------------------------------------------------

  @Test
  void attributes() {
    Map<String, Object> many = new LinkedHashMap<>();
    for (int i = 0; i < Limits.ATTRIBUTES_MAX; i++) many.put("k" + i, (long) i);
    assertThat(EventParser.parse(with(login(), b -> b.put("attributes", many))).attributes()).hasSize(Limits.ATTRIBUTES_MAX);
    Map<String, Object> tooMany = new LinkedHashMap<>(many);
    tooMany.put("one_more", 1L);
    refused(with(login(), b -> b.put("attributes", tooMany)), "too_many_attributes", "attributes");

    for (String badKey : new String[] {"Country", "1st", "_x", "with-dash", "with space", "k".repeat(Limits.ATTRIBUTE_KEY_CHARS_MAX + 1)}) {
      refused(with(login(), b -> b.put("attributes", map(badKey, "v"))), "invalid_attribute_key", "attributes", badKey);
    }
    String key64 = "k".repeat(Limits.ATTRIBUTE_KEY_CHARS_MAX);
    assertThat(EventParser.parse(with(login(), b -> b.put("attributes", map(key64, "v")))).attributes()).containsKey(key64);

    String value256 = "v".repeat(Limits.ATTRIBUTE_VALUE_CHARS_MAX);
    assertThat(EventParser.parse(with(login(), b -> b.put("attributes", map("note", value256)))).attributes())
        .containsEntry("note", value256);
    refused(with(login(), b -> b.put("attributes", map("note", value256 + "v"))), "value_too_long", "attributes.note", value256);
  }

  @Test
  void attributesAreImmutable() {
    Event e = EventParser.parse(with(login(), b -> b.put("attributes", map("a", "b"))));
    assertThat(catchThrowableOfType(() -> e.attributes().put("c", "d"), UnsupportedOperationException.class)).isNotNull();
  }

  // ---- nesting ----------------------------------------------------------------------------------

  @Test
  void deepNestingIsRefusedBeforeAnythingElse() {
    // root → attributes → a → b → c: five levels of objects.
    Map<String, Object> deep = map("a", map("b", map("c", map("d", "x"))));
    refused(with(login(), b -> b.put("attributes", deep)), "nesting_too_deep", "attributes.a.b.c");
    // Lists count as levels too.
    refused(with(login(), b -> b.put("attributes", map("l", List.of(List.of(List.of("x")))))),
        "nesting_too_deep", "attributes.l[0][0]");
    // A scalar four levels down is too deep as well: root, junk, a, b hold it at depth 4.
    // Checked even under an unknown field, and even when the event is otherwise invalid.
    Map<String, Object> invalid = new LinkedHashMap<>();
    invalid.put("junk", map("a", map("b", map("c", 1L))));
    refused(invalid, "nesting_too_deep", "junk.a.b.c");
    // A nesting bomb is refused quickly, without a stack overflow.
    Object bomb = "x";
    for (int i = 0; i < 100_000; i++) bomb = map("n", bomb);
    Object finalBomb = bomb;
    refused(with(login(), b -> b.put("attributes", finalBomb)), "nesting_too_deep", "attributes.n.n.n");
    // Up to depth 3 the nesting check passes, and the attribute rules decide.
    List<Object> wide = new ArrayList<>();
    for (int i = 0; i < 3; i++) wide.add("x");
    refused(with(login(), b -> b.put("attributes", map("list", wide))), "wrong_type", "attributes.list");
    refused(with(login(), b -> b.put("attributes", map("geo", map("lat", 1.5)))), "wrong_type", "attributes.geo");
  }
}
