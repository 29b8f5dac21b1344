package io.vigil.engine.signal.geo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentAnswersTest {
  @Test
  void aLiteralIsKeptFromItsSecondMissAndOnlyForItself() {
    RecentAnswers<String> cache = new RecentAnswers<>();
    assertThat(cache.get("192.0.2.1")).isNull();
    cache.offer("192.0.2.1", "A");
    assertThat(cache.get("192.0.2.1")).as("a one-off literal is not kept").isNull();
    cache.offer("192.0.2.1", "A");
    assertThat(cache.get("192.0.2.1")).isEqualTo("A");
    assertThat(cache.get("192.0.2.2")).isNull();
    cache.offer("192.0.2.1", "B");
    assertThat(cache.get("192.0.2.1")).isEqualTo("B");
  }

  @Test
  void underPressureItForgetsButNeverAnswersWrongly() {
    RecentAnswers<Integer> cache = new RecentAnswers<>();
    int keys = 4 * RecentAnswers.SLOTS;
    for (int i = 0; i < keys; i++) {
      cache.offer("k" + i, i);
      cache.offer("k" + i, i);
    }
    int kept = 0;
    for (int i = 0; i < keys; i++) {
      Integer value = cache.get("k" + i);
      if (value != null) {
        assertThat(value).isEqualTo(i);
        kept++;
      }
    }
    assertThat(kept).isGreaterThan(RecentAnswers.SLOTS / 2).isLessThanOrEqualTo(RecentAnswers.SLOTS);
    assertThat(cache.get("k" + (keys - 1))).as("the newest literal is first in its pair").isEqualTo(keys - 1);
  }

  @Test
  void twoLiteralsSharingAPairAreBothKeptAndAThirdDropsTheOldest() {
    String[] keys = keysSharingOnePair(3);
    RecentAnswers<String> cache = new RecentAnswers<>();
    for (int i = 0; i < 2; i++) {
      cache.offer(keys[i], "v" + i);
      cache.offer(keys[i], "v" + i);
    }
    assertThat(cache.get(keys[0])).isEqualTo("v0");
    assertThat(cache.get(keys[1])).isEqualTo("v1");
    cache.offer(keys[2], "v2");
    cache.offer(keys[2], "v2");
    assertThat(cache.get(keys[0])).isNull();
    assertThat(cache.get(keys[1])).isEqualTo("v1");
    assertThat(cache.get(keys[2])).isEqualTo("v2");
  }

  @Test
  void theDoorkeeperForgetsEverythingWhenAWindowOfNotesIsFull() {
    RecentAnswers<String> cache = new RecentAnswers<>();
    cache.offer("198.51.100.1", "x");
    int fillers = 0;
    do {
      cache.offer("filler-" + fillers++, "f");
    } while (cache.notesInWindow() != 0 && fillers <= 2 * RecentAnswers.NOTES_PER_WINDOW);
    assertThat(cache.notesInWindow()).as("the window closed").isZero();
    cache.offer("198.51.100.1", "x");
    assertThat(cache.get("198.51.100.1")).as("a first miss again after the doorkeeper forgot").isNull();
    cache.offer("198.51.100.1", "x");
    assertThat(cache.get("198.51.100.1")).isEqualTo("x");
  }

  private static String[] keysSharingOnePair(int count) {
    String[] keys = new String[count];
    keys[0] = "198.51.100.1";
    int found = 1;
    for (int i = 0; found < count && i < 100 * RecentAnswers.SLOTS; i++) {
      String candidate = "203.0.113." + i;
      if (RecentAnswers.pairIndex(candidate.hashCode()) == RecentAnswers.pairIndex(keys[0].hashCode())) keys[found++] = candidate;
    }
    assertThat(found).as("colliding literals found").isEqualTo(count);
    return keys;
  }
}
