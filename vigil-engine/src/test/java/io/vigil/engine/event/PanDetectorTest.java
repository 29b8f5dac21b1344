package io.vigil.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Card numbers are refused wherever they hide. Every card number here is generated: random digits
 * completed with a computed Luhn check digit (no real-looking number is written in the source).
 */
class PanDetectorTest {
  static final int[] CARD_LENGTHS = {13, 14, 15, 16, 17, 18, 19};

  // ---- generating card numbers ------------------------------------------------------------------

  /** The Luhn check digit that makes {@code payload + digit} valid. */
  static int luhnCheckDigit(String payload) {
    int sum = 0;
    boolean doubleIt = true; // the payload's last digit sits next to the check digit, so it is doubled
    for (int i = payload.length() - 1; i >= 0; i--) {
      int d = payload.charAt(i) - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return (10 - sum % 10) % 10;
  }

  static boolean luhnValid(String digits) {
    return luhnCheckDigit(digits.substring(0, digits.length() - 1)) == digits.charAt(digits.length() - 1) - '0';
  }

  /** A Luhn-valid number of {@code length} digits, starting with 2-6 like real card schemes, not one repeated digit. */
  static String cardNumber(Random r, int length) {
    StringBuilder payload = new StringBuilder();
    // Issuer-like first digit: 2-6, and 4 (Visa) for the 13-digit length only Visa used.
    payload.append(length == 13 ? '4' : (char) ('2' + r.nextInt(5)));
    while (payload.length() < length - 1) payload.append((char) ('0' + r.nextInt(10)));
    if (payload.chars().distinct().count() == 1) payload.setCharAt(1, payload.charAt(0) == '9' ? '1' : '9');
    return payload.toString() + luhnCheckDigit(payload.toString());
  }

  /** The same digits with the check digit changed: never Luhn-valid (Luhn catches every single-digit error). */
  static String withWrongCheckDigit(String number, int delta) {
    int last = number.charAt(number.length() - 1) - '0';
    return number.substring(0, number.length() - 1) + (last + delta) % 10;
  }

  /** Groups of four (the last group shorter), joined by the separator. */
  static String grouped(String digits, String separator) {
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < digits.length(); i += 4) groups.add(digits.substring(i, Math.min(digits.length(), i + 4)));
    return String.join(separator, groups);
  }

  /** Amex-style 4-6-5 grouping of 15 digits. */
  static String amexGrouped(String digits, String separator) {
    return digits.substring(0, 4) + separator + digits.substring(4, 10) + separator + digits.substring(10);
  }

  @Test
  void theGeneratorProducesValidNumbersAndDetectsSingleDigitErrors() {
    Random r = new Random(1);
    for (int length : CARD_LENGTHS) {
      for (int i = 0; i < 100; i++) {
        String n = cardNumber(r, length);
        assertThat(n).hasSize(length).containsOnlyDigits();
        assertThat(luhnValid(n)).isTrue();
        for (int delta = 1; delta <= 9; delta++) assertThat(luhnValid(withWrongCheckDigit(n, delta))).isFalse();
      }
    }
  }

  // ---- the detector -----------------------------------------------------------------------------

  @Test
  void luhnValidRunsOf13To19DigitsAreDetectedHoweverWritten() {
    Random r = new Random(2);
    for (int length : CARD_LENGTHS) {
      for (int i = 0; i < 200; i++) {
        String n = cardNumber(r, length);
        for (String form : forms(n)) {
          assertThat(PanDetector.containsPan(form)).as("%d digits written as '%s'", length, form).isTrue();
          assertThat(PanDetector.containsPan("paid with " + form + ", thanks")).isTrue();
          assertThat(PanDetector.containsPan("card:" + form + ";")).isTrue();
          // Letters end a run and do not hide an unseparated number. A grouped number glued to
          // letters on both sides is part of an identifier (UUID-like), see PanLayoutTest.
          assertThat(PanDetector.containsPan("x" + form + "y")).isEqualTo(form.equals(n));
          assertThat(PanDetector.containsPan("x" + form)).isTrue();
          assertThat(PanDetector.containsPan("order 12345, " + form)).isTrue(); // a second, short run does not matter
        }
      }
    }
  }

  static List<String> forms(String n) {
    List<String> forms = new ArrayList<>(List.of(n, grouped(n, " "), grouped(n, "-")));
    if (n.length() == 15) {
      forms.add(amexGrouped(n, " "));
      forms.add(amexGrouped(n, "-"));
    }
    // Mixed separators between groups.
    String g = grouped(n, " ");
    forms.add(g.replaceFirst(" ", "-"));
    return forms;
  }

  @Test
  void runsThatFailLuhnAreNotCardNumbers() {
    Random r = new Random(3);
    for (int length : CARD_LENGTHS) {
      for (int i = 0; i < 200; i++) {
        String bad = withWrongCheckDigit(cardNumber(r, length), 1 + r.nextInt(9));
        for (String form : forms(bad)) assertThat(PanDetector.containsPan(form)).as(form).isFalse();
      }
    }
  }

  @Test
  void luhnValidRunsShorterThan13OrLongerThan19DigitsAreNotCardNumbers() {
    Random r = new Random(4);
    for (int length : new int[] {8, 11, 12, 20, 21, 24, 32}) {
      for (int i = 0; i < 100; i++) {
        String n = cardNumber(r, length);
        assertThat(luhnValid(n)).isTrue();
        assertThat(PanDetector.containsPan(n)).as("%d digits", length).isFalse();
        assertThat(PanDetector.containsPan(grouped(n, " "))).as("%d digits grouped", length).isFalse();
      }
    }
  }

  @Test
  void runsOfOneRepeatedDigitAreIgnored() {
    for (int length : CARD_LENGTHS) {
      for (char d = '0'; d <= '9'; d++) {
        String run = String.valueOf(d).repeat(length);
        assertThat(PanDetector.containsPan(run)).as(run).isFalse();
        assertThat(PanDetector.containsPan(grouped(run, " "))).isFalse();
      }
    }
    assertThat(luhnValid("0".repeat(16))).isTrue(); // the reason they must be ignored explicitly
  }

  @Test
  void separatorsOtherThanASingleSpaceOrHyphenSplitTheRun() {
    Random r = new Random(5);
    for (int i = 0; i < 100; i++) {
      String n = cardNumber(r, 16);
      // Split into two runs of 8, each too short to be a card number.
      assertThat(PanDetector.containsPan(grouped(n, "."))).isFalse();
      assertThat(PanDetector.containsPan(grouped(n, "/"))).isFalse();
      // A separator not followed by a digit ends the run but keeps what came before.
      assertThat(PanDetector.containsPan(n + " -")).isTrue();
      assertThat(PanDetector.containsPan(n + "-")).isTrue();
    }
  }

  // ---- through the parser -----------------------------------------------------------------------

  static Map<String, Object> login() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("event_id", "evt_1");
    b.put("type", "login");
    b.put("occurred_at", "2026-11-21T10:15:30Z");
    b.put("account_id", "acc_1");
    return b;
  }

  static Map<String, Object> with(Consumer<Map<String, Object>> change) {
    Map<String, Object> b = login();
    change.accept(b);
    return b;
  }

  static void refusedAsCardNumber(Map<String, Object> body, String param, String number) {
    ValidationException e = catchThrowableOfType(() -> EventParser.parse(body), ValidationException.class);
    assertThat(e).as("a card number in %s must be refused", param).isNotNull();
    assertThat(e.code()).as(e.getMessage()).isEqualTo("card_number_detected");
    assertThat(e.param()).isEqualTo(param);
    // The message never repeats the number, in any form, nor any long run of its digits.
    assertThat(e.getMessage()).doesNotContain(number).doesNotContain(number.substring(0, 6))
        .doesNotContain(number.substring(number.length() - 4)).doesNotContainPattern("[0-9]{4}");
  }

  @Test
  void aCardNumberIsRefusedInAnyField() {
    Random r = new Random(6);
    for (int i = 0; i < 50; i++) {
      String n = cardNumber(r, CARD_LENGTHS[r.nextInt(CARD_LENGTHS.length)]);
      refusedAsCardNumber(with(b -> b.put("event_id", n)), "event_id", n);
      refusedAsCardNumber(with(b -> b.put("account_id", "acc-" + grouped(n, "-"))), "account_id", n);
      refusedAsCardNumber(with(b -> b.put("attributes", Map.of("note", "card " + grouped(n, " ") + " declined"))),
          "attributes.note", n);
      refusedAsCardNumber(with(b -> b.put("device", Map.of("user_agent", "Mozilla/5.0 (" + n + ")"))), "device.user_agent", n);
      refusedAsCardNumber(with(b -> b.put("card", Map.of("token", n))), "card.token", n);
      refusedAsCardNumber(with(b -> b.put("card", Map.of("last4", n))), "card.last4", n);
      refusedAsCardNumber(with(b -> b.put("email", n + "@example.org")), "email", n);
      refusedAsCardNumber(with(b -> b.put("phone", n)), "phone", n); // not E.164 (no '+'): not a phone
      refusedAsCardNumber(with(b -> b.put("attributes", Map.of("list", List.of("a", n)))), "attributes.list[1]", n);
      // As JSON numbers, of every type a decoder produces.
      refusedAsCardNumber(with(b -> b.put("attributes", Map.of("n", new BigInteger(n)))), "attributes.n", n);
      refusedAsCardNumber(with(b -> b.put("attributes", Map.of("n", new BigDecimal(n + ".00")))), "attributes.n", n);
      if (n.length() <= 18) {
        refusedAsCardNumber(with(b -> b.put("attributes", Map.of("n", Long.parseLong(n)))), "attributes.n", n);
        refusedAsCardNumber(with(b -> b.put("amount", Long.parseLong(n))), "amount", n);
      }
      // As a field name, at the top level or nested.
      refusedAsCardNumber(with(b -> b.put(n, "x")), "(field name)", n);
      refusedAsCardNumber(with(b -> b.put("attributes", Map.of(n, "x"))), "attributes", n);
      refusedAsCardNumber(with(b -> b.put("device", Map.of(grouped(n, " "), "x"))), "device", n);
      // First, before any other check: even in an event that is otherwise invalid.
      Map<String, Object> invalid = new LinkedHashMap<>();
      invalid.put("junk", Map.of("deeper", n));
      refusedAsCardNumber(invalid, "junk.deeper", n);
    }
  }

  @Test
  void aCardNumberSentAsAJsonFloatingPointNumberIsRefused() {
    // A decoder turns 1234567890123456.0 into a Double. Doubles hold integers exactly up to 2^53, i.e.
    // every 13- to 15-digit number and most 16-digit ones.
    Random r = new Random(7);
    for (int i = 0; i < 50; i++) {
      String n = cardNumber(r, 13 + r.nextInt(4));
      double d = Double.parseDouble(n);
      if (d > 0x1p53) continue;
      refusedAsCardNumber(with(b -> b.put("attributes", Map.of("n", d))), "attributes.n", n);
    }
  }

  @Test
  void lookalikesThatAreNotCardNumbersAreAccepted() {
    Random r = new Random(8);
    for (int i = 0; i < 50; i++) {
      String notLuhn = withWrongCheckDigit(cardNumber(r, 16), 1 + r.nextInt(9));
      String twelve = cardNumber(r, 12);
      String twenty = cardNumber(r, 20);
      String zeros = "0".repeat(13 + r.nextInt(7));
      Event e = EventParser.parse(with(b -> {
        b.put("event_id", "evt_" + notLuhn);
        b.put("account_id", twelve);
        b.put("merchant_id", twenty);
        b.put("card", Map.of("token", zeros, "last4", notLuhn.substring(12)));
        b.put("attributes", Map.of("ref", grouped(notLuhn, " "), "order", Long.parseLong(twelve), "pad", zeros));
      }));
      assertThat(e.eventId()).isEqualTo("evt_" + notLuhn);
      assertThat(e.accountId()).isEqualTo(twelve);
      assertThat(e.merchantId()).isEqualTo(twenty);
      assertThat(e.cardToken()).isEqualTo(zeros);
      assertThat(e.attributes()).containsEntry("ref", grouped(notLuhn, " ")).containsEntry("pad", zeros);
    }
  }

  @Test
  void anE164PhoneNumberIsAcceptedInThePhoneFieldEvenWhenItsDigitsPassLuhn() {
    Random r = new Random(9);
    for (int i = 0; i < 50; i++) {
      String digits = cardNumber(r, 13 + r.nextInt(3)); // 13-15 digits: E.164 allows up to 15
      String phone = "+" + digits;
      assertThat(PanDetector.containsPan(phone)).isTrue(); // the digits alone would be refused…
      assertThat(EventParser.parse(with(b -> b.put("phone", phone))).phone()).isEqualTo(phone); // …but not as a phone
      refusedAsCardNumber(with(b -> b.put("attributes", Map.of("phone", phone))), "attributes.phone", digits);
      refusedAsCardNumber(with(b -> b.put("phone", phone + " ")), "phone", digits); // not E.164 any more
    }
    // A plain short phone number never looks like a card number.
    assertThat(EventParser.parse(with(b -> b.put("phone", "+15550100"))).phone()).isEqualTo("+15550100");
  }

  @Test
  void epochMillisecondTimestampsAreNotCardNumbersEvenWhenTheyPassLuhn() {
    // 13-digit numbers are cards only with Visa's leading 4; epoch milliseconds start with 1.
    long t = Instant.parse("2026-11-21T10:15:30Z").toEpochMilli();
    long luhnValidMillis = t;
    while (!luhnValid(Long.toString(luhnValidMillis))) luhnValidMillis++;
    long other = luhnValidMillis + 1;
    assertThat(luhnValid(Long.toString(luhnValidMillis))).isTrue();
    assertThat(PanDetector.containsPan(Long.toString(luhnValidMillis))).isFalse();
    assertThat(PanDetector.containsPan(Long.toString(other))).isFalse();
  }
}
