package io.vigil.server.console.models;

import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.model.DecisionFeatures;
import io.vigil.server.model.ModelController;
import io.vigil.server.model.ModelRepository;
import io.vigil.server.model.ModelService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The stored models with their metrics and roles, the live model against the shadow on the latest
 * decisions the shadow scored, and the role change (through the API, with a step-up).
 */
@Controller
public class ModelsController {
  /** Models per page. */
  static final int PAGE_ROWS = 25;
  /** Decisions compared on the chart: the newest ones the shadow scored. */
  static final int COMPARED_ROWS = 300;
  /** Two probabilities agree when both are on the same side of this. */
  static final double AGREEMENT_CUT = 0.5;

  static {
    assert COMPARED_ROWS <= DecisionFeatures.SHADOW_ROWS_MAX;
  }

  private final ModelService models;
  private final DecisionFeatures vectors;

  public ModelsController(ModelService models, DecisionFeatures vectors) {
    this.models = models;
    this.vectors = vectors;
  }

  /** Live against shadow over the compared decisions. */
  public record Comparison(String liveId, String shadowId, int decisions, int bothScored, double agreement,
      double meanAbsDifference, String pointsJson) {}

  @GetMapping("/console/models")
  public String models(@RequestParam(name = "after", required = false) String after, Model model) {
    String cursor = after == null || after.isBlank() ? null : after;
    List<ModelRepository.Summary> fetched = models.list(TimeCursor.decode(cursor), Page.fetchSize(PAGE_ROWS));
    List<ModelRepository.Summary> shown = Page.shown(fetched, PAGE_ROWS);
    model.addAttribute("models", shown.stream().map(ModelController::json).toList());
    model.addAttribute("next", fetched.size() > PAGE_ROWS
        ? new TimeCursor(shown.get(shown.size() - 1).createdAtMillis(), shown.get(shown.size() - 1).modelId()).encode() : null);
    String live = models.holder(ModelRepository.LIVE).map(ModelRepository.Summary::modelId).orElse(null);
    String shadow = models.holder(ModelRepository.SHADOW).map(ModelRepository.Summary::modelId).orElse(null);
    model.addAttribute("live", live);
    model.addAttribute("shadow", shadow);
    model.addAttribute("comparison", shadow == null ? null : compare(live, shadow));
    return "console/models/models";
  }

  /** The newest decisions the shadow scored, oldest first for the chart: [time, live, shadow] each. */
  private Comparison compare(String live, String shadow) {
    List<DecisionFeatures.Comparison> rows = vectors.scoredByShadow(shadow, COMPARED_ROWS);
    List<List<Object>> points = new ArrayList<>(rows.size());
    int both = 0;
    int agree = 0;
    double difference = 0;
    for (int i = rows.size() - 1; i >= 0; i--) {
      DecisionFeatures.Comparison c = rows.get(i);
      List<Object> point = new ArrayList<>(4);
      point.add(Instant.ofEpochMilli(c.occurredAtMillis()).toString());
      point.add(c.probability());
      point.add(c.challengerProbability());
      point.add(c.decisionId());
      points.add(point);
      if (c.probability() != null && c.challengerProbability() != null) {
        both++;
        if ((c.probability() >= AGREEMENT_CUT) == (c.challengerProbability() >= AGREEMENT_CUT)) agree++;
        difference += Math.abs(c.probability() - c.challengerProbability());
      }
    }
    return new Comparison(live, shadow, rows.size(), both, both == 0 ? 0 : (double) agree / both,
        both == 0 ? 0 : difference / both, Json.write(Map.of("points", points)));
  }
}
