package io.vigil.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.DurableCommit;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one writer: an action waits for its row; rows it could not store are reported in the chain itself. */
class AuditRecorderTest {
  @Test
  void anActionIsStoredBeforeRecordReturnsAndLostRowsAreReported() throws Exception {
    try (HikariDataSource ds = TestDatabases.h2().open()) {
      AuditRepository repo = new AuditRepository(ds, DurableCommit.SYNC);
      try (AuditRecorder recorder = new AuditRecorder(repo, new TestSeal(), TestClock.INSTANCE, 16, 5_000)) {
        assertThat(recorder.record(AuditTrailStoreTest.entry(1, "op_a", "rule_1", 200))).isTrue();
        assertThat(repo.count()).as("stored when record returns").isEqualTo(1);

        AuditTrailStoreTest.sql(ds, "ALTER TABLE audit_trail RENAME TO audit_trail_away");
        assertThat(recorder.record(AuditTrailStoreTest.entry(2, "op_a", "rule_2", 200))).isFalse();
        AuditTrailStoreTest.sql(ds, "ALTER TABLE audit_trail_away RENAME TO audit_trail");
        assertThat(recorder.lost()).isEqualTo(1);

        assertThat(recorder.record(AuditTrailStoreTest.entry(3, "op_a", "rule_3", 200))).isTrue();
        List<AuditRow> rows = repo.queryAscending(AuditRepository.Filter.ALL, 0, 10);
        assertThat(rows).extracting(r -> r.entry().action()).containsExactly("rule.update", AuditRecorder.LOST_ACTION, "rule.update");
        assertThat(rows.get(1).entry().afterJson()).isEqualTo("{\"entries_lost\":1}");
        assertThat(rows.get(1).entry().actorKind()).isEqualTo(AuditEntry.SYSTEM);
        assertThat(AuditVerifier.verify(repo, 0, AuditHash.GENESIS).intact()).isTrue();
      }
    }
  }

  @Test
  void deniedAttemptsAreNotWaitedForAndAllStoredWhenTheyFit() throws Exception {
    try (HikariDataSource ds = TestDatabases.h2().open()) {
      AuditRepository repo = new AuditRepository(ds, DurableCommit.OFF);
      try (AuditRecorder recorder = new AuditRecorder(repo, new TestSeal(), TestClock.INSTANCE, 10_000, 5_000)) {
        for (int i = 0; i < 1_000; i++) recorder.recordDenied(AuditTrailStoreTest.entry(i, "anonymous", "x", 401));
        assertThat(recorder.record(AuditTrailStoreTest.entry(1, "op_a", "rule_1", 200))).isTrue();
        assertThat(recorder.lost()).isZero();
        assertThat(repo.count()).as("the queue is first in, first out: the action comes after every denial").isEqualTo(1_001);
      }
    }
  }
}
