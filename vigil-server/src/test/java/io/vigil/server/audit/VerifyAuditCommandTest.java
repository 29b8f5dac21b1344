package io.vigil.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@code vigil verify-audit} on an embedded store: intact, broken, and from an archived head. */
class VerifyAuditCommandTest {
  private static String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = VerifyAuditCommand.run(args);
      return code + " " + out.toString(StandardCharsets.UTF_8).trim();
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void reportsTheHeadThenTheFirstBrokenRow() throws Exception {
    Path dir = Files.createTempDirectory("vigil-verify-audit-");
    String head;
    String thirdHash;
    try (HikariDataSource ds = Storage.open(Storage.embeddedUrl(dir.toString()), "", "", 2, "t")) {
      Storage.migrate(ds);
      AuditRepository repo = AuditTrailStoreTest.fill(ds, 5);
      head = repo.head().hash();
      thirdHash = repo.queryAscending(AuditRepository.Filter.ALL, 2, 1).get(0).hash();
    }
    assertThat(run("verify-audit", "--data-dir", dir.toString()))
        .isEqualTo("0 audit trail intact: 5 rows, head sequence 5 hash " + head);
    assertThat(run("verify-audit", "--data-dir", dir.toString(), "--archived-through", "3"))
        .startsWith("2");
    try (HikariDataSource ds = Storage.open(Storage.embeddedUrl(dir.toString()), "", "", 2, "t");
        Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM audit_trail WHERE seq <= 3");
    }
    assertThat(run("verify-audit", "--data-dir", dir.toString())).startsWith("1 audit trail BROKEN: first deleted row at sequence 1");
    assertThat(run("verify-audit", "--data-dir", dir.toString(), "--archived-through", "3", "--archived-head-hash", thirdHash))
        .isEqualTo("0 audit trail intact: 2 rows after the archived head 3, head sequence 5 hash " + head);
    try (HikariDataSource ds = Storage.open(Storage.embeddedUrl(dir.toString()), "", "", 2, "t");
        Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE audit_trail SET actor_id = 'someone_else' WHERE seq = 5");
    }
    assertThat(run("verify-audit", "--data-dir", dir.toString(), "--archived-through", "3", "--archived-head-hash", thirdHash))
        .startsWith("1 audit trail BROKEN: first altered row at sequence 5");
  }
}
