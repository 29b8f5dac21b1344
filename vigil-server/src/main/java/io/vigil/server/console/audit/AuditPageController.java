package io.vigil.server.console.audit;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.audit.AuditController;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit trail (permission {@code audit.read}): the search {@code GET /v1/audit} answers, with the
 * same filters, newest first, a page of {@link #PAGE_ROWS} rows at a time (keyset paging on the row's
 * sequence, so a page costs the same however deep), each row's details, and the export of the rows
 * the filters select.
 */
@Controller
public class AuditPageController {
  /** Rows a page shows. */
  static final int PAGE_ROWS = 50;
  /** What a browser's datetime-local field sends (no seconds, no zone): read as UTC. */
  private static final Pattern LOCAL_MINUTE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
  private static final Pattern LOCAL_SECOND = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
  private static final List<String> FILTERS = List.of("actor", "actor_kind", "entity_type", "entity_id", "action", "outcome",
      "from", "to");

  private final AuditController audit;

  public AuditPageController(AuditController audit) {
    this.audit = audit;
  }

  @GetMapping("/console/audit")
  public String page(@RequestParam Map<String, String> query, Model model) {
    Map<String, String> filters = new LinkedHashMap<>();
    for (String name : FILTERS) {
      String value = query.get(name);
      if (value != null && !value.isBlank()) filters.put(name, value.strip());
    }
    model.addAttribute("filters", filters);
    model.addAttribute("exportQuery", exportQuery(filters));
    Long startingAfter = null;
    try {
      String cursor = query.get("starting_after");
      if (cursor != null && !cursor.isBlank()) startingAfter = Long.parseLong(cursor.strip());
      Map<String, Object> page = audit.list(filters.get("actor"), filters.get("actor_kind"), filters.get("entity_type"),
          filters.get("entity_id"), filters.get("action"), filters.get("outcome"), utc(filters.get("from")),
          utc(filters.get("to")), PAGE_ROWS, startingAfter);
      model.addAttribute("page", page);
      model.addAttribute("rows", details(page.get("data")));
      model.addAttribute("olderQuery", page.get("next_cursor") == null ? null
          : "?" + (query(filters) + "&starting_after=" + page.get("next_cursor")).substring(1));
    } catch (ApiException e) {
      model.addAttribute("error", e.getMessage());
      model.addAttribute("errorParam", e.param());
    } catch (NumberFormatException e) {
      model.addAttribute("error", "starting_after is a row's sequence number");
      model.addAttribute("errorParam", "starting_after");
    }
    model.addAttribute("paged", startingAfter != null);
    String all = query(filters);
    model.addAttribute("firstQuery", all.isEmpty() ? "" : "?" + all.substring(1));
    return "console/audit/audit";
  }

  /** Each row as the API shows it, with its JSON members (path parameters, before, after) as indented text for the details. */
  private static List<Map<String, Object>> details(Object data) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Object o : (List<?>) data) {
      @SuppressWarnings("unchecked")
      Map<String, Object> row = new LinkedHashMap<>((Map<String, Object>) o);
      for (String member : List.of("path_params", "before", "after")) {
        Object v = row.get(member);
        row.put(member + "_text", v == null ? "-" : v instanceof String text ? text : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(v));
      }
      rows.add(row);
    }
    return rows;
  }

  /** The API takes RFC 3339 UTC times; a browser's date-time field gives a local one without a zone: read it as UTC. */
  static String utc(String value) {
    if (value == null) return null;
    if (LOCAL_MINUTE.matcher(value).matches()) return value + ":00Z";
    if (LOCAL_SECOND.matcher(value).matches()) return value + "Z";
    return value;
  }

  private static String exportQuery(Map<String, String> filters) {
    Map<String, String> api = new LinkedHashMap<>(filters);
    api.computeIfPresent("from", (k, v) -> utc(v));
    api.computeIfPresent("to", (k, v) -> utc(v));
    return query(api);
  }

  /** name=value pairs joined with {@code &} (each encoded; the first begins with {@code &} too, empty when none). */
  private static String query(Map<String, String> params) {
    StringBuilder b = new StringBuilder();
    params.forEach((k, v) -> b.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }
}
