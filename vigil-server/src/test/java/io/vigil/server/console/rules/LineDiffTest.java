package io.vigil.server.console.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineDiffTest {
  private static List<String> shown(List<LineDiff.Line> lines) {
    return lines.stream().map(LineDiff.Line::shown).toList();
  }

  @Test
  void marksRemovedAndAddedLinesBetweenUnchangedOnes() {
    List<LineDiff.Line> d = LineDiff.diff(List.of("a", "b", "c", "d"), List.of("a", "x", "c", "d", "e"));
    assertEquals(List.of("  a", "- b", "+ x", "  c", "  d", "+ e"), shown(d));
  }

  @Test
  void equalDocumentsHaveNoChange() {
    List<LineDiff.Line> d = LineDiff.diff(List.of("a", "b"), List.of("a", "b"));
    assertThat(d).noneMatch(l -> l.kind() == '+' || l.kind() == '-');
  }

  @Test
  void foldsLongUnchangedRunsAroundAChange() {
    List<String> a = new ArrayList<>();
    for (int i = 0; i < 100; i++) a.add("line " + i);
    List<String> b = new ArrayList<>(a);
    b.set(50, "changed");
    List<String> d = shown(LineDiff.diff(a, b));
    assertEquals(List.of("… 47 unchanged lines", "  line 47", "  line 48", "  line 49", "- line 50", "+ changed",
        "  line 51", "  line 52", "  line 53", "… 46 unchanged lines"), d);
  }

  @Test
  void aMiddleTooLargeForTheTableIsAllRemovedThenAllAdded() {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    for (int i = 0; i < 2_100; i++) {
      a.add("old " + i);
      b.add("new " + i);
    }
    List<LineDiff.Line> d = LineDiff.diff(a, b);
    assertEquals(4_200, d.stream().filter(l -> l.kind() == '+' || l.kind() == '-').count());
    assertEquals('-', d.get(0).kind());
    assertEquals('+', d.get(d.size() - 1).kind());
  }
}
