package io.vigil.server.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class ReviewerScheduleTest {
  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void aDayShiftIsWorkedFromItsStartForItsLength() {
    ReviewerSchedule s = new ReviewerSchedule(LocalTime.of(7, 0), Duration.ofHours(8), 6);
    assertThat(s.onShift(at("2018-07-02T06:59:59Z"))).isFalse();
    assertThat(s.onShift(at("2018-07-02T07:00:00Z"))).isTrue();
    assertThat(s.onShift(at("2018-07-02T14:59:59Z"))).isTrue();
    assertThat(s.onShift(at("2018-07-02T15:00:00Z"))).isFalse();
    assertThat(s.nextWorking(at("2018-07-02T03:10:00Z"))).isEqualTo(at("2018-07-02T07:00:00Z"));
    assertThat(s.nextWorking(at("2018-07-02T16:00:00Z"))).isEqualTo(at("2018-07-03T07:00:00Z"));
    assertThat(s.nextWorking(at("2018-07-02T09:30:00Z"))).isEqualTo(at("2018-07-02T09:30:00Z"));
    assertThat(s.shiftEnd(at("2018-07-02T09:30:00Z"))).isEqualTo(at("2018-07-02T15:00:00Z"));
  }

  @Test
  void aNightShiftRunsAcrossMidnight() {
    ReviewerSchedule s = new ReviewerSchedule(LocalTime.of(22, 0), Duration.ofHours(8), 6);
    assertThat(s.onShift(at("2018-07-02T23:30:00Z"))).isTrue();
    assertThat(s.onShift(at("2018-07-03T05:59:00Z"))).isTrue();
    assertThat(s.onShift(at("2018-07-03T06:00:00Z"))).isFalse();
    assertThat(s.shiftStart(at("2018-07-03T02:00:00Z"))).isEqualTo(at("2018-07-02T22:00:00Z"));
    assertThat(s.shiftEnd(at("2018-07-03T02:00:00Z"))).isEqualTo(at("2018-07-03T06:00:00Z"));
    assertThat(s.nextWorking(at("2018-07-03T12:00:00Z"))).isEqualTo(at("2018-07-03T22:00:00Z"));
  }

  @Test
  void theHourlyCapWaitsForTheNextHourAndTheShiftEndStillHolds() {
    ReviewerSchedule s = new ReviewerSchedule(LocalTime.of(7, 0), Duration.ofHours(8), 2);
    s.closed(at("2018-07-02T09:05:00Z"));
    assertThat(s.nextWorking(at("2018-07-02T09:06:00Z"))).isEqualTo(at("2018-07-02T09:06:00Z"));
    s.closed(at("2018-07-02T09:20:00Z"));
    assertThat(s.nextWorking(at("2018-07-02T09:21:00Z"))).isEqualTo(at("2018-07-02T10:00:00Z"));
    // the cap of the last hour of the shift carries the reviewer to the next day's shift
    s.closed(at("2018-07-02T14:10:00Z"));
    s.closed(at("2018-07-02T14:20:00Z"));
    assertThat(s.nextWorking(at("2018-07-02T14:30:00Z"))).isEqualTo(at("2018-07-03T07:00:00Z"));
    // a new hour starts a new count
    s.closed(at("2018-07-03T07:01:00Z"));
    assertThat(s.nextWorking(at("2018-07-03T07:02:00Z"))).isEqualTo(at("2018-07-03T07:02:00Z"));
  }

  @Test
  void refusesShiftsAndCapsThatCannotBeWorked() {
    assertThatThrownBy(() -> new ReviewerSchedule(LocalTime.of(7, 0), Duration.ZERO, 6)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReviewerSchedule(LocalTime.of(7, 0), Duration.ofHours(25), 6)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReviewerSchedule(LocalTime.of(7, 0), Duration.ofHours(8), 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
