package io.vigil.server.policy.release;

/** One stored release. {@code endSequence} is 0 while it runs; the ended fields are null until it ends. */
public record ReleaseRecord(String releaseId, String changeRequestId, ReleaseMode mode, ReleaseStatus status, int percent,
    long baseVersion, long candidateVersion, String candidateDocument, long startSequence, long endSequence,
    String startedBy, long startedAtMillis, String endedBy, Long endedAtMillis, String endReason) {

  public ReleaseRecord withPercent(int newPercent) {
    return new ReleaseRecord(releaseId, changeRequestId, mode, status, newPercent, baseVersion, candidateVersion,
        candidateDocument, startSequence, endSequence, startedBy, startedAtMillis, endedBy, endedAtMillis, endReason);
  }

  public ReleaseRecord ended(ReleaseStatus newStatus, long atSequence, String actor, long atMillis, String reason) {
    return new ReleaseRecord(releaseId, changeRequestId, mode, newStatus, percent, baseVersion, candidateVersion,
        candidateDocument, startSequence, atSequence, startedBy, startedAtMillis, actor, atMillis, reason);
  }
}
