package io.vigil.server.change;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The whole configuration as one JSON file, for moving it between servers or keeping it in version
 * control: the policy document (rules, limits, scorecards and hold policies keep their ids) and the
 * monitoring scenarios when that kind exists. An import never goes live: it creates one change
 * request per kind that differs from what is live, to be approved as any other.
 */
@RestController
public class ConfigurationController {
  public static final String FORMAT = "vigil.configuration";
  public static final int FORMAT_VERSION = 1;
  /** Kinds whose live configuration is the whole of it (others are actions, not state). */
  static final List<String> EXPORTED = List.of(PolicyChangeKind.NAME, "monitoring_scenarios");
  private final ChangeKinds kinds;
  private final ChangeRequestService changes;
  private final Clock clock;

  public ConfigurationController(ChangeKinds kinds, ChangeRequestService changes, Clock clock) {
    this.kinds = kinds;
    this.changes = changes;
    this.clock = clock;
  }

  @GetMapping("/v1/configuration/export")
  public ResponseEntity<Map<String, Object>> export() {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("format", FORMAT);
    file.put("format_version", FORMAT_VERSION);
    file.put("exported_at", Instant.ofEpochMilli(clock.millis()).toString());
    Map<String, Object> configuration = new LinkedHashMap<>();
    for (String name : exported()) {
      ChangeKind.Live live = kinds.get(name).live();
      configuration.put(name, Map.of("version", live.version(), "configuration", live.configuration()));
    }
    file.put("configuration", configuration);
    return ResponseEntity.ok().header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"vigil-configuration.json\"").body(file);
  }

  /** The export file, plus an optional {"reason": "…"}: one pending change request per kind that differs. */
  @PostMapping("/v1/configuration/import")
  @SuppressWarnings("unchecked")
  public ResponseEntity<Map<String, Object>> importFile(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("format", "format_version", "exported_at", "configuration",
        "reason"));
    if (!FORMAT.equals(body.get("format")) || !Integer.valueOf(FORMAT_VERSION).equals(body.get("format_version"))) {
      throw ApiException.invalid("invalid_value", "format must be " + FORMAT + " version " + FORMAT_VERSION, "format");
    }
    if (!(body.get("configuration") instanceof Map<?, ?> configuration)) {
      throw ApiException.invalid("missing_field", "configuration is required (an object)", "configuration");
    }
    String reason = Params.string(body, "reason", false, ChangeRequestService.REASON_CHARS_MAX);
    if (reason == null) reason = "import of the configuration exported at " + body.get("exported_at");
    VigilPrincipal caller = Principals.current(request);
    List<String> known = exported();
    Map<String, Map<String, Object>> proposals = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : configuration.entrySet()) {
      String name = String.valueOf(e.getKey());
      String param = "configuration." + name;
      if (!known.contains(name)) throw ApiException.invalid("unknown_kind", "this server does not import " + name, param);
      if (!(e.getValue() instanceof Map<?, ?> section) || !(section.get("configuration") instanceof Map<?, ?> proposed)) {
        throw ApiException.invalid("wrong_type", param + ".configuration must be an object", param + ".configuration");
      }
      Map<String, Object> p = new LinkedHashMap<>((Map<String, Object>) proposed);
      p.remove("version");
      ChangeKind kind = kinds.get(name);
      Map<String, Object> whole = kind instanceof ChangeDrafting d ? d.complete(p) : p;
      kind.validate(whole); // all checked before any is created
      if (kind.difference(whole).isEmpty()) continue; // the same as live: nothing to propose, no permission needed
      ChangeRequestController.requirePermission(caller, ChangeRequestController.writePermission(name));
      proposals.put(name, p);
    }
    List<Map<String, Object>> created = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> e : proposals.entrySet()) {
      created.add(ChangeJson.summary(changes.create(e.getKey(), caller.id(), reason, e.getValue())));
    }
    AuditContext.action(request, "configuration.import");
    AuditContext.after(request, Map.of("change_requests", created.stream().map(m -> m.get("id")).toList()));
    return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("change_requests", created));
  }

  private List<String> exported() {
    return EXPORTED.stream().filter(kinds.names()::contains).toList();
  }
}
