package io.vigil.engine.signal.geo;

/** Distances on the earth's surface. */
public final class GeoMath {
  /** Mean earth radius (IUGG), in km. */
  public static final double EARTH_RADIUS_KM = 6371.0088;

  private GeoMath() {}

  /**
   * Great-circle distance between two points (haversine), in km; NaN when any coordinate is NaN
   * (an unknown location). Accurate to about 0.5 % (the earth is not a sphere), which is far
   * below the error of IP geolocation.
   */
  public static double distanceKm(double lat1Deg, double lon1Deg, double lat2Deg, double lon2Deg) {
    if (Double.isNaN(lat1Deg) || Double.isNaN(lon1Deg) || Double.isNaN(lat2Deg) || Double.isNaN(lon2Deg)) {
      return Double.NaN;
    }
    assert lat1Deg >= -90.0 && lat1Deg <= 90.0 : lat1Deg;
    assert lat2Deg >= -90.0 && lat2Deg <= 90.0 : lat2Deg;
    double dLat = Math.toRadians(lat2Deg - lat1Deg);
    double dLon = Math.toRadians(lon2Deg - lon1Deg);
    double sinLat = Math.sin(dLat / 2);
    double sinLon = Math.sin(dLon / 2);
    double h = sinLat * sinLat + Math.cos(Math.toRadians(lat1Deg)) * Math.cos(Math.toRadians(lat2Deg)) * sinLon * sinLon;
    double distanceKm = 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1.0, h)));
    assert distanceKm >= 0 && distanceKm <= Math.PI * EARTH_RADIUS_KM + 1e-6 : distanceKm;
    return distanceKm;
  }
}
