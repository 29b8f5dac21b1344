package io.vigil.engine.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A reference directory holding the real MMDB files that Maven fetched for the tests (DB-IP City
 * Lite per address family, GeoLite2-ASN of 2019), linked under the names the loader looks for.
 */
public final class TestReference {
  /** BTCL, Bangladesh's state telecom operator, AS17494. */
  public static final String BTCL_IP = "203.112.192.1";
  /** Google Public DNS, United States, AS15169. */
  public static final String GOOGLE_DNS = "8.8.8.8";
  /** www.ripe.net, RIPE NCC in Amsterdam, AS3333. (Anycast addresses such as Google's DNS have no one true country.) */
  public static final String RIPE_NCC_V6 = "2001:67c:2e8::1";

  private TestReference() {}

  public static Path directory(Path parent) throws IOException {
    Path dir = Files.createDirectories(parent.resolve("reference"));
    link(dir, ReferenceDataLoader.GEO_CITY_IPV4_FILE, "dbipCityIpv4");
    link(dir, ReferenceDataLoader.GEO_CITY_IPV6_FILE, "dbipCityIpv6");
    link(dir, ReferenceDataLoader.ASN_FILE, "geoliteAsn");
    return dir;
  }

  private static void link(Path dir, String name, String key) throws IOException {
    String value = System.getProperty("vigil.test.mmdb." + key);
    assertThat(value).as("system property vigil.test.mmdb.%s: run the tests through Maven, which fetches the files", key)
        .isNotNull();
    Files.createSymbolicLink(dir.resolve(name), Path.of(value).toAbsolutePath());
  }
}
