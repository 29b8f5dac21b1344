package io.vigil.server.notify;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.notify.WebhookEndpointStore.Row;
import io.vigil.server.security.SecretBox;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Webhook endpoints: creating one (with a new secret, shown once), changing, deleting, rotating the
 * secret, and opening the secrets a delivery is signed with. Secrets are sealed with the server's
 * {@link SecretBox}, bound to the endpoint id, as API key secrets are.
 */
final class WebhookEndpoints {
  /** An endpoint just created or rotated, with its secret: the one time the secret is shown. */
  record Issued(Row row, String secret) {}

  private final WebhookEndpointStore store;
  private final WebhookDeliveryStore deliveries;
  private final SecretBox box;
  private final Clock clock;

  WebhookEndpoints(WebhookEndpointStore store, WebhookDeliveryStore deliveries, SecretBox box, Clock clock) {
    this.store = store;
    this.deliveries = deliveries;
    this.box = box;
    this.clock = clock;
  }

  WebhookEndpointStore store() {
    return store;
  }

  synchronized Issued create(String url, String description, Set<String> eventTypes, String actor) {
    if (store.count() >= WebhookEndpointStore.ENDPOINTS_MAX) {
      throw ApiException.conflict("invalid_request_error", "webhook_endpoints_full",
          "There are " + WebhookEndpointStore.ENDPOINTS_MAX + " webhook endpoints already; delete one first", null);
    }
    String id = Ids.random("whe_");
    byte[] key = WebhookSignature.newKey();
    long now = clock.millis();
    Row row = new Row(id, url, description, Set.copyOf(eventTypes), true, seal(id, key), null, null, actor, now, now);
    store.insert(row);
    return new Issued(store.find(id).orElseThrow(), WebhookSignature.secretText(key));
  }

  /** Writes the changed fields; null when the endpoint is gone. */
  Row update(Row changed) {
    Row r = new Row(changed.endpointId(), changed.url(), changed.description(), changed.eventTypes(), changed.enabled(),
        changed.secretSealed(), changed.previousSecretSealed(), changed.previousValidUntilMillis(), changed.createdBy(),
        changed.createdAtMillis(), clock.millis());
    return store.update(r) ? store.find(r.endpointId()).orElse(null) : null;
  }

  /** Deletes the endpoint; its pending deliveries end failed (the log stays). False when it was gone. */
  boolean delete(String endpointId) {
    if (!store.delete(endpointId)) return false;
    deliveries.failPending(endpointId, "endpoint deleted");
    return true;
  }

  /** A new secret; the current one keeps signing (a second signature) for overlapSeconds. Null when the endpoint is gone. */
  synchronized Issued rotate(String endpointId, long overlapSeconds) {
    Row row = store.find(endpointId).orElse(null);
    if (row == null) return null;
    byte[] key = WebhookSignature.newKey();
    long now = clock.millis();
    long until = now + TimeUnit.SECONDS.toMillis(overlapSeconds);
    String previous = overlapSeconds == 0 ? null : row.secretSealed();
    if (!store.rotate(endpointId, seal(endpointId, key), previous, until, now)) return null;
    return new Issued(store.find(endpointId).orElseThrow(), WebhookSignature.secretText(key));
  }

  /** The keys a delivery to this endpoint is signed with now: the current one, and the previous one during a rotation's overlap. */
  List<byte[]> signingKeys(Row row, long nowMillis) {
    List<byte[]> keys = new ArrayList<>(2);
    keys.add(open(row.endpointId(), row.secretSealed()));
    if (row.previousSecretSealed() != null && row.previousValidUntilMillis() != null && nowMillis < row.previousValidUntilMillis()) {
      keys.add(open(row.endpointId(), row.previousSecretSealed()));
    }
    return keys;
  }

  private String seal(String endpointId, byte[] key) {
    return Base64.getEncoder().encodeToString(box.seal(key, endpointId.getBytes(StandardCharsets.UTF_8)));
  }

  private byte[] open(String endpointId, String sealed) {
    return box.open(Base64.getDecoder().decode(sealed), endpointId.getBytes(StandardCharsets.UTF_8));
  }
}
