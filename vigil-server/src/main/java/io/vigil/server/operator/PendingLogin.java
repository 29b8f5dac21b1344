package io.vigil.server.operator;

import java.io.Serializable;

/**
 * A sign-in whose password was right and whose next steps (password change, TOTP enrolment, TOTP
 * code) are not done yet: kept in the session under {@link #ATTRIBUTE}. It is not an authentication:
 * the session authorizes nothing while it holds only this.
 */
public record PendingLogin(String username, long startedAtMillis) implements Serializable {
  public static final String ATTRIBUTE = "io.vigil.operator.pendingLogin";
}
