package io.vigil.server.console.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.cases.measures.Measures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the dashboard's review panel words the measures: the targets' edges, and nothing made up without data. */
class ReviewMeasureCardsTest {
  private static Measures measures(Measures.Rate interceptions, long decisions, long reviewed, Measures.Attainment sla, long breached,
      long pastDueNow) {
    return new Measures(0, 7 * 86_400_000L, interceptions, List.of(), List.of(), decisions, reviewed, List.of(), sla, List.of(), breached,
        pastDueNow, Map.of(), new Measures.Sampling(0, 0, 0));
  }

  private static ReviewMeasureCards.Card card(List<ReviewMeasureCards.Card> cards, String id) {
    return cards.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void exactlyTheTargetIsMetAndAboveItIsSaidInWords() {
    List<ReviewMeasureCards.Card> cards = ReviewMeasureCards.of(measures(new Measures.Rate(null, 40, 20, 1), 100, 5,
        new Measures.Attainment(null, 4, 3), 1, 2));
    ReviewMeasureCards.Card fi = card(cards, "measure-false-interception");
    assertThat(fi.shown()).isEqualTo("5.0 %");
    assertThat(fi.status()).isEqualTo(ReviewMeasureCards.MET);
    assertThat(fi.css()).isEqualTo("stat met");
    assertThat(fi.detail()).isEqualTo("1 of 20 judged interceptions were legitimate (40 intercepted)");
    ReviewMeasureCards.Card share = card(cards, "measure-review-share");
    assertThat(share.shown()).isEqualTo("5.0 %");
    assertThat(share.status()).isEqualTo(ReviewMeasureCards.MET);
    assertThat(card(cards, "measure-sla").shown()).isEqualTo("75.0 %");
    ReviewMeasureCards.Card breached = card(cards, "measure-breached");
    assertThat(breached.shown()).isEqualTo("1");
    assertThat(breached.detail()).endsWith("Open and past due now: 2.");
    assertThat(breached.css()).isEqualTo("stat breach");

    List<ReviewMeasureCards.Card> over = ReviewMeasureCards.of(measures(new Measures.Rate(null, 40, 20, 2), 100, 6,
        new Measures.Attainment(null, 0, 0), 0, 0));
    assertThat(card(over, "measure-false-interception").status()).isEqualTo(ReviewMeasureCards.MISSED);
    assertThat(card(over, "measure-false-interception").css()).isEqualTo("stat breach");
    assertThat(card(over, "measure-review-share").status()).isEqualTo(ReviewMeasureCards.MISSED);
    assertThat(card(over, "measure-breached").css()).isEqualTo("stat");
  }

  @Test
  void withoutDataNoShareIsShown() {
    List<ReviewMeasureCards.Card> cards = ReviewMeasureCards.of(measures(new Measures.Rate(null, 3, 0, 0), 0, 0,
        new Measures.Attainment(null, 0, 0), 0, 0));
    for (String id : List.of("measure-false-interception", "measure-review-share", "measure-sla")) {
      assertThat(card(cards, id).shown()).as(id).isEqualTo(ReviewMeasureCards.NONE);
      assertThat(card(cards, id).css()).as(id).isEqualTo("stat");
    }
    assertThat(card(cards, "measure-false-interception").status()).isEqualTo(ReviewMeasureCards.NOT_YET);
    assertThat(card(cards, "measure-sla").status()).as("no target").isNull();
  }
}
