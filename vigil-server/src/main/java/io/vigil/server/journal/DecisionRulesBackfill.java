package io.vigil.server.journal;

import io.vigil.server.api.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Migration 11: fills the rule index ({@link DecisionRules}) for the decisions stored before it
 * existed, from their journaled responses. Reads the journal in pages by sequence, so no cursor
 * stays open while it writes; runs once, in Flyway's transaction.
 */
public final class DecisionRulesBackfill implements JavaMigration {
  private static final int PAGE_ROWS = 1_000;
  private static final String PAGE = "SELECT sequence, response_json FROM decisions WHERE sequence > ? ORDER BY sequence LIMIT ?";

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("11");
  }

  @Override
  public String getDescription() {
    return "fill decision rules";
  }

  @Override
  public Integer getChecksum() {
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    long after = 0;
    while (true) {
      List<DecisionRules.Fired> page = page(c, after);
      if (page.isEmpty()) return;
      DecisionRules.insertAll(c, page);
      after = page.get(page.size() - 1).sequence();
    }
  }

  private static List<DecisionRules.Fired> page(Connection c, long after) throws SQLException {
    List<DecisionRules.Fired> page = new ArrayList<>(PAGE_ROWS);
    try (PreparedStatement ps = c.prepareStatement(PAGE)) {
      ps.setLong(1, after);
      ps.setInt(2, PAGE_ROWS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          page.add(new DecisionRules.Fired(rs.getLong(1), DecisionRules.ruleIds(Json.readMap(rs.getString(2)))));
        }
      }
    }
    return page;
  }
}
