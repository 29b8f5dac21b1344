package io.vigil.engine.signal.identity;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Bangladesh national identity numbers ({@code bd_nid}), in their three forms:
 *
 * <ul>
 *   <li>10 digits: the smart-card NID issued since 2016;
 *   <li>13 digits: the older laminated-card NID;
 *   <li>17 digits: the 4-digit birth year followed by the 13-digit form, as written on older
 *       cards and in many registration records.
 * </ul>
 *
 * <p>The 17-digit form's year must lie between {@link #BIRTH_YEAR_MIN} and the year of the event and,
 * when the date of birth is known, equal its year. The numbers carry no check digit, so nothing
 * else can be verified offline. Immutable and thread-safe.
 */
public final class BangladeshNidValidator implements NationalIdValidator {
  public static final String TYPE = "bd_nid";

  public static final int SMART_CARD_DIGITS = 10;
  public static final int LEGACY_DIGITS = 13;
  public static final int WITH_BIRTH_YEAR_DIGITS = 17;

  /** Earliest birth year accepted in the 17-digit form. */
  public static final int BIRTH_YEAR_MIN = 1900;

  /** Input longer than this is rejected before it is scanned. */
  static final int NUMBER_CHARS_MAX = 32;

  static {
    assert WITH_BIRTH_YEAR_DIGITS == 4 + LEGACY_DIGITS;
    assert NUMBER_CHARS_MAX >= WITH_BIRTH_YEAR_DIGITS;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public NationalIdCheck check(String number, LocalDate dateOfBirthOrNull, LocalDate asOf) {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(asOf, "asOf");
    int length = number.length();
    if (length == 0 || length > NUMBER_CHARS_MAX) return badLength();
    if (!allDigits(number)) {
      return NationalIdCheck.invalid(NationalIdCheck.NOT_DIGITS, "a Bangladesh NID has digits only");
    }
    if (length == SMART_CARD_DIGITS || length == LEGACY_DIGITS) {
      return NationalIdCheck.ok("a " + length + "-digit Bangladesh NID");
    }
    if (length != WITH_BIRTH_YEAR_DIGITS) return badLength();
    int year = Integer.parseInt(number.substring(0, 4));
    int currentYear = asOf.getYear();
    if (year < BIRTH_YEAR_MIN || year > currentYear) {
      return NationalIdCheck.invalid(NationalIdCheck.BAD_BIRTH_YEAR,
          "a 17-digit Bangladesh NID starts with a birth year from " + BIRTH_YEAR_MIN + " to " + currentYear);
    }
    if (dateOfBirthOrNull != null && dateOfBirthOrNull.getYear() != year) {
      return NationalIdCheck.invalid(NationalIdCheck.DOB_MISMATCH,
          "the birth year in the 17-digit Bangladesh NID differs from the year of the date of birth");
    }
    return NationalIdCheck.ok("a 17-digit Bangladesh NID");
  }

  private static NationalIdCheck badLength() {
    return NationalIdCheck.invalid(NationalIdCheck.BAD_LENGTH, "a Bangladesh NID has 10, 13 or 17 digits");
  }

  @Override
  public boolean plausibleShape(String number, LocalDate asOf) {
    if (number == null) return false;
    int length = number.length();
    if (!allDigits(number)) return false;
    if (length == SMART_CARD_DIGITS || length == LEGACY_DIGITS) return true;
    // A 17-digit NID begins with a birth year, which a 17-digit card number (UnionPay 62…, Maestro
    // 50…/6…) does not: the exemption from card-number detection must not let those through.
    if (length != WITH_BIRTH_YEAR_DIGITS) return false;
    int year = Integer.parseInt(number, 0, 4, 10);
    return year >= BIRTH_YEAR_MIN && year <= asOf.getYear();
  }

  private static boolean allDigits(String s) {
    assert s.length() <= NUMBER_CHARS_MAX;
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }
}
