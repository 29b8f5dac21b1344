package io.vigil.engine.signal.geo;

import static io.vigil.engine.signal.geo.GeoTestData.BTCL;
import static io.vigil.engine.signal.geo.GeoTestData.GOOGLE_DNS;
import static io.vigil.engine.signal.geo.GeoTestData.GOOGLE_DNS_V6;
import static io.vigil.engine.signal.geo.GeoTestData.RIPE_NCC;
import static io.vigil.engine.signal.geo.GeoTestData.RIPE_NCC_V6;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AS lookups in a real GeoLite2-ASN file; expected numbers are the operators' well-known ASNs. */
class AsnDatabaseTest {
  private static AsnDatabase asns;

  @BeforeAll
  static void open() throws Exception {
    asns = AsnDatabase.open(GeoTestData.geoliteAsn());
  }

  @AfterAll
  static void close() {
    if (asns != null) asns.close();
  }

  @Test
  void knownAddressesHaveTheirOperatorsAsn() {
    AsnInfo google = asns.lookup(GOOGLE_DNS);
    assertThat(google.asn()).isEqualTo(15169);
    assertThat(google.organization()).containsIgnoringCase("Google");
    assertThat(asns.lookup(GOOGLE_DNS_V6).asn()).isEqualTo(15169);
    assertThat(asns.lookup("1.1.1.1").asn()).isEqualTo(13335); // Cloudflare
    assertThat(asns.lookup(RIPE_NCC).asn()).isEqualTo(3333);
    assertThat(asns.lookup(RIPE_NCC_V6).asn()).isEqualTo(3333);
    assertThat(asns.lookup(BTCL).asn()).isEqualTo(17494);
    assertThat(asns.lookup("::ffff:8.8.8.8").asn()).isEqualTo(15169);
    assertThat(asns.lookupErrorCount()).isZero();
  }

  @Test
  void privateAddressesAndNonLiteralsAreUnknown() {
    for (String text : new String[] {"10.0.0.1", "192.168.0.1", "::1", null, "", "AS15169", "8.8.8.8%1"}) {
      AsnInfo info = asns.lookup(text);
      assertThat(info).as(String.valueOf(text)).isEqualTo(AsnInfo.UNKNOWN);
      assertThat(info.known()).isFalse();
    }
  }

  @Test
  void describesItsFile() {
    assertThat(asns.databaseType()).isEqualTo("GeoLite2-ASN");
    assertThat(asns.version()).matches("GeoLite2-ASN 2019-07-22 sha256:[0-9a-f]{12}");
    assertThat(asns.coversIpv4()).isTrue();
    assertThat(asns.coversIpv6()).isTrue();
  }
}
