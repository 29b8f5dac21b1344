package io.vigil.engine.restriction;

/**
 * One restriction on an account: what it stops, who set it and why, and until when.
 *
 * @param source {@code operator} (through the API), {@code holder} (the account holder's one-click
 *     lock), {@code challenges} (repeated failed challenges) or {@code rule} (a firing rule)
 * @param expiresAtMillis 0 for no expiry
 * @param liftedAtMillis 0 while not lifted
 * @param dailyLimitMinor for {@link RestrictionKind#LOWER_LIMIT}: the account's daily cap on money
 *     out, in minor units of {@code currency}; 0 and null for every other kind
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
    long liftedAtMillis,
    long dailyLimitMinor,
    String currency) {

  public static final String SOURCE_OPERATOR = "operator";
  public static final String SOURCE_HOLDER = "holder";
  public static final String SOURCE_CHALLENGES = "challenges";
  public static final String SOURCE_RULE = "rule";

  public Restriction {
    if ((kind == RestrictionKind.LOWER_LIMIT) != (dailyLimitMinor > 0 && currency != null)) {
      throw new IllegalArgumentException("a lower_limit restriction, and only it, has a daily limit and a currency");
    }
  }

  /** A restriction of a kind without a limit. */
  public Restriction(String id, String accountId, RestrictionKind kind, String source, String reason, String createdBy,
      long createdAtMillis, long expiresAtMillis, long liftedAtMillis) {
    this(id, accountId, kind, source, reason, createdBy, createdAtMillis, expiresAtMillis, liftedAtMillis, 0, null);
  }

  /** For a lower_limit: the daily limit it imposes, as a limit of the policy would (DENY on breach). */
  public io.vigil.engine.limit.LimitDefinition asLimit() {
    if (kind != RestrictionKind.LOWER_LIMIT) return null;
    return new io.vigil.engine.limit.LimitDefinition("restriction_" + id.replaceAll("[^a-z0-9_]", "_").toLowerCase(java.util.Locale.ROOT),
        reason, io.vigil.engine.limit.LimitPeriod.DAILY, currency, dailyLimitMinor, null, java.util.Set.of(), java.util.Set.of(),
        java.util.Set.of(), java.util.Set.of(), io.vigil.engine.policy.Action.DENY, null);
  }

  public boolean activeAt(long nowMillis) {
    // Not "created at or before now": a wall clock stepped back must not switch a lock off.
    return liftedAtMillis == 0 && (expiresAtMillis == 0 || nowMillis < expiresAtMillis);
  }

  public Restriction lifted(long atMillis) {
    return new Restriction(id, accountId, kind, source, reason, createdBy, createdAtMillis, expiresAtMillis, atMillis,
        dailyLimitMinor, currency);
  }
}
