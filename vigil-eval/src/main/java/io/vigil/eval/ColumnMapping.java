package io.vigil.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Which CSV column feeds which event field, read from a properties file (the FDH mapping ships as
 * {@code fdh.mapping.properties}). Keys: {@code event_id}, {@code occurred_at} (with
 * {@code occurred_at_format}: a {@link DateTimeFormatter} pattern, or {@code iso} / {@code epoch_millis},
 * and {@code occurred_at_zone}), {@code account_id}, {@code merchant_id}, {@code amount} (with
 * {@code amount_unit}: {@code major} or {@code minor}), {@code currency} (a constant code),
 * {@code type} (a constant event type), {@code label} (column with 1 = fraud, 0 = legitimate; optional),
 * {@code event_id_prefix} (optional).
 */
public record ColumnMapping(String eventId, String eventIdPrefix, String occurredAt, String occurredAtFormat,
    ZoneId occurredAtZone, String accountId, String merchantId, String amount, boolean amountInMajorUnits,
    String currency, String type, String label) {

  private static final Set<String> KEYS = Set.of("event_id", "event_id_prefix", "occurred_at", "occurred_at_format",
      "occurred_at_zone", "account_id", "merchant_id", "amount", "amount_unit", "currency", "type", "label");

  private static final java.util.Map<String, DateTimeFormatter> FORMATTERS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The epoch milliseconds of an {@code occurred_at} value; IllegalArgumentException naming the format when it does not fit. */
  public long parseTime(String text) {
    String s = text.trim();
    try {
      if (occurredAtFormat.equals("epoch_millis")) return Long.parseLong(s);
      if (occurredAtFormat.equals("iso")) return java.time.Instant.parse(s).toEpochMilli();
      if (occurredAtFormat.equals("yyyy-MM-dd HH:mm:ss") && s.length() == 19) return fastLocal(s);
      DateTimeFormatter f = FORMATTERS.computeIfAbsent(occurredAtFormat, DateTimeFormatter::ofPattern);
      return java.time.LocalDateTime.parse(s, f).atZone(occurredAtZone).toInstant().toEpochMilli();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("time '" + text + "' does not match occurred_at_format " + occurredAtFormat);
    }
  }

  /** {@code yyyy-MM-dd HH:mm:ss} without a formatter (the FDH layout; ~20× faster), checked field by field. */
  private long fastLocal(String s) {
    if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' ' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      throw new IllegalArgumentException("expected yyyy-MM-dd HH:mm:ss");
    }
    java.time.LocalDateTime local = java.time.LocalDateTime.of(Integer.parseInt(s, 0, 4, 10), Integer.parseInt(s, 5, 7, 10),
        Integer.parseInt(s, 8, 10, 10), Integer.parseInt(s, 11, 13, 10), Integer.parseInt(s, 14, 16, 10),
        Integer.parseInt(s, 17, 19, 10));
    return local.atZone(occurredAtZone).toInstant().toEpochMilli();
  }

  public static ColumnMapping fdh() {
    try (InputStream in = ColumnMapping.class.getResourceAsStream("fdh.mapping.properties")) {
      if (in == null) throw new IllegalStateException("fdh.mapping.properties missing from the jar");
      return parse(new java.io.InputStreamReader(in, StandardCharsets.UTF_8), "fdh.mapping.properties");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ColumnMapping read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(r, file.toString());
    }
  }

  static ColumnMapping parse(Reader reader, String source) throws IOException {
    Properties p = new Properties();
    p.load(reader);
    for (String k : p.stringPropertyNames()) {
      if (!KEYS.contains(k)) throw new IllegalArgumentException(source + ": unknown mapping key '" + k + "'; known: " + KEYS);
    }
    String unit = p.getProperty("amount_unit", "minor");
    if (!List.of("major", "minor").contains(unit)) throw new IllegalArgumentException(source + ": amount_unit must be major or minor");
    return new ColumnMapping(required(p, "event_id", source), p.getProperty("event_id_prefix", ""),
        required(p, "occurred_at", source), p.getProperty("occurred_at_format", "iso"),
        ZoneId.of(p.getProperty("occurred_at_zone", "UTC")), required(p, "account_id", source), p.getProperty("merchant_id"),
        required(p, "amount", source), unit.equals("major"), required(p, "currency", source), p.getProperty("type", "payment"),
        p.getProperty("label"));
  }

  private static String required(Properties p, String key, String source) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) throw new IllegalArgumentException(source + ": mapping key '" + key + "' is required");
    return v.trim();
  }
}
