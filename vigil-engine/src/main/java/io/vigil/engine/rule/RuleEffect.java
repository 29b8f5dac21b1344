package io.vigil.engine.rule;

/**
 * What a firing rule does: add points to the score, or force an action. {@code challengeKind} is
 * set only for a forced CHALLENGE. Either may also restrict the account for the events after this
 * one ({@code restrictKind} for {@code restrictMillis}), e.g. freeze it for a day on an
 * account-takeover pattern.
 */
public record RuleEffect(int points, ForcedAction forcedAction, String challengeKind,
    io.vigil.engine.restriction.RestrictionKind restrictKind, long restrictMillis) {
  public static final int POINTS_MIN = -100;
  public static final int POINTS_MAX = 100;
  public static final long RESTRICT_MILLIS_MIN = 60_000L;
  public static final long RESTRICT_MILLIS_MAX = 30L * 86_400_000L;

  public RuleEffect {
    if (restrictKind == io.vigil.engine.restriction.RestrictionKind.LOWER_LIMIT) {
      throw new IllegalArgumentException("a rule restricts with freeze, no_withdrawals or no_transfers_out");
    }
    if (restrictKind != null && (restrictMillis < RESTRICT_MILLIS_MIN || restrictMillis > RESTRICT_MILLIS_MAX)) {
      throw new IllegalArgumentException("a rule's restriction lasts 1 minute to 30 days");
    }
    if (restrictKind == null) restrictMillis = 0;
  }

  public RuleEffect(int points, ForcedAction forcedAction, String challengeKind) {
    this(points, forcedAction, challengeKind, null, 0);
  }

  /** The same effect, restricting the account too. */
  public RuleEffect restricting(io.vigil.engine.restriction.RestrictionKind kind, long millis) {
    return new RuleEffect(points, forcedAction, challengeKind, kind, millis);
  }

  /** The actions a rule may force. ALLOW is not one: only the allow list allows outright. */
  public enum ForcedAction { CHALLENGE, REVIEW, DENY }

  public static RuleEffect points(int points) {
    return new RuleEffect(points, null, null);
  }

  public static RuleEffect force(ForcedAction action, String challengeKind) {
    return new RuleEffect(0, action, action == ForcedAction.CHALLENGE ? challengeKind : null);
  }

  public boolean forces() {
    return forcedAction != null;
  }
}
