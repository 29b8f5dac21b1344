package io.vigil.server.cases;

import io.vigil.engine.policy.Action;
import io.vigil.server.hold.HoldService;
import io.vigil.server.hold.HoldState;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.notify.WebhookEventTypes;
import io.vigil.server.notify.WebhookNotifier;
import io.vigil.server.outcome.FinalOutcome;
import io.vigil.server.outcome.FinalOutcomes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people and payment systems what happens to cases.
 *
 * <p>Webhooks, to the endpoints subscribed to each type: {@code case.opened} (a decision opened a
 * case), {@code case.closed}, {@code case.sla_warning} and {@code case.sla_breached} (the case
 * itself: id, account, queue, status, priority, origin, due time, verdict), and
 * {@code decision.final_outcome} for each decision a verdict settled: a held payment released or
 * denied, a decision waiting for review decided.
 *
 * <p>E-mail. To the compliance addresses ({@code vigil.notifications.mail.compliance}): the
 * borderline cases, those the first line could not settle on its own (a case opened in the
 * compliance queue, a case escalated into it by a person or by its missed deadline, a case closed
 * {@code inconclusive} for any reason but {@code duplicate}), and every case closed
 * {@code confirmed_fraud} (a suspicious transaction report may be due). The deadline warning goes to
 * the reviewer addresses ({@code vigil.notifications.mail.reviewers}) and names the assignee: Vigil
 * keeps no e-mail address of an operator, so the assignee is not written to in person. The breach
 * goes to the compliance and the reviewer addresses. An empty list means that e-mail is recorded
 * {@code skipped}, never sent. E-mails carry the case id and what happened, never the account or
 * payment details: those stay in Vigil, behind the console's sign-in.
 */
public final class CaseNotifications implements CaseListener {
  private static final Logger log = LoggerFactory.getLogger(CaseNotifications.class);
  static final String COMPLIANCE_QUEUE = "compliance";
  /** Decisions a close tells the final outcome of at most (its own and its duplicates'); a case holds far fewer. */
  static final int SETTLED_DECISIONS_MAX = 1_000;

  private final EmailNotifier email;
  private final WebhookNotifier webhooks;
  private final HoldService holds;
  private final CaseService cases;
  private final JournalRepository journal;
  private final FinalOutcomes outcomes;

  public CaseNotifications(EmailNotifier email, WebhookNotifier webhooks, HoldService holds, CaseService cases,
      JournalRepository journal, FinalOutcomes outcomes) {
    this.email = email;
    this.webhooks = webhooks;
    this.holds = holds;
    this.cases = cases;
    this.journal = journal;
    this.outcomes = outcomes;
  }

  @Override
  public void opened(CaseRecord c, CaseTrigger trigger, boolean created) {
    if (!created) return;
    Map<String, Object> data = caseData(c);
    data.put("decision_id", trigger.decisionId());
    webhooks.publish(WebhookEventTypes.CASE_OPENED, data);
    if (COMPLIANCE_QUEUE.equals(c.queueId())) {
      mail(email.complianceAddresses(), c, "Vigil case " + c.caseId() + " for compliance",
          "A case was opened in the compliance queue (" + trigger.origin().wire() + ", priority " + c.priority() + ").",
          "case.borderline");
    }
  }

  @Override
  public void escalated(CaseRecord c, String why) {
    if (!COMPLIANCE_QUEUE.equals(c.queueId())) return;
    mail(email.complianceAddresses(), c, "Vigil case " + c.caseId() + " escalated to compliance",
        "The case was escalated to the compliance queue: " + why + ".", "case.borderline");
  }

  @Override
  public void closed(CaseRecord c) {
    Map<String, Object> data = caseData(c);
    data.put("decision_ids", cases.get(c.caseId()).decisions().stream().map(CaseView.LinkedDecision::decisionId).distinct().toList());
    webhooks.publish(WebhookEventTypes.CASE_CLOSED, data);
    publishDecided(c);
    if (c.verdict() == CaseVerdict.INCONCLUSIVE && !"duplicate".equals(c.reasonCode())) {
      mail(email.complianceAddresses(), c, "Vigil case " + c.caseId() + " closed inconclusive",
          "The case was closed without a finding (" + c.reasonCode() + "); compliance may want to look at it.", "case.borderline");
    } else if (c.verdict() == CaseVerdict.CONFIRMED_FRAUD) {
      mail(email.complianceAddresses(), c, "Vigil case " + c.caseId() + " closed as confirmed fraud",
          "A reviewer confirmed fraud (" + c.reasonCode() + "); a suspicious transaction report may be due.", "case.confirmed_fraud");
    }
  }

  @Override
  public void slaWarning(CaseRecord c) {
    webhooks.publish(WebhookEventTypes.CASE_SLA_WARNING, caseData(c));
    String assignee = c.assigneeId() == null ? "nobody has it yet" : "it is assigned to " + c.assigneeId();
    mail(email.reviewerAddresses(), c, "Vigil case " + c.caseId() + " is due soon",
        "The case is due at " + CaseJson.time(c.dueAtMillis()) + "; " + assignee + ".", "case.sla_warning");
  }

  @Override
  public void slaBreached(CaseRecord c) {
    webhooks.publish(WebhookEventTypes.CASE_SLA_BREACHED, caseData(c));
    List<String> to = new ArrayList<>(email.complianceAddresses());
    for (String r : email.reviewerAddresses()) if (!to.contains(r)) to.add(r);
    mail(to, c, "Vigil case " + c.caseId() + " is past its deadline",
        "The case was due at " + CaseJson.time(c.dueAtMillis()) + " and is still open; it is being escalated.", "case.sla_breached");
  }

  @Override
  public void verdictApplied(CaseRecord c, List<String> settledDecisionIds) {
    for (String decisionId : settledDecisionIds) {
      try {
        HoldState h = holds.state(decisionId);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision_id", decisionId);
        data.put("final_action", h.outcome() == null ? null : h.outcome().name());
        data.put("settled_by", h.status().equals(HoldState.APPROVED) ? FinalOutcome.BY_HOLD_RELEASE : FinalOutcome.BY_HOLD_REJECTION);
        data.put("hold_status", h.status());
        data.put("case_id", c.caseId());
        data.put("verdict", c.verdict() == null ? null : c.verdict().wire());
        webhooks.publish(WebhookEventTypes.DECISION_FINAL_OUTCOME, data);
      } catch (RuntimeException e) {
        log.warn("the final outcome of a settled decision could not be published: {}", e.toString());
      }
    }
  }

  /**
   * Tells the final outcome of the decisions waiting for review that this close decided: those the
   * case holds and those of the cases closed as its duplicates (and theirs), whose outcome is now a
   * verdict's ({@code review_verdict}). Before this close the case was open, so none of them was
   * decided through it: each is told once per close that decides it.
   */
  private void publishDecided(CaseRecord c) {
    try {
      List<JournalRow> rows = new ArrayList<>();
      for (String decisionId : waitingOn(c.caseId())) journal.findByDecisionId(decisionId).ifPresent(rows::add);
      Map<String, FinalOutcome> settled = outcomes.of(rows);
      for (JournalRow row : rows) {
        FinalOutcome o = settled.get(row.record().decisionId());
        if (!FinalOutcome.BY_REVIEW_VERDICT.equals(o.settledBy())) continue;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision_id", row.record().decisionId());
        data.put("final_action", o.finalAction());
        data.put("settled_by", o.settledBy());
        data.put("hold_status", row.action().equals(Action.HOLD.name()) ? holds.state(row.record().decisionId()).status() : null);
        data.put("case_id", o.verdictCaseId());
        data.put("verdict", (Action.DENY.name().equals(o.finalAction()) ? CaseVerdict.CONFIRMED_FRAUD : CaseVerdict.LEGITIMATE).wire());
        webhooks.publish(WebhookEventTypes.DECISION_FINAL_OUTCOME, data);
      }
    } catch (RuntimeException e) {
      log.warn("the final outcome of decisions a verdict decided could not be published: {}", e.toString());
    }
  }

  /** The decisions that wait for review on the case: its own and those of its duplicates, level by level; bounded. */
  private Set<String> waitingOn(String caseId) {
    Set<String> decisionIds = new LinkedHashSet<>();
    Set<String> seen = new LinkedHashSet<>(List.of(caseId));
    List<String> level = List.of(caseId);
    for (int hop = 0; hop <= ReviewVerdicts.DUPLICATE_HOPS_MAX && !level.isEmpty(); hop++) {
      for (String id : level) {
        for (CaseView.LinkedDecision d : cases.get(id).decisions()) {
          if (d.origin() != CaseOrigin.REVIEW && d.origin() != CaseOrigin.HOLD) continue;
          if (decisionIds.size() >= SETTLED_DECISIONS_MAX) return decisionIds;
          decisionIds.add(d.decisionId());
        }
      }
      List<String> next = new ArrayList<>();
      for (String id : cases.closedAsDuplicatesOf(level)) if (seen.add(id)) next.add(id);
      level = next;
    }
    return decisionIds;
  }

  private void mail(List<String> to, CaseRecord c, String subject, String what, String kind) {
    String body = what + "\n\nCase: " + c.caseId() + "\nQueue: " + c.queueId() + "\nStatus: " + c.status().wire()
        + "\nDue: " + CaseJson.time(c.dueAtMillis()) + "\n\nOpen it in the Vigil console under Cases.\n";
    email.send(to, subject, body, kind);
  }

  private static Map<String, Object> caseData(CaseRecord c) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("case_id", c.caseId());
    data.put("account_id", c.accountId());
    data.put("queue_id", c.queueId());
    data.put("status", c.status().wire());
    data.put("priority", c.priority());
    data.put("origin", c.origin().wire());
    data.put("due_at", CaseJson.time(c.dueAtMillis()));
    data.put("verdict", c.verdict() == null ? null : c.verdict().wire());
    data.put("reason_code", c.reasonCode());
    return data;
  }
}
