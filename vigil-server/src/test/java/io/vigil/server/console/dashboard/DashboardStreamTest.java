package io.vigil.server.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live stream's cost and its checks: the stats are rendered once per range per tick whatever
 * the number of streams, a stream over the limit is refused without a render, and a stream whose
 * session ended or whose operator lost metrics.read is ended on the next tick.
 */
class DashboardStreamTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Set<String> mayRead = ConcurrentHashMap.newKeySet();
  private final List<DashboardRange> rendered = new ArrayList<>();
  private final DashboardStream stream = new DashboardStream(null, null, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
      mayRead::contains, nanos::get) {
    @Override
    String render(DashboardRange range) {
      synchronized (rendered) {
        rendered.add(range);
      }
      return "<p>" + range.code + "</p>";
    }
  };

  @AfterEach
  void stop() {
    stream.destroy();
  }

  private static DashboardStream.Viewer viewer(String operator, AtomicBoolean open) {
    return new DashboardStream.Viewer(operator, open::get);
  }

  private void nextTick() {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(DashboardStream.TICK_SECONDS));
    stream.tick();
  }

  @Test
  void eachRangeIsRenderedOncePerTickForAllItsStreams() {
    mayRead.add("ann");
    AtomicBoolean open = new AtomicBoolean(true);
    for (int i = 0; i < 10; i++) stream.open(DashboardRange.H1, viewer("ann", open));
    for (int i = 0; i < 5; i++) stream.open(DashboardRange.H24, viewer("ann", open));
    assertThat(stream.streams()).isEqualTo(15);
    assertThat(rendered).as("the opens share the fresh fragment of their range").containsExactlyInAnyOrder(DashboardRange.H1,
        DashboardRange.H24);

    nextTick();
    assertThat(rendered).as("one render per range per tick, not per stream").hasSize(4);
    nextTick();
    assertThat(rendered).hasSize(6);
    assertThat(rendered.stream().filter(r -> r == DashboardRange.H1).count()).isEqualTo(3);
    assertThat(stream.streams()).isEqualTo(15);
  }

  @Test
  void aStreamOverTheLimitIsRefusedWithoutARender() {
    mayRead.add("ann");
    AtomicBoolean open = new AtomicBoolean(true);
    for (int i = 0; i < DashboardStream.STREAMS_MAX; i++) stream.open(DashboardRange.H1, viewer("ann", open));
    assertThat(rendered).hasSize(1);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(60)); // the fragment is stale: a render would happen now
    SseEmitter refused = stream.open(DashboardRange.H1, viewer("ann", open));
    assertThat(refused).isNotNull();
    assertThat(rendered).as("refused without rendering").hasSize(1);
    assertThat(stream.streams()).isEqualTo(DashboardStream.STREAMS_MAX);
  }

  @Test
  void aStreamEndsOnTheTickAfterSignOutOrALostPermission() {
    mayRead.add("ann");
    mayRead.add("bob");
    AtomicBoolean annSession = new AtomicBoolean(true);
    AtomicBoolean bobSession = new AtomicBoolean(true);
    stream.open(DashboardRange.H1, viewer("ann", annSession));
    stream.open(DashboardRange.H1, viewer("bob", bobSession));
    stream.open(DashboardRange.M15, viewer("bob", bobSession));
    nextTick();
    assertThat(stream.streams()).isEqualTo(3);

    annSession.set(false); // signed out: the session is invalidated
    nextTick();
    assertThat(stream.streams()).as("ann's stream ended").isEqualTo(2);

    mayRead.remove("bob"); // a role change took metrics.read away
    nextTick();
    assertThat(stream.streams()).as("bob's streams ended").isZero();
    int renders = rendered.size();
    nextTick();
    assertThat(rendered).as("no stream, no render").hasSize(renders);

    // The freed places take new streams.
    mayRead.add("bob");
    stream.open(DashboardRange.H1, viewer("bob", bobSession));
    assertThat(stream.streams()).isEqualTo(1);
  }

  @Test
  void aSessionIsOpenUntilItEndsAndOnlyForItsOperator() {
    org.springframework.mock.web.MockHttpSession session = new org.springframework.mock.web.MockHttpSession();
    session.setAttribute(io.vigil.server.operator.OperatorSessions.USERNAME, "ann");
    assertThat(DashboardController.sessionOpen(session, "ann").getAsBoolean()).isTrue();
    assertThat(DashboardController.sessionOpen(session, "bob").getAsBoolean()).as("another operator's session").isFalse();
    assertThat(DashboardController.sessionOpen(null, "ann").getAsBoolean()).isFalse();
    java.util.function.BooleanSupplier open = DashboardController.sessionOpen(session, "ann");
    session.invalidate(); // sign-out, expiry, or a change to the account
    assertThat(open.getAsBoolean()).isFalse();
  }
}
