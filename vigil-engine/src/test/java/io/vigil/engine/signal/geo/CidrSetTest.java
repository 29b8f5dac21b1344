package io.vigil.engine.signal.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.signal.ReferenceDataException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CidrSetTest {
  @TempDir
  Path dir;

  @Test
  void ipv4NetworkHoldsItsEdgesAndNothingBeyond() throws Exception {
    CidrSet set = parse("198.51.100.0/24\n");
    assertThat(set.contains("198.51.100.0")).isTrue();
    assertThat(set.contains("198.51.100.255")).isTrue();
    assertThat(set.contains("198.51.99.255")).isFalse();
    assertThat(set.contains("198.51.101.0")).isFalse();
    assertThat(set.contains("::ffff:198.51.100.7")).isTrue();
    assertThat(set.contains("::198.51.100.7")).as("IPv4-compatible is IPv6").isFalse();
  }

  @Test
  void exactAddressesAndOddPrefixLengths() throws Exception {
    CidrSet set = parse("192.0.2.1\n203.0.113.64/27\n10.0.0.0/7\n");
    assertThat(set.contains("192.0.2.1")).isTrue();
    assertThat(set.contains("192.0.2.2")).isFalse();
    assertThat(set.contains("203.0.113.63")).isFalse();
    assertThat(set.contains("203.0.113.64")).isTrue();
    assertThat(set.contains("203.0.113.95")).isTrue();
    assertThat(set.contains("203.0.113.96")).isFalse();
    assertThat(set.contains("11.255.255.255")).isTrue();
    assertThat(set.contains("12.0.0.0")).isFalse();
    assertThat(set.contains("9.255.255.255")).isFalse();
    assertThat(set.size()).isEqualTo(3);
  }

  @Test
  void ipv6NetworksAtEveryBoundary() throws Exception {
    CidrSet set = parse("2001:db8::/32\n2001:db8:1::/64\n2001:db8:2::/65\n2001:db9::1\nfe80::/10\n");
    assertThat(set.contains("2001:db8::")).isTrue();
    assertThat(set.contains("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
    assertThat(set.contains("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")).isFalse();
    assertThat(set.contains("2001:db9::")).isFalse();
    assertThat(set.contains("2001:db9::1")).isTrue();
    assertThat(set.contains("2001:db9::2")).isFalse();
    assertThat(set.contains("febf:ffff::1")).isTrue();
    assertThat(set.contains("fec0::")).isFalse();
    assertThat(set.contains("192.0.2.1")).isFalse();
    CidrSet narrow = parse("2001:db8:2::/65\n");
    assertThat(narrow.contains("2001:db8:2::7fff:ffff:ffff:ffff")).isTrue();
    assertThat(narrow.contains("2001:db8:2::8000:0:0:0")).isFalse();
  }

  @Test
  void zeroLengthPrefixesHoldTheirWholeFamilyOnly() throws Exception {
    CidrSet ipv4 = parse("0.0.0.0/0\n");
    assertThat(ipv4.contains("255.255.255.255")).isTrue();
    assertThat(ipv4.contains("2001:db8::1")).isFalse();
    CidrSet ipv6 = parse("::/0\n");
    assertThat(ipv6.contains("2001:db8::1")).isTrue();
    assertThat(ipv6.contains("8.8.8.8")).isFalse();
  }

  @Test
  void ipv4MappedEntriesAreIpv4() throws Exception {
    CidrSet set = parse("::ffff:192.0.2.0/120\n::ffff:198.51.100.9\n");
    assertThat(set.contains("192.0.2.200")).isTrue();
    assertThat(set.contains("192.0.3.0")).isFalse();
    assertThat(set.contains("198.51.100.9")).isTrue();
  }

  @Test
  void commentsBlankLinesAndDuplicatesAreFine() throws Exception {
    CidrSet set = parse("\uFEFF# header\n\n  192.0.2.1   # office\r\n192.0.2.1\n\t\n2001:db8::/32 # docs\n");
    assertThat(set.size()).isEqualTo(2);
    assertThat(set.contains("192.0.2.1")).isTrue();
    assertThat(CidrSet.empty().contains("192.0.2.1")).isFalse();
    assertThat(CidrSet.empty().isEmpty()).isTrue();
  }

  @Test
  void notLiteralsAreNotMembers() throws Exception {
    CidrSet set = parse("0.0.0.0/0\n::/0\n");
    for (String text : new String[] {null, "", "x", "192.0.2.1/32", "example.com", "fe80::1%eth0"}) {
      assertThat(set.contains(text)).as(String.valueOf(text)).isFalse();
    }
  }

  @Test
  void badLinesNameTheSourceAndLine() {
    String[] bad = {
        "bogus", "192.0.2.1/33", "192.0.2.1/", "/24", "192.0.2.1/-1", "192.0.2.1/+8", "192.0.2.1/2a",
        "2001:db8::/129", "192.0.2.7/24", "2001:db8::1/32", "::ffff:192.0.2.0/95", "fe80::1%eth0", "1.2.3", "192.0.2.1 192.0.2.2"};
    for (String line : bad) {
      assertThatThrownBy(() -> parse("# list\n\n198.51.100.0/24\n" + line + "\n"))
          .as(line)
          .isInstanceOf(ReferenceDataException.class)
          .hasMessageContaining("test-list line 4")
          .satisfies(e -> assertThat(((ReferenceDataException) e).component()).isEqualTo("ip_test"));
    }
  }

  @Test
  void overlongLineIsRefused() {
    String line = "192.0.2.1 #" + "x".repeat(CidrSet.LINE_CHARS_MAX);
    assertThatThrownBy(() -> parse("192.0.2.2\n" + line + "\n"))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("longer than");
  }

  @Test
  void loadsFileAndNamesItInErrors() throws Exception {
    Path good = Files.writeString(dir.resolve("good.txt"), "192.0.2.0/24\n");
    assertThat(CidrSet.load("ip_test", good).contains("192.0.2.9")).isTrue();
    Path bad = Files.writeString(dir.resolve("bad.txt"), "192.0.2.0/24\nnope\n");
    assertThatThrownBy(() -> CidrSet.load("ip_test", bad)).hasMessageContaining(bad + " line 2");
    Path binary = Files.write(dir.resolve("binary.txt"), new byte[] {(byte) 0xC3, (byte) 0x28, '\n'});
    assertThatThrownBy(() -> CidrSet.load("ip_test", binary)).isInstanceOf(ReferenceDataException.class).hasMessageContaining(binary.toString());
    assertThatThrownBy(() -> CidrSet.load("ip_test", dir.resolve("missing.txt"))).isInstanceOf(ReferenceDataException.class);
  }

  @Test
  void moreThanTheEntryCapIsRefused() {
    Reader tooMany = new GeneratedLines(CidrSet.ENTRIES_MAX + 1L);
    assertThatThrownBy(() -> CidrSet.parse("ip_test", "generated", tooMany))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining("generated line " + (CidrSet.ENTRIES_MAX + 1L))
        .hasMessageContaining("more than " + CidrSet.ENTRIES_MAX + " entries");
  }

  @Test
  void agreesWithALinearScanOnRandomNetworks() throws Exception {
    Random random = new Random(42);
    List<BigInteger[]> networks = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      boolean v6 = random.nextBoolean();
      int bits = v6 ? 128 : 32;
      int length = v6 ? 16 + random.nextInt(113) : 4 + random.nextInt(29);
      BigInteger address = new BigInteger(bits, random);
      BigInteger network = address.shiftRight(bits - length).shiftLeft(bits - length);
      networks.add(new BigInteger[] {network, BigInteger.valueOf(length), BigInteger.valueOf(bits)});
      text.append(literal(network, bits)).append('/').append(length).append('\n');
    }
    CidrSet set = parse(text.toString());
    int members = 0;
    for (int i = 0; i < 20_000; i++) {
      boolean v6 = random.nextBoolean();
      int bits = v6 ? 128 : 32;
      BigInteger[] near = networks.get(random.nextInt(networks.size()));
      BigInteger probe = near[2].intValue() == bits && random.nextBoolean()
          ? near[0].xor(new BigInteger(bits - near[1].intValue() + 2, random)).mod(BigInteger.TWO.pow(bits))
          : new BigInteger(bits, random);
      String ip = literal(probe, bits);
      boolean expected = linearScan(networks, probe, bits);
      assertThat(set.contains(ip)).as(ip).isEqualTo(expected);
      members += expected ? 1 : 0;
    }
    assertThat(members).as("probes inside a network").isBetween(1_000, 19_000);
  }

  private static boolean linearScan(List<BigInteger[]> networks, BigInteger address, int bits) {
    for (BigInteger[] n : networks) {
      int length = n[1].intValue();
      if (n[2].intValue() == bits && address.shiftRight(bits - length).equals(n[0].shiftRight(bits - length))) return true;
    }
    return false;
  }

  private static String literal(BigInteger value, int bits) throws Exception {
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[bits / 8];
    int copy = Math.min(raw.length, bytes.length);
    System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
    String text = InetAddress.getByAddress(bytes).getHostAddress();
    // Java prints an IPv4-mapped 16-byte address as IPv4; keep such probes IPv6 by spelling them out.
    return bits == 128 && text.indexOf(':') < 0 ? "::ffff:" + text : text;
  }

  private static CidrSet parse(String text) throws ReferenceDataException {
    return CidrSet.parse("ip_test", "test-list", new StringReader(text));
  }

  /** Lines 10.x.y.z, distinct, without holding them in memory. */
  private static final class GeneratedLines extends Reader {
    private final long lines;
    private long line;
    private String current = "";
    private int position;

    GeneratedLines(long lines) {
      this.lines = lines;
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      int written = 0;
      while (written < length) {
        if (position == current.length()) {
          if (line == lines) return written == 0 ? -1 : written;
          long n = line++;
          current = "10." + (n >> 16 & 0xFF) + "." + (n >> 8 & 0xFF) + "." + (n & 0xFF) + "/32\n";
          if (n >= 1L << 24) current = "11." + (n >> 16 & 0xFF) + "." + (n >> 8 & 0xFF) + "." + (n & 0xFF) + "\n";
          position = 0;
        }
        buffer[offset + written++] = current.charAt(position++);
      }
      return written;
    }

    @Override
    public void close() {}
  }
}
