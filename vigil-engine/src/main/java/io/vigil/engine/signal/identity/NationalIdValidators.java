package io.vigil.engine.signal.identity;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The national-identity validators by type. Immutable: {@link #with} returns a new registry, so a
 * registry can be shared between threads and replaced as a whole.
 *
 * <pre>
 * NationalIdValidators validators = NationalIdValidators.defaults().with(new MyCountryValidator());
 * NationalIdCheck check = validators.find("bd_nid").check(number, dateOfBirth, eventDate);
 * </pre>
 */
public final class NationalIdValidators {
  /** Validators in one registry. */
  public static final int VALIDATORS_MAX = 64;

  /** Longest type name, e.g. {@code bd_nid}. */
  public static final int TYPE_CHARS_MAX = 32;

  /** Dates of birth as written on forms: day-month-year, strictly ({@code 31-02-1990} is rejected). */
  private static final DateTimeFormatter DATE_OF_BIRTH =
      DateTimeFormatter.ofPattern("dd-MM-uuuu", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

  private static final int DATE_OF_BIRTH_CHARS = "DD-MM-YYYY".length();

  private final Map<String, NationalIdValidator> byType;

  private NationalIdValidators(Map<String, NationalIdValidator> byType) {
    assert byType.size() <= VALIDATORS_MAX;
    this.byType = byType;
  }

  /** A registry with no validators. */
  public static NationalIdValidators empty() {
    return new NationalIdValidators(Map.of());
  }

  /** The validators Vigil ships: {@code bd_nid}. */
  public static NationalIdValidators defaults() {
    return empty().with(new BangladeshNidValidator());
  }

  /**
   * A registry with {@code validator} added.
   *
   * @throws IllegalArgumentException when its type is malformed or already registered, or the
   *     registry is full
   */
  public NationalIdValidators with(NationalIdValidator validator) {
    Objects.requireNonNull(validator, "validator");
    String type = validator.type();
    if (!isTypeName(type)) {
      throw new IllegalArgumentException("validator type must be 1 to " + TYPE_CHARS_MAX + " of [a-z0-9_], found '" + type + "'");
    }
    if (byType.containsKey(type)) throw new IllegalArgumentException("a validator for " + type + " is already registered");
    if (byType.size() == VALIDATORS_MAX) throw new IllegalArgumentException("more than " + VALIDATORS_MAX + " validators");
    Map<String, NationalIdValidator> copy = new LinkedHashMap<>(byType);
    copy.put(type, validator);
    return new NationalIdValidators(Map.copyOf(copy));
  }

  /** The validator for {@code type}, or null when none is registered. */
  public NationalIdValidator find(String type) {
    Objects.requireNonNull(type, "type");
    return byType.get(type);
  }

  /** The registered types. */
  public Set<String> types() {
    return byType.keySet();
  }

  private static boolean isTypeName(String type) {
    if (type == null || type.isEmpty() || type.length() > TYPE_CHARS_MAX) return false;
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
  }

  /**
   * Parses a date of birth written {@code DD-MM-YYYY} (e.g. {@code 07-03-1990}): two-digit day and
   * month, four-digit year, a real calendar date.
   *
   * @throws IllegalArgumentException when the text is not such a date; the message does not
   *     repeat it (a date of birth is personal data)
   */
  public static LocalDate parseDateOfBirth(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() != DATE_OF_BIRTH_CHARS) {
      throw new IllegalArgumentException("date of birth must be written DD-MM-YYYY");
    }
    try {
      return LocalDate.parse(text, DATE_OF_BIRTH);
    } catch (DateTimeParseException e) {
      // Not chained: the parse exception's message repeats the text.
      throw new IllegalArgumentException("date of birth must be a real date written DD-MM-YYYY");
    }
  }
}
