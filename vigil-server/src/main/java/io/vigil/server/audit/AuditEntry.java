package io.vigil.server.audit;

/**
 * One thing to record: who ({@code actorKind} operator, api_key or anonymous; {@code actorId} the
 * username, key id or "anonymous"; {@code claimedId} the key id or username an unauthenticated caller
 * named), from where ({@code sourceIp}, {@code userAgent}), when, what (method, route pattern, the
 * entity its path names, an action name, before and after as JSON) and the outcome (HTTP status and
 * error code). Never a secret: {@link AuditRedaction} has removed them from before and after.
 * In an {@link AuditRow} read from the store, {@code sourceIp} is the sealed text as stored.
 */
public record AuditEntry(
    long atMillis,
    String actorKind,
    String actorId,
    String claimedId,
    String sourceIp,
    String userAgent,
    String method,
    String route,
    String entityType,
    String entityId,
    String pathParams,
    String action,
    String beforeJson,
    String afterJson,
    int status,
    String errorCode) {
  public static final String OPERATOR = "operator";
  public static final String API_KEY = "api_key";
  public static final String ANONYMOUS = "anonymous";
  /** The actor of the rows Vigil writes itself (a note of dropped rows). */
  public static final String SYSTEM = "system";

  static final int ACTOR_CHARS_MAX = 128;
  static final int USER_AGENT_CHARS_MAX = 256;
  static final int ROUTE_CHARS_MAX = 256;
  static final int ENTITY_TYPE_CHARS_MAX = 32;
  static final int ENTITY_ID_CHARS_MAX = 255;
  static final int PATH_PARAMS_CHARS_MAX = 2048;
  static final int ACTION_CHARS_MAX = 64;
  static final int ERROR_CODE_CHARS_MAX = 64;
  /** Before and after are each at most this long; a larger value is replaced by its size and digest. */
  public static final int JSON_CHARS_MAX = 16_384;

  /**
   * An entry to record, cut to the column sizes with control characters replaced ({@link Bounded}).
   * The canonical constructor keeps its values as given: rows read back must hash as stored.
   */
  public static AuditEntry of(long atMillis, String actorKind, String actorId, String claimedId, String sourceIp,
      String userAgent, String method, String route, String entityType, String entityId, String pathParams, String action,
      String beforeJson, String afterJson, int status, String errorCode) {
    if (actorKind == null || actorId == null || method == null || route == null || action == null) {
      throw new IllegalArgumentException("an audit entry names its actor, method, route and action");
    }
    if (status < 100 || status > 599) throw new IllegalArgumentException("status " + status + " is not an HTTP status");
    return new AuditEntry(atMillis, actorKind, Bounded.text(actorId, ACTOR_CHARS_MAX), Bounded.text(claimedId, ACTOR_CHARS_MAX),
        sourceIp, Bounded.text(userAgent, USER_AGENT_CHARS_MAX), Bounded.text(method, 8), Bounded.text(route, ROUTE_CHARS_MAX),
        Bounded.text(entityType, ENTITY_TYPE_CHARS_MAX), Bounded.text(entityId, ENTITY_ID_CHARS_MAX),
        pathParams != null && pathParams.length() > PATH_PARAMS_CHARS_MAX ? null : pathParams,
        Bounded.text(action, ACTION_CHARS_MAX), Bounded.json(beforeJson), Bounded.json(afterJson), status,
        Bounded.text(errorCode, ERROR_CODE_CHARS_MAX));
  }

  /** This entry with the stored form of the source address. */
  AuditEntry withSourceIp(String stored) {
    return new AuditEntry(atMillis, actorKind, actorId, claimedId, stored, userAgent, method, route, entityType, entityId,
        pathParams, action, beforeJson, afterJson, status, errorCode);
  }
}
