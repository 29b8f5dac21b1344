package io.vigil.server.screening;

import java.util.Locale;

/** The list file formats Vigil reads, by their wire names. */
public enum ListFormat {
  /** OFAC's Specially Designated Nationals list, sdn.xml. */
  OFAC_SDN_XML,
  /** OFAC's sdn.csv (names, type, programs and remarks; aliases are in alt.csv, not read). */
  OFAC_SDN_CSV,
  /** The UN Security Council consolidated list XML. */
  UN_CONSOLIDATED_XML,
  /** OpenSanctions' FollowTheMoney export, one JSON entity a line (entities.ftm.json). */
  OPENSANCTIONS_FTM_JSON,
  /** OpenSanctions' targets.simple.csv. */
  OPENSANCTIONS_TARGETS_CSV;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ListFormat fromWire(String wire) {
    for (ListFormat f : values()) {
      if (f.wireName().equals(wire)) return f;
    }
    return null;
  }

  /** The format a file name implies in the lists directory, or null. */
  public static ListFormat fromFileName(String fileName) {
    String f = fileName.toLowerCase(Locale.ROOT);
    if (f.endsWith(".ftm.json") || f.endsWith(".ftm.jsonl")) return OPENSANCTIONS_FTM_JSON;
    if (f.endsWith("targets.simple.csv")) return OPENSANCTIONS_TARGETS_CSV;
    if (f.startsWith("sdn") && f.endsWith(".xml")) return OFAC_SDN_XML;
    if (f.startsWith("sdn") && f.endsWith(".csv")) return OFAC_SDN_CSV;
    if (f.endsWith(".xml")) return UN_CONSOLIDATED_XML;
    return null;
  }
}
