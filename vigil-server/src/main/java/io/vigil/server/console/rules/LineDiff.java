package io.vigil.server.console.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff by longest common subsequence, after the common head and tail are taken off. The
 * table of the middle is bounded ({@link #MIDDLE_CELLS_MAX}); a middle larger than that is shown
 * as all its old lines removed and all its new lines added, still correct, only less precise.
 */
public final class LineDiff {
  /** Cells of the LCS table (ints): 4,000,000 is 16 MB, e.g. 2,000 changed lines on each side. */
  static final long MIDDLE_CELLS_MAX = 4_000_000L;
  /** Unchanged lines shown around each change; longer unchanged runs are folded. */
  static final int CONTEXT_LINES = 3;

  private LineDiff() {}

  /** One line of the diff: {@code kind} is ' ' (same), '+' (added), '-' (removed) or '~' (folded lines). */
  public record Line(char kind, String text) {
    /** The line as shown: its mark, then its text. */
    public String shown() {
      return (kind == '~' ? "… " : kind + " ") + text;
    }

    public String css() {
      return switch (kind) {
        case '+' -> "diff-added";
        case '-' -> "diff-removed";
        case '~' -> "diff-folded";
        default -> "diff-same";
      };
    }
  }

  public static List<Line> diff(List<String> a, List<String> b) {
    int head = 0;
    while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) head++;
    int tail = 0;
    while (tail < a.size() - head && tail < b.size() - head
        && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) tail++;
    List<Line> all = new ArrayList<>();
    for (int i = 0; i < head; i++) all.add(new Line(' ', a.get(i)));
    middle(a.subList(head, a.size() - tail), b.subList(head, b.size() - tail), all);
    for (int i = a.size() - tail; i < a.size(); i++) all.add(new Line(' ', a.get(i)));
    return fold(all);
  }

  private static void middle(List<String> a, List<String> b, List<Line> out) {
    int n = a.size(), m = b.size();
    if ((long) (n + 1) * (m + 1) > MIDDLE_CELLS_MAX) {
      for (String s : a) out.add(new Line('-', s));
      for (String s : b) out.add(new Line('+', s));
      return;
    }
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0, j = 0;
    while (i < n && j < m) {
      if (a.get(i).equals(b.get(j))) {
        out.add(new Line(' ', a.get(i++)));
        j++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        out.add(new Line('-', a.get(i++)));
      } else {
        out.add(new Line('+', b.get(j++)));
      }
    }
    while (i < n) out.add(new Line('-', a.get(i++)));
    while (j < m) out.add(new Line('+', b.get(j++)));
  }

  /** Keeps {@link #CONTEXT_LINES} unchanged lines around each change and folds the rest into one line. */
  private static List<Line> fold(List<Line> all) {
    boolean[] keep = new boolean[all.size()];
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).kind() == ' ') continue;
      for (int k = Math.max(0, i - CONTEXT_LINES); k <= Math.min(all.size() - 1, i + CONTEXT_LINES); k++) keep[k] = true;
    }
    List<Line> out = new ArrayList<>();
    int folded = 0;
    for (int i = 0; i < all.size(); i++) {
      if (keep[i]) {
        if (folded > 0) out.add(new Line('~', folded + " unchanged line" + (folded == 1 ? "" : "s")));
        folded = 0;
        out.add(all.get(i));
      } else {
        folded++;
      }
    }
    if (folded > 0) out.add(new Line('~', folded + " unchanged line" + (folded == 1 ? "" : "s")));
    return out;
  }
}
