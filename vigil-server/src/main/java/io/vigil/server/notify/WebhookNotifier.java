package io.vigil.server.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.server.api.Ids;
import io.vigil.server.api.Json;
import io.vigil.server.notify.WebhookDeliveryStore.Row;
import io.vigil.server.notify.WebhookDeliveryStore.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes an event to the webhook endpoints: {@link #publish} writes one delivery per enabled
 * endpoint subscribed to the event's type, in one transaction of its own, and wakes the
 * {@link WebhookWorker} to send them. It returns without waiting for any endpoint.
 *
 * <p>An endpoint holds at most {@code pending-per-endpoint-max} pending deliveries: an event beyond
 * that is recorded {@code failed} at once with {@code last_error} "pending limit reached" (no
 * attempt; it can be retried by hand), logged, and counted in {@code vigil.webhooks.deliveries.refused}.
 * So an endpoint that is down for days cannot grow the table without bound, and the log shows what it missed.
 */
public final class WebhookNotifier {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  /** Characters of an event's JSON payload at most (the {@code payload} column holds 70,000). */
  public static final int PAYLOAD_CHARS_MAX = 64 * 1024;
  static final String PENDING_LIMIT = "pending limit reached";

  private final WebhookEndpointStore endpoints;
  private final WebhookDeliveryStore deliveries;
  private final WebhookWorker worker;
  private final Clock clock;
  private final int pendingPerEndpointMax;
  private final Counter refused;

  WebhookNotifier(WebhookEndpointStore endpoints, WebhookDeliveryStore deliveries, WebhookWorker worker, Clock clock,
      int pendingPerEndpointMax, MeterRegistry meters) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.worker = worker;
    this.clock = clock;
    this.pendingPerEndpointMax = pendingPerEndpointMax;
    this.refused = Counter.builder("vigil.webhooks.deliveries.refused")
        .description("Webhook events not queued for an endpoint because it had too many pending deliveries").register(meters);
  }

  /**
   * Queues the event {@code {"type", "timestamp", "data"}} for every enabled endpoint subscribed to
   * its type (or to {@code *}); returns how many deliveries were queued (0 when no endpoint wants it,
   * or when the database failed: logged). The data must be JSON-writable (maps, lists, strings,
   * numbers, booleans) and must not hold personal data: it is stored and sent as is.
   *
   * @throws IllegalArgumentException for a type not in {@link WebhookEventTypes#TYPES}, or data whose
   *     JSON is longer than {@link #PAYLOAD_CHARS_MAX} (both are programming errors)
   */
  public int publish(String eventType, Map<String, Object> data) {
    if (!WebhookEventTypes.isKnown(eventType)) throw new IllegalArgumentException("not a webhook event type: " + eventType);
    Objects.requireNonNull(data, "data");
    long now = clock.millis();
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", eventType);
    event.put("timestamp", Instant.ofEpochMilli(now).toString());
    event.put("data", data);
    String payload = Json.write(event);
    if (payload.length() > PAYLOAD_CHARS_MAX) {
      throw new IllegalArgumentException("a webhook payload is at most " + PAYLOAD_CHARS_MAX + " characters, not " + payload.length());
    }
    try {
      int queued = queue(eventType, payload, now);
      if (queued > 0) worker.wake();
      return queued;
    } catch (RuntimeException e) {
      log.error("webhook event {} was not queued: {}", eventType, e.getClass().getSimpleName());
      return 0;
    }
  }

  private int queue(String eventType, String payload, long now) {
    List<Row> rows = new ArrayList<>();
    Map<String, Long> pending = null;
    int queued = 0;
    for (WebhookEndpointStore.Row endpoint : endpoints.enabled()) {
      if (!WebhookEventTypes.matches(endpoint.eventTypes(), eventType)) continue;
      if (pending == null) pending = deliveries.pendingCounts();
      String id = Ids.random("msg_");
      if (pending.getOrDefault(endpoint.endpointId(), 0L) >= pendingPerEndpointMax) {
        rows.add(new Row(id, endpoint.endpointId(), eventType, payload, Status.FAILED, 0, now, null, PENDING_LIMIT, now, null));
        refused.increment();
        log.warn("webhook delivery {} of {} to endpoint {} refused: {} deliveries pending", id, eventType, endpoint.endpointId(),
            pendingPerEndpointMax);
        continue;
      }
      rows.add(new Row(id, endpoint.endpointId(), eventType, payload, Status.PENDING, 0, now, null, null, now, null));
      queued++;
    }
    deliveries.insertAll(rows);
    return queued;
  }
}
