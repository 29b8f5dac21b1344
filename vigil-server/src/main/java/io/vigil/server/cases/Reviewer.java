package io.vigil.server.cases;

/**
 * Who acts on a case: the signed-in operator's id, and whether they supervise (a supervisor may work
 * any queue and act for others).
 */
public record Reviewer(String id, boolean supervisor) {
  /** Vigil itself: automatic assignment, deadlines. */
  public static final Reviewer SYSTEM = new Reviewer("system", true);
}
