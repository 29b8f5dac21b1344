package io.vigil.engine.signal;

import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.signal.card.BinTable;
import io.vigil.engine.signal.code.PaymentCodes;
import io.vigil.engine.signal.geo.AsnDatabase;
import io.vigil.engine.signal.geo.GeoDatabase;
import io.vigil.engine.signal.geo.IpReputation;
import io.vigil.engine.signal.geo.RegionGraph;
import io.vigil.engine.signal.identity.EmailDomains;
import io.vigil.engine.signal.identity.NationalIdValidators;
import io.vigil.engine.signal.phone.OperatorPrefixTable;
import io.vigil.engine.signal.phone.PhoneSignals;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ReferenceData} set from a directory, by file name. A text file that is absent
 * falls back to the sample built into Vigil ({@code src/main/resources/reference/}; for the exchange
 * rates, a dated, illustrative sample to USD), except the
 * proxy, VPN and Tor lists, which are then empty; an absent geo or ASN database, or payment-code
 * registry, is "not configured". Nothing is half-loaded: the set is returned whole or a
 * {@link ReferenceDataException} names the broken file.
 */
public final class ReferenceDataLoader {
  public static final String GEO_CITY_FILE = "geo-city.mmdb";
  /** DB-IP City Lite as ip-location-db packages it: one file per address family. */
  public static final String GEO_CITY_IPV4_FILE = "geo-city-ipv4.mmdb";
  public static final String GEO_CITY_IPV6_FILE = "geo-city-ipv6.mmdb";
  public static final String GEO_COUNTRY_FILE = "geo-country.mmdb";
  public static final String ASN_FILE = "asn.mmdb";
  public static final String PROXY_FILE = "ip-proxy.txt";
  public static final String VPN_FILE = "ip-vpn.txt";
  public static final String TOR_FILE = "ip-tor.txt";
  public static final String HOSTING_ASN_FILE = "hosting-asns.txt";
  public static final String REGIONS_FILE = "regions.csv";
  public static final String PHONE_OPERATORS_FILE = "phone-operators.csv";
  public static final String BINS_FILE = "bins.csv";
  public static final String DISPOSABLE_EMAIL_FILE = "disposable-email-domains.txt";
  public static final String FREE_EMAIL_FILE = "free-email-domains.txt";
  public static final String PAYMENT_CODES_FILE = "payment-codes.csv";
  public static final String EXCHANGE_RATES_FILE = "exchange-rates.csv";
  /** Built-in samples, by the file name that overrides them. */
  private static final Map<String, String> BUILT_IN = Map.of(
      PHONE_OPERATORS_FILE, "phone-operators.csv", BINS_FILE, "bins-sample.csv",
      DISPOSABLE_EMAIL_FILE, "disposable-email-domains.txt", FREE_EMAIL_FILE, "free-email-domains.txt",
      HOSTING_ASN_FILE, "hosting-asns.txt", EXCHANGE_RATES_FILE, "exchange-rates-sample.csv");
  private static final int PHONE_CACHE_ENTRIES_DEFAULT = 100_000;

  private ReferenceDataLoader() {}

  /** The built-in samples only, as version 0: what an engine uses before any directory is loaded. */
  public static ReferenceData builtIn() {
    try {
      return load(null, 0, PHONE_CACHE_ENTRIES_DEFAULT);
    } catch (ReferenceDataException e) {
      throw new AssertionError("a built-in reference sample is broken: " + e.getMessage(), e);
    }
  }

  public static ReferenceData withVersion(ReferenceData d, long version) {
    return new ReferenceData(version, d.components(), d.geo(), d.asn(), d.reputation(), d.regions(), d.phones(), d.bins(),
        d.emails(), d.nationalIds(), d.paymentCodes(), d.rates());
  }

  /** @param dir the reference directory, or null for built-in samples only */
  public static ReferenceData load(Path dir, long version, int phoneCacheEntriesMax) throws ReferenceDataException {
    Map<String, String> components = new LinkedHashMap<>();
    List<Path> geoFiles = geoFiles(dir);
    GeoDatabase geo = geoFiles.isEmpty() ? null : GeoDatabase.open(geoFiles);
    components.put("geo", geo == null ? ReferenceData.NOT_CONFIGURED : geo.version());
    Path asnPath = file(dir, ASN_FILE);
    AsnDatabase asn = asnPath == null ? null : AsnDatabase.open(asnPath);
    components.put("asn", asn == null ? ReferenceData.NOT_CONFIGURED : asn.version());

    IpReputation reputation = loadReputation(dir);
    components.put("ip_reputation", origin(dir, HOSTING_ASN_FILE) + reputation.version());
    Path regionsPath = file(dir, REGIONS_FILE);
    RegionGraph regions = regionsPath != null ? RegionGraph.load(regionsPath) : RegionGraph.bundled();
    components.put("regions", origin(dir, REGIONS_FILE) + regions.version());
    OperatorPrefixTable operators = readText(dir, PHONE_OPERATORS_FILE, "phone_operators", OperatorPrefixTable::load);
    components.put("phone_operators", origin(dir, PHONE_OPERATORS_FILE) + operators.version());
    BinTable bins = readText(dir, BINS_FILE, "bin_table", BinTable::load);
    components.put("bin_table", origin(dir, BINS_FILE) + bins.version());
    EmailDomains emails;
    try (Reader d = open(dir, DISPOSABLE_EMAIL_FILE); Reader f = open(dir, FREE_EMAIL_FILE)) {
      emails = EmailDomains.load(d, name(dir, DISPOSABLE_EMAIL_FILE), f, name(dir, FREE_EMAIL_FILE));
    } catch (IOException e) {
      throw new ReferenceDataException("email_domains", "cannot read an e-mail domain list: " + e.getMessage(), e);
    }
    components.put("email_domains", origin(dir, DISPOSABLE_EMAIL_FILE, FREE_EMAIL_FILE) + emails.version());
    Path codesPath = file(dir, PAYMENT_CODES_FILE);
    PaymentCodes codes = codesPath == null ? PaymentCodes.empty()
        : readText(dir, PAYMENT_CODES_FILE, PaymentCodes.COMPONENT, PaymentCodes::load);
    components.put(PaymentCodes.COMPONENT, codesPath == null ? ReferenceData.NOT_CONFIGURED : codes.version());
    ExchangeRates rates = readText(dir, EXCHANGE_RATES_FILE, ExchangeRates.COMPONENT, ExchangeRates::load);
    components.put(ExchangeRates.COMPONENT, origin(dir, EXCHANGE_RATES_FILE) + rates.version());
    return new ReferenceData(version, components, geo, asn, reputation, regions,
        new PhoneSignals(operators, phoneCacheEntriesMax), bins, emails, NationalIdValidators.defaults(), codes, rates);
  }

  /**
   * The city files present (geo-city.mmdb, or one file per address family, or geo-city.mmdb plus
   * geo-city-ipv6.mmdb); else geo-country.mmdb; else none.
   */
  private static List<Path> geoFiles(Path dir) throws ReferenceDataException {
    List<Path> city = new ArrayList<>();
    for (String name : List.of(GEO_CITY_FILE, GEO_CITY_IPV4_FILE, GEO_CITY_IPV6_FILE)) {
      Path p = file(dir, name);
      if (p != null) city.add(p);
    }
    if (file(dir, GEO_CITY_FILE) != null && file(dir, GEO_CITY_IPV4_FILE) != null) {
      throw new ReferenceDataException(GeoDatabase.COMPONENT, dir + ": " + GEO_CITY_FILE + " and " + GEO_CITY_IPV4_FILE
          + " both exist; keep one of them (with " + GEO_CITY_IPV6_FILE + " for IPv6)");
    }
    if (!city.isEmpty()) return city;
    Path country = file(dir, GEO_COUNTRY_FILE);
    return country == null ? List.of() : List.of(country);
  }

  /**
   * The hosting-ASN list falls back to its built-in sample of well-known cloud networks. The
   * proxy, VPN and Tor lists stay empty when absent: their samples hold documentation ranges only.
   */
  private static IpReputation loadReputation(Path dir) throws ReferenceDataException {
    try (IpReputation.ListText proxies = listIfPresent(dir, PROXY_FILE, IpReputation.COMPONENT_PROXY);
        IpReputation.ListText vpns = listIfPresent(dir, VPN_FILE, IpReputation.COMPONENT_VPN);
        IpReputation.ListText torExits = listIfPresent(dir, TOR_FILE, IpReputation.COMPONENT_TOR);
        IpReputation.ListText hostingAsns = hostingAsnList(dir)) {
      return IpReputation.parse(proxies, vpns, torExits, hostingAsns);
    }
  }

  private static IpReputation.ListText listIfPresent(Path dir, String name, String component) throws ReferenceDataException {
    Path p = file(dir, name);
    return p == null ? null : IpReputation.ListText.open(p, component);
  }

  private static IpReputation.ListText hostingAsnList(Path dir) throws ReferenceDataException {
    IpReputation.ListText file = listIfPresent(dir, HOSTING_ASN_FILE, IpReputation.COMPONENT_HOSTING_ASN);
    if (file != null) return file;
    try {
      return new IpReputation.ListText(name(dir, HOSTING_ASN_FILE), open(dir, HOSTING_ASN_FILE));
    } catch (IOException e) {
      throw new ReferenceDataException(IpReputation.COMPONENT_HOSTING_ASN, "cannot read " + name(dir, HOSTING_ASN_FILE) + ": " + e.getMessage(), e);
    }
  }

  /** A parser of one text file. */
  private interface TextParser<T> {
    T parse(Reader reader, String sourceName) throws ReferenceDataException;
  }

  private static <T> T readText(Path dir, String name, String component, TextParser<T> parser) throws ReferenceDataException {
    try (Reader r = open(dir, name)) {
      return parser.parse(r, name(dir, name));
    } catch (IOException e) {
      throw new ReferenceDataException(component, "cannot read " + name(dir, name) + ": " + e.getMessage(), e);
    }
  }

  private static Path file(Path dir, String name) {
    if (dir == null) return null;
    Path p = dir.resolve(name);
    return Files.isRegularFile(p) ? p : null;
  }

  private static Reader open(Path dir, String name) throws IOException {
    Path p = file(dir, name);
    if (p != null) return Files.newBufferedReader(p, StandardCharsets.UTF_8);
    InputStream in = ReferenceDataLoader.class.getResourceAsStream("/reference/" + BUILT_IN.get(name));
    if (in == null) throw new IOException("the built-in sample " + BUILT_IN.get(name) + " is missing from the build");
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  private static String name(Path dir, String name) {
    Path p = file(dir, name);
    return p != null ? p.toString() : "built-in " + BUILT_IN.get(name);
  }

  /** "built-in " when every one of the files comes from the samples. */
  private static String origin(Path dir, String... names) {
    for (String n : names) if (file(dir, n) != null) return "";
    return "built-in ";
  }
}
