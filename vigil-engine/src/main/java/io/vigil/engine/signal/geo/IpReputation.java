package io.vigil.engine.signal.geo;

import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceLines;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What is known about an IP address's kind of origin, from optional operator-supplied lists:
 * open/public proxies, VPN exits, Tor exits (each a {@link CidrSet} text file) and ASNs of hosting
 * and cloud providers (traffic from a data centre is rarely a person at home).
 *
 * <p>Hosting-ASN file, one AS per line, UTF-8; a name after the number is allowed and ignored, and
 * a {@code #} starts a comment, as in the {@link CidrSet} lists:
 *
 * <pre>
 * # Amazon
 * 16509 AMAZON-02
 * AS14618 AMAZON-AES
 * </pre>
 *
 * <p>Samples of every file, with recommended real sources, are in {@code reference/} of this
 * module's resources ({@code ip-proxy.txt}, {@code ip-vpn.txt}, {@code ip-tor.txt},
 * {@code hosting-asns.txt}). Immutable and thread-safe; replace the whole object to reload.
 */
public final class IpReputation {
  public static final String COMPONENT_PROXY = "ip_proxy";
  public static final String COMPONENT_VPN = "ip_vpn";
  public static final String COMPONENT_TOR = "ip_tor";
  public static final String COMPONENT_HOSTING_ASN = "hosting_asn";
  /** Most ASNs in the hosting list (about 120,000 ASNs are allocated worldwide). */
  public static final int HOSTING_ASNS_MAX = 1_000_000;
  /** Characters of the SHA-256 kept in {@link #version()}. */
  static final int VERSION_HASH_CHARS = 12;
  /** Digits of the largest AS number, 4294967295. */
  private static final int ASN_DIGITS_MAX = 10;

  static {
    assert Long.toString(AsnInfo.ASN_MAX).length() == ASN_DIGITS_MAX;
  }

  private static final IpReputation EMPTY =
      new IpReputation(CidrSet.empty(), CidrSet.empty(), CidrSet.empty(), new long[0], "empty");

  private final CidrSet proxies;
  private final CidrSet vpns;
  private final CidrSet torExits;
  /** Sorted, distinct. */
  private final long[] hostingAsns;
  private final String version;

  private IpReputation(CidrSet proxies, CidrSet vpns, CidrSet torExits, long[] hostingAsns, String version) {
    this.proxies = proxies;
    this.vpns = vpns;
    this.torExits = torExits;
    this.hostingAsns = hostingAsns;
    this.version = version;
  }

  /** No lists: every answer is false. */
  public static IpReputation empty() {
    return EMPTY;
  }

  /**
   * A list's text and how error messages name it (a file's path, or "built-in …"). Closing it
   * closes the reader; a failure to close is ignored, as nothing was written.
   */
  public record ListText(String sourceName, Reader text) implements AutoCloseable {
    public ListText {
      Objects.requireNonNull(sourceName, "sourceName");
      Objects.requireNonNull(text, "text");
    }

    /** A file read as strict UTF-8 and named by its path; the component names the list in errors. */
    public static ListText open(Path file, String component) throws ReferenceDataException {
      return new ListText(file.toString(), ReferenceLines.openUtf8(file, component));
    }

    @Override
    public void close() {
      try {
        text.close();
      } catch (IOException ignored) {
        // Reading is over and nothing was written: a failed close loses nothing.
      }
    }
  }

  /**
   * Loads the list files as strict UTF-8; each path may be null (that list is empty). Any
   * unusable file fails the whole load, naming the file and line.
   */
  public static IpReputation load(Path proxyFile, Path vpnFile, Path torFile, Path hostingAsnFile) throws ReferenceDataException {
    try (ListText proxies = openOrNull(proxyFile, COMPONENT_PROXY); ListText vpns = openOrNull(vpnFile, COMPONENT_VPN);
        ListText torExits = openOrNull(torFile, COMPONENT_TOR); ListText asns = openOrNull(hostingAsnFile, COMPONENT_HOSTING_ASN)) {
      return parse(proxies, vpns, torExits, asns);
    }
  }

  /**
   * Reads the lists; each may be null (that list is empty); the caller closes them. The version
   * hashes the texts exactly as read, so for the same files it equals that of
   * {@link #load(Path, Path, Path, Path)}. Any unusable list fails the whole load, naming its
   * source and line.
   */
  public static IpReputation parse(ListText proxies, ListText vpns, ListText torExits, ListText hostingAsns)
      throws ReferenceDataException {
    MessageDigest digest = MmdbFile.sha256();
    CidrSet proxySet = readSet(COMPONENT_PROXY, proxies, digest);
    CidrSet vpnSet = readSet(COMPONENT_VPN, vpns, digest);
    CidrSet torSet = readSet(COMPONENT_TOR, torExits, digest);
    digest.update(("\n#" + COMPONENT_HOSTING_ASN + "\n").getBytes(StandardCharsets.UTF_8));
    long[] asns = hostingAsns == null ? new long[0] : readAsns(hostingAsns, digest);
    String version = "sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, VERSION_HASH_CHARS);
    return new IpReputation(proxySet, vpnSet, torSet, asns, version);
  }

  private static ListText openOrNull(Path file, String component) throws ReferenceDataException {
    return file == null ? null : ListText.open(file, component);
  }

  /** Each list's section name goes into the digest, so that moving a file to another list changes the version. */
  private static CidrSet readSet(String component, ListText list, MessageDigest digest) throws ReferenceDataException {
    digest.update(("\n#" + component + "\n").getBytes(StandardCharsets.UTF_8));
    if (list == null) return CidrSet.empty();
    return CidrSet.read(CidrSet.lines(component, list.sourceName(), list.text()).digestContentInto(digest));
  }

  private static long[] readAsns(ListText list, MessageDigest digest) throws ReferenceDataException {
    ReferenceLines lines = new ReferenceLines(list.text(), COMPONENT_HOSTING_ASN, list.sourceName(), CidrSet.LINE_CHARS_MAX,
        4L * HOSTING_ASNS_MAX).stripTrailingComments().digestContentInto(digest);
    long[] asns = new long[64];
    int count = 0;
    for (String line = lines.nextDataLine(); line != null; line = lines.nextDataLine()) {
      if (count == HOSTING_ASNS_MAX) throw lines.error("more than " + HOSTING_ASNS_MAX + " ASNs");
      long asn = parseAsn(line);
      if (asn <= 0) throw lines.error("expected an AS number from 1 to " + AsnInfo.ASN_MAX + ", like 16509 or AS16509: '" + line + "'");
      if (count == asns.length) asns = Arrays.copyOf(asns, Math.min(HOSTING_ASNS_MAX, 2 * asns.length));
      asns[count++] = asn;
    }
    long[] sorted = Arrays.copyOf(asns, count);
    Arrays.sort(sorted);
    return distinct(sorted);
  }

  /** The AS number at the start of a line ({@code 16509} or {@code AS16509}, then a name), or -1. */
  static long parseAsn(String line) {
    int start = line.regionMatches(true, 0, "AS", 0, 2) ? 2 : 0;
    int end = start;
    while (end < line.length() && end - start <= ASN_DIGITS_MAX && isAsciiDigit(line.charAt(end))) end++;
    if (end == start || end - start > ASN_DIGITS_MAX) return -1;
    if (end < line.length() && !Character.isWhitespace(line.charAt(end)) && line.charAt(end) != ',') return -1;
    long asn = Long.parseLong(line, start, end, 10);
    return asn >= 1 && asn <= AsnInfo.ASN_MAX ? asn : -1;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static long[] distinct(long[] sorted) {
    int kept = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (kept == 0 || sorted[kept - 1] != sorted[i]) sorted[kept++] = sorted[i];
    }
    return Arrays.copyOf(sorted, kept);
  }

  public boolean isProxy(String canonicalIp) {
    return proxies.contains(canonicalIp);
  }

  public boolean isVpn(String canonicalIp) {
    return vpns.contains(canonicalIp);
  }

  public boolean isTor(String canonicalIp) {
    return torExits.contains(canonicalIp);
  }

  /** True when the AS belongs to a hosting or cloud provider on the list; false for 0 (unknown). */
  public boolean isHostingAsn(long asn) {
    return asn > 0 && Arrays.binarySearch(hostingAsns, asn) >= 0;
  }

  /** A hash of every list's contents ({@code sha256:…}), or {@code empty}. */
  public String version() {
    return version;
  }

  /** Entries per list, for logs and metrics. */
  @Override
  public String toString() {
    return "IpReputation[proxy=" + proxies.size() + ", vpn=" + vpns.size() + ", tor=" + torExits.size()
        + ", hostingAsns=" + hostingAsns.length + ", version=" + version + "]";
  }
}
