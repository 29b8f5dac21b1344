package io.vigil.server.cases.verdict;

import io.vigil.engine.restriction.Restriction;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.api.ApiException;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseVerdict;
import io.vigil.server.cases.CaseView;
import io.vigil.server.cases.Reviewer;
import io.vigil.server.hold.HoldService;
import io.vigil.server.hold.HoldState;
import io.vigil.server.list.ListService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closing a case with a verdict, and what the verdict does. Everything the reviewer asked is checked
 * first (a list entry the list would refuse, a hold the reviewer may not release); then the case is
 * closed and the verdict stored with its effects in one transaction, against the version of the case
 * the effects were planned on; then the effects are applied ({@link VerdictEffects}), each once.
 * A failure after the close leaves the effect for the re-applier: never half-written, never lost.
 */
public final class VerdictService {
  private static final Logger log = LoggerFactory.getLogger(VerdictService.class);
  /** The reason code of a close as duplicate. */
  public static final String REASON_DUPLICATE = "duplicate";

  private final CaseService cases;
  private final VerdictRepository verdicts;
  private final VerdictEffects effects;
  private final HoldService holds;
  private final RestrictionService restrictions;
  private final ListService lists;

  public VerdictService(CaseService cases, VerdictRepository verdicts, VerdictEffects effects, HoldService holds,
      RestrictionService restrictions, ListService lists) {
    this.cases = cases;
    this.verdicts = verdicts;
    this.effects = effects;
    this.holds = holds;
    this.restrictions = restrictions;
    this.lists = lists;
  }

  /** The case as closed, the stored verdict and its effects as they stand after the first attempt. */
  public record Closed(CaseRecord record, VerdictRepository.Stored verdict, List<VerdictRepository.Effect> effects) {}

  public Closed close(String caseId, VerdictRequest req, Reviewer by) {
    return close(caseId, req, by, null);
  }

  /**
   * Closes the case as a duplicate of {@code duplicateOf}: a verdict {@code inconclusive} with reason
   * {@code duplicate} that names that case and does nothing else. It records no label (a duplicate is
   * no finding: the model learns from the verdict of the case it duplicates, not twice), leaves a held
   * payment to its approvers and deadline (releasing or refusing money needs a reviewer who looked at
   * this payment), lifts no restriction and adds no list entry. Decisions of the case waiting for
   * review take the verdict of the case it duplicates ({@code io.vigil.server.outcome.FinalOutcomes});
   * that case's timeline records the duplicate ({@code duplicate_closed}).
   */
  public Closed closeAsDuplicate(String caseId, String duplicateOf, Reviewer by) {
    if (duplicateOf.equals(caseId)) {
      throw ApiException.invalid("invalid_case_ids", "A case cannot be closed as a duplicate of itself", "duplicate_of");
    }
    checkDuplicateTarget(duplicateOf);
    VerdictRequest req = new VerdictRequest(CaseVerdict.INCONCLUSIVE, REASON_DUPLICATE, VerdictRequest.HoldChoice.KEEP, false,
        List.of(), null);
    Closed closed = close(caseId, req, by, duplicateOf);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("case_id", caseId);
    detail.put("verdict_id", closed.verdict().verdictId());
    try {
      cases.event(duplicateOf, by, "duplicate_closed", detail, false);
    } catch (RuntimeException notNoted) {
      // The close stands and its own timeline names the case it duplicates; only the note on that case is missing.
      log.warn("noting duplicate {} on case {} failed: {}", caseId, duplicateOf, notNoted.toString());
    }
    return closed;
  }

  /**
   * Refuses a case that cannot be the one others duplicate: a case that does not exist, or a case
   * closed as a duplicate (name the case it duplicates). The last keeps the duplicates a forest: a
   * case closed as a duplicate never becomes the target of a new one, so no cycle forms.
   */
  public void checkDuplicateTarget(String duplicateOf) {
    CaseRecord target;
    try {
      target = cases.record(duplicateOf);
    } catch (ApiException missing) {
      throw ApiException.notFound("case_not_found", "No case with this id", "duplicate_of");
    }
    if (target.status().isClosed() && verdicts.latestDuplicateOf(duplicateOf).isPresent()) {
      throw ApiException.invalid("duplicate_of_duplicate",
          "duplicate_of is itself closed as a duplicate; name the case it duplicates", "duplicate_of");
    }
  }

  private Closed close(String caseId, VerdictRequest req, Reviewer by, String duplicateOf) {
    CaseView view = cases.get(caseId);
    CaseRecord r = view.record();
    if (r.status().isClosed()) {
      throw ApiException.conflict("invalid_request_error", "case_closed",
          "The case is closed; reopening it needs a second person's approval", "case_id");
    }
    cases.mayWork(r, by);
    if (req.expectedVersion() != null && req.expectedVersion() != r.version()) {
      throw ApiException.conflict("invalid_request_error", "case_changed",
          "The case changed since you read it (another reviewer acted on it); read it again", "expected_version");
    }
    List<PlannedEffect> planned = plan(view, req, by);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("hold", req.hold().wire());
    detail.put("restrictions", req.liftRestrictions() ? "lift" : "keep");
    detail.put("effects", planned.size());
    if (duplicateOf != null) detail.put("duplicate_of", duplicateOf);
    String[] verdictId = new String[1];
    CaseRecord closed = cases.close(caseId, req.verdict(), req.reasonCode(), by, r.version(), detail, (c, after) -> {
      verdictId[0] = caseId + "-v" + after.version();
      // Decided when the case was closed: the time a decision the verdict settles shows as settled.
      VerdictRepository.Stored v = new VerdictRepository.Stored(verdictId[0], caseId, req.verdict().wire(), req.reasonCode(), by.id(),
          req.hold().wire(), req.liftRestrictions() ? "lift" : "keep", after.closedAtMillis(), null, duplicateOf);
      List<VerdictRepository.Effect> rows = new ArrayList<>(planned.size());
      for (int i = 0; i < planned.size(); i++) {
        PlannedEffect p = planned.get(i);
        rows.add(new VerdictRepository.Effect(verdictId[0], i + 1, p.kind(), p.target(), p.detail(), null, null, 0, null));
      }
      verdicts.insert(c, v, rows);
    });
    try {
      effects.apply(verdictId[0]);
    } catch (RuntimeException notNow) {
      // The case is closed and the verdict stored: the re-applier finishes the effects; the answer shows them pending.
      log.warn("applying verdict {} failed; the re-applier will finish it: {}", verdictId[0], notNow.toString());
    }
    return new Closed(closed, verdicts.find(verdictId[0]).orElseThrow(), verdicts.effects(verdictId[0]));
  }

  private record PlannedEffect(String kind, String target, Map<String, Object> detail) {}

  /** The effects in the order they are applied, each refused now if it would be refused when applied. */
  private List<PlannedEffect> plan(CaseView view, VerdictRequest req, Reviewer by) {
    Set<String> decisionIds = new LinkedHashSet<>();
    for (CaseView.LinkedDecision d : view.decisions()) decisionIds.add(d.decisionId());
    List<PlannedEffect> out = new ArrayList<>();
    if (req.verdict() != CaseVerdict.INCONCLUSIVE) {
      for (String d : decisionIds) out.add(new PlannedEffect(VerdictEffects.LABEL, d, Map.of()));
    }
    Set<String> liftable = new HashSet<>();
    if (req.liftRestrictions()) {
      for (CaseView.Entity e : view.entities()) {
        if (!e.type().equals("account")) continue;
        out.add(new PlannedEffect(VerdictEffects.RESTRICTION_LIFT, e.value(), Map.of()));
        for (Restriction x : restrictions.active(e.value())) {
          if (!Restriction.SOURCE_HOLDER.equals(x.source())) liftable.add(x.id());
        }
      }
    }
    if (req.hold() != VerdictRequest.HoldChoice.KEEP) {
      for (String d : decisionIds) {
        if (holds.held(d).isEmpty() || !holds.state(d).status().equals(HoldState.PENDING)) continue;
        if (req.hold() == VerdictRequest.HoldChoice.RELEASE) {
          holds.checkRelease(d, by.id(), liftable);
          out.add(new PlannedEffect(VerdictEffects.HOLD_RELEASE, d, Map.of()));
        } else {
          holds.checkDecider(d, by.id());
          out.add(new PlannedEffect(VerdictEffects.HOLD_DENY, d, Map.of()));
        }
      }
    }
    for (int i = 0; i < req.listEntries().size(); i++) {
      Map<String, Object> entry = withProvenance(req.listEntries().get(i), view.caseId(), req);
      try {
        lists.check(entry, by.id());
      } catch (ApiException refused) {
        String param = "list_entries[" + i + "]" + (refused.param() == null ? "" : "." + refused.param());
        throw new ApiException(refused.status(), refused.type(), refused.code(), refused.getMessage(), param);
      }
      out.add(new PlannedEffect(VerdictEffects.LIST_ENTRY, (String) entry.get("list"), entry));
    }
    return out;
  }

  /** The entry with a reason and source naming the case, unless the reviewer gave them. */
  private static Map<String, Object> withProvenance(Map<String, Object> entry, String caseId, VerdictRequest req) {
    Map<String, Object> m = new LinkedHashMap<>(entry);
    m.putIfAbsent("reason", "case " + caseId + ": " + req.verdict().wire() + " (" + req.reasonCode() + ")");
    m.putIfAbsent("source", "case_verdict");
    return m;
  }
}
