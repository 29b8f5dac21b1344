package io.vigil.bench;

/**
 * How late the open-loop scheduler woke for its sends: a generator short of CPU sends late, and
 * since latency runs from the intended send time, its own lateness is in the figures it reports.
 *
 * @param maxMillis the latest send of the whole run, warm-up included
 * @param measuredMaxMillis the latest send of the measured phase
 * @param measuredMeanMicros the mean lateness of the measured phase's sends
 * @param measuredLateOverMillis sends of the measured phase more than 1 ms late
 */
record SchedulerLag(double maxMillis, double measuredMaxMillis, double measuredMeanMicros, long measuredLateOverMillis) {
  /** A closed loop has no schedule. */
  static final SchedulerLag NONE = new SchedulerLag(0, 0, 0, 0);
}
