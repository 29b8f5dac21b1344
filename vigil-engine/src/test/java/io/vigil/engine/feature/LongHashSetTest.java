package io.vigil.engine.feature;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongHashSetTest {
  @Test
  void countsDistinctValuesLikeAHashSetAcrossClearsOfEverySize() {
    Random r = new Random(17);
    LongHashSet set = new LongHashSet();
    for (int round = 0; round < 300; round++) {
      set.clear();
      Set<Long> expected = new HashSet<>();
      int n = round % 7 == 0 ? 20_000 : r.nextInt(200);
      long range = 1 + r.nextInt(round % 2 == 0 ? 50 : 1_000_000); // many repeats, or almost none
      for (int i = 0; i < n; i++) {
        long v = r.nextInt(10) == 0 ? 0 : r.nextLong() % range; // zero, negatives and repeats included
        set.add(v);
        expected.add(v);
      }
      assertThat(set.size()).as("round %d", round).isEqualTo(expected.size());
    }
    set.clear();
    assertThat(set.size()).isZero();
  }
}
