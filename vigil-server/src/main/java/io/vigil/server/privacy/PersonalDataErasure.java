package io.vigil.server.privacy;

import io.vigil.server.api.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erasure by crypto-shredding: the person's data keys are destroyed, so every personal field sealed
 * under them (journal rows, their responses) reads as erased from then on. The journal rows and the
 * hash chain are not touched, so verification still passes. The erasure itself is recorded (who,
 * why, when, how many keys). A later event of the same account gets a new key.
 */
public final class PersonalDataErasure {
  private static final Logger log = LoggerFactory.getLogger(PersonalDataErasure.class);
  private final DataKeys keys;
  private final Clock clock;

  public PersonalDataErasure(DataKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** Erases an account's personal data; returns the record of it. */
  public Map<String, Object> eraseAccount(String accountId, String reason, String actor) {
    String erasureId = Ids.random("era_");
    long at = clock.millis();
    int destroyed = keys.erase(erasureId, Subjects.account(accountId), reason, actor);
    // The erasure id, not the account: a log line never names whose data was erased.
    log.info("personal data erasure {} by {}: {} data keys destroyed", erasureId, actor, destroyed);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("erasure_id", erasureId);
    m.put("account_id", accountId);
    m.put("keys_destroyed", destroyed);
    m.put("erased_at", Instant.ofEpochMilli(at).toString());
    m.put("erased_by", actor);
    return m;
  }
}
