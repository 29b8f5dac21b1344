package io.vigil.engine.rule;

/**
 * What a firing rule does: add points to the score, or force an action. {@code challengeKind} is
 * set only for a forced CHALLENGE.
 */
public record RuleEffect(int points, ForcedAction forcedAction, String challengeKind) {
  public static final int POINTS_MIN = -100;
  public static final int POINTS_MAX = 100;

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
