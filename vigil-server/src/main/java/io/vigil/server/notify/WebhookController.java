package io.vigil.server.notify;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.api.Params;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.notify.WebhookDeliveryStore.Status;
import io.vigil.server.notify.WebhookEndpointStore.Row;
import io.vigil.server.security.Principals;
import io.vigil.server.security.StepUp;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook endpoints and their delivery log (permission {@code webhooks.manage}). Creating an
 * endpoint and rotating its secret show the secret once and need a fresh second factor
 * ({@link StepUp}), as API keys do; so does changing an endpoint's URL. Every change is recorded in the audit trail with the endpoint
 * before and after (never its secret).
 */
@RestController
public class WebhookController {
  static final int DESCRIPTION_CHARS_MAX = 256;
  static final int LIMIT_DEFAULT = 50;
  static final long OVERLAP_SECONDS_DEFAULT = 86_400;
  static final long OVERLAP_SECONDS_MAX = 7 * 86_400;
  private static final Pattern ENDPOINT_ID = Pattern.compile("whe_[a-f0-9]{32}");
  private static final Pattern DELIVERY_ID = Pattern.compile("msg_[a-f0-9]{32}");
  private final WebhookEndpoints endpoints;
  private final WebhookDeliveryStore deliveries;
  private final WebhookWorker worker;
  private final Clock clock;

  WebhookController(WebhookEndpoints endpoints, WebhookDeliveryStore deliveries, WebhookWorker worker, Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.worker = worker;
    this.clock = clock;
  }

  @PostMapping("/v1/webhooks/endpoints")
  public ResponseEntity<Map<String, Object>> create(HttpServletRequest request) {
    VigilPrincipal caller = Principals.current(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("url", "description", "event_types"));
    String url = WebhookUrls.check(Params.string(body, "url", true, WebhookUrls.CHARS_MAX), "url");
    String description = Params.string(body, "description", false, DESCRIPTION_CHARS_MAX);
    Set<String> types = eventTypes(body.get("event_types"), true);
    StepUp.require(caller, clock);
    WebhookEndpoints.Issued issued = endpoints.create(url, description, types, caller.id());
    Map<String, Object> json = json(issued.row());
    AuditContext.entity(request, "endpoint", issued.row().endpointId());
    AuditContext.before(request, null);
    AuditContext.after(request, json(issued.row()));
    json.put("secret", issued.secret());
    return ResponseEntity.status(HttpStatus.CREATED).body(json);
  }

  @GetMapping("/v1/webhooks/endpoints")
  public Map<String, Object> list() {
    List<Map<String, Object>> data = new ArrayList<>();
    for (Row r : endpoints.store().all()) data.add(json(r));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data);
    return m;
  }

  @GetMapping("/v1/webhooks/endpoints/{endpointId}")
  public Map<String, Object> one(@PathVariable String endpointId) {
    return json(find(endpointId));
  }

  @PutMapping("/v1/webhooks/endpoints/{endpointId}")
  public Map<String, Object> update(@PathVariable String endpointId, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("url", "description", "event_types", "enabled"));
    Row row = find(endpointId);
    String url = body.containsKey("url") ? WebhookUrls.check(Params.string(body, "url", true, WebhookUrls.CHARS_MAX), "url") : row.url();
    String description = body.containsKey("description") ? Params.string(body, "description", false, DESCRIPTION_CHARS_MAX)
        : row.description();
    Set<String> types = body.containsKey("event_types") ? eventTypes(body.get("event_types"), true) : row.eventTypes();
    boolean enabled = row.enabled();
    if (body.containsKey("enabled")) {
      if (!(body.get("enabled") instanceof Boolean b)) throw ApiException.invalid("wrong_type", "enabled must be true or false", "enabled");
      enabled = b;
    }
    // A new URL sends the events, and requests signed with the secret, somewhere else: as sensitive as a new endpoint.
    if (!url.equals(row.url())) StepUp.require(Principals.current(request), clock);
    Row updated = endpoints.update(new Row(row.endpointId(), url, description, types, enabled, row.secretSealed(),
        row.previousSecretSealed(), row.previousValidUntilMillis(), row.createdBy(), row.createdAtMillis(), row.updatedAtMillis()));
    if (updated == null) throw notFound();
    AuditContext.before(request, json(row));
    AuditContext.after(request, json(updated));
    if (updated.enabled() && !row.enabled()) worker.wake();
    return json(updated);
  }

  @DeleteMapping("/v1/webhooks/endpoints/{endpointId}")
  public Map<String, Object> delete(@PathVariable String endpointId, HttpServletRequest request) {
    Row row = find(endpointId);
    if (!endpoints.delete(endpointId)) throw notFound();
    AuditContext.before(request, json(row));
    AuditContext.after(request, null);
    Map<String, Object> json = json(row);
    json.put("deleted", true);
    return json;
  }

  @PostMapping("/v1/webhooks/endpoints/{endpointId}/rotate-secret")
  public Map<String, Object> rotate(@PathVariable String endpointId, HttpServletRequest request) {
    VigilPrincipal caller = Principals.current(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("overlap_seconds"));
    long overlap = overlapSeconds(body.get("overlap_seconds"));
    Row row = find(endpointId);
    StepUp.require(caller, clock);
    WebhookEndpoints.Issued rotated = endpoints.rotate(endpointId, overlap);
    if (rotated == null) throw notFound();
    AuditContext.before(request, json(row));
    AuditContext.after(request, json(rotated.row()));
    Map<String, Object> json = json(rotated.row());
    json.put("secret", rotated.secret());
    return json;
  }

  @GetMapping("/v1/webhooks/deliveries")
  public Map<String, Object> deliveries(@RequestParam(name = "endpoint_id", required = false) String endpointId,
      @RequestParam(name = "status", required = false) String status, @RequestParam(name = "limit", required = false) String limit) {
    if (endpointId != null && !ENDPOINT_ID.matcher(endpointId).matches()) {
      throw ApiException.invalid("invalid_parameter", "endpoint_id is whe_ and 32 hex digits", "endpoint_id");
    }
    Status s = status == null ? null : WebhookDeliveryStore.statusOf(status);
    if (status != null && s == null) throw ApiException.invalid("invalid_parameter", "status is pending, delivered or failed", "status");
    List<Map<String, Object>> data = new ArrayList<>();
    for (WebhookDeliveryStore.Row r : deliveries.newest(endpointId, s, limit(limit))) data.add(json(r));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data);
    return m;
  }

  @PostMapping("/v1/webhooks/deliveries/{deliveryId}/retry")
  public Map<String, Object> retry(@PathVariable String deliveryId, HttpServletRequest request) {
    Params.object(Bodies.read(request), Set.of());
    if (!DELIVERY_ID.matcher(deliveryId).matches()) {
      throw ApiException.invalid("invalid_parameter", "delivery_id is msg_ and 32 hex digits", "delivery_id");
    }
    WebhookDeliveryStore.Row before = deliveries.find(deliveryId)
        .orElseThrow(() -> ApiException.notFound("webhook_delivery_not_found", "No webhook delivery with this id", "delivery_id"));
    if (endpoints.store().find(before.endpointId()).isEmpty()) {
      throw ApiException.conflict("invalid_request_error", "webhook_delivery_not_retryable", "This delivery's endpoint was deleted",
          "delivery_id");
    }
    if (!deliveries.retry(deliveryId, clock.millis())) {
      throw ApiException.conflict("invalid_request_error", "webhook_delivery_not_retryable", "This delivery was delivered already",
          "delivery_id");
    }
    WebhookDeliveryStore.Row after = deliveries.find(deliveryId).orElseThrow();
    AuditContext.before(request, json(before));
    AuditContext.after(request, json(after));
    worker.wake();
    return json(after);
  }

  private Row find(String endpointId) {
    if (!ENDPOINT_ID.matcher(endpointId).matches()) {
      throw ApiException.invalid("invalid_parameter", "endpoint_id is whe_ and 32 hex digits", "endpoint_id");
    }
    return endpoints.store().find(endpointId).orElseThrow(WebhookController::notFound);
  }

  private static ApiException notFound() {
    return ApiException.notFound("webhook_endpoint_not_found", "No webhook endpoint with this id", "endpoint_id");
  }

  /** The subscribed types: known types or {@code *}, at least one, at most {@link WebhookEventTypes#SUBSCRIPTIONS_MAX}. */
  static Set<String> eventTypes(Object value, boolean required) {
    if (value == null) {
      if (required) throw ApiException.invalid("missing_field", "event_types is required", "event_types");
      return null;
    }
    if (!(value instanceof List<?> list)) throw ApiException.invalid("wrong_type", "event_types must be an array of strings", "event_types");
    if (list.isEmpty()) throw ApiException.invalid("missing_field", "event_types needs at least one type (or \"*\")", "event_types");
    if (list.size() > WebhookEventTypes.SUBSCRIPTIONS_MAX) {
      throw ApiException.invalid("too_many_items", "event_types holds at most " + WebhookEventTypes.SUBSCRIPTIONS_MAX + " types",
          "event_types");
    }
    Set<String> types = new TreeSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String t)) throw ApiException.invalid("wrong_type", "an event type is a string", "event_types[" + i + "]");
      if (!WebhookEventTypes.isSubscribable(t)) {
        throw ApiException.invalid("invalid_value", "An event type is one of " + String.join(", ", WebhookEventTypes.TYPES) + " or *",
            "event_types[" + i + "]");
      }
      types.add(t);
    }
    return types;
  }

  private static long overlapSeconds(Object value) {
    if (value == null) return OVERLAP_SECONDS_DEFAULT;
    if (!(value instanceof Integer || value instanceof Long)) {
      throw ApiException.invalid("wrong_type", "overlap_seconds must be an integer", "overlap_seconds");
    }
    long v = ((Number) value).longValue();
    if (v < 0 || v > OVERLAP_SECONDS_MAX) {
      throw ApiException.invalid("out_of_range", "overlap_seconds is 0 to " + OVERLAP_SECONDS_MAX + " (7 days)", "overlap_seconds");
    }
    return v;
  }

  private static int limit(String text) {
    if (text == null) return LIMIT_DEFAULT;
    int v;
    try {
      v = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      v = 0;
    }
    if (v < 1 || v > WebhookDeliveryStore.PAGE_MAX) {
      throw ApiException.invalid("invalid_parameter", "limit must be between 1 and " + WebhookDeliveryStore.PAGE_MAX, "limit");
    }
    return v;
  }

  static Map<String, Object> json(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.endpointId());
    m.put("url", r.url());
    m.put("description", r.description());
    m.put("event_types", List.copyOf(new TreeSet<>(r.eventTypes())));
    m.put("enabled", r.enabled());
    m.put("created_at", time(r.createdAtMillis()));
    m.put("created_by", r.createdBy());
    m.put("updated_at", time(r.updatedAtMillis()));
    m.put("previous_secret_valid_until", r.previousSecretSealed() == null ? null : time(r.previousValidUntilMillis()));
    return m;
  }

  static Map<String, Object> json(WebhookDeliveryStore.Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.deliveryId());
    m.put("endpoint_id", r.endpointId());
    m.put("event_type", r.eventType());
    m.put("status", WebhookDeliveryStore.code(r.status()));
    m.put("attempts", r.attempts());
    m.put("next_attempt_at", r.status() == Status.PENDING ? time(r.nextAttemptAtMillis()) : null);
    m.put("last_status_code", r.lastStatusCode());
    m.put("last_error", r.lastError());
    m.put("created_at", time(r.createdAtMillis()));
    m.put("delivered_at", time(r.deliveredAtMillis()));
    m.put("payload", Json.readMap(r.payload()));
    return m;
  }

  private static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
