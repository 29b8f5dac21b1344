package io.vigil.server.privacy;

import io.vigil.engine.event.Event;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What the decision journal does with personal fields: sealed before a row is chained and stored
 * (so the hash chain covers the ciphertexts and verifies without any key), opened where a row is
 * read for an authorised caller or replayed into the engine.
 */
public interface JournalPrivacy {
  /** How an erased person's fields are read: shown as erased, or left out (the engine's replay). */
  enum Reading { DISPLAY, REPLAY }

  /** The request hash stored with a decision (it compares retries), over the canonical request. */
  String requestHash(String canonicalJson);

  /** The event JSON the journal stores for a validated request's canonical tree. */
  String sealEvent(Map<String, Object> canonicalTree, String canonicalJson, Event event);

  /** The response JSON the journal stores: strings that carry a personal value of the event are sealed. */
  String sealResponse(String responseJson, Event event);

  /**
   * The data keys made for rows that are sealed but not yet committed. The committer takes them after
   * sealing its batch and stores them in the batch's transaction ({@link #storeKeys}), then reports
   * the commit ({@link #keysStored}); a row is never committed without its key.
   */
  default List<DataKeyRepository.Row> unstoredKeys() {
    return List.of();
  }

  /** Stores these keys in the caller's transaction (those already stored are skipped). */
  default void storeKeys(Connection c, List<DataKeyRepository.Row> keys) throws SQLException {}

  /** These keys were committed. */
  default void keysStored(List<DataKeyRepository.Row> keys) {}

  /** A stored event JSON with its personal fields opened. */
  Map<String, Object> openEvent(String storedEventJson, Reading reading);

  /** A stored response JSON with its sealed strings opened (or shown as erased). */
  String openResponse(String storedResponseJson, String eventId);

  /** Stores personal data in plaintext; reads strip what it cannot open. */
  JournalPrivacy NONE = new JournalPrivacy() {
    @Override
    public String requestHash(String canonicalJson) {
      return PlainHashes.sha256Hex(canonicalJson);
    }

    @Override
    public String sealEvent(Map<String, Object> canonicalTree, String canonicalJson, Event event) {
      return canonicalJson;
    }

    @Override
    public String sealResponse(String responseJson, Event event) {
      return responseJson;
    }

    @Override
    public Map<String, Object> openEvent(String storedEventJson, Reading reading) {
      return SealedEvent.strip(storedEventJson);
    }

    @Override
    public String openResponse(String storedResponseJson, String eventId) {
      return storedResponseJson;
    }
  };
}
