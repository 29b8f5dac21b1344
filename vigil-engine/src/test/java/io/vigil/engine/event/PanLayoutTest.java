package io.vigil.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Grouped digits count as a card only in printed card layouts. */
class PanLayoutTest {
  /** Digits with a Luhn check digit appended; the prefix keeps it clear of real issuer ranges. */
  static String luhn(Random r, int length) {
    StringBuilder sb = new StringBuilder("99");
    while (sb.length() < length - 1) sb.append(r.nextInt(10));
    for (int check = 0; check <= 9; check++) {
      String candidate = sb.toString() + check;
      if (PanDetector.luhnValid(candidate, 0, candidate.length())) return candidate;
    }
    throw new AssertionError();
  }

  @Test
  void uuidsAreNeverCardNumbers() {
    Random r = new Random(7);
    for (int i = 0; i < 300_000; i++) {
      String uuid = new UUID(r.nextLong(), r.nextLong()).toString();
      assertThat(PanDetector.containsPan(uuid)).as(uuid).isFalse();
    }
    // A UUID whose first three groups are digits and pass Luhn as one 16-digit run.
    String digits = luhn(r, 16);
    String uuidShaped = digits.substring(0, 8) + "-" + digits.substring(8, 12) + "-" + digits.substring(12) + "-abcd-0123456789ab";
    assertThat(PanDetector.containsPan(uuidShaped)).isFalse();
  }

  @Test
  void timestampsAndSnowflakeIdsAreNotCardNumbers() {
    Random r = new Random(9);
    for (int i = 0; i < 100_000; i++) {
      // 2023 to 2031. From 2033 on, epoch nanoseconds start with 2, a card prefix, and may be refused.
      long millis = 1_700_000_000_000L + (long) (r.nextDouble() * 250_000_000_000L);
      assertThat(PanDetector.containsPan(Long.toString(millis))).isFalse();
      assertThat(PanDetector.containsPan(Long.toString(millis * 1_000))).isFalse();
      assertThat(PanDetector.containsPan(Long.toString(millis * 1_000_000))).isFalse();
    }
    assertThat(PanDetector.containsPan("0" + luhn(r, 15).substring(1))).isFalse(); // no card starts with 0
  }

  @Test
  void printedCardLayoutsAreCardNumbers() {
    Random r = new Random(8);
    String amex = luhn(r, 15);
    assertThat(PanDetector.containsPan(amex.substring(0, 4) + " " + amex.substring(4, 10) + " " + amex.substring(10))).isTrue();
    String diners = luhn(r, 14);
    assertThat(PanDetector.containsPan(diners.substring(0, 4) + "-" + diners.substring(4, 10) + "-" + diners.substring(10))).isTrue();
    String visa19 = luhn(r, 19);
    assertThat(PanDetector.containsPan("card " + visa19.replaceAll("(.{4})(?!$)", "$1 ") + " end")).isTrue();
    // The same digits in a non-card grouping (3-3-…) are not a card.
    String sixteen = luhn(r, 16);
    assertThat(PanDetector.containsPan(sixteen.replaceAll("(.{3})(?!$)", "$1-"))).isFalse();
    // A whole 16-digit group inside a longer grouped run is still found.
    assertThat(PanDetector.containsPan("ref 12-" + sixteen)).isTrue();
  }
}
