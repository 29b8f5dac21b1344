package io.vigil.server.cases;

import java.util.List;

/** A case with the decisions it groups and the entities it concerns. */
public record CaseView(CaseRecord record, List<LinkedDecision> decisions, List<Entity> entities) {
  public CaseView {
    decisions = List.copyOf(decisions);
    entities = List.copyOf(entities);
  }

  /** A decision of the case and why it joined. */
  public record LinkedDecision(String decisionId, CaseOrigin origin, long addedAtMillis) {}

  /** A party the case concerns: {@code account}, {@code merchant}, {@code counterparty} … and its id. */
  public record Entity(String type, String value) {}

  public String caseId() {
    return record.caseId();
  }
}
