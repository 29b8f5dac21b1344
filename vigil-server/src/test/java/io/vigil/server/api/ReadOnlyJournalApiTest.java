package io.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.journal.HashChain;
import io.vigil.server.journal.Anchor;
import io.vigil.server.journal.AnchorFile;
import io.vigil.server.journal.AnchorKey;
import io.vigil.server.journal.AnchorKeyring;
import io.vigil.server.journal.AnchorPaths;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.storage.Storage;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.JournalRows;
import io.vigil.server.support.TestClock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A server started on a journal whose last rows were cut off after they were anchored, with
 * {@code vigil.journal.on-broken-chain=read-only}: decisions get 503 journal_broken, reads work,
 * health is DOWN. Own server and data directory.
 */
class ReadOnlyJournalApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-readonly-");

  @DynamicPropertySource
  static void brokenJournal(DynamicPropertyRegistry registry) throws SQLException {
    String dir = DATA_DIR.toString();
    try (HikariDataSource ds = Storage.open(Storage.embeddedUrl(dir), "", "", 2, "test-readonly")) {
      Storage.migrate(ds);
      JournalRows.write(ds, JournalRows.chain(1, 10, HashChain.GENESIS, ""));
      AnchorKey key = AnchorKey.generateInto(AnchorPaths.keyFile(dir));
      AnchorKeyring.read(AnchorPaths.keyringFile(dir)).record(key, TestClock.INSTANCE.millis());
      new AnchorFile(AnchorPaths.anchorFile(dir)).append(Anchor.signed(key, 10,
          JournalRows.hashAt(new JournalRepository(ds), 10), TestClock.INSTANCE.millis(), Anchor.INTERVAL));
      JournalRows.exec(ds, "DELETE FROM decisions WHERE sequence > 8");
    }
    registry.add("vigil.data-dir", () -> dir);
    registry.add("vigil.journal.on-broken-chain", () -> "read-only");
  }

  @Test
  void decisionsAreRefusedAndReadsServed() {
    ApiClient.Reply refused = api.post("/v1/decisions", Events.payment("ro-1", "acc-ro", 1_000));
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.error()).containsEntry("code", "journal_broken").containsEntry("type", "overloaded_error");
    assertThat((String) refused.error().get("message")).contains("read-only", "configured fallback action");
    assertThat(refused.headers().firstValue("Retry-After")).contains("60");

    ApiClient.Reply listed = api.get("/v1/decisions?limit=100");
    assertThat(listed.status()).isEqualTo(200);
    assertThat((List<?>) listed.json().get("data")).hasSize(8);

    ApiClient.Reply health = api.get("/actuator/health");
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.body()).contains("journal chain broken");
  }
}
