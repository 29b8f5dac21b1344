package io.vigil.server.change;

import java.util.Map;

/**
 * One proposed configuration change and where it stands. {@code proposed} and {@code difference}
 * are JSON-ready values; times are epoch milliseconds (0 or null: not set).
 */
public record ChangeRequest(
    String id,
    String kind,
    String author,
    String reason,
    Map<String, Object> proposed,
    Map<String, Object> difference,
    long baseVersion,
    String status,
    long createdAtMillis,
    long expiresAtMillis,
    String decidedBy,
    Long decidedAtMillis,
    Long goLiveAtMillis,
    String releaseId,
    Long liveVersion,
    boolean emergency,
    boolean reviewRequired,
    String reviewedBy,
    Long reviewedAtMillis,
    Long rollbackToVersion) {

  public static final String PENDING = "pending";
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";
  public static final String WITHDRAWN = "withdrawn";
  public static final String EXPIRED = "expired";
  public static final String LIVE = "live";
  public static final String SUPERSEDED = "superseded";

  /** One entry of the append-only history. */
  public record Event(int seq, long atMillis, String actor, String action, String note) {}
}
