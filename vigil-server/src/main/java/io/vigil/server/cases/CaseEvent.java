package io.vigil.server.cases;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One entry of a case's append-only timeline; {@code detail} may hold nulls (a cleared assignee). */
public record CaseEvent(String caseId, int seq, long atMillis, String actor, String kind, Map<String, Object> detail) {
  public CaseEvent {
    detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
  }
}
