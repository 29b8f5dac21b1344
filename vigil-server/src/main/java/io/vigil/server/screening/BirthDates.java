package io.vigil.server.screening;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dates of birth as lists write them, to "YYYY-MM-DD" or "YYYY" (null when unreadable: lists hold free text). */
final class BirthDates {
  private static final DateTimeFormatter OFAC = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
  private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
  private static final Pattern YEAR = Pattern.compile("(?:^|\\D)(\\d{4})(?:\\D|$)");

  private BirthDates() {}

  static String parse(String text) {
    if (text == null || text.isBlank()) return null;
    String t = text.strip();
    Matcher iso = ISO_DATE.matcher(t);
    if (iso.lookingAt()) {
      try {
        return LocalDate.parse(iso.group()).toString();
      } catch (DateTimeParseException e) {
        return iso.group(1);
      }
    }
    try {
      return LocalDate.parse(t, OFAC).toString();
    } catch (DateTimeParseException notOfacStyle) {
      Matcher year = YEAR.matcher(t);
      return year.find() ? year.group(1) : null;
    }
  }
}
