package io.vigil.server.security;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.security.ApiKeyStore.Row;
import io.vigil.server.security.ApiKeyStore.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys, held in memory with their secrets opened so that checking a signed request costs no
 * database round trip; every change goes to the store first, then to the table here. The table is
 * also reloaded from the store every few seconds, for keys changed by another instance.
 */
public final class ApiKeys implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 32;

  /** A key as the verifier needs it. {@code previous} is valid until {@code previousValidUntilMillis}. */
  public record Key(String id, VigilPrincipal principal, boolean revoked, Long expiresAtMillis, SecretKeySpec current,
      SecretKeySpec previous, long previousValidUntilMillis) {
    public boolean expiredAt(long nowMillis) {
      return expiresAtMillis != null && nowMillis >= expiresAtMillis;
    }

    /** The secrets a signature may be made with now: the current one, and the previous one during a rotation's overlap. */
    public List<SecretKeySpec> secretsAt(long nowMillis) {
      if (current == null) return List.of();
      if (previous != null && nowMillis < previousValidUntilMillis) return List.of(current, previous);
      return List.of(current);
    }
  }

  /** A key just issued or rotated, with its secret: the one time the secret is shown. */
  public record Issued(Row row, String secret) {}

  private final ApiKeyStore store;
  private final SecretBox box;
  private final Clock clock;
  private volatile Map<String, Key> byId = Map.of();
  private ScheduledExecutorService refresher;

  public ApiKeys(ApiKeyStore store, SecretBox box, Clock clock) {
    this.store = store;
    this.box = box;
    this.clock = clock;
  }

  /** The key with this id, or null; revoked, destroyed and expired keys are here too, so they are refused as such. */
  public Key find(String keyId) {
    return byId.get(keyId);
  }

  public ApiKeyStore store() {
    return store;
  }

  /** Reads every key from the store and opens the secrets of the active ones. */
  public synchronized void reload() {
    Map<String, Key> next = new HashMap<>();
    for (Row r : store.all()) next.put(r.keyId(), key(r));
    byId = Map.copyOf(next);
  }

  /** Reloads every {@code seconds} on a daemon thread, until closed. */
  public synchronized void refreshEvery(long seconds) {
    if (refresher != null) throw new IllegalStateException("already refreshing");
    refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-api-key-refresh");
      t.setDaemon(true);
      return t;
    });
    refresher.scheduleWithFixedDelay(() -> {
      try {
        reload();
      } catch (RuntimeException e) {
        log.warn("reloading the API keys failed; the keys loaded before stay in use: {}", e.getClass().getSimpleName());
      }
    }, seconds, seconds, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void close() {
    if (refresher != null) refresher.shutdownNow();
  }

  /** Issues a new active key. */
  public synchronized Issued issue(String owner, Set<ApiScope> scopes, Long expiresAtMillis, String actor) {
    return issue(Ids.random("vk_"), newSecret(), owner, scopes, expiresAtMillis, actor);
  }

  synchronized Issued issue(String keyId, String secret, String owner, Set<ApiScope> scopes, Long expiresAtMillis, String actor) {
    if (scopes.isEmpty()) throw new IllegalArgumentException("a key needs at least one scope");
    if (store.count() >= ApiKeyStore.KEYS_MAX) {
      throw ApiException.conflict("invalid_request_error", "api_keys_full",
          "There are " + ApiKeyStore.KEYS_MAX + " keys already (revoked and destroyed ones count); none was issued", null);
    }
    long now = clock.millis();
    Row row = new Row(keyId, owner, Set.copyOf(scopes), Status.ACTIVE, now, actor, expiresAtMillis, seal(keyId, secret), null, null,
        null, null, null);
    store.insert(row);
    store.recordEvent(keyId, "issued", actor, now, "scopes=" + ApiKeyStore.scopesText(scopes));
    reload();
    return new Issued(row, secret);
  }

  /** A new secret for an active key; the old one stays valid for overlapSeconds. Null when the key is not active. */
  public synchronized Issued rotate(String keyId, long overlapSeconds, String actor) {
    Row row = store.find(keyId).orElse(null);
    if (row == null || row.status() != Status.ACTIVE) return null;
    long now = clock.millis();
    String secret = newSecret();
    long until = now + TimeUnit.SECONDS.toMillis(overlapSeconds);
    if (!store.rotate(keyId, seal(keyId, secret), row.secretSealed(), until, now)) return null;
    store.recordEvent(keyId, "rotated", actor, now, "overlap_seconds=" + overlapSeconds);
    reload();
    return new Issued(store.find(keyId).orElseThrow(), secret);
  }

  /** Revokes an active key; false when it is not active. */
  public synchronized boolean revoke(String keyId, String actor) {
    long now = clock.millis();
    if (!store.revoke(keyId, now)) return false;
    store.recordEvent(keyId, "revoked", actor, now, null);
    reload();
    return true;
  }

  /** Destroys a key's secret material; false when unknown or destroyed already. */
  public synchronized boolean destroy(String keyId, String actor) {
    long now = clock.millis();
    if (!store.destroy(keyId, now)) return false;
    store.recordEvent(keyId, "destroyed", actor, now, null);
    reload();
    return true;
  }

  /** Sets an active key's secret to this one (the demo key from a setting). */
  synchronized void replaceSecret(String keyId, String secret, String actor) {
    if (store.replaceSecret(keyId, seal(keyId, secret))) {
      store.recordEvent(keyId, "secret_set", actor, clock.millis(), "from the setting vigil.security.demo-api-key.secret");
    }
    reload();
  }

  /** Whether this key's current secret is this one. */
  synchronized boolean hasSecret(String keyId, String secret) {
    Key k = byId.get(keyId);
    return k != null && k.current() != null && MessageDigest.isEqual(k.current().getEncoded(),
        secret.getBytes(StandardCharsets.UTF_8));
  }

  /** A new random secret: {@code vks_} and 43 base64url characters (256 bits). */
  public static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return "vks_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private String seal(String keyId, String secret) {
    return Base64.getEncoder().encodeToString(box.seal(secret.getBytes(StandardCharsets.UTF_8), keyId.getBytes(StandardCharsets.UTF_8)));
  }

  private SecretKeySpec open(String keyId, String sealed) {
    if (sealed == null) return null;
    byte[] secret = box.open(Base64.getDecoder().decode(sealed), keyId.getBytes(StandardCharsets.UTF_8));
    return new SecretKeySpec(secret, "HmacSHA256");
  }

  private Key key(Row r) {
    VigilPrincipal principal = new VigilPrincipal(VigilPrincipal.Kind.API_KEY, r.keyId(), ApiScope.permissionsOf(r.scopes()), 0);
    boolean active = r.status() == Status.ACTIVE;
    SecretKeySpec current = active ? open(r.keyId(), r.secretSealed()) : null;
    SecretKeySpec previous = active ? open(r.keyId(), r.previousSecretSealed()) : null;
    long previousUntil = r.previousValidUntilMillis() == null ? 0 : r.previousValidUntilMillis();
    return new Key(r.keyId(), principal, !active, r.expiresAtMillis(), current, previous, previousUntil);
  }

}
