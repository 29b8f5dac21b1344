package io.vigil.server.state;

/**
 * The last committed journal row (sequence and hash) in one epoch of the in-memory state; the
 * pipeline starts a new epoch at each rebuild. A checkpoint captured at sequence S in epoch E is
 * valid once the head of epoch E reaches S: its decisions are then all in the journal.
 */
public record CommittedHead(long epoch, long sequence, String hash) {}
