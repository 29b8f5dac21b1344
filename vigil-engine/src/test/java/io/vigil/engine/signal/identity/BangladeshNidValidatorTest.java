package io.vigil.engine.signal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class BangladeshNidValidatorTest {
  static final LocalDate AS_OF = LocalDate.of(2026, 11, 21);
  final BangladeshNidValidator validator = new BangladeshNidValidator();

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
    assertCode(validator.check(TEN, null, AS_OF), "ok");
    assertCode(validator.check(THIRTEEN, null, AS_OF), "ok");
    assertCode(validator.check(SEVENTEEN_1990, null, AS_OF), "ok");
    assertCode(validator.check(SEVENTEEN_1990, LocalDate.of(1990, 3, 7), AS_OF), "ok");
    // The 10- and 13-digit forms carry no year: any date of birth is consistent with them.
    assertCode(validator.check(TEN, LocalDate.of(1985, 1, 1), AS_OF), "ok");
    assertCode(validator.check(THIRTEEN, LocalDate.of(2001, 12, 31), AS_OF), "ok");
    assertCode(validator.check("1900" + THIRTEEN, null, AS_OF), "ok");
    assertCode(validator.check("2026" + THIRTEEN, null, AS_OF), "ok");
  }

  @Test
  void seventeenDigitYearMustMatchTheDateOfBirth() {
    NationalIdCheck check = validator.check(SEVENTEEN_1990, LocalDate.of(1991, 3, 7), AS_OF);
    assertCode(check, "dob_mismatch");
    assertCode(validator.check(SEVENTEEN_1990, LocalDate.of(1989, 12, 31), AS_OF), "dob_mismatch");
  }

  @Test
  void seventeenDigitYearMustBePlausible() {
    assertCode(validator.check("1899" + THIRTEEN, null, AS_OF), "bad_birth_year");
    assertCode(validator.check("2027" + THIRTEEN, null, AS_OF), "bad_birth_year");
    assertCode(validator.check("0000" + THIRTEEN, null, AS_OF), "bad_birth_year");
    assertCode(validator.check("9999" + THIRTEEN, LocalDate.of(1990, 1, 1), AS_OF), "bad_birth_year");
    // The latest year is the event's, not the wall clock's.
    assertCode(validator.check("2027" + THIRTEEN, null, LocalDate.of(2027, 1, 1)), "ok");
  }

  @Test
  void lettersAndPunctuationAreNotDigits() {
    for (String bad : List.of("12345678A0", "ABCDEFGHIJ", "12345-67890", "123 456 7890", "+1234567890", "１２３４５６７８９０")) {
      assertCode(validator.check(bad, null, AS_OF), "not_digits");
    }
  }

  @Test
  void wrongLengthsAreRejected() {
    for (int length : new int[] {1, 9, 11, 12, 14, 15, 16, 18, 19, 32}) {
      assertCode(validator.check("1".repeat(length), null, AS_OF), "bad_length");
    }
    assertCode(validator.check("", null, AS_OF), "bad_length");
    assertCode(validator.check("1".repeat(10_000), null, AS_OF), "bad_length");
    assertCode(validator.check("x".repeat(10_000), null, AS_OF), "bad_length");
  }

  @Test
  void messagesDoNotRepeatTheNumber() {
    for (String number : List.of(SEVENTEEN_1990, "1899" + THIRTEEN, "12345678A0", "123456789")) {
      NationalIdCheck check = validator.check(number, LocalDate.of(1991, 3, 7), AS_OF);
      assertThat(check.message()).doesNotContain(number).doesNotContain("1991");
    }
  }

  @Test
  void plausibleShapeLooksAtLengthDigitsAndTheBirthYearOfTheLongForm() {
    assertThat(validator.plausibleShape(TEN, AS_OF)).isTrue();
    assertThat(validator.plausibleShape(THIRTEEN, AS_OF)).isTrue();
    assertThat(validator.plausibleShape(SEVENTEEN_1990, AS_OF)).isTrue();
    assertThat(validator.plausibleShape("1899" + THIRTEEN, AS_OF)).as("no birth year: may be a card number").isFalse();
    assertThat(validator.plausibleShape("2027" + THIRTEEN, AS_OF)).as("born after the event").isFalse();
    assertThat(validator.plausibleShape("2027" + THIRTEEN, LocalDate.of(2027, 6, 1))).isTrue();
    assertThat(validator.plausibleShape("62" + "1".repeat(15), AS_OF)).as("a 17-digit UnionPay-like number").isFalse();
    assertThat(validator.plausibleShape("1".repeat(16), AS_OF)).as("16 digits: card-number length").isFalse();
    assertThat(validator.plausibleShape("1".repeat(19), AS_OF)).isFalse();
    assertThat(validator.plausibleShape("12345678A0", AS_OF)).isFalse();
    assertThat(validator.plausibleShape("", AS_OF)).isFalse();
    assertThat(validator.plausibleShape(null, AS_OF)).isFalse();
  }

  @Test
  void nullNumberIsAProgrammerError() {
    assertThatThrownBy(() -> validator.check(null, null, AS_OF)).isInstanceOf(NullPointerException.class);
  }
}
