package io.vigil.server.list;

import io.vigil.engine.list.ListEntry;

/**
 * How list values are stored (personal-data protection, io.vigil.server.privacy): the column
 * {@code entry_value} holds a lookup key (a keyed hash: equality lookups and the unique constraint
 * work on it) and {@code entry_value_sealed} the value encrypted; the audit records' JSON holds
 * the value sealed too.
 */
public interface ListValueProtection {
  /** What entry_value stores and is searched by for this (normalized) value. */
  String lookupKey(String value);

  /** The sealed value for entry_value_sealed; null stores none. */
  String seal(ListEntry entry);

  /** The value of a stored row. */
  String open(String entryId, String lookupKey, String sealed);

  /** An audit record's entry JSON as stored. */
  String sealChange(String entryId, String entryJson);

  /** An audit record's entry JSON as read. */
  String openChange(String entryId, String storedJson);

  /** Values in plaintext. */
  ListValueProtection NONE = new ListValueProtection() {
    @Override
    public String lookupKey(String value) {
      return value;
    }

    @Override
    public String seal(ListEntry entry) {
      return null;
    }

    @Override
    public String open(String entryId, String lookupKey, String sealed) {
      if (sealed != null) throw new IllegalStateException("list entry " + entryId + " is sealed; this repository cannot open it");
      return lookupKey;
    }

    @Override
    public String sealChange(String entryId, String entryJson) {
      return entryJson;
    }

    @Override
    public String openChange(String entryId, String storedJson) {
      return storedJson;
    }
  };
}
