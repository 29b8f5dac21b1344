package io.vigil.server.console.decisions;

import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.RiskLevel;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Page;
import io.vigil.server.decision.DecisionFilters;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The decision search: the filters of {@code GET /v1/decisions}, under the same parameter names and
 * checked by the same code ({@link DecisionFilters}), newest first with the same keyset cursor
 * ({@code starting_after}); the console adds {@code ending_before} for its "previous" link (the
 * same query read the other way). A plain GET of the page renders the results too, so a search is
 * a link to share; the form swaps only the results with htmx ({@code /console/decisions/results}).
 */
@Controller
public class DecisionSearchController {
  /** Rows per page when the request names no {@code limit}. */
  static final int PAGE_ROWS_DEFAULT = 50;
  /** The filter parameters, in the form's order: the API's names. */
  static final List<String> FILTERS = List.of("account_id", "merchant_id", "type", "action", "rule", "risk_level",
      "score_min", "score_max", "amount_min", "amount_max", "currency", "from", "to");
  private static final String PAGE = "/console/decisions";
  private static final String RESULTS = "/console/decisions/results";
  private final JournalRepository journal;

  public DecisionSearchController(JournalRepository journal) {
    this.journal = journal;
  }

  @GetMapping(PAGE)
  public String page(@RequestParam Map<String, String> params, Model model) {
    search(params, model);
    return "console/decisions/search";
  }

  /** The results alone, for the form's htmx swap. */
  @GetMapping(RESULTS)
  public String results(@RequestParam Map<String, String> params, Model model, HttpServletResponse response) {
    search(params, model);
    // The address bar shows the page's own link (shareable), not this fragment's.
    response.setHeader("HX-Push-Url", (String) model.getAttribute("pageUrl"));
    return "console/decisions/search :: decisionSearch";
  }

  private void search(Map<String, String> params, Model model) {
    Map<String, String> filters = new LinkedHashMap<>();
    for (String name : FILTERS) {
      String v = params.get(name);
      if (v != null && !v.isBlank()) filters.put(name, v.strip());
    }
    model.addAttribute("filters", filters);
    // The page's links keep the page size too (the CSV has none: it is the whole result, bounded).
    Map<String, String> kept = new LinkedHashMap<>(filters);
    String limit = params.get("limit");
    if (limit != null && !limit.isBlank()) kept.put("limit", limit.strip());
    model.addAttribute("types", Arrays.stream(EventType.values()).map(EventType::wireName).toList());
    model.addAttribute("actions", Arrays.stream(Action.values()).map(Action::name).toList());
    model.addAttribute("riskLevels", Arrays.stream(RiskLevel.values()).map(RiskLevel::wireName).toList());
    model.addAttribute("csvUrl", url("/v1/decisions.csv", filters, null, null));
    model.addAttribute("pageUrl", url(PAGE, kept, null, null));
    for (String cursor : List.of("starting_after", "ending_before")) {
      String v = params.get(cursor);
      if (v != null && !v.isBlank()) model.addAttribute("pageUrl", url(PAGE, kept, cursor, v.strip()));
    }
    model.addAttribute("errors", Map.of());
    model.addAttribute("rows", List.of());
    try {
      JournalRepository.Filter filter = DecisionFilters.parse(query(filters));
      int pageSize = params.get("limit") == null || params.get("limit").isBlank() ? PAGE_ROWS_DEFAULT
          : Page.limit(DecisionFilters.integer(params.get("limit"), "limit"));
      Long startingAfter = DecisionFilters.number(params.get("starting_after"), "starting_after");
      Long endingBefore = DecisionFilters.number(params.get("ending_before"), "ending_before");
      page(filter, kept, pageSize, startingAfter, endingBefore, model);
    } catch (ApiException e) {
      // The API's own words, next to the field its param names (or above the results).
      model.addAttribute("errors", Map.of(e.param() == null ? "" : e.param(), e.getMessage()));
      model.addAttribute("searchError", e.getMessage());
    }
  }

  /** One page: newest first after {@code startingAfter}, or the page just before {@code endingBefore}. */
  private void page(JournalRepository.Filter filter, Map<String, String> filters, int pageSize, Long startingAfter,
      Long endingBefore, Model model) {
    List<JournalRow> shown;
    boolean newer;
    boolean older;
    if (endingBefore != null) {
      List<JournalRow> read = journal.queryAfter(filter, endingBefore, Page.fetchSize(pageSize));
      newer = read.size() > pageSize;
      shown = new ArrayList<>(Page.shown(read, pageSize));
      Collections.reverse(shown);
      older = true;
    } else {
      List<JournalRow> read = journal.query(filter, startingAfter, Page.fetchSize(pageSize));
      older = read.size() > pageSize;
      shown = Page.shown(read, pageSize);
      newer = startingAfter != null;
    }
    List<DecisionRows.Row> rows = DecisionRows.of(shown);
    model.addAttribute("rows", rows);
    model.addAttribute("searched", true);
    if (!rows.isEmpty() && older) {
      long last = rows.get(rows.size() - 1).sequence();
      model.addAttribute("nextUrl", url(PAGE, filters, "starting_after", last));
      model.addAttribute("nextResultsUrl", url(RESULTS, filters, "starting_after", last));
    }
    if (!rows.isEmpty() && newer) {
      long first = rows.get(0).sequence();
      model.addAttribute("previousUrl", url(PAGE, filters, "ending_before", first));
      model.addAttribute("previousResultsUrl", url(RESULTS, filters, "ending_before", first));
    }
  }

  private static DecisionFilters.Query query(Map<String, String> f) {
    return new DecisionFilters.Query(f.get("account_id"), f.get("type"), f.get("action"), f.get("from"), f.get("to"),
        f.get("merchant_id"), f.get("risk_level"), f.get("rule"), DecisionFilters.integer(f.get("score_min"), "score_min"),
        DecisionFilters.integer(f.get("score_max"), "score_max"), DecisionFilters.number(f.get("amount_min"), "amount_min"),
        DecisionFilters.number(f.get("amount_max"), "amount_max"), f.get("currency"));
  }

  /** The path with the filters (and a cursor) as its query string, encoded. */
  static String url(String path, Map<String, String> filters, String cursor, Object cursorValue) {
    UriComponentsBuilder b = UriComponentsBuilder.fromPath(path);
    filters.forEach((name, value) -> b.queryParam(name, "{" + name + "}"));
    Map<String, Object> values = new LinkedHashMap<>(filters);
    if (cursor != null) {
      b.queryParam(cursor, "{" + cursor + "}");
      values.put(cursor, cursorValue);
    }
    return b.encode().buildAndExpand(values).toUriString();
  }
}
