package io.vigil.engine.signal.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeoLocationTest {
  @Test
  void unknownKnowsNothing() {
    assertThat(GeoLocation.UNKNOWN.known()).isFalse();
    assertThat(GeoLocation.UNKNOWN.hasCoordinates()).isFalse();
    assertThat(AsnInfo.UNKNOWN.known()).isFalse();
    assertThat(AsnInfo.UNKNOWN.asn()).isZero();
  }

  @Test
  void recordsRefuseValuesOutOfTheirDomain() {
    assertThatThrownBy(() -> new GeoLocation("bd", null, null, Double.NaN, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GeoLocation("BGD", null, null, Double.NaN, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GeoLocation("BD", null, null, 91.0, 90.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GeoLocation("BD", null, null, 23.0, 181.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AsnInfo(-1, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AsnInfo(AsnInfo.ASN_MAX + 1, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rawDatabaseFieldsAreNormalized() {
    GeoLocation flat = GeoRecords.toLocation("bd", "", " Dhaka ", 23.7f, 90.4f);
    assertThat(flat.country()).isEqualTo("BD");
    assertThat(flat.region()).isNull();
    assertThat(flat.city()).isEqualTo("Dhaka");
    assertThat(flat.latitudeDeg()).isCloseTo(23.7, org.assertj.core.api.Assertions.within(1e-5));
    assertThat(GeoRecords.toLocation("ZZ", "x", "y", 1.0, 1.0)).isEqualTo(GeoLocation.UNKNOWN);
    assertThat(GeoRecords.toLocation("", "x", "y", 1.0, 1.0)).isEqualTo(GeoLocation.UNKNOWN);
    assertThat(GeoRecords.toLocation("BD", null, null, 95.0, 90.0).hasCoordinates()).isFalse();
    assertThat(GeoRecords.toLocation("BD", null, null, null, 90.0).hasCoordinates()).isFalse();
  }
}
