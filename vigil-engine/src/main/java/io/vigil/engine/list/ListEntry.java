package io.vigil.engine.list;

/**
 * One list entry. {@code expiresAtMillis} is 0 for "never". For IP entries the value is an address
 * or a CIDR range such as {@code 203.0.113.0/24}.
 */
public record ListEntry(
    String id,
    ListKind kind,
    ListEntity entity,
    String value,
    String reason,
    String source,
    String createdBy,
    long createdAtMillis,
    long expiresAtMillis) {

  public boolean activeAt(long nowMillis) {
    return expiresAtMillis == 0 || nowMillis < expiresAtMillis;
  }
}
