package io.vigil.server.console.cases;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.cases.CaseAttachments;
import io.vigil.server.cases.CaseEvent;
import io.vigil.server.cases.CaseQueue;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseRepository;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseStatus;
import io.vigil.server.cases.CaseView;
import io.vigil.server.cases.QueueService;
import io.vigil.server.cases.measures.Measures;
import io.vigil.server.cases.measures.MeasuresService;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The cases screens: the inbox (a tab per queue and the operator's own cases, filtered and paged
 * newest opened first), one case's page (its decisions with their context, entities, timeline,
 * files and the forms that work it) and the dashboard's review panel. Pages read through the case
 * service; every change is sent by the page to the public API ({@code /v1/cases/...}), so it is
 * checked, audited and answered as the same change by API.
 */
@Controller
public class CasesConsoleController {
  /** Cases on one page of the inbox. */
  static final int PAGE_CASES = 50;
  /** Decisions of a case shown with their context (a case grouping more lists the rest by id). */
  static final int DECISIONS_SHOWN_MAX = 100;
  /** Timeline entries shown, oldest first (the API pages through the rest). */
  static final int TIMELINE_SHOWN_MAX = 500;
  /** The inbox tab of the operator's own cases. */
  static final String MINE = "mine";
  /** The status filter's default: every status but closed. */
  static final String ACTIVE = "active";
  static final String ANY_STATUS = "all";
  /** Characters of a wrong filter value repeated in the page's message. */
  static final int ECHO_CHARS_MAX = 64;

  private final CaseService cases;
  private final CaseRepository repository;
  private final CaseAttachments attachments;
  private final JournalRepository journal;
  private final MeasuresService measures;
  private final Clock clock;

  public CasesConsoleController(CaseService cases, CaseRepository repository, CaseAttachments attachments,
      JournalRepository journal, MeasuresService measures, Clock clock) {
    this.cases = cases;
    this.repository = repository;
    this.attachments = attachments;
    this.journal = journal;
    this.measures = measures;
    this.clock = clock;
  }

  /** One choice of a select. */
  public record Option(String value, String label) {}

  /** The inbox's filters as asked, each checked; {@code problem} says what was wrong with them (null when nothing). */
  record Filters(String queue, String status, String assignee, String problem) {}

  @GetMapping("/console/cases")
  public String inbox(@RequestParam(name = "queue", required = false) String queue,
      @RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "assignee", required = false) String assignee,
      @RequestParam(name = "starting_after", required = false) String startingAfter, Model model, HttpServletRequest request) {
    VigilPrincipal me = Principals.current(request);
    QueueService queues = cases.queues();
    Filters f = filters(queues, blankToNull(queue), blankToNull(status), blankToNull(assignee));
    model.addAttribute("queues", queues.all());
    model.addAttribute("statuses", Arrays.stream(CaseStatus.values()).map(x -> new Option(x.wire(), CaseRows.label(x.wire()))).toList());
    model.addAttribute("f", f);
    model.addAttribute("supervisor", me.has(Permission.CASES_SUPERVISE));
    model.addAttribute("mayWork", me.has(Permission.CASES_WORK));
    model.addAttribute("startingAfter", startingAfter);
    if (f.problem() != null) {
      model.addAttribute("rows", List.of());
      return "console/cases/inbox";
    }
    TimeCursor after;
    try {
      after = TimeCursor.decode(blankToNull(startingAfter));
    } catch (ApiException e) {
      after = null;
    }
    CaseStatus s = f.status().equals(ACTIVE) || f.status().equals(ANY_STATUS) ? null : CaseStatus.ofWire(f.status());
    Boolean closed = f.status().equals(ACTIVE) ? Boolean.FALSE : null;
    String assigneeId = MINE.equals(f.queue()) ? me.id() : f.assignee();
    String queueId = MINE.equals(f.queue()) ? null : f.queue();
    CaseRepository.Filter filter = new CaseRepository.Filter(s, closed, queueId, assigneeId, null, null, null, null);
    List<CaseRecord> page = cases.list(filter, after == null ? null : after.atMillis(), after == null ? null : after.id(),
        PAGE_CASES + 1);
    List<CaseRecord> shown = page.subList(0, Math.min(page.size(), PAGE_CASES));
    Map<String, Long> counts = repository.decisionCounts(shown.stream().map(CaseRecord::caseId).toList());
    long now = clock.millis();
    model.addAttribute("rows", shown.stream().map(r -> CaseRows.row(r, counts.getOrDefault(r.caseId(), 0L), now)).toList());
    if (page.size() > PAGE_CASES) {
      CaseRecord last = shown.get(shown.size() - 1);
      model.addAttribute("next", new TimeCursor(last.openedAtMillis(), last.caseId()).encode());
    }
    return "console/cases/inbox";
  }

  private static Filters filters(QueueService queues, String queue, String status, String assignee) {
    String problem = null;
    if (queue != null && !MINE.equals(queue) && queues.find(queue).isEmpty()) problem = "There is no queue " + shown(queue) + ".";
    String s = status == null ? ACTIVE : status;
    if (!s.equals(ACTIVE) && !s.equals(ANY_STATUS) && CaseStatus.ofWire(s) == null) problem = "There is no status " + shown(s) + ".";
    if (assignee != null) {
      try {
        Params.identifier(assignee, "assignee");
      } catch (ApiException e) {
        problem = "The assignee " + e.getMessage().replace("assignee ", "");
      }
    }
    return new Filters(queue, s, assignee, problem);
  }

  /** A filter value as a message repeats it: at most {@link #ECHO_CHARS_MAX} characters. */
  private static String shown(String value) {
    return value.length() <= ECHO_CHARS_MAX ? value : value.substring(0, ECHO_CHARS_MAX) + "…";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @GetMapping("/console/cases/{caseId}")
  public String casePage(@PathVariable String caseId, Model model, HttpServletRequest request, HttpServletResponse response) {
    model.addAttribute("caseId", caseId);
    CaseView view;
    try {
      view = cases.get(caseId);
    } catch (ApiException e) {
      response.setStatus(e.status());
      model.addAttribute("missing", e.getMessage());
      return "console/cases/case";
    }
    VigilPrincipal me = Principals.current(request);
    CaseRecord r = view.record();
    CaseQueue queue = cases.queues().find(r.queueId()).orElse(null);
    boolean supervisor = me.has(Permission.CASES_SUPERVISE);
    boolean mayWork = me.has(Permission.CASES_WORK) && (supervisor || queue == null || cases.queues().mayWork(queue, me.id()));
    model.addAttribute("c", CaseRows.row(r, view.decisions().size(), clock.millis()));
    model.addAttribute("record", r);
    model.addAttribute("queueName", queue == null ? r.queueId() : queue.name());
    model.addAttribute("closed", r.status().isClosed());
    model.addAttribute("mayWork", mayWork && !r.status().isClosed());
    model.addAttribute("supervisor", supervisor);
    model.addAttribute("mine", me.id().equals(r.assigneeId()));
    model.addAttribute("settable", CaseStatus.SETTABLE.stream().sorted()
        .map(x -> new Option(x.wire(), CaseRows.label(x.wire()))).toList());
    model.addAttribute("decisions", decisions(view));
    model.addAttribute("decisionsMore", Math.max(0, view.decisions().size() - DECISIONS_SHOWN_MAX));
    model.addAttribute("entities", view.entities());
    List<CaseEvent> events = cases.timeline(caseId, 0, TIMELINE_SHOWN_MAX + 1);
    model.addAttribute("timeline", events.stream().limit(TIMELINE_SHOWN_MAX).map(CaseRows::entry).toList());
    model.addAttribute("timelineMore", events.size() > TIMELINE_SHOWN_MAX);
    model.addAttribute("attachments", attachments.of(caseId));
    model.addAttribute("mediaTypes", String.join(",", attachments.limits().mediaTypes()));
    model.addAttribute("bytesMax", attachments.limits().bytesMax());
    return "console/cases/case";
  }

  private List<CaseRows.LinkedDecision> decisions(CaseView view) {
    List<CaseRows.LinkedDecision> out = new ArrayList<>();
    for (CaseView.LinkedDecision d : view.decisions()) {
      if (out.size() == DECISIONS_SHOWN_MAX) break;
      out.add(CaseRows.decision(d.decisionId(), d.origin().wire(), d.addedAtMillis(),
          journal.findByDecisionId(d.decisionId()).orElse(null)));
    }
    return out;
  }

  /** One queue's line of the dashboard's review panel. */
  public record QueueLine(String queueId, String name, long open, long pastDue) {}

  /**
   * The dashboard's review panel (loaded into the dashboard by htmx): open and past-due cases per
   * queue, and the review loop's measures of the last 7 days (the range {@code GET /v1/cases/measures}
   * covers without parameters).
   */
  @GetMapping("/console/cases/-/review")
  public String reviewPanel(Model model) {
    Map<String, CaseRepository.QueueCounts> counts = repository.openByQueue(clock.millis());
    List<QueueLine> lines = new ArrayList<>();
    long open = 0;
    long pastDue = 0;
    for (CaseQueue q : cases.queues().all()) {
      CaseRepository.QueueCounts n = counts.getOrDefault(q.queueId(), new CaseRepository.QueueCounts(0, 0));
      lines.add(new QueueLine(q.queueId(), q.name(), n.open(), n.pastDue()));
      open += n.open();
      pastDue += n.pastDue();
    }
    model.addAttribute("lines", lines);
    model.addAttribute("open", open);
    model.addAttribute("pastDue", pastDue);
    long end = measures.clock().millis();
    Measures m = measures.measure(end - MeasuresService.RANGE_MILLIS_DEFAULT, end);
    model.addAttribute("measures", ReviewMeasureCards.of(m));
    model.addAttribute("measuresFrom", CaseRows.time(m.fromMillis()));
    model.addAttribute("measuresTo", CaseRows.time(m.toMillis()));
    return "console/cases/review :: review";
  }
}
