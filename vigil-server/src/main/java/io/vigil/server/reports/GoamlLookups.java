package io.vigil.server.reports;

import io.vigil.server.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One FIU's goAML lookup codes (report codes, transmission modes, funds types, indicators) and how
 * Vigil's events map onto them. Codes differ per FIU: the bundled set is a Bangladesh (BFIU)
 * starting point; an operator installs their FIU's published set with {@code vigil.reports.goaml.lookups-path}.
 */
public record GoamlLookups(String name, Set<String> reportCodes, Set<String> transmodeCodes, Set<String> fundsCodes,
    Set<String> indicators, Map<String, String> transmodeByEventType, String transmodeDefault, String fundsCodeDefault,
    Map<String, String> indicatorByVerdict, String indicatorCrossBorder, String indicatorDefault) {
  /** Codes one list holds at most. */
  static final int CODES_MAX = 1_000;
  static final long FILE_BYTES_MAX = 1_048_576;
  private static final String BUNDLED = "/reports/goaml-lookups-bfiu.json";

  public GoamlLookups {
    for (Set<String> codes : List.of(reportCodes, transmodeCodes, fundsCodes, indicators)) {
      if (codes.isEmpty() || codes.size() > CODES_MAX) throw new IllegalArgumentException("a lookup list holds 1 to " + CODES_MAX + " codes");
    }
    if (!transmodeCodes.contains(transmodeDefault)) throw new IllegalArgumentException("transmode_default is not a transmode code");
    if (!fundsCodes.contains(fundsCodeDefault)) throw new IllegalArgumentException("funds_code_default is not a funds code");
    if (!indicators.contains(indicatorDefault)) throw new IllegalArgumentException("indicator_default is not an indicator");
  }

  public String transmodeOf(String eventType) {
    return transmodeByEventType.getOrDefault(eventType, transmodeDefault);
  }

  /** The bundled BFIU set, or the file at {@code path} when given. */
  public static GoamlLookups load(String path) {
    try {
      if (path == null || path.isEmpty()) {
        try (InputStream in = GoamlLookups.class.getResourceAsStream(BUNDLED)) {
          return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      Path file = Path.of(path);
      if (Files.size(file) > FILE_BYTES_MAX) throw new IllegalArgumentException("a goAML lookup file is at most " + FILE_BYTES_MAX + " bytes");
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("reading the goAML lookup set failed: " + path, e);
    }
  }

  @SuppressWarnings("unchecked")
  static GoamlLookups parse(String json) {
    Map<String, Object> m = Json.readMap(json);
    return new GoamlLookups(String.valueOf(m.get("name")), codes(m, "report_codes"), codes(m, "transmode_codes"), codes(m, "funds_codes"),
        codes(m, "indicators"), (Map<String, String>) m.getOrDefault("transmode_by_event_type", Map.of()),
        (String) m.get("transmode_default"), (String) m.get("funds_code_default"),
        (Map<String, String>) m.getOrDefault("indicator_by_verdict", Map.of()), (String) m.get("indicator_cross_border"),
        (String) m.get("indicator_default"));
  }

  private static Set<String> codes(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof List<?> list)) throw new IllegalArgumentException(key + " must be a list of codes");
    return Set.copyOf(list.stream().map(String::valueOf).toList());
  }
}
