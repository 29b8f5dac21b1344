package io.vigil.server.audit;

/**
 * A stored row of the audit trail: its place in the chain, what was recorded (with the source
 * address in its sealed, stored form) and the hashes that chain it ({@link AuditHash}).
 */
public record AuditRow(long seq, AuditEntry entry, String prevHash, String hash) {}
