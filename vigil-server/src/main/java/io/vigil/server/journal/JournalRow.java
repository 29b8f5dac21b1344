package io.vigil.server.journal;

import io.vigil.engine.journal.JournalRecord;

/**
 * One row of the decisions table: the chained record plus the columns derived from it for
 * queries. {@link io.vigil.server.journal.JournalVerifier} checks the derived columns against the
 * record, so they cannot be altered unnoticed either.
 */
public record JournalRow(
    JournalRecord record,
    String eventType,
    String accountId,
    String merchantId,
    long occurredAtMillis,
    String action,
    int score,
    String riskLevel,
    Long amountMinor,
    String currency) {}
