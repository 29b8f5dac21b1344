package io.vigil.engine.signal.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeoMathTest {
  @Test
  void dhakaToChattogramIsAbout215Km() {
    double km = GeoMath.distanceKm(23.8103, 90.4125, 22.3569, 91.7832);
    assertThat(km).isBetween(200.0, 250.0);
    assertThat(GeoMath.distanceKm(22.3569, 91.7832, 23.8103, 90.4125)).isEqualTo(km);
  }

  @Test
  void londonToParisIsAbout344Km() {
    assertThat(GeoMath.distanceKm(51.5074, -0.1278, 48.8566, 2.3522)).isCloseTo(343.5, within(5.0));
  }

  @Test
  void samePointIsZeroAndAntipodesAreHalfTheCircumference() {
    assertThat(GeoMath.distanceKm(23.8, 90.4, 23.8, 90.4)).isZero();
    assertThat(GeoMath.distanceKm(0, 0, 0, 180)).isCloseTo(Math.PI * GeoMath.EARTH_RADIUS_KM, within(1e-6));
    assertThat(GeoMath.distanceKm(90, 0, -90, 0)).isCloseTo(Math.PI * GeoMath.EARTH_RADIUS_KM, within(1e-6));
  }

  @Test
  void crossingTheAntimeridianTakesTheShortWay() {
    assertThat(GeoMath.distanceKm(0, 179.5, 0, -179.5)).isCloseTo(111.2, within(0.5));
  }

  @Test
  void anUnknownCoordinateGivesNaN() {
    assertThat(GeoMath.distanceKm(Double.NaN, 90, 23, 90)).isNaN();
    GeoLocation unknown = GeoLocation.UNKNOWN;
    assertThat(GeoMath.distanceKm(unknown.latitudeDeg(), unknown.longitudeDeg(), 23, 90)).isNaN();
  }
}
