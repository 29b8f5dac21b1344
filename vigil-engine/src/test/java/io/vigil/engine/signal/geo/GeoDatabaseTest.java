package io.vigil.engine.signal.geo;

import static io.vigil.engine.signal.geo.GeoTestData.BD_DIVISIONS;
import static io.vigil.engine.signal.geo.GeoTestData.BTCL;
import static io.vigil.engine.signal.geo.GeoTestData.GOOGLE_DNS;
import static io.vigil.engine.signal.geo.GeoTestData.GOOGLE_DNS_V6;
import static io.vigil.engine.signal.geo.GeoTestData.GOOGLE_FRANKFURT_V6;
import static io.vigil.engine.signal.geo.GeoTestData.RIPE_NCC;
import static io.vigil.engine.signal.geo.GeoTestData.RIPE_NCC_V6;
import static org.assertj.core.api.Assertions.assertThat;

import com.maxmind.db.Reader;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lookups in real MMDB files; expected countries come from who runs the address, not from the files. */
class GeoDatabaseTest {
  /** Bangladesh's bounding box, generously rounded. */
  private static final double BD_LAT_MIN = 20.5;
  private static final double BD_LAT_MAX = 26.7;
  private static final double BD_LON_MIN = 88.0;
  private static final double BD_LON_MAX = 92.7;

  private static GeoDatabase dbipCityIpv4;
  private static GeoDatabase dbipCity;
  private static GeoDatabase countryAll;
  private static GeoDatabase countryIpv4;
  private static GeoDatabase geoliteCity;

  @BeforeAll
  static void open() throws Exception {
    dbipCityIpv4 = GeoDatabase.open(GeoTestData.dbipCityIpv4());
    dbipCity = GeoDatabase.open(List.of(GeoTestData.dbipCityIpv4(), GeoTestData.dbipCityIpv6()));
    countryAll = GeoDatabase.open(GeoTestData.countryAll());
    countryIpv4 = GeoDatabase.open(GeoTestData.countryIpv4());
    geoliteCity = GeoDatabase.open(GeoTestData.geoliteCity());
  }

  @AfterAll
  static void close() {
    for (GeoDatabase db : new GeoDatabase[] {dbipCityIpv4, dbipCity, countryAll, countryIpv4, geoliteCity}) {
      if (db != null) db.close();
    }
  }

  @Test
  void flatCityFileLocatesKnownIpv4Addresses() {
    assertThat(dbipCityIpv4.locate(GOOGLE_DNS).country()).isEqualTo("US");
    assertThat(dbipCityIpv4.locate(RIPE_NCC).country()).isEqualTo("NL");
    GeoLocation btcl = dbipCityIpv4.locate(BTCL);
    assertThat(btcl.country()).isEqualTo("BD");
    assertThat(btcl.region()).isIn(BD_DIVISIONS);
    assertThat(btcl.city()).isNotBlank();
    assertInBangladesh(btcl);
    GeoLocation again = dbipCityIpv4.locate(BTCL); // the second miss puts it in the recent-answers cache
    assertThat(again).isEqualTo(btcl);
    assertThat(dbipCityIpv4.locate(BTCL)).isSameAs(again);
    assertThat(dbipCityIpv4.lookupErrorCount()).isZero();
  }

  @Test
  void flatCityFileGivesRegionCityAndCoordinatesOfTheNetherlands() {
    GeoLocation ripe = dbipCityIpv4.locate(RIPE_NCC);
    assertThat(ripe.region()).isEqualTo("North Holland");
    assertThat(ripe.city()).startsWith("Amsterdam");
    assertThat(ripe.latitudeDeg()).isBetween(52.2, 52.5);
    assertThat(ripe.longitudeDeg()).isBetween(4.7, 5.1);
  }

  @Test
  void ipv6InAnIpv4OnlyFileIsUnknownNeverAWrongCountry() throws Exception {
    assertThat(dbipCityIpv4.coversIpv4()).isTrue();
    assertThat(dbipCityIpv4.coversIpv6()).isFalse();
    // MaxMind's reader answers such a lookup from the IPv4 tree, walked with the IPv6 address's
    // first bits: a record comes back (for this Frankfurt address, a Chinese one). Hence the guard.
    try (Reader raw = new Reader(GeoTestData.dbipCityIpv4().toFile())) {
      assertThat(raw.getMetadata().getIpVersion()).isEqualTo(4);
      Map<?, ?> wrong = raw.get(InetAddress.getByName(GOOGLE_FRANKFURT_V6), Map.class);
      assertThat(wrong).isNotNull();
      assertThat(wrong.get("country_code")).isNotEqualTo("DE");
    }
    String[] ipv6Forms = {
        GOOGLE_FRANKFURT_V6, GOOGLE_DNS_V6, RIPE_NCC_V6,
        "::8.8.8.8", // IPv4-compatible (deprecated): an IPv6 address
        "2002:808:808::1", // 6to4 of 8.8.8.8
        "2001:0:808:808::1", // Teredo
        "64:ff9b::808:808", // NAT64 of 8.8.8.8
        "::1", "fe80::1", "::"};
    for (int pass = 1; pass <= 3; pass++) { // the third pass is answered from the recent-answers cache
      for (String ip : ipv6Forms) {
        assertThat(dbipCityIpv4.locate(ip)).as("%s pass %d", ip, pass).isEqualTo(GeoLocation.UNKNOWN);
        assertThat(countryIpv4.locate(ip)).as("%s pass %d", ip, pass).isEqualTo(GeoLocation.UNKNOWN);
      }
    }
  }

  @Test
  void ipv4MappedLiteralIsTheIpv4Address() {
    assertThat(dbipCityIpv4.locate("::ffff:8.8.8.8").country()).isEqualTo("US");
    assertThat(dbipCityIpv4.locate("::ffff:808:808").country()).isEqualTo("US");
    assertThat(countryIpv4.locate("::ffff:193.0.6.139").country()).isEqualTo("NL");
  }

  @Test
  void splitFilesAnswerEachFamilyFromItsOwnFile() {
    assertThat(dbipCity.coversIpv4()).isTrue();
    assertThat(dbipCity.coversIpv6()).isTrue();
    assertThat(dbipCity.locate(GOOGLE_DNS).country()).isEqualTo("US");
    assertThat(dbipCity.locate(BTCL).country()).isEqualTo("BD");
    GeoLocation frankfurt = dbipCity.locate(GOOGLE_FRANKFURT_V6);
    assertThat(frankfurt.country()).isEqualTo("DE");
    assertThat(frankfurt.region()).isEqualTo("Hesse");
    assertThat(frankfurt.city()).contains("Frankfurt");
    assertThat(frankfurt.hasCoordinates()).isTrue();
    assertThat(dbipCity.locate(RIPE_NCC_V6).country()).isEqualTo("NL");
    assertThat(dbipCity.version()).contains(" + ");
  }

  @Test
  void ipv6OnlyFileDoesNotClaimIpv4() throws Exception {
    try (GeoDatabase ipv6Only = GeoDatabase.open(GeoTestData.countryIpv6())) {
      assertThat(ipv6Only.coversIpv4()).isFalse();
      assertThat(ipv6Only.coversIpv6()).isTrue();
      assertThat(ipv6Only.locate(GOOGLE_DNS)).isEqualTo(GeoLocation.UNKNOWN);
      assertThat(ipv6Only.locate(GOOGLE_DNS_V6).country()).isEqualTo("US");
    }
  }

  @Test
  void countryOnlyFileGivesCountriesForBothFamilies() {
    assertThat(countryAll.coversIpv4()).isTrue();
    assertThat(countryAll.coversIpv6()).isTrue();
    assertThat(countryAll.locate(GOOGLE_DNS).country()).isEqualTo("US");
    assertThat(countryAll.locate(GOOGLE_DNS_V6).country()).isEqualTo("US");
    assertThat(countryAll.locate(RIPE_NCC).country()).isEqualTo("NL");
    assertThat(countryAll.locate(RIPE_NCC_V6).country()).isEqualTo("NL");
    GeoLocation btcl = countryAll.locate(BTCL);
    assertThat(btcl.country()).isEqualTo("BD");
    assertThat(btcl.region()).isNull();
    assertThat(btcl.city()).isNull();
    assertThat(btcl.hasCoordinates()).isFalse();
  }

  @Test
  void nestedSchemaFileGivesCountryRegionCityAndCoordinates() {
    assertThat(geoliteCity.databaseType()).isEqualTo("GeoLite2-City");
    assertThat(geoliteCity.locate(GOOGLE_DNS).country()).isEqualTo("US");
    assertThat(geoliteCity.locate(GOOGLE_DNS_V6).country()).isEqualTo("US");
    assertThat(geoliteCity.locate(RIPE_NCC).country()).isEqualTo("NL");
    // ETH Zurich (129.132.0.0/16) and the University of Oxford (163.1.0.0/16).
    GeoLocation eth = geoliteCity.locate("129.132.0.1");
    assertThat(eth.country()).isEqualTo("CH");
    assertThat(eth.region()).isEqualTo("Zurich");
    assertThat(eth.city()).isEqualTo("Zurich");
    assertThat(GeoMath.distanceKm(eth.latitudeDeg(), eth.longitudeDeg(), 47.3769, 8.5417)).isLessThan(25.0);
    GeoLocation oxford = geoliteCity.locate("163.1.0.1");
    assertThat(oxford.country()).isEqualTo("GB");
    assertThat(oxford.region()).isEqualTo("England");
    assertThat(oxford.city()).isEqualTo("Oxford");
    // This 2019 file knows BTCL's country and a point, but no division or city.
    GeoLocation btcl = geoliteCity.locate(BTCL);
    assertThat(btcl.country()).isEqualTo("BD");
    assertInBangladesh(btcl);
  }

  @Test
  void privateAndSpecialAddressesAreUnknown() {
    for (String ip : new String[] {"10.0.0.1", "192.168.1.1", "127.0.0.1", "0.0.0.0", "fc00::1"}) {
      assertThat(dbipCity.locate(ip)).as(ip).isEqualTo(GeoLocation.UNKNOWN);
      assertThat(geoliteCity.locate(ip)).as(ip).isEqualTo(GeoLocation.UNKNOWN);
    }
  }

  @Test
  void textThatIsNotAnIpLiteralIsUnknownAndNeverThrows() {
    String[] notLiterals = {null, "", "not-an-ip", "example.com", "8.8.8", "8.8.8.256", "fe80::1%eth0", "8.8.8.8/24", " 8.8.8.8"};
    for (String text : notLiterals) {
      assertThat(geoliteCity.locate(text)).as(String.valueOf(text)).isEqualTo(GeoLocation.UNKNOWN);
    }
  }

  @Test
  void versionNamesTypeBuildDateAndHash() {
    assertThat(geoliteCity.version()).matches("GeoLite2-City 2019-07-23 sha256:[0-9a-f]{12}");
    assertThat(countryAll.databaseType()).isNotBlank();
    assertThat(countryAll.version()).startsWith(countryAll.databaseType() + " 2026-");
  }

  private static void assertInBangladesh(GeoLocation location) {
    assertThat(location.hasCoordinates()).isTrue();
    assertThat(location.latitudeDeg()).isBetween(BD_LAT_MIN, BD_LAT_MAX);
    assertThat(location.longitudeDeg()).isBetween(BD_LON_MIN, BD_LON_MAX);
  }
}
