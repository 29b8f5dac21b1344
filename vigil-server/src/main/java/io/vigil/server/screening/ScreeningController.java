package io.vigil.server.screening;

import io.vigil.engine.Limits;
import io.vigil.engine.screening.ScreeningIndex;
import io.vigil.engine.screening.ScreeningMatch;
import io.vigil.engine.screening.ScreeningQuery;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import jakarta.servlet.http.HttpServletRequest;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Screening lists, ad hoc checks, hits and false positives, and country exemptions. */
@RestController
public class ScreeningController {
  private static final int PAGE_MAX = 100;
  private static final Set<String> CHECK_FIELDS = Set.of("name", "date_of_birth", "country", "id_number", "min_score");
  private static final Set<String> EXEMPTION_FIELDS = Set.of("entity_kind", "entity_id", "country", "reason");
  private static final Set<String> ISO = Set.of(Locale.getISOCountries());
  private static final Pattern ENTITY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+\\-]{0,127}");
  private final ScreeningService screening;
  private final ScreeningProperties properties;

  public ScreeningController(ScreeningService screening, ScreeningProperties properties) {
    this.screening = screening;
    this.properties = properties;
  }

  @GetMapping("/v1/screening/lists")
  public Map<String, Object> lists() {
    List<Map<String, Object>> data = screening.lists().stream().map(ScreeningController::listView).toList();
    return Map.of("object", "list", "data", data, "blocked_countries", screening.blockedCountries().stream().sorted().toList());
  }

  @PostMapping("/v1/screening/lists/{name}")
  public Map<String, Object> upload(@PathVariable String name, @RequestParam(required = false) String format,
      @RequestParam(required = false) Double threshold, HttpServletRequest request) {
    // The body is read first: a client that sent "Expect: 100-continue" waits for it to be asked for.
    byte[] body = Bodies.read(request, properties.uploadBytesMax());
    ListFormat f = format == null ? null : ListFormat.fromWire(format);
    if (f == null) {
      throw ApiException.invalid("invalid_parameter", "format must be one of ofac_sdn_xml, ofac_sdn_csv, un_consolidated_xml, "
          + "opensanctions_ftm_json, opensanctions_targets_csv", "format");
    }
    ScreeningRepository.ListVersion v = screening.install(name, f, threshold, body, Actor.of(request));
    return versionView(v);
  }

  @GetMapping("/v1/screening/lists/{name}/versions")
  public Map<String, Object> versions(@PathVariable String name) {
    List<Map<String, Object>> data = screening.versions(name, PAGE_MAX).stream().map(ScreeningController::versionView).toList();
    if (data.isEmpty()) throw ApiException.notFound("screening_list_not_found", "No screening list has this name", "name");
    return Map.of("object", "list", "data", data);
  }

  @PostMapping("/v1/screening/check")
  public Map<String, Object> check(HttpServletRequest request) {
    Map<String, Object> body = Json.parseObject(Bodies.read(request));
    for (String k : body.keySet()) {
      if (!CHECK_FIELDS.contains(k)) throw ApiException.invalid("unknown_field", "unknown field " + k, k);
    }
    String name = string(body, "name", Limits.PARTY_NAME_CHARS_MAX, true);
    LocalDate dob = null;
    String dobText = string(body, "date_of_birth", 10, false);
    if (dobText != null) {
      try {
        dob = LocalDate.parse(dobText);
      } catch (DateTimeException e) {
        throw ApiException.invalid("invalid_date_of_birth", "date_of_birth must be a real date written YYYY-MM-DD", "date_of_birth");
      }
    }
    String country = country(body, "country", false);
    String idNumber = string(body, "id_number", Limits.NATIONAL_ID_CHARS_MAX, false);
    Double minScore = null;
    if (body.get("min_score") != null) {
      if (!(body.get("min_score") instanceof Number n) || n.doubleValue() < 0.5 || n.doubleValue() > 1.0) {
        throw ApiException.invalid("out_of_range", "min_score must be a number from 0.5 to 1.0", "min_score");
      }
      minScore = ((Number) body.get("min_score")).doubleValue();
    }
    ScreeningQuery q = new ScreeningQuery(name, dob, country, idNumber == null ? Set.of() : Set.of(idNumber));
    List<Map<String, Object>> data = screening.check(q, minScore).stream().map(ScreeningController::matchView).toList();
    return Map.of("object", "screening_result", "hit", !data.isEmpty(), "matches", data);
  }

  @GetMapping("/v1/screening/hits")
  public Map<String, Object> hits(@RequestParam(name = "subject_id", required = false) String subjectId,
      @RequestParam(name = "starting_after", required = false) Long startingAfter,
      @RequestParam(required = false) Integer limit) {
    int pageSize = Page.limit(limit);
    Map<String, Object> page = new LinkedHashMap<>(Map.of("object", "list"));
    page.putAll(Page.of(screening.hits(subjectId, startingAfter, Page.fetchSize(pageSize)), pageSize,
        ScreeningController::hitView, ScreeningRepository.Hit::hitId));
    return page;
  }

  @PostMapping("/v1/screening/hits/{hitId}/false-positive")
  public Map<String, Object> falsePositive(@PathVariable long hitId, HttpServletRequest request) {
    return hitView(screening.markFalsePositive(hitId, Actor.of(request)));
  }

  @GetMapping("/v1/screening/exemptions")
  public Map<String, Object> exemptions() {
    return Map.of("object", "list", "data", screening.exemptions(PAGE_MAX).stream().map(ScreeningController::exemptionView).toList());
  }

  @PostMapping("/v1/screening/exemptions")
  public Map<String, Object> propose(HttpServletRequest request) {
    Map<String, Object> body = Json.parseObject(Bodies.read(request));
    for (String k : body.keySet()) {
      if (!EXEMPTION_FIELDS.contains(k)) throw ApiException.invalid("unknown_field", "unknown field " + k, k);
    }
    String kind = string(body, "entity_kind", 16, true);
    if (!kind.equals("account") && !kind.equals("merchant")) {
      throw ApiException.invalid("invalid_value", "entity_kind must be account or merchant", "entity_kind");
    }
    String entityId = string(body, "entity_id", 128, true);
    if (!ENTITY_ID.matcher(entityId).matches()) throw ApiException.invalid("invalid_value", "entity_id is not an identifier", "entity_id");
    String country = country(body, "country", true);
    if (!screening.blockedCountries().contains(country)) {
      throw ApiException.invalid("country_not_blocked", country + " is not a blocked country; nothing to exempt", "country");
    }
    String reason = string(body, "reason", 500, true);
    return exemptionView(screening.proposeExemption(kind, entityId, country, reason, Actor.of(request)));
  }

  @PostMapping("/v1/screening/exemptions/{exemptionId}/approve")
  public Map<String, Object> approve(@PathVariable long exemptionId, HttpServletRequest request) {
    return exemptionView(screening.approveExemption(exemptionId, Actor.of(request)));
  }

  // ---- views ----

  public static Map<String, Object> listView(ScreeningIndex index) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("object", "screening_list");
    m.put("name", index.listName());
    m.put("version", index.version());
    m.put("entry_count", index.size());
    m.put("threshold", index.threshold());
    return m;
  }

  public static Map<String, Object> versionView(ScreeningRepository.ListVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("object", "screening_list_version");
    m.put("name", v.listName());
    m.put("version", v.version());
    m.put("format", v.format());
    m.put("entry_count", v.entryCount());
    m.put("threshold", v.threshold());
    m.put("loaded_at", v.loadedAtMillis());
    m.put("loaded_by", v.loadedBy());
    m.put("content_sha256", v.contentSha256());
    return m;
  }

  public static Map<String, Object> matchView(ScreeningMatch match) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("list", match.listName());
    m.put("list_version", match.listVersion());
    m.put("entry_id", match.entry().entryId());
    m.put("entry_name", match.entry().primaryName());
    m.put("entry_kind", match.entry().kind());
    m.put("matched_name", match.matchedName());
    m.put("score", match.score());
    m.put("name_score", match.nameScore());
    m.put("match_type", match.matchType());
    m.put("matched_tokens", match.matchedTokens());
    m.put("evidence", match.evidence());
    return m;
  }

  public static Map<String, Object> hitView(ScreeningRepository.Hit h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("object", "screening_hit");
    m.put("id", h.hitId());
    m.put("subject_id", h.subjectId());
    m.put("party", h.party());
    m.put("screened_name", h.screenedName());
    m.put("list", h.listName());
    m.put("list_version", h.listVersion());
    m.put("entry_id", h.entryId());
    m.put("entry_name", h.entryName());
    m.put("entry_hash", h.entryHash());
    m.put("score", h.score());
    m.put("evidence", Json.readMap(h.evidence()));
    m.put("source", h.source());
    m.put("event_id", h.eventId());
    m.put("found_at", h.foundAtMillis());
    m.put("false_positive", h.falsePositive());
    return m;
  }

  public static Map<String, Object> exemptionView(ScreeningRepository.Exemption e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("object", "screening_exemption");
    m.put("id", e.exemptionId());
    m.put("entity_kind", e.entityKind());
    m.put("entity_id", e.entityId());
    m.put("country", e.country());
    m.put("reason", e.reason());
    m.put("status", e.status());
    m.put("proposed_by", e.proposedBy());
    m.put("proposed_at", e.proposedAtMillis());
    m.put("approved_by", e.approvedBy());
    m.put("approved_at", e.approvedAtMillis());
    return m;
  }

  private static String string(Map<String, Object> body, String field, int charsMax, boolean required) {
    Object v = body.get(field);
    if (v == null) {
      if (required) throw ApiException.invalid("missing_field", field + " is required", field);
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) throw ApiException.invalid("invalid_value", field + " must be a non-empty string", field);
    if (s.length() > charsMax) throw ApiException.invalid("value_too_long", field + " is longer than " + charsMax + " characters", field);
    return s.strip();
  }

  private static String country(Map<String, Object> body, String field, boolean required) {
    String c = string(body, field, 2, required);
    if (c == null) return null;
    String upper = c.toUpperCase(Locale.ROOT);
    if (!ISO.contains(upper)) throw ApiException.invalid("invalid_country", field + " must be an ISO 3166-1 alpha-2 code", field);
    return upper;
  }
}
