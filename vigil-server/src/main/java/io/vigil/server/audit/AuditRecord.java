package io.vigil.server.audit;

/**
 * What a route tells the audit trail about its request, beyond what the capture sees by itself: the
 * entity's state before and after the change (any JSON-able value; secrets are removed when it is
 * written) and, optionally, the action's name and entity. One per request ({@link AuditContext}).
 */
public final class AuditRecord {
  private Object before;
  private Object after;
  private boolean afterSet;
  private String action;
  private String entityType;
  private String entityId;

  public Object before() {
    return before;
  }

  public Object after() {
    return after;
  }

  /** Whether the route gave an "after" (else the capture records the redacted request body). */
  public boolean afterSet() {
    return afterSet;
  }

  public String action() {
    return action;
  }

  public String entityType() {
    return entityType;
  }

  public String entityId() {
    return entityId;
  }

  void before(Object value) {
    before = value;
  }

  void after(Object value) {
    after = value;
    afterSet = true;
  }

  void action(String name) {
    action = name;
  }

  void entity(String type, String id) {
    entityType = type;
    entityId = id;
  }
}
