package io.vigil.engine.signal.geo;

import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceLines;
import java.io.Reader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An immutable set of IPv4 and IPv6 addresses and CIDR networks with a fast membership test: per
 * address family, networks are grouped by prefix length and each group is a hash set, so
 * {@link #contains} costs one hash probe per distinct prefix length, never a scan of the entries.
 *
 * <p>Text form, one entry per line, UTF-8:
 *
 * <pre>
 * # comment; a '#' anywhere starts a comment, blank lines are skipped
 * 203.0.113.7          an IPv4 address
 * 198.51.100.0/24      an IPv4 network
 * 2001:db8::/32        an IPv6 network
 * 2001:db8:0:1::5      an IPv6 address
 * </pre>
 *
 * A network must have its host bits clear ({@code 198.51.100.7/24} is refused: it is usually a
 * typo for a /32). An IPv4-mapped IPv6 entry ({@code ::ffff:192.0.2.0/120}) is the IPv4 network.
 * Any other line is an error that names the source and the line number.
 */
public final class CidrSet {
  /** Most entries in one set; full, its tables take about 130 MB (all IPv4) to 280 MB (all IPv6). */
  public static final int ENTRIES_MAX = 5_000_000;
  /** Most lines in one file, comments and blank lines included. */
  public static final long LINES_MAX = 4L * ENTRIES_MAX;
  /**
   * Longest line of a list, in characters: an address, a name and a comment fit easily; a binary
   * or a dump given by mistake fails fast instead of filling memory.
   */
  static final int LINE_CHARS_MAX = 1024;

  private static final CidrSet EMPTY = new Builder().build();

  private final PrefixTable ipv4;
  private final PrefixTable ipv6;

  private CidrSet(PrefixTable ipv4, PrefixTable ipv6) {
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
  }

  public static CidrSet empty() {
    return EMPTY;
  }

  /**
   * Reads a list file (format above) as strict UTF-8; the component names the list in errors,
   * e.g. {@code ip_tor}.
   */
  public static CidrSet load(String component, Path file) throws ReferenceDataException {
    try (ReferenceLines lines = ReferenceLines.open(file, component, LINE_CHARS_MAX, LINES_MAX).stripTrailingComments()) {
      return read(lines);
    }
  }

  /** Reads the text form from a reader, then closes it; source names the text in errors. */
  public static CidrSet parse(String component, String source, Reader text) throws ReferenceDataException {
    try (ReferenceLines lines = lines(component, source, text)) {
      return read(lines);
    }
  }

  /** The lines a list is read from, with its limits and comment rule; the caller closes the reader. */
  static ReferenceLines lines(String component, String source, Reader text) {
    return new ReferenceLines(text, component, source, LINE_CHARS_MAX, LINES_MAX).stripTrailingComments();
  }

  /** Reads every line; lines come from {@link #lines} or are set up the same way. */
  static CidrSet read(ReferenceLines lines) throws ReferenceDataException {
    Builder builder = new Builder();
    for (String entry = lines.nextDataLine(); entry != null; entry = lines.nextDataLine()) {
      if (builder.count() == ENTRIES_MAX) throw lines.error("more than " + ENTRIES_MAX + " entries");
      String problem = builder.add(entry);
      if (problem != null) throw lines.error(problem + ": '" + entry + "'");
    }
    return builder.build();
  }

  /** True when the IP literal is in the set; false for anything that is not an IP literal. */
  public boolean contains(String canonicalIp) {
    InetAddress address = IpLiteral.parse(canonicalIp);
    return address != null && contains(address);
  }

  /** True when the address is in the set. */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) return ipv4.contains(0, bits(bytes, 0, 4));
    assert bytes.length == 16 : bytes.length;
    return ipv6.contains(bits(bytes, 0, 8), bits(bytes, 8, 8));
  }

  /** Distinct entries held. */
  public int size() {
    return ipv4.size() + ipv6.size();
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public String toString() {
    return "CidrSet[ipv4=" + ipv4.size() + " lengths " + Arrays.toString(ipv4.lengths())
        + ", ipv6=" + ipv6.size() + " lengths " + Arrays.toString(ipv6.lengths()) + "]";
  }

  /** Big-endian bytes [from, from + count) as the low bits of a long. */
  private static long bits(byte[] bytes, int from, int count) {
    assert count <= 8 && from + count <= bytes.length;
    long value = 0;
    for (int i = from; i < from + count; i++) value = value << 8 | (bytes[i] & 0xFF);
    return value;
  }

  /** Collects entries of both families into growing arrays, then builds the tables. */
  static final class Builder {
    private final Family ipv4 = new Family(32);
    private final Family ipv6 = new Family(128);

    int count() {
      return ipv4.count + ipv6.count;
    }

    /** Adds an address or network; returns what is wrong with it, or null when it was added. */
    String add(String entry) {
      int slash = entry.indexOf('/');
      String literal = slash < 0 ? entry : entry.substring(0, slash);
      InetAddress address = IpLiteral.parse(literal);
      if (address == null) return "not an IPv4 or IPv6 address";
      boolean ipv4Family = address instanceof Inet4Address;
      boolean written6 = literal.indexOf(':') >= 0;
      int lengthMax = written6 ? 128 : 32;
      int length = lengthMax;
      if (slash >= 0) {
        length = prefixLength(entry.substring(slash + 1), lengthMax);
        if (length < 0) return "prefix length must be a number from 0 to " + lengthMax;
      }
      if (ipv4Family && written6) {
        if (length < 96) return "an IPv4-mapped network needs a prefix length of at least 96";
        length -= 96;
      }
      byte[] bytes = address.getAddress();
      Family family = ipv4Family ? ipv4 : ipv6;
      long hi = ipv4Family ? 0 : bits(bytes, 0, 8);
      long lo = ipv4Family ? bits(bytes, 0, 4) : bits(bytes, 8, 8);
      long maskHi = ipv4Family ? 0 : PrefixTable.highMask(length);
      long maskLo = ipv4Family ? PrefixTable.ipv4Mask(length) : PrefixTable.lowMask(length);
      if ((hi & ~maskHi) != 0 || (lo & ~maskLo) != 0) return "host bits are set after the /" + length + " prefix";
      family.add(hi, lo, length);
      return null;
    }

    CidrSet build() {
      return new CidrSet(ipv4.table(), ipv6.table());
    }

    /** Digits only, no sign, no leading '+': 0 to lengthMax, else -1. */
    private static int prefixLength(String text, int lengthMax) {
      if (text.isEmpty() || text.length() > 3) return -1;
      int value = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0');
      }
      return value <= lengthMax ? value : -1;
    }
  }

  /** Growing parallel arrays of one family's networks. */
  private static final class Family {
    final int bits;
    long[] hi = new long[16];
    long[] lo = new long[16];
    int[] lengths = new int[16];
    int count;

    Family(int bits) {
      this.bits = bits;
    }

    void add(long networkHi, long networkLo, int length) {
      assert count < ENTRIES_MAX;
      if (count == lo.length) {
        int capacity = (int) Math.min((long) ENTRIES_MAX, 2L * lo.length);
        hi = bits == 128 ? Arrays.copyOf(hi, capacity) : hi;
        lo = Arrays.copyOf(lo, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
      }
      if (bits == 128) hi[count] = networkHi;
      lo[count] = networkLo;
      lengths[count] = length;
      count++;
    }

    PrefixTable table() {
      return new PrefixTable(bits, hi, lo, lengths, count);
    }
  }
}
