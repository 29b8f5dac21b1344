package io.vigil.engine.signal.geo;

import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceLines;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which regions (states, provinces, divisions) of a country border which, to tell a move to the
 * next region from a jump across the country. Loaded from CSV lines {@code country,region,neighbour}
 * (ISO alpha-2 country; region names spelled as the geo database writes them; edges undirected;
 * no quoting, so names cannot hold commas; a {@code #} starts a comment). Names compare case-insensitively, with runs of white
 * space as one space and a trailing administrative word ({@code Division}, {@code Province})
 * ignored, because databases write both "Dhaka" and "Dhaka Division".
 *
 * <p>Hop counts between every pair of regions of a country are computed on load, by breadth-first
 * search with an explicit queue, so {@link #hops} is a table lookup. Immutable and thread-safe.
 */
public final class RegionGraph {
  public static final String COMPONENT = "region_graph";
  /** The sample graph shipped in this module's resources. */
  public static final String BUNDLED_RESOURCE = "/reference/regions.csv";
  /** Most regions of one country (the hop table is this squared, in shorts). */
  public static final int REGIONS_PER_COUNTRY_MAX = 1_000;
  /** Most edge lines in one file. */
  public static final int EDGES_MAX = 100_000;
  /** Longest region name, in characters. */
  public static final int NAME_CHARS_MAX = 100;
  /** Most lines in one file, comments and blank lines included. */
  static final long LINES_MAX = 4L * EDGES_MAX;
  /** Longest line: two names at their limit, a country, a comment; a binary file fails fast. */
  static final int LINE_CHARS_MAX = 1024;

  private static final String[] SUFFIXES_IGNORED = {" division", " province"};
  private static final String HEADER = "country,region,neighbour";
  private static final short UNREACHABLE = -1;

  static {
    assert REGIONS_PER_COUNTRY_MAX < Short.MAX_VALUE : "hop counts are stored as short";
    assert LINE_CHARS_MAX > 2 * NAME_CHARS_MAX + HEADER.length();
  }

  /** Per country: region name key → index, and hops between every pair (UNREACHABLE when none). */
  private record Country(Map<String, Integer> regions, short[] hops) {
    int hops(int from, int to) {
      return hops[from * regions.size() + to];
    }
  }

  private final Map<String, Country> countries;
  private final int edgeCount;
  private final String version;

  private RegionGraph(Map<String, Country> countries, int edgeCount, String version) {
    this.countries = Map.copyOf(countries);
    this.edgeCount = edgeCount;
    this.version = version;
  }

  public static RegionGraph empty() {
    return new RegionGraph(Map.of(), 0, "empty");
  }

  /** The sample graph shipped with Vigil ({@link #BUNDLED_RESOURCE}). */
  public static RegionGraph bundled() throws ReferenceDataException {
    InputStream in = RegionGraph.class.getResourceAsStream(BUNDLED_RESOURCE);
    if (in == null) throw new ReferenceDataException(COMPONENT, "resource " + BUNDLED_RESOURCE + " is missing from the classpath");
    return parse("resource " + BUNDLED_RESOURCE, new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** Reads a CSV file as strict UTF-8. */
  public static RegionGraph load(Path csv) throws ReferenceDataException {
    try (ReferenceLines lines = ReferenceLines.open(csv, COMPONENT, LINE_CHARS_MAX, LINES_MAX).stripTrailingComments()) {
      return read(lines);
    }
  }

  /** Reads CSV text, then closes the reader; source names it in errors. */
  public static RegionGraph parse(String source, Reader text) throws ReferenceDataException {
    try (ReferenceLines lines = new ReferenceLines(text, COMPONENT, source, LINE_CHARS_MAX, LINES_MAX).stripTrailingComments()) {
      return read(lines);
    }
  }

  /**
   * Hops from one region to another of the same country: 0 for the same region, 1 for
   * neighbours, and so on; -1 when a region is null or not in the graph, or the other is more
   * than hopsMax hops away.
   */
  public int hops(String country, String fromRegion, String toRegion, int hopsMax) {
    assert hopsMax >= 0 : hopsMax;
    if (country == null || fromRegion == null || toRegion == null) return -1;
    String fromKey = regionKey(fromRegion);
    String toKey = regionKey(toRegion);
    if (fromKey.isEmpty() || toKey.isEmpty()) return -1;
    if (fromKey.equals(toKey)) return 0;
    Country graph = countries.get(country.toUpperCase(Locale.ROOT));
    if (graph == null) return -1;
    Integer from = graph.regions().get(fromKey);
    Integer to = graph.regions().get(toKey);
    if (from == null || to == null) return -1;
    int hops = graph.hops(from, to);
    return hops == UNREACHABLE || hops > hopsMax ? -1 : hops;
  }

  /** True when the graph has the region (as spelled by the geo database) for that country. */
  public boolean knows(String country, String region) {
    Country graph = country == null || region == null ? null : countries.get(country.toUpperCase(Locale.ROOT));
    return graph != null && graph.regions().containsKey(regionKey(region));
  }

  public int countryCount() {
    return countries.size();
  }

  /** Distinct undirected edges. */
  public int edgeCount() {
    return edgeCount;
  }

  /**
   * A hash of the lines read: {@code sha256:} and the {@link ReferenceLines#version()} digits, as
   * the payment-code registry writes its own; {@code empty} for {@link #empty()}.
   */
  public String version() {
    return version;
  }

  /** The comparison form of a region name. */
  static String regionKey(String region) {
    String key = String.join(" ", region.strip().toLowerCase(Locale.ROOT).split("\\s+"));
    for (String suffix : SUFFIXES_IGNORED) {
      if (key.endsWith(suffix) && key.length() > suffix.length()) return key.substring(0, key.length() - suffix.length());
    }
    return key;
  }

  private static RegionGraph read(ReferenceLines lines) throws ReferenceDataException {
    Map<String, List<String[]>> edgesByCountry = new HashMap<>();
    int edgeLines = 0;
    for (String line = lines.nextDataLine(); line != null; line = lines.nextDataLine()) {
      if (edgeLines == 0 && line.equalsIgnoreCase(HEADER)) continue;
      if (edgeLines == EDGES_MAX) throw lines.error("more than " + EDGES_MAX + " edges");
      String[] edge = parseEdge(lines, line);
      edgesByCountry.computeIfAbsent(edge[0], c -> new ArrayList<>()).add(edge);
      edgeLines++;
    }
    Map<String, Country> countries = new HashMap<>();
    int edgeCount = 0;
    for (Map.Entry<String, List<String[]>> entry : edgesByCountry.entrySet()) {
      Builder builder = new Builder();
      for (String[] edge : entry.getValue()) {
        if (!builder.add(edge[1], edge[2])) {
          throw lines.fileError("country " + entry.getKey() + " has more than " + REGIONS_PER_COUNTRY_MAX + " regions");
        }
      }
      countries.put(entry.getKey(), builder.build());
      edgeCount += builder.edgeCount();
    }
    return new RegionGraph(countries, edgeCount, "sha256:" + lines.version());
  }

  /** {country, regionKey, neighbourKey}, or an error naming the line. */
  private static String[] parseEdge(ReferenceLines lines, String line) throws ReferenceDataException {
    String[] fields = line.split(",", -1);
    if (fields.length != 3) throw lines.error("expected country,region,neighbour: '" + line + "'");
    String country = fields[0].strip().toUpperCase(Locale.ROOT);
    if (!GeoLocation.isCountryCode(country)) throw lines.error("country must be an ISO 3166-1 alpha-2 code: '" + fields[0] + "'");
    String region = regionKey(fields[1]);
    String neighbour = regionKey(fields[2]);
    if (region.isEmpty() || neighbour.isEmpty()) throw lines.error("region and neighbour must not be empty: '" + line + "'");
    if (fields[1].length() > NAME_CHARS_MAX || fields[2].length() > NAME_CHARS_MAX) {
      throw lines.error("a region name is longer than " + NAME_CHARS_MAX + " characters");
    }
    if (region.equals(neighbour)) throw lines.error("a region cannot be its own neighbour: '" + line + "'");
    return new String[] {country, region, neighbour};
  }

  /** One country's regions and edges, then its all-pairs hop table. */
  private static final class Builder {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<List<Integer>> adjacent = new ArrayList<>();
    private int edgeCount;

    /** False when the country would exceed REGIONS_PER_COUNTRY_MAX regions. */
    boolean add(String region, String neighbour) {
      int a = id(region);
      int b = id(neighbour);
      if (a < 0 || b < 0) return false;
      if (!adjacent.get(a).contains(b)) {
        adjacent.get(a).add(b);
        adjacent.get(b).add(a);
        edgeCount++;
      }
      return true;
    }

    int edgeCount() {
      return edgeCount;
    }

    private int id(String key) {
      Integer id = ids.get(key);
      if (id != null) return id;
      if (ids.size() == REGIONS_PER_COUNTRY_MAX) return -1;
      ids.put(key, ids.size());
      adjacent.add(new ArrayList<>());
      return ids.size() - 1;
    }

    Country build() {
      int n = ids.size();
      short[] hops = new short[n * n];
      Arrays.fill(hops, UNREACHABLE);
      int[] queue = new int[n];
      for (int source = 0; source < n; source++) breadthFirst(source, hops, queue);
      return new Country(Map.copyOf(ids), hops);
    }

    /** Fills row source of the hop table; each region enters the queue at most once. */
    private void breadthFirst(int source, short[] hops, int[] queue) {
      int n = ids.size();
      int head = 0;
      int tail = 0;
      hops[source * n + source] = 0;
      queue[tail++] = source;
      while (head < tail) {
        int region = queue[head++];
        short next = (short) (hops[source * n + region] + 1);
        for (int neighbour : adjacent.get(region)) {
          if (hops[source * n + neighbour] != UNREACHABLE) continue;
          hops[source * n + neighbour] = next;
          assert tail < n : "a region entered the queue twice";
          queue[tail++] = neighbour;
        }
      }
      assert tail <= n;
    }
  }
}
