package io.vigil.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.journal.StorageException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What of a failure the log keeps: types, stack traces, SQL codes and Vigil's own messages; no other message. */
class RedactedFailureTest {
  static final String EMAIL = "ann@probe.io";

  @Test
  void keepsTypesCodesAndOwnMessagesAndDropsEveryOtherMessage() {
    SQLException driver = new SQLException("Key (email)=(" + EMAIL + ") already exists", "23505", 0);
    IllegalStateException library = new IllegalStateException("parsing " + EMAIL + " failed", driver);
    StorageException ours = new StorageException("writing a list entry failed", library);

    RedactedFailure redacted = RedactedFailure.of(ours);

    assertThat(redacted.getMessage()).isEqualTo(StorageException.class.getName() + ": writing a list entry failed");
    assertThat(redacted.getCause().getMessage()).isEqualTo(IllegalStateException.class.getName());
    assertThat(redacted.getCause().getCause().getMessage())
        .isEqualTo(SQLException.class.getName() + " (SQLState 23505, error code 0)");
    assertThat(redacted.getCause().getCause().getCause()).isNull();
    assertThat(redacted.getCause().getStackTrace()).isEqualTo(library.getStackTrace());
  }

  @Test
  void namesTheCodesOfABatchsNextExceptions() {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT … ('" + EMAIL + "') was aborted", "22001", 0,
        new int[0]);
    batch.setNextException(new SQLException("value too long: " + EMAIL, "22001", 7));
    assertThat(RedactedFailure.describe(batch)).isEqualTo(BatchUpdateException.class.getName()
        + " (SQLState 22001, error code 0); next: java.sql.SQLException (SQLState 22001, error code 7)");
  }

  @Test
  void aCyclicChainEndsAndNullStaysNull() {
    RuntimeException a = new RuntimeException(EMAIL);
    RuntimeException b = new RuntimeException(EMAIL, a);
    a.initCause(b);
    RedactedFailure redacted = RedactedFailure.of(b);
    assertThat(redacted.getCause()).isNotNull();
    assertThat(redacted.getCause().getCause()).isNull();
    assertThat(redacted.getMessage() + redacted.getCause().getMessage()).doesNotContain(EMAIL);
    assertThat(RedactedFailure.of(null)).isNull();
  }
}
