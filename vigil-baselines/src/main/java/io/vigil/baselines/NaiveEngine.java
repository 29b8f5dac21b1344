package io.vigil.baselines;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A risk engine of the design most open-source peers use: the event is inserted, every velocity
 * feature is a SQL aggregate over the stored events, the rules are evaluated in Java, and the
 * decision is inserted, all in one database transaction per request. Nine statements per decision.
 * Exact and durable (PostgreSQL commits synchronously), like Vigil; nothing is cached.
 */
@Service
public class NaiveEngine {
  private static final long HOUR_MILLIS = 3_600_000L;
  private static final long DAY_MILLIS = 24 * HOUR_MILLIS;
  private final JdbcTemplate jdbc;

  public NaiveEngine(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** One event as the peers' engines take it: the fields their velocity rules read. */
  public record Event(String eventId, String type, String accountId, long amountMinor, String currency,
      String deviceId, String ip, String merchantId, Instant occurredAt) {}

  @Transactional
  public Map<String, Object> decide(Event e) {
    Timestamp at = Timestamp.from(e.occurredAt());
    Timestamp hourAgo = new Timestamp(at.getTime() - HOUR_MILLIS);
    Timestamp dayAgo = new Timestamp(at.getTime() - DAY_MILLIS);
    Timestamp monthAgo = new Timestamp(at.getTime() - 30 * DAY_MILLIS);
    jdbc.update("INSERT INTO naive_events (event_id, type, account_id, amount_minor, currency, device_id, ip, merchant_id, occurred_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e.eventId(), e.type(), e.accountId(), e.amountMinor(), e.currency(),
        e.deviceId(), e.ip(), e.merchantId(), at);
    long countHour = count("SELECT COUNT(*) FROM naive_events WHERE account_id = ? AND occurred_at > ? AND occurred_at <= ?",
        e.accountId(), hourAgo, at);
    long countDay = count("SELECT COUNT(*) FROM naive_events WHERE account_id = ? AND occurred_at > ? AND occurred_at <= ?",
        e.accountId(), dayAgo, at);
    long amountDay = count("SELECT COALESCE(SUM(amount_minor), 0) FROM naive_events WHERE account_id = ? AND occurred_at > ?"
        + " AND occurred_at <= ?", e.accountId(), dayAgo, at);
    long devicesDay = count("SELECT COUNT(DISTINCT device_id) FROM naive_events WHERE account_id = ? AND occurred_at > ?"
        + " AND occurred_at <= ?", e.accountId(), dayAgo, at);
    long accountsPerDevice = e.deviceId() == null ? 0 : count("SELECT COUNT(DISTINCT account_id) FROM naive_events"
        + " WHERE device_id = ? AND occurred_at > ? AND occurred_at <= ?", e.deviceId(), dayAgo, at);
    long accountsPerIp = e.ip() == null ? 0 : count("SELECT COUNT(DISTINCT account_id) FROM naive_events"
        + " WHERE ip = ? AND occurred_at > ? AND occurred_at <= ?", e.ip(), hourAgo, at);
    long averageMonth = count("SELECT COALESCE(AVG(amount_minor), 0)::bigint FROM naive_events WHERE account_id = ?"
        + " AND occurred_at > ? AND occurred_at <= ?", e.accountId(), monthAgo, at);

    List<String> fired = new ArrayList<>();
    int score = 0;
    if (countHour > 10) { fired.add("velocity_hour"); score += 30; }
    if (countDay > 50) { fired.add("velocity_day"); score += 20; }
    if (amountDay > 1_000_000) { fired.add("amount_day"); score += 25; }
    if (devicesDay > 3) { fired.add("many_devices"); score += 20; }
    if (accountsPerDevice > 3) { fired.add("shared_device"); score += 30; }
    if (accountsPerIp > 5) { fired.add("shared_ip"); score += 20; }
    if (averageMonth > 0 && e.amountMinor() > 10 * averageMonth) { fired.add("amount_spike"); score += 25; }
    String action = score >= 70 ? "DENY" : score >= 40 ? "REVIEW" : "ALLOW";
    jdbc.update("INSERT INTO naive_decisions (event_id, account_id, action, score, rules) VALUES (?, ?, ?, ?, ?)",
        e.eventId(), e.accountId(), action, score, String.join(",", fired));

    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("event_id", e.eventId());
    reply.put("action", action);
    reply.put("score", score);
    reply.put("rules", fired);
    reply.put("decided_at", OffsetDateTime.now().toString());
    return reply;
  }

  private long count(String sql, Object... args) {
    Long value = jdbc.queryForObject(sql, Long.class, args);
    return value == null ? 0 : value;
  }
}
