package io.vigil.server.reports;

import java.util.Locale;
import java.util.Set;

/**
 * SWIFT BIC (ISO 9362) format: 4 letters of bank code, an ISO 3166 country code, 2 letters or
 * digits of location, and an optional 3-character branch: 8 or 11 characters in all.
 */
public final class Bic {
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  private Bic() {}

  /** Why {@code bic} is not a valid BIC, or null when it is. */
  public static String problem(String bic) {
    if (bic == null || bic.isEmpty()) return "the beneficiary has no SWIFT BIC";
    if (bic.length() != 8 && bic.length() != 11) return "a BIC has 8 or 11 characters";
    if (!bic.substring(0, 4).chars().allMatch(c -> c >= 'A' && c <= 'Z')) return "a BIC's bank code is 4 letters A-Z";
    String country = bic.substring(4, 6);
    if (!COUNTRIES.contains(country)) return "a BIC's characters 5-6 are an ISO 3166 country code";
    if (!bic.substring(6).chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return "a BIC's location and branch are letters A-Z or digits";
    }
    return null;
  }

  public static boolean valid(String bic) {
    return problem(bic) == null;
  }
}
