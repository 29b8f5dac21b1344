package io.vigil.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.scorecard.ScorecardDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The default pack's texts, which users read through the API, describe the product, not internal requirement ids. */
class DefaultPolicyPackTextTest {
  /** "(S7)", "(S2, AML red flag)", "(L3)": an id such as a requirements list uses, in parentheses. */
  private static final Pattern REQUIREMENT_ID = Pattern.compile("\\(([A-Z]{1,2}[0-9]{1,2})(, [^)]*)?\\)");

  @Test
  void descriptionsAndReasonsNameNoRequirementId() {
    PolicyDocument pack = DefaultPolicyPack.document();
    List<String> texts = new ArrayList<>();
    for (RuleDefinition r : pack.rules()) {
      texts.add(r.description());
      texts.add(r.reason());
    }
    for (LimitDefinition l : pack.limits()) texts.add(l.description());
    for (ScorecardDefinition s : pack.scorecards()) texts.add(s.description());
    assertThat(texts).hasSizeGreaterThan(40);
    assertThat(texts).filteredOn(t -> t != null && REQUIREMENT_ID.matcher(t).find()).isEmpty();
  }

  @Test
  void thePatternCatchesTheFormsTheTextsUsedToHave() {
    assertThat(REQUIREMENT_ID.matcher("Prepaid card (S5)").find()).isTrue();
    assertThat(REQUIREMENT_ID.matcher("Several accounts on one device (S2, AML red flag)").find()).isTrue();
    assertThat(REQUIREMENT_ID.matcher("Money out right after the phone changed (SIM swap)").find()).isFalse();
  }
}
