package io.vigil.engine.signal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class NationalIdValidatorsTest {
  static final LocalDate AS_OF = LocalDate.of(2026, 11, 21);

  /** A stand-in for a country-specific validator plugged in by an operator. */
  record FixedLength(String type, int digits) implements NationalIdValidator {
    @Override
    public NationalIdCheck check(String number, LocalDate dateOfBirthOrNull, LocalDate asOf) {
      return plausibleShape(number, asOf)
          ? NationalIdCheck.ok("fine")
          : NationalIdCheck.invalid(NationalIdCheck.BAD_LENGTH, digits + " digits expected");
    }

    @Override
    public boolean plausibleShape(String number, LocalDate asOf) {
      return number != null && number.length() == digits && number.chars().allMatch(Character::isDigit);
    }
  }

  @Test
  void defaultsHoldTheBangladeshValidator() {
    NationalIdValidators defaults = NationalIdValidators.defaults();
    assertThat(defaults.types()).containsExactly("bd_nid");
    assertThat(defaults.find("bd_nid")).isInstanceOf(BangladeshNidValidator.class);
    assertThat(defaults.find("bd_nid").check("1234567890", null, AS_OF).valid()).isTrue();
    assertThat(defaults.find("in_aadhaar")).isNull();
  }

  @Test
  void moreValidatorsCanBeRegistered() {
    NationalIdValidators defaults = NationalIdValidators.defaults();
    NationalIdValidators more = defaults.with(new FixedLength("xx_id", 8));
    assertThat(more.types()).containsExactlyInAnyOrder("bd_nid", "xx_id");
    assertThat(more.find("xx_id").check("12345678", null, AS_OF).valid()).isTrue();
    assertThat(more.find("xx_id").check("1234567", null, AS_OF).code()).isEqualTo("bad_length");
    assertThat(defaults.find("xx_id")).as("registries are immutable").isNull();
    assertThat(NationalIdValidators.empty().types()).isEmpty();
  }

  @Test
  void registrationIsChecked() {
    NationalIdValidators defaults = NationalIdValidators.defaults();
    assertThatThrownBy(() -> defaults.with(new BangladeshNidValidator())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a validator for bd_nid is already registered");
    for (String bad : List.of("", "BD_NID", "bd-nid", "bd nid", "x".repeat(33))) {
      assertThatThrownBy(() -> defaults.with(new FixedLength(bad, 8))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> defaults.with(new FixedLength(null, 8))).isInstanceOf(IllegalArgumentException.class);
    NationalIdValidators full = NationalIdValidators.empty();
    for (int i = 0; i < NationalIdValidators.VALIDATORS_MAX; i++) full = full.with(new FixedLength("t" + i, 8));
    NationalIdValidators last = full;
    assertThatThrownBy(() -> last.with(new FixedLength("one_more", 8))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dateOfBirthIsParsedStrictly() {
    assertThat(NationalIdValidators.parseDateOfBirth("07-03-1990")).isEqualTo(LocalDate.of(1990, 3, 7));
    assertThat(NationalIdValidators.parseDateOfBirth("29-02-2024")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(NationalIdValidators.parseDateOfBirth("31-12-1899")).isEqualTo(LocalDate.of(1899, 12, 31));
    for (String bad : List.of("31-02-1990", "29-02-2023", "31-04-1990", "32-01-1990", "00-01-1990", "07-13-1990",
        "07-00-1990", "1990-03-07", "7-3-1990", "07-3-1990", "07/03/1990", "07-03-90", "07.03.1990", "", " 07-03-1990",
        "07-03-1990 ", "ab-cd-efgh", "07-03-+990", "07-03--990", "٠٧-٠٣-١٩٩٠")) {
      assertThatThrownBy(() -> NationalIdValidators.parseDateOfBirth(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasNoCause()
          .message().doesNotContain("1990").contains("DD-MM-YYYY");
    }
    assertThatThrownBy(() -> NationalIdValidators.parseDateOfBirth(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void parsedDateOfBirthFeedsTheCheck() {
    NationalIdValidator bd = NationalIdValidators.defaults().find("bd_nid");
    LocalDate dob = NationalIdValidators.parseDateOfBirth("07-03-1990");
    assertThat(bd.check("19902691234567890", dob, AS_OF).valid()).isTrue();
    assertThat(bd.check("19912691234567890", dob, AS_OF).code()).isEqualTo("dob_mismatch");
  }

  @Test
  void checkRecordKeepsValidAndCodeConsistent() {
    assertThat(NationalIdCheck.ok("fine")).isEqualTo(new NationalIdCheck(true, "ok", "fine"));
    assertThatThrownBy(() -> new NationalIdCheck(true, "bad_length", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NationalIdCheck(false, "ok", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(NationalIdCheck.CODES).containsExactlyInAnyOrder("ok", "not_digits", "bad_length", "bad_birth_year", "dob_mismatch");
  }
}
