package io.vigil.engine.signal.geo;

import static io.vigil.engine.signal.geo.GeoTestData.BD_DIVISIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.signal.ReferenceDataException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionGraphTest {
  private static RegionGraph bundled;

  @BeforeAll
  static void load() throws ReferenceDataException {
    bundled = RegionGraph.bundled();
  }

  @Test
  void bundledGraphHasBangladeshsEightDivisions() {
    assertThat(bundled.countryCount()).isEqualTo(1);
    assertThat(bundled.edgeCount()).isEqualTo(14);
    for (String division : BD_DIVISIONS) assertThat(bundled.knows("BD", division)).as(division).isTrue();
  }

  @Test
  void hopsBetweenDivisions() {
    assertThat(bundled.hops("BD", "Dhaka Division", "Dhaka Division", 3)).isZero();
    assertThat(bundled.hops("BD", "Dhaka Division", "Chittagong", 3)).isEqualTo(1);
    assertThat(bundled.hops("BD", "Rangpur Division", "Dhaka Division", 3)).isEqualTo(2);
    assertThat(bundled.hops("BD", "Rangpur Division", "Chittagong", 3)).isEqualTo(3);
    assertThat(bundled.hops("BD", "Rangpur Division", "Barisal Division", 3)).isEqualTo(3);
    assertThat(bundled.hops("BD", "Rangpur Division", "Chittagong", 2)).isEqualTo(-1);
    assertThat(bundled.hops("BD", "Khulna Division", "Sylhet Division", 5)).isEqualTo(2);
    for (String other : BD_DIVISIONS) {
      if (!other.equals("Dhaka Division") && !other.equals("Rangpur Division")) {
        assertThat(bundled.hops("BD", "Dhaka Division", other, 1)).as(other).isEqualTo(1);
      }
    }
  }

  @Test
  void hopsAreSymmetricAndEveryDivisionIsWithinThree() {
    for (String a : BD_DIVISIONS) {
      for (String b : BD_DIVISIONS) {
        int hops = bundled.hops("BD", a, b, 10);
        assertThat(hops).as("%s - %s", a, b).isBetween(a.equals(b) ? 0 : 1, 3);
        assertThat(bundled.hops("BD", b, a, 10)).isEqualTo(hops);
      }
    }
  }

  @Test
  void namesCompareLooselyAsDatabasesWriteThem() {
    assertThat(bundled.hops("bd", "DHAKA DIVISION", "chittagong", 3)).isEqualTo(1);
    assertThat(bundled.hops("BD", "Dhaka", "Dhaka Division", 0)).isZero();
    assertThat(bundled.hops("BD", "Barisal", "Khulna", 3)).isEqualTo(1);
    assertThat(bundled.hops("BD", "  Sylhet   Division ", "Chittagong", 3)).isEqualTo(1);
  }

  @Test
  void unknownRegionsCountriesAndNullsAreMinusOne() {
    assertThat(bundled.hops("BD", "Dhaka Division", "Atlantis", 5)).isEqualTo(-1);
    assertThat(bundled.hops("IN", "West Bengal", "Assam", 5)).isEqualTo(-1);
    assertThat(bundled.hops("BD", null, "Chittagong", 5)).isEqualTo(-1);
    assertThat(bundled.hops(null, "Dhaka Division", "Chittagong", 5)).isEqualTo(-1);
    assertThat(bundled.hops("BD", "", "Chittagong", 5)).isEqualTo(-1);
  }

  @Test
  void regionsTheCityDatabaseGivesForBangladeshAreInTheGraph() throws Exception {
    try (GeoDatabase city = GeoDatabase.open(GeoTestData.dbipCityIpv4())) {
      for (String ip : new String[] {GeoTestData.BTCL, "114.130.1.1", "103.4.145.1"}) {
        GeoLocation location = city.locate(ip);
        assertThat(location.country()).as(ip).isEqualTo("BD");
        assertThat(bundled.knows("BD", location.region())).as("%s in %s", ip, location.region()).isTrue();
      }
    }
  }

  @Test
  void disconnectedRegionsAreUnreachable() throws Exception {
    RegionGraph graph = parse("XA,North,South\nXA,East,West\nXA,South,Deep South\n");
    assertThat(graph.hops("XA", "North", "Deep South", 5)).isEqualTo(2);
    assertThat(graph.hops("XA", "North", "East", 100)).isEqualTo(-1);
    assertThat(graph.edgeCount()).isEqualTo(3);
  }

  @Test
  void duplicateAndReversedEdgesCountOnce() throws Exception {
    RegionGraph graph = parse("country,region,neighbour\nXA,North,South\nXA,South,North\nxa,north,SOUTH\n");
    assertThat(graph.edgeCount()).isEqualTo(1);
    assertThat(graph.hops("XA", "South", "North", 1)).isEqualTo(1);
  }

  @Test
  void badLinesNameTheLine() {
    String[] bad = {"BD,Dhaka Division", "BD,a,b,c", "Bangladesh,a,b", "B1,a,b", "BD,,b", "BD,a, ", "BD,Dhaka,Dhaka Division", "BD,a," + "x".repeat(101)};
    for (String line : bad) {
      assertThatThrownBy(() -> parse("# sample\nBD,a,b\n" + line + "\n"))
          .as(line)
          .isInstanceOf(ReferenceDataException.class)
          .hasMessageContaining("test-graph line 3");
    }
  }

  @Test
  void versionHashesTheLinesWhereverTheyComeFrom(@TempDir Path dir) throws Exception {
    String csv = "country,region,neighbour\nXA,North,South # the ferry\n";
    String version = parse(csv).version();
    assertThat(version).matches("sha256:[0-9a-f]{16}");
    assertThat(RegionGraph.load(Files.writeString(dir.resolve("regions.csv"), csv)).version()).isEqualTo(version);
    assertThat(parse(csv.replace("\n", "\r\n")).version()).isEqualTo(version);
    assertThat(parse(csv.replace("North", "Nord")).version()).isNotEqualTo(version);
    assertThat(bundled.version()).isEqualTo(RegionGraph.bundled().version()).isNotEqualTo(version);
    assertThat(RegionGraph.empty().version()).isEqualTo("empty");
  }

  @Test
  void aHashStartsAComment() throws Exception {
    RegionGraph graph = parse("# sample\nXA,North,South # river\nXA,South,East#\n");
    assertThat(graph.hops("XA", "North", "East", 3)).isEqualTo(2);
    assertThat(graph.knows("XA", "South # river")).isFalse();
  }

  @Test
  void fileMustBeUtf8(@TempDir Path dir) throws Exception {
    Path latin1 = Files.write(dir.resolve("regions.csv"), new byte[] {'X', 'A', ',', 'a', ',', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> RegionGraph.load(latin1))
        .isInstanceOfSatisfying(ReferenceDataException.class, e -> {
          assertThat(e.component()).isEqualTo(RegionGraph.COMPONENT);
          assertThat(e.getMessage()).contains(latin1.toString());
        });
  }

  private static RegionGraph parse(String csv) throws ReferenceDataException {
    return RegionGraph.parse("test-graph", new StringReader(csv));
  }
}
