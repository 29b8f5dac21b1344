package io.vigil.server.cases.verdict;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.cases.CaseController;
import io.vigil.server.cases.CaseJson;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.Reviewer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A supervisor's action on many cases: reassigning them, or closing them as duplicates of another
 * case. A close as duplicate is a verdict ({@link VerdictService#closeAsDuplicate}): stored like any
 * other, and doing nothing a finding would.
 */
@RestController
public class BulkController {
  /** Cases a bulk action names at most. */
  static final int BULK_CASES_MAX = 200;
  /** The longest case id a bulk action accepts (case ids are far shorter). */
  static final int CASE_ID_CHARS_MAX = 64;

  private final CaseService cases;
  private final VerdictService verdicts;

  public BulkController(CaseService cases, VerdictService verdicts) {
    this.cases = cases;
    this.verdicts = verdicts;
  }

  /**
   * {@code {"case_ids": [...], "action": "reassign", "assignee_id": "…"}} or
   * {@code {"case_ids": [...], "action": "close_duplicate", "duplicate_of": "case_…"}}. Each case is
   * its own change; the answer lists each one's result, so one refusal does not undo the others.
   */
  @PostMapping("/v1/cases/bulk")
  public Map<String, Object> bulk(HttpServletRequest request) {
    Reviewer by = CaseController.reviewer(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("case_ids", "action", "assignee_id", "duplicate_of"));
    if (!(body.get("case_ids") instanceof List<?> ids) || ids.isEmpty() || ids.size() > BULK_CASES_MAX
        || !ids.stream().allMatch(i -> i instanceof String s && s.length() <= CASE_ID_CHARS_MAX)) {
      throw ApiException.invalid("invalid_case_ids", "case_ids must list 1 to " + BULK_CASES_MAX + " case ids", "case_ids");
    }
    String action = Params.string(body, "action", true, 32);
    String assignee = Params.string(body, "assignee_id", false, 128);
    String duplicateOf = Params.string(body, "duplicate_of", false, CASE_ID_CHARS_MAX);
    switch (action) {
      case "reassign" -> {
        if (assignee == null) throw ApiException.invalid("missing_field", "assignee_id is required to reassign", "assignee_id");
      }
      case "close_duplicate" -> {
        if (duplicateOf == null) throw ApiException.invalid("missing_field", "duplicate_of is required to close as duplicate", "duplicate_of");
        if (ids.contains(duplicateOf)) {
          throw ApiException.invalid("invalid_case_ids", "A case cannot be closed as a duplicate of itself", "duplicate_of");
        }
        verdicts.checkDuplicateTarget(duplicateOf);
      }
      default -> throw ApiException.invalid("invalid_action", "action must be reassign or close_duplicate", "action");
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Object id : new LinkedHashSet<>(ids)) {
      String caseId = (String) id;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("case_id", caseId);
      try {
        CaseRecord after = "reassign".equals(action) ? cases.assign(caseId, assignee, by, null)
            : verdicts.closeAsDuplicate(caseId, duplicateOf, by).record();
        r.put("status", "done");
        r.put("case", CaseJson.record(after));
      } catch (ApiException refused) {
        r.put("status", "refused");
        r.put("error", Map.of("code", refused.code(), "message", refused.getMessage()));
      }
      results.add(r);
    }
    Map<String, Object> answer = Map.of("action", action, "results", results);
    AuditContext.after(request, answer);
    return answer;
  }
}
