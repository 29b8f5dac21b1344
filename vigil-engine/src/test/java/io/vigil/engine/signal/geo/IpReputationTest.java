package io.vigil.engine.signal.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.signal.ReferenceDataException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpReputationTest {
  @TempDir
  Path dir;

  @Test
  void shippedSamplesLoadAndAnswer() throws Exception {
    IpReputation reputation = samples();
    assertThat(reputation.isProxy("192.0.2.10")).isTrue();
    assertThat(reputation.isProxy("192.0.2.11")).isFalse();
    assertThat(reputation.isProxy("192.0.2.200")).isTrue();
    assertThat(reputation.isProxy("198.51.100.1")).isTrue();
    assertThat(reputation.isVpn("203.0.113.63")).isTrue();
    assertThat(reputation.isVpn("203.0.113.64")).isFalse();
    assertThat(reputation.isVpn("203.0.113.77")).isTrue();
    assertThat(reputation.isTor("2001:db8:300::1")).isTrue();
    assertThat(reputation.isTor("2001:db8:300::3")).isFalse();
    assertThat(reputation.isTor("192.0.2.66")).isTrue();
    for (String ip : new String[] {"8.8.8.8", "2001:4860:4860::8888", "not-an-ip"}) {
      assertThat(reputation.isProxy(ip) || reputation.isVpn(ip) || reputation.isTor(ip)).as(ip).isFalse();
    }
    assertThat(reputation.isHostingAsn(16509)).isTrue();
    assertThat(reputation.isHostingAsn(24940)).isTrue();
    assertThat(reputation.isHostingAsn(17494)).as("BTCL is an access network").isFalse();
    assertThat(reputation.isHostingAsn(0)).isFalse();
    assertThat(reputation.version()).matches("sha256:[0-9a-f]{12}");
    assertThat(samples().version()).isEqualTo(reputation.version());
  }

  @Test
  void emptyAndMissingListsAnswerFalse() throws Exception {
    IpReputation empty = IpReputation.empty();
    assertThat(empty.isProxy("192.0.2.10")).isFalse();
    assertThat(empty.isHostingAsn(16509)).isFalse();
    assertThat(empty.version()).isEqualTo("empty");
    IpReputation torOnly = IpReputation.load(null, null, resource("ip-tor.txt"), null);
    assertThat(torOnly.isTor("192.0.2.66")).isTrue();
    assertThat(torOnly.isProxy("192.0.2.10")).isFalse();
    assertThat(torOnly.isHostingAsn(16509)).isFalse();
  }

  @Test
  void versionChangesWithContentAndWithWhichListHoldsIt() throws Exception {
    Path list = Files.writeString(dir.resolve("list.txt"), "192.0.2.1\n");
    String asProxy = IpReputation.load(list, null, null, null).version();
    String asVpn = IpReputation.load(null, list, null, null).version();
    assertThat(asProxy).isNotEqualTo(asVpn);
    Files.writeString(list, "192.0.2.2\n");
    assertThat(IpReputation.load(list, null, null, null).version()).isNotEqualTo(asProxy);
  }

  @Test
  void hostingAsnLinesInEveryAcceptedForm() throws Exception {
    Path asns = Files.writeString(dir.resolve("asns.txt"), "# cloud\n16509\nAS14618 AMAZON-AES\nas8075\tMicrosoft\n24940, Hetzner\n4294967295\n16509\n");
    IpReputation reputation = IpReputation.load(null, null, null, asns);
    for (long asn : new long[] {16509, 14618, 8075, 24940, 4294967295L}) assertThat(reputation.isHostingAsn(asn)).as("AS%d", asn).isTrue();
    assertThat(reputation.isHostingAsn(15169)).isFalse();
  }

  @Test
  void badHostingAsnLineNamesFileAndLine() throws Exception {
    for (String bad : new String[] {"AS", "AS-1", "ASX", "0", "4294967296", "12abc", "AS 16509", "١٦٥٠٩", "99999999999"}) {
      Path asns = Files.writeString(dir.resolve("bad-asns.txt"), "16509\n\n" + bad + "\n");
      assertThatThrownBy(() -> IpReputation.load(null, null, null, asns))
          .as(bad)
          .isInstanceOf(ReferenceDataException.class)
          .hasMessageContaining(asns + " line 3")
          .satisfies(e -> assertThat(((ReferenceDataException) e).component()).isEqualTo(IpReputation.COMPONENT_HOSTING_ASN));
    }
  }

  @Test
  void badListLineNamesItsList() throws Exception {
    Path vpn = Files.writeString(dir.resolve("vpn.txt"), "203.0.113.0/24\n203.0.113.0/33\n");
    assertThatThrownBy(() -> IpReputation.load(null, vpn, null, null))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining(vpn + " line 2")
        .satisfies(e -> assertThat(((ReferenceDataException) e).component()).isEqualTo(IpReputation.COMPONENT_VPN));
  }

  @Test
  void versionHashesEachFilesBytesUnderItsListsName() throws Exception {
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    String[][] lists = {{"ip_proxy", "ip-proxy.txt"}, {"ip_vpn", "ip-vpn.txt"}, {"ip_tor", "ip-tor.txt"}, {"hosting_asn", "hosting-asns.txt"}};
    for (String[] list : lists) {
      expected.update(("\n#" + list[0] + "\n").getBytes(StandardCharsets.UTF_8));
      expected.update(Files.readAllBytes(resource(list[1])));
    }
    assertThat(samples().version()).isEqualTo("sha256:" + HexFormat.of().formatHex(expected.digest()).substring(0, IpReputation.VERSION_HASH_CHARS));
  }

  @Test
  void readersGiveTheSameAnswersAndVersionAsFiles() throws Exception {
    String tor = Files.readString(resource("ip-tor.txt"));
    String asns = "\uFEFF# cloud\r\nAS16509 AMAZON-02 # AWS\r\n24940\n";
    Path asnFile = Files.writeString(dir.resolve("asns.txt"), asns);
    IpReputation fromFiles = IpReputation.load(null, null, resource("ip-tor.txt"), asnFile);
    IpReputation fromReaders;
    try (IpReputation.ListText t = new IpReputation.ListText("tor", new StringReader(tor));
        IpReputation.ListText a = new IpReputation.ListText("asns", new StringReader(asns))) {
      fromReaders = IpReputation.parse(null, null, t, a);
    }
    assertThat(fromReaders.version()).isEqualTo(fromFiles.version());
    assertThat(fromReaders.isTor("192.0.2.66")).isTrue();
    assertThat(fromReaders.isHostingAsn(16509)).isTrue();
    assertThat(fromReaders.isHostingAsn(24940)).isTrue();
    assertThatThrownBy(() -> IpReputation.parse(null, null, null, new IpReputation.ListText("asns", new StringReader("16509\nnope\n"))))
        .hasMessageContaining("asns line 2");
  }

  @Test
  void listFilesMustBeUtf8() throws Exception {
    Path asns = Files.write(dir.resolve("latin1-asns.txt"), new byte[] {'1', '6', '5', '0', '9', ' ', 'M', (byte) 0xFC, 'n', '\n'});
    assertThatThrownBy(() -> IpReputation.load(null, null, null, asns))
        .isInstanceOfSatisfying(ReferenceDataException.class, e -> {
          assertThat(e.component()).isEqualTo(IpReputation.COMPONENT_HOSTING_ASN);
          assertThat(e.getMessage()).contains(asns.toString()).contains("not UTF-8");
        });
    assertThatThrownBy(() -> IpReputation.load(dir.resolve("absent.txt"), null, null, null))
        .isInstanceOfSatisfying(ReferenceDataException.class, e -> assertThat(e.component()).isEqualTo(IpReputation.COMPONENT_PROXY));
  }

  static IpReputation samples() throws Exception {
    return IpReputation.load(resource("ip-proxy.txt"), resource("ip-vpn.txt"), resource("ip-tor.txt"), resource("hosting-asns.txt"));
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(IpReputationTest.class.getResource("/reference/" + name).toURI());
  }
}
