package io.vigil.server.decision;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The idempotency index answers every id recorded within the horizon, forgets ids once their hour
 * is older than the horizon, keeps sealed ids at about 12 B each, and stays exact when ids share a
 * hash.
 */
class EventIdsTest {
  private static final long HOUR = EventIds.BUCKET_MILLIS;
  private static final long START = 1_773_151_200_000L; // an hour boundary

  @Test
  void answersWithinTheHorizonAndForgetsBeyondIt() {
    try (EventIds ids = new EventIds(24 * HOUR, null)) {
      long sequence = 0;
      for (int hour = 0; hour < 30; hour++) {
        for (int i = 0; i < 1_000; i++) ids.put("h" + hour + "-" + i, ++sequence, START + hour * HOUR + i, false);
      }
      long now = START + 30 * HOUR;
      ids.expire(now);
      ids.awaitMerge();
      // Hours 0..5 end more than 24 h before now's hour: forgotten. Hours 6..29 are kept.
      for (int hour = 0; hour < 30; hour++) {
        long expected = hour * 1_000L + 1;
        long found = ids.sequenceOf("h" + hour + "-0", false);
        if (hour < 6) assertThat(found).as("hour %d", hour).isEqualTo(EventIds.MISSING);
        else assertThat(found).as("hour %d", hour).isEqualTo(expected);
      }
      assertThat(ids.sequenceOf("h29-999", false)).isEqualTo(30_000);
      assertThat(ids.sequenceOf("never", false)).isEqualTo(EventIds.MISSING);
      assertThat(ids.size()).isEqualTo(24_000);
    }
  }

  /**
   * A checkpoint of the index, taken mid-hour with sealed sets, a merge due and an open table,
   * restored into a new index: every answer is the live one's (held ids, collided ids, absent
   * ids), and the restored index goes on recording and forgets by the horizon as the live one does.
   */
  @Test
  void aRestoredSnapshotAnswersAsTheLiveIndexAndStillExpires() throws IOException {
    try (EventIds live = new EventIds(24 * HOUR, null); EventIds restored = new EventIds(24 * HOUR, null)) {
      long sequence = 0;
      for (int hour = 0; hour < 30; hour++) {
        for (int i = 0; i < 500; i++) live.put("h" + hour + "-" + i, ++sequence, START + hour * HOUR + i * 1_000L, false);
      }
      live.put("collided", ++sequence, START + 29 * HOUR, true);
      live.expire(START + 29 * HOUR + 1); // hours before 5 expire: the merge that drops them may still run
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      live.snapshot().writeTo(new StateWriter(bytes));
      restored.restore(new StateReader(new ByteArrayInputStream(bytes.toByteArray())));
      live.awaitMerge();
      restored.awaitMerge();
      for (int hour = 0; hour < 30; hour++) {
        for (int i = 0; i < 500; i += 7) {
          String id = "h" + hour + "-" + i;
          assertThat(restored.sequenceOf(id, false)).as(id).isEqualTo(live.sequenceOf(id, false));
        }
      }
      assertThat(restored.sequenceOf("collided", false)).isEqualTo(live.sequenceOf("collided", false)).isEqualTo(sequence);
      assertThat(restored.sequenceOf("never", false)).isEqualTo(EventIds.MISSING);
      assertThat(restored.size()).isEqualTo(live.size());

      // Both go on: the same new ids, then the horizon moves on.
      for (EventIds ids : new EventIds[] {live, restored}) {
        ids.put("next", sequence + 1, START + 30 * HOUR, false);
        ids.expire(START + 40 * HOUR);
        ids.awaitMerge();
      }
      assertThat(restored.sequenceOf("next", false)).isEqualTo(sequence + 1);
      assertThat(restored.sequenceOf("h10-0", false)).as("past the horizon now").isEqualTo(EventIds.MISSING)
          .isEqualTo(live.sequenceOf("h10-0", false));
      assertThat(restored.sequenceOf("h20-0", false)).isEqualTo(live.sequenceOf("h20-0", false)).isEqualTo(20 * 500L + 1);
      assertThat(restored.size()).isEqualTo(live.size());
    }
  }

  @Test
  void aSnapshotUnderAnotherHorizonOrHashIsRefused() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (EventIds live = new EventIds(24 * HOUR, null)) {
      live.put("a", 1, START, false);
      live.snapshot().writeTo(new StateWriter(bytes));
    }
    try (EventIds otherHorizon = new EventIds(48 * HOUR, null); EventIds customHash = new EventIds(24 * HOUR, id -> 42L)) {
      assertThatThrownBy(() -> otherHorizon.restore(new StateReader(new ByteArrayInputStream(bytes.toByteArray()))))
          .isInstanceOf(StateFormatException.class).hasMessageContaining("horizon");
      assertThatThrownBy(() -> customHash.restore(new StateReader(new ByteArrayInputStream(bytes.toByteArray()))))
          .isInstanceOf(StateFormatException.class).hasMessageContaining("hash");
    }
  }

  @Test
  void aRebuildIndexesWhatItIsGivenAndEndsSorted() {
    try (EventIds ids = new EventIds(24 * HOUR, null)) {
      ids.put("before", 1, START, false);
      ids.clear();
      for (int i = 1; i <= 5_000; i++) ids.put("r-" + i, i, START + i * 1_000L, false);
      ids.rebuilt();
      for (int i = 1; i <= 5_000; i++) assertThat(ids.sequenceOf("r-" + i, false)).isEqualTo(i);
      assertThat(ids.sequenceOf("before", false)).isEqualTo(EventIds.MISSING);
    }
  }

  @Test
  void idsSharingAHashStayExact() {
    try (EventIds ids = new EventIds(24 * HOUR, id -> 42L)) {
      ids.put("a", 1, START, false);
      ids.put("b", 2, START, true);
      ids.expire(START + 2 * HOUR); // sealed and merged: "a" now lives in the sorted set
      ids.awaitMerge();
      assertThat(ids.sequenceOf("a", false)).isEqualTo(1);
      assertThat(ids.sequenceOf("b", false)).isEqualTo(2);
      assertThat(ids.sequenceOf("c", false)).as("a hint: the caller checks the row").isEqualTo(1);
      assertThat(ids.sequenceOf("c", true)).isEqualTo(EventIds.MISSING);
    }
  }

  @Test
  void sealedIdsTakeAboutTwelveBytesEach() {
    EventIdIndex open = new EventIdIndex();
    SplittableRandom random = new SplittableRandom(7);
    int n = 1_000_000;
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long key;
      do {
        key = random.nextLong();
      } while (key == 0);
      keys[i] = key;
      open.put(key, 5_000_000L + i);
    }
    SortedIds sealed = SortedIds.of(open);
    assertThat(sealed.size()).isEqualTo(n);
    assertThat((double) sealed.bytes() / n).as("bytes per id").isLessThan(12.6);
    for (int i = 0; i < n; i += 97) assertThat(sealed.get(keys[i])).isEqualTo(5_000_000L + i);
    assertThat(sealed.get(12345L)).isEqualTo(EventIdIndex.MISSING);
    SortedIds merged = SortedIds.merge(sealed, SortedIds.EMPTY, 5_000_000L + n / 2);
    assertThat(merged.size()).isEqualTo(n / 2);
    assertThat(merged.get(keys[0])).isEqualTo(EventIdIndex.MISSING);
    assertThat(merged.get(keys[n - 1])).isEqualTo(5_000_000L + n - 1);
  }
}
