package io.vigil.server.cases.sla;

/**
 * Runs one pass of the SLA sweep on the caller's thread, for tools that drive the server's clock
 * themselves (the review simulation): with the scheduled sweep off, the pass happens at the
 * simulated moments the tool chooses instead of every few real seconds.
 */
public final class SlaSweepDriver {
  private SlaSweepDriver() {}

  /** One pass; the number of due cases it read. */
  public static int runOnce(SlaSweep sweep) {
    return sweep.runOnce();
  }
}
