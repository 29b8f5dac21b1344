package io.vigil.server.console.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.cases.CaseEvent;
import io.vigil.server.cases.CaseOrigin;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseStatus;
import io.vigil.server.cases.CaseVerdict;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the console words cases and their timeline entries. */
class CaseRowsTest {
  private static final long NOW = 1_773_151_200_000L; // 2026-03-10T14:00:00Z

  private static CaseRecord record(CaseStatus status, long dueAtMillis) {
    return new CaseRecord("case_1", "acct_1", "payments", status, 2, CaseOrigin.REVIEW, null, NOW - 1_000, NOW - 1_000,
        dueAtMillis, null, null, status.isClosed() ? NOW : null, status.isClosed() ? CaseVerdict.LEGITIMATE : null,
        status.isClosed() ? "customer_confirmed" : null, null, 3, NOW);
  }

  @Test
  void aCaseIsOverdueInWordsOnlyWhileNotClosed() {
    CaseRows.Row late = CaseRows.row(record(CaseStatus.IN_PROGRESS, NOW - 5 * 60_000), 2, NOW);
    assertThat(late.overdue()).isTrue();
    assertThat(late.dueText()).isEqualTo("overdue by 5 min");
    assertThat(late.dueShown()).isEqualTo("2026-03-10 13:55 UTC");
    assertThat(late.statusLabel()).isEqualTo("In progress");
    assertThat(late.decisions()).isEqualTo(2);
    CaseRows.Row closed = CaseRows.row(record(CaseStatus.CLOSED, NOW - 5 * 60_000), 1, NOW);
    assertThat(closed.overdue()).isFalse();
    assertThat(closed.dueText()).isEqualTo("closed");
    CaseRows.Row early = CaseRows.row(record(CaseStatus.OPEN, NOW + 3 * 3_600_000L + 60_000), 1, NOW);
    assertThat(early.overdue()).isFalse();
    assertThat(early.dueText()).isEqualTo("3 h 1 min left");
  }

  @Test
  void timelineEntriesAreSentencesWithTheRestOfTheirDetailListed() {
    Map<String, Object> opened = new LinkedHashMap<>();
    opened.put("decision_id", "dec_1");
    opened.put("origin", "review");
    opened.put("event_type", "payment");
    opened.put("action", "REVIEW");
    opened.put("risk_level", "high");
    opened.put("queue_id", "payments");
    opened.put("due_at_millis", NOW);
    CaseRows.Entry e = CaseRows.entry(new CaseEvent("case_1", 1, NOW, "system", "opened", opened));
    assertThat(e.summary()).isEqualTo("Opened in queue payments (review, payment, REVIEW), due 2026-03-10T14:00:00Z");
    assertThat(e.decisionId()).isEqualTo("dec_1");
    assertThat(e.details()).containsExactly(new CaseRows.Field("Risk level", "high"));

    Map<String, Object> assigned = new LinkedHashMap<>();
    assigned.put("assignee_id", "ops.ann");
    assigned.put("how", "take_next");
    assertThat(CaseRows.entry(new CaseEvent("case_1", 2, NOW, "ops.ann", "assigned", assigned)).summary())
        .isEqualTo("Assigned to ops.ann (took it with Take next)");
    CaseRows.Entry comment = CaseRows.entry(new CaseEvent("case_1", 3, NOW, "ops.ann", "commented", Map.of("text", "<b>hi</b>")));
    assertThat(comment.summary()).isEqualTo("Commented");
    assertThat(comment.text()).isEqualTo("<b>hi</b>");
    assertThat(comment.details()).isEmpty();
    assertThat(CaseRows.entry(new CaseEvent("case_1", 4, NOW, "ops.ann", "status_changed", Map.of("status", "waiting_for_customer")))
        .summary()).isEqualTo("Status set to waiting for customer");
    assertThat(CaseRows.entry(new CaseEvent("case_1", 5, NOW, "ops.ann", "closed",
        Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card"))).summary())
        .isEqualTo("Closed: confirmed fraud, reason stolen_card");
    Map<String, Object> duplicate = new LinkedHashMap<>();
    duplicate.put("hold", "keep");
    duplicate.put("verdict", "inconclusive");
    duplicate.put("reason_code", "duplicate");
    duplicate.put("duplicate_of", "case_0");
    CaseRows.Entry closedAsDuplicate = CaseRows.entry(new CaseEvent("case_1", 7, NOW, "ops.sue", "closed", duplicate));
    assertThat(closedAsDuplicate.summary()).isEqualTo("Closed as a duplicate of case case_0");
    assertThat(closedAsDuplicate.details()).containsExactly(new CaseRows.Field("Hold", "keep"));
    assertThat(CaseRows.entry(new CaseEvent("case_0", 8, NOW, "ops.sue", "duplicate_closed",
        Map.of("case_id", "case_1", "verdict_id", "case_1-v4"))).summary()).isEqualTo("Case case_1 was closed as a duplicate of this one");
    CaseRows.Entry unknown = CaseRows.entry(new CaseEvent("case_1", 6, NOW, "system", "hold_released", Map.of("decision_id", "dec_1")));
    assertThat(unknown.summary()).isEqualTo("Hold released");
    assertThat(unknown.decisionId()).as("a kind the console does not word lists its detail").isNull();
    assertThat(unknown.details()).containsExactly(new CaseRows.Field("Decision id", "dec_1"));
  }
}
