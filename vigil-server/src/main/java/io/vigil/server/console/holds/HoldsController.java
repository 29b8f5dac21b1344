package io.vigil.server.console.holds;

import io.vigil.engine.money.Money;
import io.vigil.server.api.Json;
import io.vigil.server.hold.HoldService;
import io.vigil.server.hold.HoldState;
import io.vigil.server.journal.JournalRow;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The approvals inbox: held decisions waiting for people, each with its deadline, what it still
 * needs and the decision's context, to approve with a step-up. Reads the hold service's bounded
 * batches of the newest held decisions (indexed on action and sequence) until a page of waiting
 * holds is filled or {@link #SCANNED_MAX} held decisions were read; approvals go through the API,
 * and the card of the hold is then rendered again here ({@code /console/holds/{id}/card}).
 */
@Controller
public class HoldsController {
  /** Holds shown on one page. */
  static final int PAGE_HOLDS = 50;
  /** Held decisions read per query. */
  static final int BATCH_ROWS = HoldService.INBOX_ROWS_MAX;
  /** Held decisions one page reads at most (five queries of rows, each with three of states). */
  static final int SCANNED_MAX = 1_000;
  /** How long an expired hold stays in the inbox, marked overdue, after its deadline. */
  static final long OVERDUE_SHOWN_MILLIS = 86_400_000L;
  /** Reasons shown per hold. */
  static final int REASONS_SHOWN_MAX = 8;

  private final HoldService holds;
  private final Clock clock;

  public HoldsController(HoldService holds, Clock clock) {
    this.holds = holds;
    this.clock = clock;
  }

  /** One reason of the decision: its rule and message. */
  public record Reason(String ruleId, String message) {}

  /** One approval so far. */
  public record Approval(String approverId, String role, String approvedAt) {}

  /** One held decision as the inbox shows it. */
  public record Item(String decisionId, String accountId, String merchantId, String eventType, String amount, int score,
      String riskLevel, String decidedAt, List<Reason> reasons, HoldState state, List<Approval> approvals, String deadline,
      String timeLeft, boolean overdue, List<String> stillNeeded) {
    public boolean pending() {
      return HoldState.PENDING.equals(state.status());
    }
  }

  /**
   * What one page of the inbox read: the rows it shows with what was judged of them, where the next
   * page starts (null when the history ran out), how many rows it read, and whether it stopped at
   * the bound before its page was filled.
   */
  record Scan<R, T>(List<R> rows, List<T> judged, Long next, int scanned, boolean bounded) {}

  /**
   * Reads batches of rows before {@code before} (newest first) until {@code wanted} of them are shown
   * or {@code scannedMax} were read. {@code judge} gives, for each row of a batch, what to show it
   * with, or null to leave it out.
   */
  static <R, T> Scan<R, T> scan(Long before, int wanted, int batch, int scannedMax, BiFunction<Long, Integer, List<R>> fetch,
      Function<List<R>, List<T>> judge, ToLongFunction<R> sequence) {
    List<R> rows = new ArrayList<>();
    List<T> judged = new ArrayList<>();
    Long cursor = before;
    int scanned = 0;
    while (true) {
      int ask = Math.min(batch, scannedMax - scanned);
      List<R> got = fetch.apply(cursor, ask);
      List<T> verdicts = judge.apply(got);
      for (int i = 0; i < got.size(); i++) {
        scanned++;
        cursor = sequence.applyAsLong(got.get(i));
        if (verdicts.get(i) == null) continue;
        rows.add(got.get(i));
        judged.add(verdicts.get(i));
        if (rows.size() == wanted) return new Scan<>(rows, judged, cursor, scanned, false);
      }
      if (got.size() < ask) return new Scan<>(rows, judged, null, scanned, false);
      if (scanned >= scannedMax) return new Scan<>(rows, judged, cursor, scanned, true);
    }
  }

  @GetMapping("/console/holds")
  public String holds(@RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "before", required = false) Long before, Model model) {
    boolean all = "all".equals(status);
    long now = clock.millis();
    Scan<JournalRow, HoldState> page = scan(before, PAGE_HOLDS, BATCH_ROWS, SCANNED_MAX, holds::recent,
        rows -> holds.states(rows).stream().map(s -> all || shown(s, now) ? s : null).toList(), r -> r.record().sequence());
    List<Item> items = new ArrayList<>(page.rows().size());
    for (int i = 0; i < page.rows().size(); i++) items.add(item(page.rows().get(i), page.judged().get(i), now));
    model.addAttribute("items", items);
    model.addAttribute("all", all);
    model.addAttribute("scanned", page.scanned());
    model.addAttribute("bounded", page.bounded());
    model.addAttribute("next", page.next());
    model.addAttribute("before", before);
    return "console/holds/holds";
  }

  /** One hold's card, as the inbox shows it: rendered again after an approval or a rejection. */
  @GetMapping("/console/holds/{decisionId}/card")
  public String card(@PathVariable String decisionId, Model model, HttpServletResponse response) {
    Optional<JournalRow> row = holds.held(decisionId);
    if (row.isEmpty()) {
      response.setStatus(HttpServletResponse.SC_NOT_FOUND);
      model.addAttribute("missingId", decisionId);
      return "console/holds/card :: missing";
    }
    model.addAttribute("h", item(row.get(), holds.states(List.of(row.get())).get(0), clock.millis()));
    return "console/holds/card :: card";
  }

  /** The inbox shows a pending hold, and an expired one for a day after its deadline. */
  private static boolean shown(HoldState s, long now) {
    return HoldState.PENDING.equals(s.status()) || overdue(s, now);
  }

  private static boolean overdue(HoldState s, long now) {
    return HoldState.EXPIRED.equals(s.status()) && now - s.deadlineMillis() < OVERDUE_SHOWN_MILLIS;
  }

  @SuppressWarnings("unchecked")
  private static Item item(JournalRow row, HoldState s, long now) {
    Map<String, Object> response = Json.readMap(row.record().responseJson());
    List<Reason> reasons = new ArrayList<>();
    if (response.get("reasons") instanceof List<?> list) {
      for (Object o : list) {
        if (reasons.size() == REASONS_SHOWN_MAX || !(o instanceof Map<?, ?> r)) break;
        reasons.add(new Reason(String.valueOf(r.get("rule_id")), String.valueOf(r.get("message"))));
      }
    }
    return new Item(row.record().decisionId(), row.accountId(), row.merchantId(), row.eventType(),
        amount(row.amountMinor(), row.currency()), row.score(), row.riskLevel(),
        Instant.ofEpochMilli(row.record().recordedAtMillis()).toString(), reasons, s,
        s.approvals().stream().map(a -> new Approval(a.approverId(), a.role(),
            Instant.ofEpochMilli(a.approvedAtMillis()).toString())).toList(),
        Instant.ofEpochMilli(s.deadlineMillis()).toString(), timeLeft(s.deadlineMillis() - now), overdue(s, now), stillNeeded(s));
  }

  /** "2 h 5 min left", or "overdue by 3 min". */
  public static String timeLeft(long millis) {
    Duration d = Duration.ofMillis(Math.abs(millis));
    String text = d.toDays() > 0 ? d.toDays() + " d " + d.toHoursPart() + " h"
        : d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min"
        : d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    return millis > 0 ? text + " left" : "overdue by " + text;
  }

  /** What a pending hold still needs: approvals by role, any approvals, its challenge. */
  static List<String> stillNeeded(HoldState s) {
    if (!HoldState.PENDING.equals(s.status())) return List.of();
    List<String> needed = new ArrayList<>();
    int roleSlots = 0;
    for (Map.Entry<String, Integer> r : s.requiredRoles().entrySet()) {
      long have = s.approvals().stream().filter(a -> a.role().equals(r.getKey())).count();
      int missing = (int) Math.max(0, r.getValue() - have);
      roleSlots += missing;
      if (missing > 0) needed.add(missing + " " + r.getKey() + (missing == 1 ? "" : "s"));
    }
    int total = Math.max(0, s.approvalsRequired() - s.approvals().size());
    int anyRole = Math.max(0, total - roleSlots);
    if (anyRole > 0) needed.add(anyRole + " more approval" + (anyRole == 1 ? "" : "s") + " (approver or supervisor)");
    if (s.waitingFor().contains(HoldState.WAITING_FOR_CHALLENGE)) needed.add("the payer's challenge result");
    return needed;
  }

  /** "150,000.00 EUR" ({@link Money#format}); empty for an event without an amount. */
  static String amount(Long amountMinor, String currency) {
    return amountMinor == null || currency == null ? "" : Money.format(amountMinor, currency);
  }
}
