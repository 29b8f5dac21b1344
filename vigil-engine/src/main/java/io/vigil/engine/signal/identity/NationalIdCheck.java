package io.vigil.engine.signal.identity;

import java.util.Objects;
import java.util.Set;

/**
 * The verdict on a national identity number. Messages never repeat the number or the date of
 * birth: both are personal data.
 *
 * @param valid true when the number has an acceptable form
 * @param code a stable machine-readable code: {@value #OK}, {@value #NOT_DIGITS},
 *     {@value #BAD_LENGTH}, {@value #BAD_BIRTH_YEAR} or {@value #DOB_MISMATCH}
 * @param message a human-readable explanation
 */
public record NationalIdCheck(boolean valid, String code, String message) {
  public static final String OK = "ok";
  public static final String NOT_DIGITS = "not_digits";
  public static final String BAD_LENGTH = "bad_length";
  public static final String BAD_BIRTH_YEAR = "bad_birth_year";
  public static final String DOB_MISMATCH = "dob_mismatch";

  /** Every code; validators for other countries use the same ones where they fit. */
  public static final Set<String> CODES = Set.of(OK, NOT_DIGITS, BAD_LENGTH, BAD_BIRTH_YEAR, DOB_MISMATCH);

  public NationalIdCheck {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    if (valid != OK.equals(code)) throw new IllegalArgumentException("valid must be true exactly when code is ok");
  }

  public static NationalIdCheck ok(String message) {
    return new NationalIdCheck(true, OK, message);
  }

  public static NationalIdCheck invalid(String code, String message) {
    return new NationalIdCheck(false, code, message);
  }
}
