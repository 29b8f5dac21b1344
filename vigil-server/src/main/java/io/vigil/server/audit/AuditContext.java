package io.vigil.server.audit;

import jakarta.servlet.ServletRequest;

/**
 * How a route fills its request's {@link AuditRecord}: {@code AuditContext.before(request, old)} and
 * {@code AuditContext.after(request, updated)} around a change. Safe to call on any request: a request
 * the trail does not record simply carries the values until it ends.
 */
public final class AuditContext {
  /** The request attribute holding the request's record. */
  public static final String ATTRIBUTE = "io.vigil.audit.record";

  private AuditContext() {}

  /** The request's record, made on first use. */
  public static AuditRecord of(ServletRequest request) {
    if (request.getAttribute(ATTRIBUTE) instanceof AuditRecord r) return r;
    AuditRecord r = new AuditRecord();
    request.setAttribute(ATTRIBUTE, r);
    return r;
  }

  /** The entity's state before the change (null: it did not exist). */
  public static void before(ServletRequest request, Object value) {
    of(request).before(value);
  }

  /** The entity's state after the change (null: it no longer exists). */
  public static void after(ServletRequest request, Object value) {
    of(request).after(value);
  }

  /** Names the action (e.g. {@code policy.rule.update}) instead of the name taken from the route's handler. */
  public static void action(ServletRequest request, String name) {
    of(request).action(name);
  }

  /** Names the entity changed, when the path does not (e.g. a list entry created by its value). */
  public static void entity(ServletRequest request, String type, String id) {
    of(request).entity(type, id);
  }

  /** The request's record, or null when no route filled one. */
  static AuditRecord find(ServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof AuditRecord r ? r : null;
  }
}
