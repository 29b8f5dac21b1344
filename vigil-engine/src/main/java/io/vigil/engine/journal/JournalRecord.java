package io.vigil.engine.journal;

/**
 * One stored decision as the journal chains it. {@code sequence} starts at 1 and has no gaps;
 * {@code previousHash} is the hash of row sequence-1 (64 zeros for the first row).
 */
public record JournalRecord(
    long sequence,
    String decisionId,
    String eventId,
    long recordedAtMillis,
    long policyVersion,
    String requestHash,
    String eventJson,
    String responseJson,
    String previousHash,
    String hash) {}
