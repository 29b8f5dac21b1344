package io.vigil.server.notify;

import io.vigil.server.storage.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/** The {@code webhook_endpoints} table. Secrets are stored sealed ({@link WebhookSecrets}). */
final class WebhookEndpointStore {
  /** Endpoints kept at most; creating more is refused. */
  static final int ENDPOINTS_MAX = 100;
  private static final String COLUMNS = "endpoint_id, url, description, event_types, enabled, secret_sealed, previous_secret_sealed,"
      + " previous_valid_until_millis, created_by, created_at_millis, updated_at_millis";

  /** One endpoint; {@code eventTypes} sorted; previous secret and its end null when there is none. */
  record Row(String endpointId, String url, String description, Set<String> eventTypes, boolean enabled, String secretSealed,
      String previousSecretSealed, Long previousValidUntilMillis, String createdBy, long createdAtMillis, long updatedAtMillis) {}

  private final DataSource dataSource;

  WebhookEndpointStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  List<Row> all() {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM webhook_endpoints ORDER BY created_at_millis, endpoint_id LIMIT "
        + ENDPOINTS_MAX, Sql.Binder.NONE, WebhookEndpointStore::row, "reading webhook endpoints failed");
  }

  List<Row> enabled() {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE enabled = TRUE ORDER BY created_at_millis,"
        + " endpoint_id LIMIT " + ENDPOINTS_MAX, Sql.Binder.NONE, WebhookEndpointStore::row, "reading webhook endpoints failed");
  }

  Optional<Row> find(String endpointId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE endpoint_id = ?", ps -> ps.setString(1, endpointId),
        WebhookEndpointStore::row, "reading a webhook endpoint failed");
  }

  long count() {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM webhook_endpoints", Sql.Binder.NONE, "counting webhook endpoints failed");
  }

  void insert(Row r) {
    Sql.update(dataSource, "INSERT INTO webhook_endpoints (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)", ps -> {
      ps.setString(1, r.endpointId());
      ps.setString(2, r.url());
      ps.setString(3, r.description());
      ps.setString(4, typesText(r.eventTypes()));
      ps.setBoolean(5, r.enabled());
      ps.setString(6, r.secretSealed());
      ps.setString(7, r.previousSecretSealed());
      setLong(ps, 8, r.previousValidUntilMillis());
      ps.setString(9, r.createdBy());
      ps.setLong(10, r.createdAtMillis());
      ps.setLong(11, r.updatedAtMillis());
    }, "storing a webhook endpoint failed");
  }

  /** Writes the changeable fields (url, description, event types, enabled); false when the endpoint is gone. */
  boolean update(Row r) {
    return Sql.update(dataSource, "UPDATE webhook_endpoints SET url = ?, description = ?, event_types = ?, enabled = ?,"
        + " updated_at_millis = ? WHERE endpoint_id = ?", ps -> {
          ps.setString(1, r.url());
          ps.setString(2, r.description());
          ps.setString(3, typesText(r.eventTypes()));
          ps.setBoolean(4, r.enabled());
          ps.setLong(5, r.updatedAtMillis());
          ps.setString(6, r.endpointId());
        }, "changing a webhook endpoint failed") == 1;
  }

  /** Replaces the secret, keeping the old one valid until the given time; false when the endpoint is gone. */
  boolean rotate(String endpointId, String secretSealed, String previousSealed, long previousValidUntilMillis, long atMillis) {
    return Sql.update(dataSource, "UPDATE webhook_endpoints SET secret_sealed = ?, previous_secret_sealed = ?,"
        + " previous_valid_until_millis = ?, updated_at_millis = ? WHERE endpoint_id = ?", ps -> {
          ps.setString(1, secretSealed);
          ps.setString(2, previousSealed);
          ps.setLong(3, previousValidUntilMillis);
          ps.setLong(4, atMillis);
          ps.setString(5, endpointId);
        }, "rotating a webhook secret failed") == 1;
  }

  boolean delete(String endpointId) {
    return Sql.update(dataSource, "DELETE FROM webhook_endpoints WHERE endpoint_id = ?", ps -> ps.setString(1, endpointId),
        "deleting a webhook endpoint failed") == 1;
  }

  static String typesText(Set<String> types) {
    return String.join(",", new TreeSet<>(types));
  }

  static Set<String> typesOf(String text) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(text.isEmpty() ? List.of() : Arrays.asList(text.split(","))));
  }

  private static Row row(ResultSet rs) throws SQLException {
    long until = rs.getLong(8);
    Long previousUntil = rs.wasNull() ? null : until;
    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), typesOf(rs.getString(4)), rs.getBoolean(5), rs.getString(6),
        rs.getString(7), previousUntil, rs.getString(9), rs.getLong(10), rs.getLong(11));
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) ps.setNull(index, Types.BIGINT);
    else ps.setLong(index, value);
  }
}
