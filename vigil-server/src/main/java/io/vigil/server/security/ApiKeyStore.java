package io.vigil.server.security;

import io.vigil.server.api.Ids;
import io.vigil.server.storage.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** The {@code api_keys} and {@code api_key_events} tables. Secrets are stored sealed (base64 of the ciphertext). */
public final class ApiKeyStore {
  /** Keys kept at most (issued, revoked and destroyed alike); issuing more is refused. */
  public static final int KEYS_MAX = 10_000;
  private static final String COLUMNS = "key_id, owner, scopes, status, created_at_millis, created_by, expires_at_millis,"
      + " secret_sealed, previous_secret_sealed, previous_valid_until_millis, rotated_at_millis, revoked_at_millis, destroyed_at_millis";

  public enum Status { ACTIVE, REVOKED, DESTROYED }

  /** One row. Times in epoch millis; null when not (yet) so. */
  public record Row(String keyId, String owner, Set<ApiScope> scopes, Status status, long createdAtMillis, String createdBy,
      Long expiresAtMillis, String secretSealed, String previousSecretSealed, Long previousValidUntilMillis,
      Long rotatedAtMillis, Long revokedAtMillis, Long destroyedAtMillis) {}

  /** One step of a key's life. */
  public record Event(String eventId, String keyId, String action, String actor, long atMillis, String detail) {}

  private final DataSource dataSource;

  public ApiKeyStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<Row> all() {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at_millis, key_id LIMIT " + KEYS_MAX,
        Sql.Binder.NONE, ApiKeyStore::row, "reading API keys failed");
  }

  public Optional<Row> find(String keyId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM api_keys WHERE key_id = ?", ps -> ps.setString(1, keyId),
        ApiKeyStore::row, "reading an API key failed");
  }

  public long count() {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM api_keys", Sql.Binder.NONE, "counting API keys failed");
  }

  public void insert(Row r) {
    Sql.update(dataSource, "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", ps -> {
      ps.setString(1, r.keyId());
      ps.setString(2, r.owner());
      ps.setString(3, scopesText(r.scopes()));
      ps.setString(4, r.status().name());
      ps.setLong(5, r.createdAtMillis());
      ps.setString(6, r.createdBy());
      setLong(ps, 7, r.expiresAtMillis());
      ps.setString(8, r.secretSealed());
      ps.setString(9, r.previousSecretSealed());
      setLong(ps, 10, r.previousValidUntilMillis());
      setLong(ps, 11, r.rotatedAtMillis());
      setLong(ps, 12, r.revokedAtMillis());
      setLong(ps, 13, r.destroyedAtMillis());
    }, "storing an API key failed");
  }

  /** Replaces the secrets of an active key; false when it is not active. */
  public boolean rotate(String keyId, String secretSealed, String previousSecretSealed, long previousValidUntilMillis, long atMillis) {
    return Sql.update(dataSource, "UPDATE api_keys SET secret_sealed = ?, previous_secret_sealed = ?, previous_valid_until_millis = ?,"
        + " rotated_at_millis = ? WHERE key_id = ? AND status = 'ACTIVE'", ps -> {
          ps.setString(1, secretSealed);
          ps.setString(2, previousSecretSealed);
          ps.setLong(3, previousValidUntilMillis);
          ps.setLong(4, atMillis);
          ps.setString(5, keyId);
        }, "rotating an API key failed") == 1;
  }

  /** Sets a key's one secret (the demo key set from a setting); false when it is not active. */
  public boolean replaceSecret(String keyId, String secretSealed) {
    return Sql.update(dataSource, "UPDATE api_keys SET secret_sealed = ?, previous_secret_sealed = NULL,"
        + " previous_valid_until_millis = NULL WHERE key_id = ? AND status = 'ACTIVE'", ps -> {
          ps.setString(1, secretSealed);
          ps.setString(2, keyId);
        }, "replacing an API key's secret failed") == 1;
  }

  /** Revokes an active key; false when it is not active. */
  public boolean revoke(String keyId, long atMillis) {
    return Sql.update(dataSource, "UPDATE api_keys SET status = 'REVOKED', revoked_at_millis = ? WHERE key_id = ? AND status = 'ACTIVE'",
        ps -> {
          ps.setLong(1, atMillis);
          ps.setString(2, keyId);
        }, "revoking an API key failed") == 1;
  }

  /** Destroys a key's secret material (the row stays); false when it was destroyed already or is unknown. */
  public boolean destroy(String keyId, long atMillis) {
    return Sql.update(dataSource, "UPDATE api_keys SET status = 'DESTROYED', secret_sealed = NULL, previous_secret_sealed = NULL,"
        + " previous_valid_until_millis = NULL, revoked_at_millis = COALESCE(revoked_at_millis, ?), destroyed_at_millis = ?"
        + " WHERE key_id = ? AND status <> 'DESTROYED'", ps -> {
          ps.setLong(1, atMillis);
          ps.setLong(2, atMillis);
          ps.setString(3, keyId);
        }, "destroying an API key failed") == 1;
  }

  public void recordEvent(String keyId, String action, String actor, long atMillis, String detail) {
    Sql.update(dataSource, "INSERT INTO api_key_events (event_id, key_id, action, actor, at_millis, detail) VALUES (?,?,?,?,?,?)", ps -> {
      ps.setString(1, Ids.random("ake_"));
      ps.setString(2, keyId);
      ps.setString(3, action);
      ps.setString(4, actor);
      ps.setLong(5, atMillis);
      ps.setString(6, detail);
    }, "recording an API key event failed");
  }

  /** A key's events, oldest first; at most rows. */
  public List<Event> events(String keyId, int rows) {
    return Sql.list(dataSource, "SELECT event_id, key_id, action, actor, at_millis, detail FROM api_key_events WHERE key_id = ?"
        + " ORDER BY at_millis, event_id LIMIT ?", ps -> {
          ps.setString(1, keyId);
          ps.setInt(2, rows);
        }, rs -> new Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6)),
        "reading API key events failed");
  }

  static String scopesText(Set<ApiScope> scopes) {
    return scopes.stream().sorted().map(ApiScope::code).collect(Collectors.joining(","));
  }

  static Set<ApiScope> scopesOf(String text) {
    EnumSet<ApiScope> out = EnumSet.noneOf(ApiScope.class);
    for (String code : text.split(",")) {
      ApiScope s = ApiScope.ofCode(code.trim());
      if (s != null) out.add(s);
    }
    return out;
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(rs.getString(1), rs.getString(2), scopesOf(rs.getString(3)), Status.valueOf(rs.getString(4)), rs.getLong(5),
        rs.getString(6), getLong(rs, 7), rs.getString(8), rs.getString(9), getLong(rs, 10), getLong(rs, 11), getLong(rs, 12),
        getLong(rs, 13));
  }

  private static Long getLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) ps.setNull(index, Types.BIGINT);
    else ps.setLong(index, value);
  }
}
