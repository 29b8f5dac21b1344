package io.vigil.engine.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A misspelt dotted name is reported whole, at its position, with the closest declared name. */
class RuleNameHintTest {
  private final RuleCompiler compiler = new RuleCompiler(new FeatureCatalog(FeatureConfig.defaults()));

  private RuleCompileException refuse(String expression) {
    RuleDefinition rule = new RuleDefinition("r", "d", Set.of(), expression, RuleEffect.points(5), "x", true);
    return (RuleCompileException) org.assertj.core.api.Assertions.catchThrowable(() -> compiler.compile(rule));
  }

  @Test
  void misspeltNamesAreNamedWholeWithASuggestion() {
    RuleCompileException e = refuse("event.amount > 1 &&\n  velocity.ip.count_2h > 5");
    assertThat(e.issues()).hasSize(1);
    RuleCompileException.Issue issue = e.issues().get(0);
    assertThat(issue.line()).isEqualTo(2);
    assertThat(issue.column()).isEqualTo(3);
    // count_2h is one edit from both count_1h and count_24h; either is a fair suggestion.
    assertThat(issue.message()).contains("undeclared reference to 'velocity.ip.count_2h'")
        .containsPattern("did you mean 'velocity\\.ip\\.count_(1h|24h)'\\?");
    assertThat(refuse("facts.new_devise").issues().get(0).message()).contains("did you mean 'facts.new_device_for_account'?");
  }

  @Test
  void farFetchedNamesGetNoSuggestionAndUnknownRootsStayExplained() {
    assertThat(refuse("velocity.zzz.qqqqqqqqq > 1").issues().get(0).message())
        .contains("'velocity.zzz.qqqqqqqqq'").doesNotContain("did you mean");
    assertThat(refuse("banana > 1").issues().get(0).message()).contains("undeclared reference to 'banana'");
  }
}
