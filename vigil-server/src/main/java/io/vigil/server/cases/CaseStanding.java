package io.vigil.server.cases;

/**
 * Where a case stands for the decisions it holds: its status and, while it is closed, the verdict it
 * was closed with, when, and the case its verdict names as the one it duplicates (null unless it was
 * closed as a duplicate). A reopened case has no verdict until it is closed again.
 */
public record CaseStanding(String caseId, CaseStatus status, CaseVerdict verdict, String reasonCode, Long closedAtMillis,
    String duplicateOf) {

  public boolean closed() {
    return status.isClosed() && closedAtMillis != null;
  }

  public boolean closedAsDuplicate() {
    return closed() && duplicateOf != null;
  }
}
