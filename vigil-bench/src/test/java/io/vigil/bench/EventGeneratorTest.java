package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.EventType;
import io.vigil.engine.event.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
  static final int EVENTS = 20_000;

  @Test
  void everyEventPassesTheRealParserAfterAJsonRoundTrip() {
    EventGenerator generator = new EventGenerator(42, 100_000);
    Set<String> eventIds = new HashSet<>();
    for (int i = 0; i < EVENTS; i++) {
      Map<String, Object> body = generator.next();
      String json = new String(Json.write(body).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      Map<String, Object> decoded = TinyJson.parseObject(json);
      assertThat(decoded).isEqualTo(body);
      Event event;
      try {
        event = EventParser.parse(decoded);
      } catch (ValidationException e) {
        fail("event %d refused: %s %s %s%n%s", i, e.code(), e.param(), e.getMessage(), json);
        return;
      }
      assertThat(eventIds.add(event.eventId())).as("unique event id").isTrue();
      assertThat(Ids.longestDigitRun(json.replace(String.valueOf(body.get("phone")), ""))).isLessThan(13);
    }
  }

  @Test
  void mixAndBurstSharesAreRoughlyAsSpecified() {
    EventGenerator generator = new EventGenerator(7, 100_000);
    long failedLogins = 0;
    for (int i = 0; i < EVENTS; i++) {
      Map<String, Object> body = generator.next();
      if (body.get("login") instanceof Map<?, ?> login && Boolean.FALSE.equals(login.get("success"))) failedLogins++;
    }
    assertThat(generator.generated()).isEqualTo(EVENTS);
    double normalShare = 1 - EventGenerator.BURST_SHARE;
    for (int t = 0; t < EventGenerator.TYPES.length; t++) {
      EventType type = EventGenerator.TYPES[t];
      double expected = normalShare * EventGenerator.TYPE_WEIGHTS[t] / 96.0;
      double actual = generator.count(type) / (double) EVENTS;
      // Bursts add payments and logins on top of the normal mix.
      double slack = type == EventType.PAYMENT || type == EventType.LOGIN ? 0.025 : 0.01;
      assertThat(actual).as("share of %s", type).isBetween(expected - 0.01, expected + slack);
    }
    double burstShare = generator.burstEvents() / (double) EVENTS;
    assertThat(burstShare).isBetween(0.015, 0.025);
    for (EventGenerator.Burst kind : EventGenerator.Burst.values()) {
      assertThat(generator.burstEvents(kind)).as("%s events", kind).isPositive();
    }
    double loginCount = generator.count(EventType.LOGIN);
    long stuffing = generator.burstEvents(EventGenerator.Burst.CREDENTIAL_STUFFING);
    double normalFailedShare = (failedLogins - 0.9 * stuffing) / (loginCount - stuffing);
    assertThat(normalFailedShare).isBetween(0.03, 0.07);
  }

  @Test
  void sameSeedRunIdAndClockGiveTheSameEvents() {
    EventGenerator a = new EventGenerator(11, 5_000, "fixedrun", () -> 1_790_000_000_000L);
    EventGenerator b = new EventGenerator(11, 5_000, "fixedrun", () -> 1_790_000_000_000L);
    for (int i = 0; i < 2_000; i++) assertThat(a.next()).isEqualTo(b.next());
  }

  @Test
  void eventIdsCarryTheRunId() {
    EventGenerator g = new EventGenerator(1, 1_000, "runabc", () -> 1_790_000_000_000L);
    assertThat((String) g.next().get("event_id")).isEqualTo("bench-runabc-0");
  }
}
