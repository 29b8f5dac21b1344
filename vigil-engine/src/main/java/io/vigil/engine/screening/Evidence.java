package io.vigil.engine.screening;

import java.util.List;

/**
 * Date of birth and country as supporting evidence: they move a name score, never make one. An
 * equal date adds {@link #DOB_EXACT_BONUS}, the same year {@link #DOB_YEAR_BONUS}; a birth year more
 * than {@link #DOB_YEARS_APART_MAX} apart subtracts {@link #DOB_MISMATCH_PENALTY}. A country the
 * entry lists adds {@link #COUNTRY_BONUS}; a country it does not list (when it lists any) subtracts
 * {@link #COUNTRY_MISMATCH_PENALTY}.
 */
final class Evidence {
  static final double DOB_EXACT_BONUS = 0.05;
  static final double DOB_YEAR_BONUS = 0.02;
  static final double DOB_MISMATCH_PENALTY = 0.10;
  static final int DOB_YEARS_APART_MAX = 2;
  static final double COUNTRY_BONUS = 0.03;
  static final double COUNTRY_MISMATCH_PENALTY = 0.05;

  private Evidence() {}

  /** The adjusted score; notes receives what moved it. */
  static double adjust(double nameScore, ScreeningQuery query, ScreeningEntry entry, List<String> notes) {
    double score = nameScore + dateOfBirth(query, entry, notes) + country(query, entry, notes);
    return Math.max(0.0, Math.min(1.0, score));
  }

  private static double dateOfBirth(ScreeningQuery query, ScreeningEntry entry, List<String> notes) {
    if (query.dateOfBirth() == null || entry.birthDates().isEmpty()) return 0.0;
    String full = query.dateOfBirth().toString();
    int year = query.dateOfBirth().getYear();
    int closestYears = Integer.MAX_VALUE;
    for (String d : entry.birthDates()) {
      if (d.equals(full)) {
        notes.add("date of birth matches " + d);
        return DOB_EXACT_BONUS;
      }
      int listed = Integer.parseInt(d.substring(0, 4));
      closestYears = Math.min(closestYears, Math.abs(listed - year));
    }
    if (closestYears == 0) {
      notes.add("birth year matches " + year);
      return DOB_YEAR_BONUS;
    }
    if (closestYears > DOB_YEARS_APART_MAX) {
      notes.add("birth year " + year + " is " + closestYears + " years from the listed one");
      return -DOB_MISMATCH_PENALTY;
    }
    return 0.0;
  }

  private static double country(ScreeningQuery query, ScreeningEntry entry, List<String> notes) {
    if (query.country() == null || entry.countries().isEmpty()) return 0.0;
    if (entry.countries().contains(query.country())) {
      notes.add("country " + query.country() + " is listed");
      return COUNTRY_BONUS;
    }
    notes.add("country " + query.country() + " is not among " + String.join(",", entry.countries()));
    return -COUNTRY_MISMATCH_PENALTY;
  }
}
