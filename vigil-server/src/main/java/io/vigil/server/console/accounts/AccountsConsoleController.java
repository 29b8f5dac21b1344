package io.vigil.server.console.accounts;

import io.vigil.engine.limit.LimitUsage;
import io.vigil.engine.restriction.Restriction;
import io.vigil.server.account.AccountController;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.Params;
import io.vigil.server.console.decisions.DecisionRows;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.links.LinksController;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Accounts: open one by id (or from the latest decisions), then its restrictions and lock, how it
 * stands against its limits, its recent decisions and its identity links (a graph and a table).
 * Restrictions and links are read by the API routes' own code ({@code GET /v1/accounts/{id}/restrictions},
 * {@code GET /v1/accounts/{id}/links}); changes go through the API from the page's forms.
 */
@Controller
public class AccountsConsoleController {
  /** Latest decisions whose accounts the accounts page offers. */
  static final int RECENT_DECISIONS_READ = 100;
  /** Accounts offered from them. */
  static final int RECENT_ACCOUNTS_SHOWN = 20;
  /** The account's decisions listed on its page. */
  static final int ACCOUNT_DECISIONS = 20;
  /** Restriction history rows shown. */
  static final int RESTRICTION_HISTORY = 20;
  /** How long the page waits for the decision sequencer's answer (limits). */
  private static final long SEQUENCER_WAIT_MILLIS = 2_000;

  private final AccountController accounts;
  private final LinksController links;
  private final JournalRepository journal;
  private final DecisionPipeline pipeline;
  private final Clock clock;

  public AccountsConsoleController(AccountController accounts, LinksController links, JournalRepository journal,
      DecisionPipeline pipeline, Clock clock) {
    this.accounts = accounts;
    this.links = links;
    this.journal = journal;
    this.pipeline = pipeline;
    this.clock = clock;
  }

  /** The form; with {@code account_id}, straight to that account's page. */
  @GetMapping("/console/accounts")
  public String accounts(@RequestParam(name = "account_id", required = false) String accountId, Model model) {
    if (accountId != null && !accountId.isBlank()) {
      return "redirect:" + UriComponentsBuilder.fromPath("/console/accounts/{id}").encode()
          .buildAndExpand(accountId.strip()).toUriString();
    }
    var any = new JournalRepository.Filter(null, null, null, null, null, null, null, null, null, null, null, null, null);
    Set<String> recent = new LinkedHashSet<>();
    for (JournalRow row : journal.query(any, null, RECENT_DECISIONS_READ)) {
      if (row.accountId() != null && recent.size() < RECENT_ACCOUNTS_SHOWN) recent.add(row.accountId());
    }
    model.addAttribute("recentAccounts", recent);
    return "console/accounts/search";
  }

  @GetMapping("/console/accounts/{accountId}")
  @SuppressWarnings("unchecked")
  public String account(@PathVariable String accountId, Model model, HttpServletResponse response) {
    model.addAttribute("accountId", accountId);
    try {
      Params.accountId(accountId);
    } catch (ApiException e) {
      response.setStatus(e.status());
      model.addAttribute("invalid", e.getMessage());
      return "console/accounts/account";
    }
    Map<String, Object> restrictions = accounts.list(accountId, RESTRICTION_HISTORY, null);
    List<Map<String, Object>> active = (List<Map<String, Object>>) restrictions.get("active");
    model.addAttribute("active", active);
    model.addAttribute("restrictionHistory", restrictions.get("data"));
    model.addAttribute("locked", active.stream().anyMatch(r -> Restriction.SOURCE_HOLDER.equals(r.get("source"))));
    model.addAttribute("unlockMethods", RestrictionService.UNLOCK_VERIFICATION_METHODS.stream().sorted().toList());
    var filter = new JournalRepository.Filter(accountId, null, null, null, null, null, null, null, null, null, null, null, null);
    model.addAttribute("decisions", DecisionRows.of(journal.query(filter, null, ACCOUNT_DECISIONS)));
    limits(accountId, model);
    try {
      Map<String, Object> linked = links.links(accountId);
      List<Map<String, Object>> identifiers = (List<Map<String, Object>>) linked.get("links");
      model.addAttribute("links", identifiers);
      model.addAttribute("graphJson", graphJson(accountId, identifiers));
    } catch (ApiException e) {
      model.addAttribute("linksAbsent", e.getMessage());
    }
    return "console/accounts/account";
  }

  /** One limit as the account stands against it now. */
  public record LimitRow(String id, String period, String cap, String used, String remaining, String resetsAt, boolean breached) {}

  private void limits(String accountId, Model model) {
    List<LimitUsage> usage;
    try {
      usage = pipeline.onSequencer(engine -> engine.limitUsage(accountId, clock.millis()))
          .get(SEQUENCER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      model.addAttribute("limitsAbsent", "The decision sequencer did not answer in time; reload shortly");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      model.addAttribute("limitsAbsent", "Interrupted while waiting for the decision sequencer");
      return;
    }
    List<LimitRow> rows = new ArrayList<>(usage.size());
    for (LimitUsage u : usage) {
      String currency = u.limit().currency();
      // A cap mapped from a credit score is the event's, not the account's: shown as such, never "breached".
      boolean byScore = u.limit().scoreMapping() != null;
      rows.add(new LimitRow(u.limit().id(), u.limit().period().wireName(),
          byScore ? "by credit score" : DecisionRows.money(u.capMinor(), currency), DecisionRows.money(u.usedMinor(), currency),
          byScore ? "" : DecisionRows.money(u.remainingMinor(), currency),
          u.resetsAtMillis() == 0 ? "" : Instant.ofEpochMilli(u.resetsAtMillis()).toString(), !byScore && u.breached()));
    }
    model.addAttribute("limits", rows);
  }

  /**
   * The links as a graph for the chart: the account, each identifier (by kind and fingerprint) and
   * the accounts sharing it, joined account–identifier–account.
   */
  @SuppressWarnings("unchecked")
  static String graphJson(String accountId, List<Map<String, Object>> identifiers) {
    List<Map<String, Object>> nodes = new ArrayList<>();
    List<Map<String, Object>> edges = new ArrayList<>();
    Set<String> accountsSeen = new LinkedHashSet<>();
    nodes.add(node("account:" + accountId, accountId, "self", accountId));
    accountsSeen.add(accountId);
    for (Map<String, Object> link : identifiers) { // bounded by the graph's identifiers per account
      String fingerprint = (String) link.get("fingerprint");
      nodes.add(node("id:" + fingerprint, fingerprint, (String) link.get("kind"), null));
      edges.add(Map.of("source", "account:" + accountId, "target", "id:" + fingerprint));
      for (String other : (List<String>) link.get("shared_with")) { // at most 25 each
        if (accountsSeen.add(other)) nodes.add(node("account:" + other, other, "account", other));
        edges.add(Map.of("source", "account:" + other, "target", "id:" + fingerprint));
      }
    }
    return Json.write(Map.of("nodes", nodes, "edges", edges));
  }

  private static Map<String, Object> node(String id, String label, String category, String accountId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("label", label);
    m.put("category", category);
    if (accountId != null) m.put("account_id", accountId);
    return m;
  }
}
