package io.vigil.engine.signal;

import io.vigil.engine.signal.geo.GeoLocation;
import io.vigil.engine.signal.geo.GeoMath;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.util.Arrays;

/**
 * Where one account has been: its most recent located events (at most {@link #POINTS_MAX}) and a
 * histogram of its regions (at most {@link #REGIONS_MAX}). From these come the usual location, the
 * distinct regions of the last 24 h and the speed since the nearest earlier event.
 *
 * <p>Bounded by construction: about 40 bytes per point and 48 per region, under 1 KiB per account
 * with everything full. When the histogram is full, the region seen least often is forgotten; when
 * the point ring is full, the oldest point is overwritten, so "regions in 24 h" counts at most
 * {@link #POINTS_MAX} events back.
 */
final class GeoHistory {
  static final int POINTS_MAX = 16;
  static final int REGIONS_MAX = 4;
  private static final long DAY_MILLIS = 86_400_000L;
  private static final long NO_REGION = 0;

  private long[] pointMillis = new long[2];
  private long[] pointRegionKey = new long[2];
  private float[] pointLatitude = new float[2];
  private float[] pointLongitude = new float[2];
  private int points;

  private final String[] regionCountry = new String[REGIONS_MAX];
  private final String[] regionName = new String[REGIONS_MAX];
  private final long[] regionKey = new long[REGIONS_MAX];
  private final int[] regionCount = new int[REGIONS_MAX];
  private final int[] regionLocatedCount = new int[REGIONS_MAX];
  private final double[] regionLatitudeSum = new double[REGIONS_MAX];
  private final double[] regionLongitudeSum = new double[REGIONS_MAX];
  private int regions;

  void writeTo(StateWriter out) throws IOException {
    out.writeInt(points);
    out.writeLongs(pointMillis, points);
    out.writeLongs(pointRegionKey, points);
    for (int i = 0; i < points; i++) out.writeFloat(pointLatitude[i]);
    for (int i = 0; i < points; i++) out.writeFloat(pointLongitude[i]);
    out.writeInt(regions);
    for (int i = 0; i < regions; i++) {
      out.writeString(regionCountry[i]);
      out.writeString(regionName[i]);
      out.writeLong(regionKey[i]);
      out.writeInt(regionCount[i]);
      out.writeInt(regionLocatedCount[i]);
      out.writeDouble(regionLatitudeSum[i]);
      out.writeDouble(regionLongitudeSum[i]);
    }
  }

  static GeoHistory readFrom(StateReader in) throws IOException {
    GeoHistory g = new GeoHistory();
    int n = in.readCount("geo points", POINTS_MAX);
    int capacity = Math.max(2, n);
    g.pointMillis = new long[capacity];
    g.pointRegionKey = new long[capacity];
    g.pointLatitude = new float[capacity];
    g.pointLongitude = new float[capacity];
    in.readLongs(g.pointMillis, n);
    in.readLongs(g.pointRegionKey, n);
    for (int i = 0; i < n; i++) g.pointLatitude[i] = in.readFloat();
    for (int i = 0; i < n; i++) g.pointLongitude[i] = in.readFloat();
    g.points = n;
    g.regions = in.readCount("geo regions", REGIONS_MAX);
    for (int i = 0; i < g.regions; i++) {
      g.regionCountry[i] = in.readString();
      g.regionName[i] = in.readString();
      g.regionKey[i] = in.readLong();
      g.regionCount[i] = in.readInt();
      g.regionLocatedCount[i] = in.readInt();
      g.regionLatitudeSum[i] = in.readDouble();
      g.regionLongitudeSum[i] = in.readDouble();
    }
    return g;
  }

  /** What the history says about a new location, computed before the location is added. */
  record Observation(
      String usualCountry, String usualRegion, double distanceFromUsualKm,
      int regions24h, double travelDistanceKm, double travelSpeedKmh) {
    static final Observation NONE = new Observation(null, null, -1, 0, -1, -1);

    Observation withRegions24h(int regions) {
      return new Observation(usualCountry, usualRegion, distanceFromUsualKm, regions, travelDistanceKm, travelSpeedKmh);
    }
  }

  /** Describes {@code location} at {@code tMillis} against the history, then records it. */
  Observation observe(long tMillis, GeoLocation location) {
    assert location.known();
    long key = regionKey(location);
    int usual = usualRegion();
    double distanceFromUsual = -1;
    if (usual >= 0 && regionLocatedCount[usual] > 0 && location.hasCoordinates()) {
      distanceFromUsual = GeoMath.distanceKm(regionLatitudeSum[usual] / regionLocatedCount[usual],
          regionLongitudeSum[usual] / regionLocatedCount[usual], location.latitudeDeg(), location.longitudeDeg());
    }
    int previous = nearestAtOrBefore(tMillis);
    double travelDistance = -1;
    double travelSpeed = -1;
    if (previous >= 0 && location.hasCoordinates() && !Float.isNaN(pointLatitude[previous])) {
      travelDistance = GeoMath.distanceKm(pointLatitude[previous], pointLongitude[previous],
          location.latitudeDeg(), location.longitudeDeg());
      // A minute at least between two events, so that simultaneous events do not divide by zero.
      double hours = Math.max(tMillis - pointMillis[previous], 60_000L) / 3_600_000.0;
      travelSpeed = travelDistance / hours;
    }
    addPoint(tMillis, key, location);
    if (key != NO_REGION) addToRegion(key, location);
    int regions24h = distinctRegionsIn(tMillis - DAY_MILLIS, tMillis);
    return new Observation(usual >= 0 ? regionCountry[usual] : null, usual >= 0 ? regionName[usual] : null,
        distanceFromUsual, regions24h, travelDistance, travelSpeed);
  }

  /**
   * The key of the location's region, or {@link #NO_REGION} when the database names none: such a
   * location still counts for travel, but is not a region of its own (unknown never fires).
   */
  private static long regionKey(GeoLocation location) {
    if (location.region() == null) return NO_REGION;
    String region = location.region().toLowerCase(java.util.Locale.ROOT);
    long key = ((long) location.country().hashCode() << 32) ^ (region.hashCode() & 0xffffffffL);
    return key == NO_REGION ? 1 : key;
  }

  /** The region seen most often; ties go to the one recorded first. -1 when none. */
  private int usualRegion() {
    int best = -1;
    for (int i = 0; i < regions; i++) if (best < 0 || regionCount[i] > regionCount[best]) best = i;
    return best;
  }

  private int nearestAtOrBefore(long tMillis) {
    int best = -1;
    for (int i = 0; i < points; i++) {
      if (pointMillis[i] <= tMillis && (best < 0 || pointMillis[i] > pointMillis[best])) best = i;
    }
    return best;
  }

  private void addPoint(long tMillis, long key, GeoLocation location) {
    if (points < POINTS_MAX && points == pointMillis.length) {
      int capacity = Math.min(POINTS_MAX, points * 2);
      pointMillis = Arrays.copyOf(pointMillis, capacity);
      pointRegionKey = Arrays.copyOf(pointRegionKey, capacity);
      pointLatitude = Arrays.copyOf(pointLatitude, capacity);
      pointLongitude = Arrays.copyOf(pointLongitude, capacity);
    }
    int slot = points < POINTS_MAX ? points++ : oldestPoint();
    pointMillis[slot] = tMillis;
    pointRegionKey[slot] = key;
    pointLatitude[slot] = location.hasCoordinates() ? (float) location.latitudeDeg() : Float.NaN;
    pointLongitude[slot] = location.hasCoordinates() ? (float) location.longitudeDeg() : Float.NaN;
    assert points <= POINTS_MAX;
  }

  private int oldestPoint() {
    int oldest = 0;
    for (int i = 1; i < points; i++) if (pointMillis[i] < pointMillis[oldest]) oldest = i;
    return oldest;
  }

  private void addToRegion(long key, GeoLocation location) {
    int i = 0;
    while (i < regions && regionKey[i] != key) i++;
    if (i == regions) {
      if (regions < REGIONS_MAX) {
        regions++;
      } else {
        i = leastSeenRegion();
      }
      regionKey[i] = key;
      regionCountry[i] = location.country();
      regionName[i] = location.region();
      regionCount[i] = 0;
      regionLocatedCount[i] = 0;
      regionLatitudeSum[i] = 0;
      regionLongitudeSum[i] = 0;
    }
    regionCount[i]++;
    if (location.hasCoordinates()) {
      // The region's centre is the mean of the coordinates of its located events.
      regionLocatedCount[i]++;
      regionLatitudeSum[i] += location.latitudeDeg();
      regionLongitudeSum[i] += location.longitudeDeg();
    }
  }

  private int leastSeenRegion() {
    int least = 0;
    for (int i = 1; i < regions; i++) if (regionCount[i] < regionCount[least]) least = i;
    return least;
  }

  private int distinctRegionsIn(long fromExclusiveMillis, long toInclusiveMillis) {
    long[] seen = new long[POINTS_MAX];
    int distinct = 0;
    for (int i = 0; i < points; i++) {
      if (pointMillis[i] <= fromExclusiveMillis || pointMillis[i] > toInclusiveMillis) continue;
      if (pointRegionKey[i] == NO_REGION) continue;
      boolean known = false;
      for (int j = 0; j < distinct && !known; j++) known = seen[j] == pointRegionKey[i];
      if (!known) seen[distinct++] = pointRegionKey[i];
    }
    return distinct;
  }
}
