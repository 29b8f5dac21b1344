package io.vigil.server.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.change.ChangeKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The monitoring scenarios as a change kind, called as the change-request service calls it: proposals
 * checked field by field, applied as one new version only on the live base version, and the live
 * version and parameters then answered by {@code GET /v1/monitoring/scenarios}. A server of its own:
 * it changes the live scenarios.
 */
class MonitoringScenariosChangeKindTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-monitoring-change-");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.monitoring.enabled", () -> "false");
    storeAsAsked(registry);
  }

  @Autowired
  List<ChangeKind> kinds;

  private ChangeKind kind() {
    return kinds.stream().filter(k -> k.name().equals("monitoring_scenarios")).findFirst().orElseThrow();
  }

  private static Map<String, Object> proposal(String scenario, String param, Object value) {
    return Map.of("scenarios", Map.of(scenario, Map.of("parameters", Map.of(param, value))));
  }

  @Test
  void anOutOfRangeParameterIsRefusedWithItsPath() {
    ApiException e = assertThrows(ApiException.class, () -> kind().validate(proposal("structuring", "margin_percent", 80)));
    assertEquals(400, e.status());
    assertEquals("invalid_parameter", e.code());
    assertEquals("scenarios.structuring.parameters.margin_percent", e.param());
    assertEquals("scenarios.large_cash.parameters.threshold",
        assertThrows(ApiException.class, () -> kind().validate(proposal("large_cash", "threshold", 5))).param());
    assertEquals("scenarios.fan_out.enabled", assertThrows(ApiException.class,
        () -> kind().validate(Map.of("scenarios", Map.of("fan_out", Map.of("enabled", "yes"))))).param());
  }

  @SuppressWarnings("unchecked")
  @Test
  void anApprovedChangeGoesLiveAsOneNewVersionAndAStaleOneConflicts() {
    ChangeKind.Live before = kind().live();
    Map<String, Object> change = proposal("large_cash", "threshold_minor", 100_000_000L);
    assertEquals(Map.of("scenarios.large_cash.parameters.threshold_minor", Map.of("from", 1_000_000L, "to", 100_000_000L)),
        kind().difference(change));
    long version = kind().apply(change, before.version(), "approver", "Tk 10 lakh in BDT minor units");
    assertEquals(before.version() + 1, version);
    assertEquals(version, kind().live().version());

    Map<String, Object> listed = api.get("/v1/monitoring/scenarios").json();
    assertEquals(version, ((Number) listed.get("version")).longValue());
    Map<String, Object> cash = ((List<Map<String, Object>>) listed.get("data")).stream()
        .filter(s -> s.get("scenario_id").equals("large_cash")).findFirst().orElseThrow();
    Map<String, Object> threshold = ((List<Map<String, Object>>) cash.get("parameters")).get(0);
    assertEquals(100_000_000L, ((Number) threshold.get("value")).longValue());

    ApiException stale = assertThrows(ApiException.class,
        () -> kind().apply(proposal("large_cash", "threshold_minor", 5_000_000L), before.version(), "approver", "stale"));
    assertEquals(409, stale.status());
    assertEquals("change_conflict", stale.code());
    assertEquals(version, kind().live().version(), "a conflict changes nothing");
    assertEquals(100_000_000L, ((Map<String, Map<String, Map<String, Object>>>) kind().live().configuration().get("scenarios"))
        .get("large_cash").get("parameters").get("threshold_minor"));
  }
}
