package io.vigil.engine.signal.identity;

import java.time.LocalDate;

/**
 * Checks the form of one country's national identity numbers. Implementations are stateless or
 * immutable, and thread-safe; register them with {@link NationalIdValidators#with}.
 */
public interface NationalIdValidator {
  /** The identifier type this validator checks, lower-case snake case, e.g. {@code bd_nid}. */
  String type();

  /**
   * Checks {@code number}, and its consistency with the holder's date of birth when the number
   * encodes one.
   *
   * @param number the number as given, not null
   * @param dateOfBirthOrNull the holder's date of birth, or null when unknown
   * @param asOf the date (UTC) of the event the number comes with; no birth is later than it
   */
  NationalIdCheck check(String number, LocalDate dateOfBirthOrNull, LocalDate asOf);

  /**
   * Whether {@code number} has this type's length and characters, without any other check; the
   * event parser uses it to tell an identity number from a card number.
   *
   * @param asOf the date (UTC) of the event the number comes with
   */
  boolean plausibleShape(String number, LocalDate asOf);
}
