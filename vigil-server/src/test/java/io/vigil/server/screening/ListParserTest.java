package io.vigil.server.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.screening.ScreeningEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each list format read from a small file in that exact format; wrong formats refused with their line. */
class ListParserTest {
  static byte[] fixture(String name) {
    try (InputStream in = ListParserTest.class.getResourceAsStream("/screening/" + name)) {
      if (in == null) throw new IllegalStateException("no fixture " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void ofacSdnXml() throws ListFileException {
    List<ScreeningEntry> entries = ListParser.parse(ListFormat.OFAC_SDN_XML, fixture("sdn.xml"));
    assertThat(entries).hasSize(3);
    ScreeningEntry zorkov = entries.get(0);
    assertThat(zorkov.entryId()).isEqualTo("90001");
    assertThat(zorkov.kind()).isEqualTo("person");
    assertThat(zorkov.names()).containsExactly("Ivan Sergeyevich ZORKOV", "Vanya ZORKOV");
    assertThat(zorkov.birthDates()).containsExactly("1971-03-14");
    assertThat(zorkov.countries()).containsExactly("RU");
    assertThat(zorkov.identifiers()).containsExactly("P7788123");
    assertThat(entries.get(1).kind()).isEqualTo("vessel");
    assertThat(entries.get(1).identifiers()).containsExactly("IMO9912345");
    assertThat(entries.get(2).countries()).containsExactly("IR");
  }

  @Test
  void ofacSdnCsv() throws ListFileException {
    List<ScreeningEntry> entries = ListParser.parse(ListFormat.OFAC_SDN_CSV, fixture("sdn.csv"));
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).names()).containsExactly("Ivan Sergeyevich ZORKOV");
    assertThat(entries.get(0).birthDates()).containsExactly("1971-03-14");
    assertThat(entries.get(0).identifiers()).containsExactly("P7788123");
    assertThat(entries.get(1).kind()).isEqualTo("entity");
  }

  @Test
  void unConsolidatedXml() throws ListFileException {
    List<ScreeningEntry> entries = ListParser.parse(ListFormat.UN_CONSOLIDATED_XML, fixture("un-consolidated.xml"));
    assertThat(entries).hasSize(2);
    ScreeningEntry khalid = entries.get(0);
    assertThat(khalid.entryId()).isEqualTo("TSi.001");
    assertThat(khalid.names()).containsExactly("KHALID FAROUK NABHANI", "خالد فاروق نبهاني", "Abu Farouk");
    assertThat(khalid.birthDates()).containsExactly("1966-07-02");
    assertThat(khalid.countries()).containsExactly("SY");
    assertThat(khalid.identifiers()).containsExactly("N0012345");
    assertThat(entries.get(1).kind()).isEqualTo("entity");
    assertThat(entries.get(1).countries()).containsExactly("YE");
  }

  @Test
  void openSanctionsFtmJsonKeepsTargetsOnly() throws ListFileException {
    List<ScreeningEntry> entries = ListParser.parse(ListFormat.OPENSANCTIONS_FTM_JSON, fixture("entities.ftm.json"));
    assertThat(entries).extracting(ScreeningEntry::entryId).containsExactly("os-test-talukdar", "os-test-orbital");
    assertThat(entries.get(0).birthDates()).containsExactly("1980");
    assertThat(entries.get(0).countries()).containsExactly("BD");
    assertThat(entries.get(0).identifiers()).containsExactly("BD5566778899");
    assertThat(entries.get(1).identifiers()).containsExactly("HE123456");
  }

  @Test
  void openSanctionsTargetsCsv() throws ListFileException {
    List<ScreeningEntry> entries = ListParser.parse(ListFormat.OPENSANCTIONS_TARGETS_CSV, fixture("targets.simple.csv"));
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).names()).containsExactly("Oksana Zelenko", "Оксана Зеленко", "Oksana Zelenka");
    assertThat(entries.get(0).countries()).containsExactlyInAnyOrder("UA", "RU");
    assertThat(entries.get(0).identifiers()).containsExactly("AB1234567");
  }

  @Test
  void wrongFormatsNameTheLineOrElement() {
    assertRefused(ListFormat.OFAC_SDN_XML, fixture("un-consolidated.xml"), "line 2", "expected <sdnList>");
    assertRefused(ListFormat.OFAC_SDN_XML, "<sdnList><sdnEntry><uid>1</uid>\n<lastName>X</lastName></sdnEntry>\n<sdnEntry><uid>2</uid></sdnEntry></sdnList>",
        "line 3", "<sdnEntry> needs");
    assertRefused(ListFormat.OFAC_SDN_XML, "<sdnList><sdnEntry>\n<uid>1</sdnEntry>", "line 2", "not well-formed");
    assertRefused(ListFormat.UN_CONSOLIDATED_XML, fixture("sdn.xml"), "line 2", "expected <CONSOLIDATED_LIST>");
    assertRefused(ListFormat.OPENSANCTIONS_FTM_JSON, "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A B\"]}}\nnot json\n",
        "line 2", "not a JSON object");
    assertRefused(ListFormat.OPENSANCTIONS_FTM_JSON, fixture("targets.simple.csv"), "line 1", "");
    assertRefused(ListFormat.OPENSANCTIONS_TARGETS_CSV, fixture("sdn.csv"), "line 1", "header");
    assertRefused(ListFormat.OFAC_SDN_CSV, fixture("targets.simple.csv"), "line 1", "12 columns");
    assertRefused(ListFormat.OFAC_SDN_XML, "", "line 1", "empty");
    assertRefused(ListFormat.OFAC_SDN_XML, "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><sdnList>&e;</sdnList>", "", "");
  }

  private static void assertRefused(ListFormat format, String content, String where, String what) {
    assertRefused(format, content.getBytes(StandardCharsets.UTF_8), where, what);
  }

  private static void assertRefused(ListFormat format, byte[] content, String where, String what) {
    assertThatThrownBy(() -> ListParser.parse(format, content)).isInstanceOf(ListFileException.class)
        .hasMessageContaining(where).hasMessageContaining(what);
  }
}
