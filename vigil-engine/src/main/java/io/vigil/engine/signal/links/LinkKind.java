package io.vigil.engine.signal.links;

/**
 * The kinds of identifier through which two accounts can be linked. The caller canonicalizes each
 * value before it reaches the graph (E.164 phone, lower-case e-mail, canonical IP text …): the
 * graph compares keyed hashes of the exact strings it is given.
 */
public enum LinkKind {
  DEVICE("device"),
  PHONE("phone"),
  CARD("card"),
  NATIONAL_ID("national_id"),
  EMAIL("email"),
  IP("ip");

  /** {@code values()} allocates a copy on each call; the graph reads this shared one instead. */
  static final LinkKind[] ALL = values();

  /** Number of kinds; an event carries at most one identifier of each. */
  public static final int COUNT = ALL.length;

  private final String wireName;

  LinkKind(String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name used in JSON, feature names and fingerprints, e.g. {@code national_id}. */
  public String wireName() {
    return wireName;
  }

  /** The kind with this wire name, or null if there is none. */
  public static LinkKind fromWireName(String wireName) {
    for (LinkKind kind : ALL) if (kind.wireName.equals(wireName)) return kind;
    return null;
  }
}
