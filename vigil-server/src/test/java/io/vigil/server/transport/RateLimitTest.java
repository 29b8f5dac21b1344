package io.vigil.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T14:00:00Z"));

  @Test
  void aBucketGivesItsCapacityThenSaysHowLongToWaitAndRefillsWithTheClock() {
    RateLimit limit = new RateLimit(new RateLimitProperties.Budget(3, 1, 10), 100, clock);
    assertThat(limit.take("k")).isZero();
    assertThat(limit.take("k")).isZero();
    assertThat(limit.take("k")).isZero();
    assertThat(limit.take("k")).as("one request every 10 s").isEqualTo(10);
    clock.advance(Duration.ofMillis(4_000));
    assertThat(limit.take("k")).isEqualTo(6);
    clock.advance(Duration.ofMillis(6_000));
    assertThat(limit.take("k")).isZero();
    assertThat(limit.take("other")).as("each key has its own bucket").isZero();
  }

  @Test
  void spendingAfterTheFactEmptiesTheBucketThatTheCheckThenReports() {
    RateLimit limit = new RateLimit(new RateLimitProperties.Budget(2, 1, 60), 100, clock);
    assertThat(limit.waitIfSpent("a")).as("no bucket yet").isZero();
    assertThat(limit.bucketCount()).as("checking makes no bucket").isZero();
    limit.spend("a");
    assertThat(limit.waitIfSpent("a")).isZero();
    limit.spend("a");
    assertThat(limit.waitIfSpent("a")).isEqualTo(60);
    limit.spend("a"); // already empty: stays empty, no debt
    clock.advance(Duration.ofMillis(60_000));
    assertThat(limit.waitIfSpent("a")).isZero();
  }

  @Test
  void theTableNeverHoldsMoreThanItsBoundAndForgetsTheLeastRecentlyUsed() {
    BucketTable table = new BucketTable(new RateLimitProperties.Budget(1, 1, 3600), 100, clock);
    table.get("hot").tryConsume(1);
    for (int i = 0; i < 1_000; i++) {
      clock.advance(Duration.ofMillis(1_000));
      table.get("cold-" + i);
      table.find("hot"); // used every second
      assertThat(table.size()).isLessThanOrEqualTo(100);
    }
    assertThat(table.find("cold-0")).as("long unused: forgotten").isNull();
    assertThat(table.find("hot")).as("in use: kept, still empty").isNotNull();
    assertThat(table.find("hot").getAvailableTokens()).isZero();
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertThat(RateLimit.secondsToWait(1)).isEqualTo(1);
    assertThat(RateLimit.secondsToWait(TimeUnit.SECONDS.toNanos(2))).isEqualTo(2);
    assertThat(RateLimit.secondsToWait(TimeUnit.SECONDS.toNanos(2) + 1)).isEqualTo(3);
  }

  @Test
  void ipv6ClientsAreCountedByTheirSlash64AndIpv4ByAddress() {
    assertThat(ClientAddresses.key("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddresses.key("2001:db8:1:2:aaaa::1")).isEqualTo(ClientAddresses.key("2001:db8:1:2:bbbb:cccc:dddd:eeee"))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddresses.key("2001:db8:1:3::1")).isNotEqualTo(ClientAddresses.key("2001:db8:1:2::1"));
    assertThat(ClientAddresses.key("0:0:0:0:0:0:0:1%0")).isEqualTo("0:0:0:0::/64");
    assertThat(ClientAddresses.key("::ffff:198.51.100.9")).isEqualTo("198.51.100.9");
  }
}
