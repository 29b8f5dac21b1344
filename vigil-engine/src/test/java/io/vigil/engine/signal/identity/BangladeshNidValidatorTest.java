package io.vigil.engine.signal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BangladeshNidValidatorTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  final BangladeshNidValidator validator = new BangladeshNidValidator(CLOCK);

  // Made-up numbers of the right shapes; none belongs to anyone.
  static final String TEN = "1234567890";
  static final String THIRTEEN = "2691234567890";
  static final String SEVENTEEN_1990 = "1990" + THIRTEEN;

  static void assertCode(NationalIdCheck check, String code) {
    assertThat(check.code()).isEqualTo(code);
    assertThat(check.valid()).isEqualTo(code.equals(NationalIdCheck.OK));
    assertThat(check.message()).isNotBlank();
  }

  @Test
  void goodForms() {
    assertThat(validator.type()).isEqualTo("bd_nid");
    assertCode(validator.check(TEN, null), "ok");
    assertCode(validator.check(THIRTEEN, null), "ok");
    assertCode(validator.check(SEVENTEEN_1990, null), "ok");
    assertCode(validator.check(SEVENTEEN_1990, LocalDate.of(1990, 3, 7)), "ok");
    // The 10- and 13-digit forms carry no year: any date of birth is consistent with them.
    assertCode(validator.check(TEN, LocalDate.of(1985, 1, 1)), "ok");
    assertCode(validator.check(THIRTEEN, LocalDate.of(2001, 12, 31)), "ok");
    assertCode(validator.check("1900" + THIRTEEN, null), "ok");
    assertCode(validator.check("2026" + THIRTEEN, null), "ok");
  }

  @Test
  void seventeenDigitYearMustMatchTheDateOfBirth() {
    NationalIdCheck check = validator.check(SEVENTEEN_1990, LocalDate.of(1991, 3, 7));
    assertCode(check, "dob_mismatch");
    assertCode(validator.check(SEVENTEEN_1990, LocalDate.of(1989, 12, 31)), "dob_mismatch");
  }

  @Test
  void seventeenDigitYearMustBePlausible() {
    assertCode(validator.check("1899" + THIRTEEN, null), "bad_birth_year");
    assertCode(validator.check("2027" + THIRTEEN, null), "bad_birth_year");
    assertCode(validator.check("0000" + THIRTEEN, null), "bad_birth_year");
    assertCode(validator.check("9999" + THIRTEEN, LocalDate.of(1990, 1, 1)), "bad_birth_year");
    // The current year comes from the clock.
    BangladeshNidValidator later = new BangladeshNidValidator(Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC));
    assertCode(later.check("2027" + THIRTEEN, null), "ok");
  }

  @Test
  void lettersAndPunctuationAreNotDigits() {
    for (String bad : List.of("12345678A0", "ABCDEFGHIJ", "12345-67890", "123 456 7890", "+1234567890", "１２３４５６７８９０")) {
      assertCode(validator.check(bad, null), "not_digits");
    }
  }

  @Test
  void wrongLengthsAreRejected() {
    for (int length : new int[] {1, 9, 11, 12, 14, 15, 16, 18, 19, 32}) {
      assertCode(validator.check("1".repeat(length), null), "bad_length");
    }
    assertCode(validator.check("", null), "bad_length");
    assertCode(validator.check("1".repeat(10_000), null), "bad_length");
    assertCode(validator.check("x".repeat(10_000), null), "bad_length");
  }

  @Test
  void messagesDoNotRepeatTheNumber() {
    for (String number : List.of(SEVENTEEN_1990, "1899" + THIRTEEN, "12345678A0", "123456789")) {
      NationalIdCheck check = validator.check(number, LocalDate.of(1991, 3, 7));
      assertThat(check.message()).doesNotContain(number).doesNotContain("1991");
    }
  }

  @Test
  void plausibleShapeLooksAtLengthDigitsAndTheBirthYearOfTheLongForm() {
    assertThat(validator.plausibleShape(TEN)).isTrue();
    assertThat(validator.plausibleShape(THIRTEEN)).isTrue();
    assertThat(validator.plausibleShape(SEVENTEEN_1990)).isTrue();
    assertThat(validator.plausibleShape("1899" + THIRTEEN)).as("no birth year: may be a card number").isFalse();
    assertThat(validator.plausibleShape("62" + "1".repeat(15))).as("a 17-digit UnionPay-like number").isFalse();
    assertThat(validator.plausibleShape("1".repeat(16))).as("16 digits: card-number length").isFalse();
    assertThat(validator.plausibleShape("1".repeat(19))).isFalse();
    assertThat(validator.plausibleShape("12345678A0")).isFalse();
    assertThat(validator.plausibleShape("")).isFalse();
    assertThat(validator.plausibleShape(null)).isFalse();
  }

  @Test
  void nullNumberIsAProgrammerError() {
    assertThatThrownBy(() -> validator.check(null, null)).isInstanceOf(NullPointerException.class);
  }
}
