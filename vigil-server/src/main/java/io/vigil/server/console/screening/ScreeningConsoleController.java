package io.vigil.server.console.screening;

import io.vigil.server.screening.ScreeningController;
import io.vigil.server.screening.ScreeningService;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Screening: the live lists with their versions, recent hits with their evidence, and marking a
 * hit a false positive ({@code POST /v1/screening/hits/{id}/false-positive}, called by the page's
 * form; the button shows only to operators with screening.manage).
 */
@Controller
public class ScreeningConsoleController {
  /** Hits shown, newest first. */
  static final int HITS_ROWS = 50;
  /** Versions shown per list. */
  static final int VERSIONS_ROWS = 5;

  private final ScreeningService screening;

  public ScreeningConsoleController(ScreeningService screening) {
    this.screening = screening;
  }

  @GetMapping("/console/screening")
  public String screening(Model model) {
    List<Map<String, Object>> lists = screening.lists().stream().map(index -> Map.<String, Object>of(
        "list", ScreeningController.listView(index),
        "versions", screening.versions(index.listName(), VERSIONS_ROWS).stream().map(ScreeningController::versionView).toList()))
        .toList();
    model.addAttribute("lists", lists);
    model.addAttribute("blocked", String.join(", ", screening.blockedCountries().stream().sorted().toList()));
    model.addAttribute("hits", screening.hits(null, null, HITS_ROWS).stream().map(ScreeningController::hitView).toList());
    return "console/screening/screening";
  }
}
