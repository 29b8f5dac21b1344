package io.vigil.engine.restriction;

/**
 * One restriction on an account: what it stops, who set it and why, and until when.
 *
 * @param source {@code operator} (through the API), {@code holder} (the account holder's one-click
 *     lock) or {@code challenges} (repeated failed challenges)
 * @param expiresAtMillis 0 for no expiry
 * @param liftedAtMillis 0 while not lifted
 */
public record Restriction(
    String id,
    String accountId,
    RestrictionKind kind,
    String source,
    String reason,
    String createdBy,
    long createdAtMillis,
    long expiresAtMillis,
    long liftedAtMillis) {

  public static final String SOURCE_OPERATOR = "operator";
  public static final String SOURCE_HOLDER = "holder";
  public static final String SOURCE_CHALLENGES = "challenges";

  public boolean activeAt(long nowMillis) {
    // Not "created at or before now": a wall clock stepped back must not switch a lock off.
    return liftedAtMillis == 0 && (expiresAtMillis == 0 || nowMillis < expiresAtMillis);
  }

  public Restriction lifted(long atMillis) {
    return new Restriction(id, accountId, kind, source, reason, createdBy, createdAtMillis, expiresAtMillis, atMillis);
  }
}
