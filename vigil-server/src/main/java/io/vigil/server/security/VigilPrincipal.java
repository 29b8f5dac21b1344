package io.vigil.server.security;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, once authenticated: an operator (a person signed in with a session) or an API key
 * (a payment system signing each request). {@code id} is the operator's username or the key's id;
 * it is the actor recorded on every change and in the audit trail. {@code stepUpAtMillis} is when
 * the operator last proved a fresh second factor in this session (0: never); keys have none.
 */
public record VigilPrincipal(Kind kind, String id, Set<Permission> permissions, long stepUpAtMillis) {
  public enum Kind { OPERATOR, API_KEY }

  /**
   * The request attribute under which the security chain leaves the authenticated principal, for
   * filters that run after it (rate limits per key, the audit trail) without a compile dependency on
   * the framework's security context.
   */
  public static final String REQUEST_ATTRIBUTE = "io.vigil.principal";

  public VigilPrincipal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) throw new IllegalArgumentException("a principal needs an id");
    permissions = Set.copyOf(permissions);
    if (stepUpAtMillis < 0) throw new IllegalArgumentException("stepUpAtMillis < 0");
  }

  public boolean has(Permission p) {
    return permissions.contains(p);
  }

  public boolean isOperator() {
    return kind == Kind.OPERATOR;
  }

  /** This principal after a fresh second factor at {@code atMillis}. */
  public VigilPrincipal steppedUpAt(long atMillis) {
    if (kind != Kind.OPERATOR) throw new IllegalStateException("only operators step up");
    return new VigilPrincipal(kind, id, permissions, atMillis);
  }
}
