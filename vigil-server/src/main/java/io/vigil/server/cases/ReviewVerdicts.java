package io.vigil.server.cases;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verdict that decides a decision waiting for review, read from the case that holds it for its
 * review (the case it joined with that origin): {@code confirmed_fraud} or {@code legitimate} once
 * that case is closed with one. A case closed as a duplicate takes the verdict of the case it
 * duplicates (followed up to {@link #DUPLICATE_HOPS_MAX} cases); the decision is then decided when the
 * later of the two was closed. Nothing decides it while a case on the way is open or reopened (a
 * reopened case waits for its next verdict) or was closed {@code inconclusive}. Reads a page of
 * decisions in one query and one more per level of duplicates.
 */
public final class ReviewVerdicts {
  /** Cases closed as duplicates followed from the decision's own case; duplicates form no cycle (see the verdict service). */
  static final int DUPLICATE_HOPS_MAX = 8;

  private final CaseRepository cases;

  public ReviewVerdicts(CaseRepository cases) {
    this.cases = cases;
  }

  /** The verdict that decided a decision: of which case, and when the decision counts as decided. */
  public record Found(CaseVerdict verdict, String caseId, long atMillis) {
    public Found {
      assert verdict == CaseVerdict.CONFIRMED_FRAUD || verdict == CaseVerdict.LEGITIMATE : verdict;
      assert atMillis > 0 : atMillis;
    }
  }

  /**
   * For each decision, the origin of the link to the case that holds it for review ({@code review}
   * for a REVIEW, {@code hold} for a held payment); the decided ones, by decision id.
   */
  public Map<String, Found> of(Map<String, CaseOrigin> reviewOrigins) {
    Map<String, CaseStanding> start = new HashMap<>();
    for (Map.Entry<String, List<DecisionCase>> e : cases.casesOfDecisions(reviewOrigins.keySet()).entrySet()) {
      CaseOrigin wanted = reviewOrigins.get(e.getKey());
      for (DecisionCase d : e.getValue()) {
        if (d.origin() == wanted) start.put(e.getKey(), d.standing());
      }
    }
    Map<String, CaseStanding> known = readDuplicated(start.values());
    Map<String, Found> out = new HashMap<>();
    for (Map.Entry<String, CaseStanding> e : start.entrySet()) {
      Found f = follow(e.getValue(), known);
      if (f != null) out.put(e.getKey(), f);
    }
    return out;
  }

  /** The cases the starting cases were closed as duplicates of, level by level; a case that does not exist maps to null. */
  private Map<String, CaseStanding> readDuplicated(Collection<CaseStanding> starts) {
    Map<String, CaseStanding> known = new HashMap<>();
    for (CaseStanding s : starts) known.put(s.caseId(), s);
    for (int level = 0; level < DUPLICATE_HOPS_MAX; level++) {
      Set<String> missing = new HashSet<>();
      for (CaseStanding s : starts) {
        String next = unreadTarget(s, known);
        if (next != null) missing.add(next);
      }
      if (missing.isEmpty()) break;
      Map<String, CaseStanding> read = cases.standings(missing);
      for (String id : missing) known.put(id, read.get(id));
    }
    return known;
  }

  /** The first case on the way from {@code s} not read yet; null when the way ends among the cases read. */
  private static String unreadTarget(CaseStanding s, Map<String, CaseStanding> known) {
    CaseStanding at = s;
    for (int hop = 0; hop < DUPLICATE_HOPS_MAX && at != null && at.closedAsDuplicate(); hop++) {
      if (!known.containsKey(at.duplicateOf())) return at.duplicateOf();
      at = known.get(at.duplicateOf());
    }
    return null;
  }

  /** The verdict at the end of the way from {@code s}, decided when the last case on the way closed; null while none decides. */
  static Found follow(CaseStanding s, Map<String, CaseStanding> known) {
    long atMillis = 0;
    CaseStanding at = s;
    for (int hop = 0; hop <= DUPLICATE_HOPS_MAX && at != null && at.closed(); hop++) {
      atMillis = Math.max(atMillis, at.closedAtMillis());
      if (at.duplicateOf() == null) {
        boolean finding = at.verdict() == CaseVerdict.CONFIRMED_FRAUD || at.verdict() == CaseVerdict.LEGITIMATE;
        return finding ? new Found(at.verdict(), at.caseId(), atMillis) : null;
      }
      at = known.get(at.duplicateOf());
    }
    return null;
  }
}
