package io.vigil.engine.signal.geo;

/**
 * Where an IP address is, as far as a geo database knows.
 *
 * @param country ISO 3166-1 alpha-2 code, upper-case, or null when unknown
 * @param region first-level subdivision (state, province, division) as the database writes it in
 *     English, or null
 * @param city city name as the database writes it in English, or null
 * @param latitudeDeg WGS84 latitude in degrees, {@link Double#NaN} when unknown
 * @param longitudeDeg WGS84 longitude in degrees, {@link Double#NaN} when unknown
 */
public record GeoLocation(String country, String region, String city, double latitudeDeg, double longitudeDeg) {
  public static final GeoLocation UNKNOWN = new GeoLocation(null, null, null, Double.NaN, Double.NaN);

  public GeoLocation {
    if (country != null && !isCountryCode(country)) {
      throw new IllegalArgumentException("country must be an upper-case ISO 3166-1 alpha-2 code: " + country);
    }
    if (!Double.isNaN(latitudeDeg) && !(latitudeDeg >= -90.0 && latitudeDeg <= 90.0)) {
      throw new IllegalArgumentException("latitudeDeg out of [-90, 90]: " + latitudeDeg);
    }
    if (!Double.isNaN(longitudeDeg) && !(longitudeDeg >= -180.0 && longitudeDeg <= 180.0)) {
      throw new IllegalArgumentException("longitudeDeg out of [-180, 180]: " + longitudeDeg);
    }
  }

  /** True when the country is known; region, city and coordinates may still be missing. */
  public boolean known() {
    return country != null;
  }

  /** True when both coordinates are known. */
  public boolean hasCoordinates() {
    return !Double.isNaN(latitudeDeg) && !Double.isNaN(longitudeDeg);
  }

  /** True for two upper-case ASCII letters. */
  static boolean isCountryCode(String code) {
    return code.length() == 2 && isUpperAscii(code.charAt(0)) && isUpperAscii(code.charAt(1));
  }

  private static boolean isUpperAscii(char c) {
    return c >= 'A' && c <= 'Z';
  }
}
