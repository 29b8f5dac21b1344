package io.vigil.server.console.releases;

import io.vigil.server.policy.release.ReleaseRecord;
import io.vigil.server.policy.release.ReleaseService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The running gray release or shadow policy: its percentage with a step-up control, stop and
 * promote (through the API, with a step-up), the live-against-candidate comparison and each
 * rule's fires on both sides; below it, the releases before.
 */
@Controller
public class ReleasesConsoleController {
  /** Past releases listed. */
  static final int PAST_ROWS = 20;
  /** The steps the step-up control offers, in percent. */
  static final List<Integer> STEPS = List.of(1, 5, 10, 25, 50, 75, 100);

  private final ReleaseService releases;

  public ReleasesConsoleController(ReleaseService releases) {
    this.releases = releases;
  }

  /** One rule's fires on each side. */
  public record RuleFires(String ruleId, long live, long candidate) {}

  @GetMapping("/console/releases")
  @SuppressWarnings("unchecked")
  public String releases(Model model) {
    ReleaseRecord running = releases.running().orElse(null);
    model.addAttribute("running", running);
    if (running != null) {
      Map<String, Object> comparison = releases.comparison(running);
      model.addAttribute("comparison", comparison);
      Map<String, Long> liveFires = (Map<String, Long>) ((Map<String, Object>) comparison.get("live")).get("fires");
      Map<String, Long> candidateFires = (Map<String, Long>) ((Map<String, Object>) comparison.get("candidate")).get("fires");
      List<RuleFires> fires = new ArrayList<>();
      for (String id : new TreeSet<>(union(liveFires, candidateFires))) {
        fires.add(new RuleFires(id, liveFires.getOrDefault(id, 0L), candidateFires.getOrDefault(id, 0L)));
      }
      model.addAttribute("fires", fires);
      model.addAttribute("nextSteps", STEPS.stream().filter(p -> p > running.percent()).toList());
    }
    model.addAttribute("past", releases.list(PAST_ROWS).stream().filter(r -> running == null || !r.releaseId().equals(running.releaseId()))
        .toList());
    return "console/releases/releases";
  }

  private static List<String> union(Map<String, Long> a, Map<String, Long> b) {
    List<String> ids = new ArrayList<>(a.keySet());
    ids.addAll(b.keySet());
    return ids;
  }
}
