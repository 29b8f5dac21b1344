package io.vigil.server.logging;

import io.vigil.engine.event.ValidationException;
import io.vigil.server.api.ApiException;
import io.vigil.server.journal.StorageException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A failure as the log may carry it: the chain of exception types with their stack traces, each SQL
 * failure's SQLState and vendor error code, and the messages of Vigil's own exceptions, which never
 * repeat input values. Every other message is left out. A database driver's message may hold the
 * statement's values: H2 quotes the offending value ("Value too long for column …: '{"email": …}'"),
 * PostgreSQL the row or the key ("Failing row contains (…)", "Key (event_id)=(…)"), and a batch the
 * whole statement with its parameters. Those values are events: e-mail addresses, phone numbers, IPs.
 */
public final class RedactedFailure extends RuntimeException {
  /** Causes followed; a longer chain is cut (and a cycle stops it). */
  static final int CAUSES_MAX = 16;
  /** A batch's chained SQL exceptions named in one description. */
  static final int NEXT_SQL_EXCEPTIONS_MAX = 4;

  private RedactedFailure(String description, StackTraceElement[] stackTrace, RedactedFailure cause) {
    super(description, cause, false, true);
    setStackTrace(stackTrace);
  }

  /** The failure with every message that may hold data replaced; null for null. */
  public static RedactedFailure of(Throwable failure) {
    if (failure == null) return null;
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && chain.size() < CAUSES_MAX && seen.add(t); t = t.getCause()) chain.add(t);
    RedactedFailure redacted = null;
    for (int i = chain.size() - 1; i >= 0; i--) {
      Throwable t = chain.get(i);
      redacted = new RedactedFailure(describe(t), t.getStackTrace(), redacted);
    }
    return redacted;
  }

  /** One exception as the log may name it: its type, and what of it is safe to show. */
  public static String describe(Throwable t) {
    String type = t.getClass().getName();
    if (t instanceof SQLException sql) return type + sqlCodes(sql) + nextSqlExceptions(sql);
    if (hasOwnMessage(t) && t.getMessage() != null) return type + ": " + t.getMessage();
    return type;
  }

  /** Vigil's exceptions, whose messages are written never to repeat a value. */
  private static boolean hasOwnMessage(Throwable t) {
    return t instanceof StorageException || t instanceof ApiException || t instanceof ValidationException
        || t instanceof RedactedFailure;
  }

  private static String sqlCodes(SQLException sql) {
    return " (SQLState " + sql.getSQLState() + ", error code " + sql.getErrorCode() + ")";
  }

  /** A batch reports the statement that failed through getNextException, not as a cause. */
  private static String nextSqlExceptions(SQLException sql) {
    StringBuilder out = new StringBuilder();
    SQLException next = sql.getNextException();
    for (int i = 0; next != null && next != sql && i < NEXT_SQL_EXCEPTIONS_MAX; i++, next = next.getNextException()) {
      out.append("; next: ").append(next.getClass().getName()).append(sqlCodes(next));
    }
    return out.toString();
  }
}
