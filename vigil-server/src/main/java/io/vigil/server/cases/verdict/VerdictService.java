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
import java.time.Clock;
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

  private final CaseService cases;
  private final VerdictRepository verdicts;
  private final VerdictEffects effects;
  private final HoldService holds;
  private final RestrictionService restrictions;
  private final ListService lists;
  private final Clock clock;

  public VerdictService(CaseService cases, VerdictRepository verdicts, VerdictEffects effects, HoldService holds,
      RestrictionService restrictions, ListService lists, Clock clock) {
    this.cases = cases;
    this.verdicts = verdicts;
    this.effects = effects;
    this.holds = holds;
    this.restrictions = restrictions;
    this.lists = lists;
    this.clock = clock;
  }

  /** The case as closed, the stored verdict and its effects as they stand after the first attempt. */
  public record Closed(CaseRecord record, VerdictRepository.Stored verdict, List<VerdictRepository.Effect> effects) {}

  public Closed close(String caseId, VerdictRequest req, Reviewer by) {
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
    String[] verdictId = new String[1];
    CaseRecord closed = cases.close(caseId, req.verdict(), req.reasonCode(), by, r.version(), detail, (c, after) -> {
      verdictId[0] = caseId + "-v" + after.version();
      VerdictRepository.Stored v = new VerdictRepository.Stored(verdictId[0], caseId, req.verdict().wire(), req.reasonCode(), by.id(),
          req.hold().wire(), req.liftRestrictions() ? "lift" : "keep", clock.millis(), null);
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
