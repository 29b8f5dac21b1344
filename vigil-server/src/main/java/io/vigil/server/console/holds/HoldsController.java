package io.vigil.server.console.holds;

import io.vigil.server.api.Json;
import io.vigil.server.hold.HoldService;
import io.vigil.server.hold.HoldState;
import io.vigil.server.journal.JournalRow;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The approvals inbox: held decisions waiting for people, each with its deadline, what it still
 * needs and the decision's context, to approve with a step-up. Reads the hold service's bounded
 * page of the newest held decisions (indexed on action and sequence); approvals go through the API.
 */
@Controller
public class HoldsController {
  /** Held decisions scanned for one page of the inbox. */
  static final int PAGE_ROWS = 100;
  /** How long an expired hold stays in the inbox, marked overdue, after its deadline. */
  static final long OVERDUE_SHOWN_MILLIS = 86_400_000L;
  /** Reasons shown per hold. */
  static final int REASONS_SHOWN_MAX = 8;

  static {
    assert PAGE_ROWS <= HoldService.INBOX_ROWS_MAX;
  }

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

  @GetMapping("/console/holds")
  public String holds(@RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "before", required = false) Long before, Model model) {
    boolean all = "all".equals(status);
    List<JournalRow> rows = holds.recent(before, PAGE_ROWS);
    List<HoldState> states = holds.states(rows);
    long now = clock.millis();
    List<Item> items = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      HoldState s = states.get(i);
      boolean overdue = HoldState.EXPIRED.equals(s.status()) && now - s.deadlineMillis() < OVERDUE_SHOWN_MILLIS;
      if (all || HoldState.PENDING.equals(s.status()) || overdue) items.add(item(rows.get(i), s, now, overdue));
    }
    model.addAttribute("items", items);
    model.addAttribute("all", all);
    model.addAttribute("scanned", rows.size());
    model.addAttribute("next", rows.size() == PAGE_ROWS ? rows.get(rows.size() - 1).record().sequence() : null);
    model.addAttribute("before", before);
    return "console/holds/holds";
  }

  @SuppressWarnings("unchecked")
  private static Item item(JournalRow row, HoldState s, long now, boolean overdue) {
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
        Instant.ofEpochMilli(s.deadlineMillis()).toString(), timeLeft(s.deadlineMillis() - now), overdue, stillNeeded(s));
  }

  /** "2 h 5 min left", or "overdue by 3 min". */
  static String timeLeft(long millis) {
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

  /** "150,000.00 EUR"; the minor units in the currency's own digits. */
  static String amount(Long amountMinor, String currency) {
    if (amountMinor == null) return "";
    int digits = 2;
    try {
      if (currency != null) digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    } catch (IllegalArgumentException unknown) {
      digits = 2;
    }
    BigDecimal major = BigDecimal.valueOf(amountMinor, digits);
    return String.format(Locale.ROOT, "%,." + digits + "f", major) + (currency == null ? "" : " " + currency);
  }
}
