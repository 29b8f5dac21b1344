package io.vigil.server.policy;

import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One limit at a time (L3): create, read, update and delete without touching the others. Each
 * change is a new policy version. {@code PUT /v1/policy/limits} still replaces the whole list, for
 * imports.
 */
@RestController
public class PolicyLimitController {
  private final PolicyService policies;

  public PolicyLimitController(PolicyService policies) {
    this.policies = policies;
  }

  @GetMapping("/v1/policy/limits/{id}")
  public Map<String, Object> get(@PathVariable String id) {
    LimitDefinition limit = policies.requireLimit(id);
    return answer(policies.document().version(), limit);
  }

  /** Adds a limit: {"limit": {...}}. */
  @PostMapping("/v1/policy/limits")
  public ResponseEntity<Map<String, Object>> create(HttpServletRequest request) {
    LimitDefinition limit = LimitJson.parseLimit(limitObject(request, null), "limit");
    PolicyDocument d = PolicyAudit.change(policies, request, "limit", doc -> PolicyAudit.limit(doc, limit.id()),
        () -> policies.createLimit(limit, Actor.of(request)));
    return ResponseEntity.status(HttpStatus.CREATED).body(answer(d.version(), limit));
  }

  /** Replaces one limit: {"limit": {...}}; the body's id may be left out, and must match the path's. */
  @PutMapping("/v1/policy/limits/{id}")
  public Map<String, Object> update(@PathVariable String id, HttpServletRequest request) {
    LimitDefinition limit = LimitJson.parseLimit(limitObject(request, id), "limit");
    return answer(PolicyAudit.change(policies, request, "limit", doc -> PolicyAudit.limit(doc, id),
        () -> policies.updateLimit(limit, Actor.of(request))).version(), limit);
  }

  @DeleteMapping("/v1/policy/limits/{id}")
  public Map<String, Object> delete(@PathVariable String id, HttpServletRequest request) {
    LimitDefinition limit = policies.requireLimit(id);
    Map<String, Object> m = answer(PolicyAudit.change(policies, request, "limit", doc -> PolicyAudit.limit(doc, id),
        () -> policies.deleteLimit(id, Actor.of(request))).version(), limit);
    m.put("deleted", true);
    return m;
  }

  /** The body's {@code limit} object; with a path id, the id is filled in or checked against it. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> limitObject(HttpServletRequest request, String pathId) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("limit"));
    Object raw = body.get("limit");
    if (raw == null) throw ApiException.invalid("missing_field", "limit is required: {\"limit\": {...}}", "limit");
    if (!(raw instanceof Map<?, ?>)) throw ApiException.invalid("wrong_type", "limit must be an object", "limit");
    Map<String, Object> limit = new LinkedHashMap<>((Map<String, Object>) raw);
    if (pathId != null) {
      Object bodyId = limit.putIfAbsent("id", pathId);
      if (bodyId != null && !bodyId.equals(pathId)) {
        throw ApiException.invalid("id_mismatch", "limit.id differs from the id in the path", "limit.id");
      }
    }
    return limit;
  }

  private static Map<String, Object> answer(long policyVersion, LimitDefinition limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy_version", policyVersion);
    m.put("limit", LimitJson.limit(limit));
    return m;
  }
}
