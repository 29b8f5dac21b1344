package io.vigil.engine.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.engine.signal.geo.GeoLocation;
import org.junit.jupiter.api.Test;

/** The per-account geo history, on hand-made locations (the real databases are in SignalsTest). */
class GeoHistoryTest {
  static final long T0 = 1_800_000_000_000L;
  static final long MINUTE = 60_000L;
  static final GeoLocation DHAKA = new GeoLocation("BD", "Dhaka Division", "Dhaka", 23.8103, 90.4125);
  static final GeoLocation CHITTAGONG = new GeoLocation("BD", "Chittagong", "Chittagong", 22.3569, 91.7832);
  static final GeoLocation BD_NO_REGION = new GeoLocation("BD", null, null, 23.7, 90.4);
  static final GeoLocation BD_NO_COORDINATES = new GeoLocation("BD", "Sylhet Division", null, Double.NaN, Double.NaN);

  @Test
  void theUsualRegionIsTheOneSeenMostOftenAndExcludesTheCurrentEvent() {
    GeoHistory h = new GeoHistory();
    assertThat(h.observe(T0, DHAKA)).isEqualTo(GeoHistory.Observation.NONE.withRegions24h(1));
    h.observe(T0 + MINUTE, DHAKA);
    GeoHistory.Observation away = h.observe(T0 + 10 * 60 * MINUTE, CHITTAGONG);
    assertThat(away.usualRegion()).isEqualTo("Dhaka Division");
    assertThat(away.distanceFromUsualKm()).isCloseTo(216, within(15.0));
    assertThat(away.travelDistanceKm()).isCloseTo(216, within(15.0));
    assertThat(away.travelSpeedKmh()).isCloseTo(216 / 10.0 * 60 / 60, within(3.0));
    assertThat(away.regions24h()).isEqualTo(2);
  }

  @Test
  void aLocationWithoutARegionIsNotARegionOfItsOwn() {
    GeoHistory h = new GeoHistory();
    h.observe(T0, DHAKA);
    GeoHistory.Observation noRegion = h.observe(T0 + MINUTE, BD_NO_REGION);
    assertThat(noRegion.regions24h()).isEqualTo(1);
    assertThat(noRegion.travelDistanceKm()).isGreaterThan(0);
    assertThat(h.observe(T0 + 2 * MINUTE, CHITTAGONG).regions24h()).isEqualTo(2);
    // Many region-less events never make the unknown region the usual one.
    for (int i = 0; i < 5; i++) h.observe(T0 + (3 + i) * MINUTE, BD_NO_REGION);
    assertThat(h.observe(T0 + 10 * MINUTE, DHAKA).usualRegion()).isEqualTo("Dhaka Division");
  }

  @Test
  void withoutCoordinatesDistancesAreUnknownNotZero() {
    GeoHistory h = new GeoHistory();
    h.observe(T0, BD_NO_COORDINATES);
    GeoHistory.Observation o = h.observe(T0 + MINUTE, DHAKA);
    assertThat(o.usualRegion()).isEqualTo("Sylhet Division");
    assertThat(o.distanceFromUsualKm()).isEqualTo(-1);
    assertThat(o.travelDistanceKm()).isEqualTo(-1);
    assertThat(o.travelSpeedKmh()).isEqualTo(-1);
  }

  @Test
  void regionsOlderThanADayDropOut() {
    GeoHistory h = new GeoHistory();
    h.observe(T0, DHAKA);
    assertThat(h.observe(T0 + 25 * 60 * MINUTE, CHITTAGONG).regions24h()).isEqualTo(1);
  }
}
