package io.vigil.engine.signal.geo;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import java.util.List;
import java.util.Map;

/**
 * The record shapes of the geo databases Vigil reads, decoded by MaxMind's reader straight into
 * these classes: only the named fields are built, every other field is skipped, and each record
 * is turned into its {@link GeoLocation} once (the reader caches decoded records by offset).
 */
final class GeoRecords {
  /** Country codes meaning "unknown" (ISO 3166 user-assigned), mapped to null. */
  private static final String UNKNOWN_COUNTRY = "ZZ";

  private GeoRecords() {}

  /** The two record layouts, told apart on open from a sample of the file's records. */
  enum Schema {
    /** GeoIP2 / GeoLite2 / DB-IP Lite from its vendor: country.iso_code, subdivisions[0].names.en … */
    NESTED(Nested.class),
    /** ip-location-db: country_code, state1, city, latitude, longitude. */
    FLAT(Flat.class);

    final Class<? extends GeoRecord> recordClass;

    Schema(Class<? extends GeoRecord> recordClass) {
      this.recordClass = recordClass;
    }

    /** The schema whose country field a sample record holds, or null when it holds neither. */
    static Schema of(Map<String, Object> record) {
      if (record.get("country") instanceof Map<?, ?> country && country.get("iso_code") instanceof String) return NESTED;
      if (record.get("country_code") instanceof String) return FLAT;
      return null;
    }
  }

  /** A decoded record of either schema. */
  interface GeoRecord {
    GeoLocation location();
  }

  /** The ip-location-db layout. Coordinates are float in some files and double in others. */
  public static final class Flat implements GeoRecord {
    private final GeoLocation location;

    @MaxMindDbConstructor
    public Flat(
        @MaxMindDbParameter(name = "country_code") String country,
        @MaxMindDbParameter(name = "state1") String region,
        @MaxMindDbParameter(name = "city") String city,
        @MaxMindDbParameter(name = "latitude") Number latitudeDeg,
        @MaxMindDbParameter(name = "longitude") Number longitudeDeg) {
      this.location = toLocation(country, region, city, latitudeDeg, longitudeDeg);
    }

    @Override
    public GeoLocation location() {
      return location;
    }
  }

  /** The GeoIP2 / GeoLite2 / DB-IP vendor layout. */
  public static final class Nested implements GeoRecord {
    private final GeoLocation location;

    @MaxMindDbConstructor
    public Nested(
        @MaxMindDbParameter(name = "country") IsoCode country,
        @MaxMindDbParameter(name = "subdivisions") List<Named> subdivisions,
        @MaxMindDbParameter(name = "city") Named city,
        @MaxMindDbParameter(name = "location") Location location) {
      String region = subdivisions == null || subdivisions.isEmpty() ? null : subdivisions.get(0).english();
      this.location = toLocation(
          country == null ? null : country.isoCode,
          region,
          city == null ? null : city.english(),
          location == null ? null : location.latitudeDeg,
          location == null ? null : location.longitudeDeg);
    }

    @Override
    public GeoLocation location() {
      return location;
    }
  }

  /** {@code {"iso_code": "US", ...}} */
  public static final class IsoCode {
    final String isoCode;

    @MaxMindDbConstructor
    public IsoCode(@MaxMindDbParameter(name = "iso_code") String isoCode) {
      this.isoCode = isoCode;
    }
  }

  /** {@code {"names": {"en": "Dhaka Division", ...}, ...}} */
  public static final class Named {
    final Names names;

    @MaxMindDbConstructor
    public Named(@MaxMindDbParameter(name = "names") Names names) {
      this.names = names;
    }

    String english() {
      return names == null ? null : names.english;
    }
  }

  /** Only the English name is decoded; the other languages are skipped. */
  public static final class Names {
    final String english;

    @MaxMindDbConstructor
    public Names(@MaxMindDbParameter(name = "en") String english) {
      this.english = english;
    }
  }

  /** {@code {"latitude": 23.7, "longitude": 90.4, ...}} */
  public static final class Location {
    final Number latitudeDeg;
    final Number longitudeDeg;

    @MaxMindDbConstructor
    public Location(
        @MaxMindDbParameter(name = "latitude") Number latitudeDeg,
        @MaxMindDbParameter(name = "longitude") Number longitudeDeg) {
      this.latitudeDeg = latitudeDeg;
      this.longitudeDeg = longitudeDeg;
    }
  }

  /**
   * A location from raw fields: empty strings become null, a country code that is not two
   * letters or means "unknown" becomes null (and then so does everything else: a region without
   * its country cannot be compared), coordinates outside their range become NaN.
   */
  static GeoLocation toLocation(String country, String region, String city, Number latitudeDeg, Number longitudeDeg) {
    String code = blankToNull(country);
    if (code != null) code = code.toUpperCase(java.util.Locale.ROOT);
    if (code == null || !GeoLocation.isCountryCode(code) || UNKNOWN_COUNTRY.equals(code)) return GeoLocation.UNKNOWN;
    double lat = coordinate(latitudeDeg, 90.0);
    double lon = coordinate(longitudeDeg, 180.0);
    if (Double.isNaN(lat) || Double.isNaN(lon)) {
      lat = Double.NaN;
      lon = Double.NaN;
    }
    return new GeoLocation(code, blankToNull(region), blankToNull(city), lat, lon);
  }

  private static double coordinate(Number value, double limitDeg) {
    if (value == null) return Double.NaN;
    double deg = value.doubleValue();
    return deg >= -limitDeg && deg <= limitDeg ? deg : Double.NaN;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
