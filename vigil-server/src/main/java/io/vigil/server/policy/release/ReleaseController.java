package io.vigil.server.policy.release;

import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Gray releases and shadow policies: list and read them (with the live-against-candidate
 * comparison), step a gray release's percentage, stop, promote. Releases are started by approving
 * a change request with a gradual release.
 */
@RestController
public class ReleaseController {
  private final ReleaseService releases;

  public ReleaseController(ReleaseService releases) {
    this.releases = releases;
  }

  @GetMapping("/v1/releases")
  public Map<String, Object> list(@RequestParam(name = "limit", defaultValue = "50") String limit) {
    int rows;
    try {
      rows = Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      rows = -1;
    }
    if (rows < 1 || rows > ReleaseRepository.LIST_ROWS_MAX) {
      throw ApiException.invalid("invalid_parameter", "limit must be 1-" + ReleaseRepository.LIST_ROWS_MAX, "limit");
    }
    List<Map<String, Object>> data = releases.list(rows).stream().map(ReleaseJson::release).toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data);
    m.put("running", releases.running().map(ReleaseRecord::releaseId).orElse(null));
    return m;
  }

  @GetMapping("/v1/releases/{id}")
  public Map<String, Object> get(@PathVariable String id) {
    ReleaseRecord r = releases.require(Params.identifier(id, "id"));
    return detail(r);
  }

  /** {"percent": 0-100}: the share of accounts the candidate acts on. */
  @PostMapping("/v1/releases/{id}/percent")
  public Map<String, Object> percent(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("percent"));
    Object raw = body.get("percent");
    if (raw == null) throw ApiException.invalid("missing_field", "percent is required: {\"percent\": 25}", "percent");
    if (!(raw instanceof Integer) && !(raw instanceof Long)) {
      throw ApiException.invalid("invalid_percent", "percent must be a whole number from 0 to 100", "percent");
    }
    long p = ((Number) raw).longValue();
    if (p < 0 || p > 100) throw ApiException.invalid("invalid_percent", "percent must be a whole number from 0 to 100", "percent");
    return detail(releases.percent(Params.identifier(id, "id"), (int) p, Actor.of(request)));
  }

  /** Optional {"reason": "..."}. */
  @PostMapping("/v1/releases/{id}/stop")
  public Map<String, Object> stop(@PathVariable String id, HttpServletRequest request) {
    byte[] raw = Bodies.read(request);
    String reason = null;
    if (raw.length > 0) {
      Map<String, Object> body = Params.object(raw, Set.of("reason"));
      reason = Params.string(body, "reason", false, ReleaseService.REASON_CHARS_MAX);
    }
    return detail(releases.stop(Params.identifier(id, "id"), Actor.of(request), reason));
  }

  @PostMapping("/v1/releases/{id}/promote")
  public Map<String, Object> promote(@PathVariable String id, HttpServletRequest request) {
    return detail(releases.promote(Params.identifier(id, "id"), Actor.of(request)));
  }

  private Map<String, Object> detail(ReleaseRecord r) {
    Map<String, Object> m = ReleaseJson.release(r);
    m.put("comparison", releases.comparison(r));
    m.put("steps", releases.steps(r.releaseId()).stream().map(ReleaseJson::step).toList());
    return m;
  }
}
