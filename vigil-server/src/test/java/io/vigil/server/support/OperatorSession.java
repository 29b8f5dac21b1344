package io.vigil.server.support;

import java.util.Objects;
import java.util.function.Function;

/**
 * A signed-in operator's session for a test client: the session cookie and the session's CSRF
 * token, and the operator's username (the actor recorded on its changes). Routes whose permission no API key scope grants (changing policy, approving holds,
 * unlocking accounts...) are sent with it ({@link TestAuth}). Where it comes from is pluggable: the
 * operator sign-in's test helper installs a supplier that signs in on a server (given its base URL)
 * and returns the session; without one, such routes go out signed with the test key and are refused.
 */
public record OperatorSession(String cookie, String csrfToken, String username) {
  private static volatile Function<String, OperatorSession> supplier = base -> null;

  public OperatorSession {
    Objects.requireNonNull(cookie, "cookie");
    Objects.requireNonNull(csrfToken, "csrfToken");
    Objects.requireNonNull(username, "username");
  }

  /**
   * Installs how a test client gets an operator session for the server at a base URL (null: none),
   * and returns the supplier it replaces, for a test that installs its own to put back afterwards.
   */
  public static Function<String, OperatorSession> use(Function<String, OperatorSession> sessions) {
    Function<String, OperatorSession> previous = supplier;
    supplier = Objects.requireNonNull(sessions, "sessions");
    return previous;
  }

  /** The operator session for the server at this base URL, or null when none is available. */
  public static OperatorSession forServer(String base) {
    return supplier.apply(base);
  }
}
