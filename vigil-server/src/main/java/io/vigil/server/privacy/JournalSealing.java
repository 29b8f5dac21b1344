package io.vigil.server.privacy;

import io.vigil.engine.event.Event;
import io.vigil.server.api.Json;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The journal's personal-data protection (see {@link JournalPrivacy}). An event's personal fields
 * are sealed together, in one AES-256-GCM ciphertext under the data key of its subject (the account;
 * an event without an account, a merchant onboarding, uses its merchant as the subject); a response
 * string that carries a personal value of its event (a rule message quoting the IP, a rule's values)
 * is sealed under the same key. The request hash is an HMAC under the lookup key: a plain SHA-256
 * of a request whose other fields are stored in clear would let a phone number be guessed from it.
 *
 * <p>Rows stored before this protection existed stay in plaintext (rewriting them would break the
 * hash chain and its signed anchors); they read as they are.
 */
public final class JournalSealing implements JournalPrivacy {
  /** A personal value shorter than this is not searched for in response strings (it would match too much). */
  static final int RESPONSE_VALUE_CHARS_MIN = 4;
  private static final String EVENT_AD = "vigil-event\n";
  private static final String RESPONSE_AD = "vigil-response\n";
  private final SealedValues sealed;
  private final LookupHashes hashes;

  public JournalSealing(SealedValues sealed, LookupHashes hashes) {
    this.sealed = sealed;
    this.hashes = hashes;
  }

  /** The subject whose data key seals an event's personal fields. */
  public static String subjectOf(Event event) {
    if (event.accountId() != null) return Subjects.account(event.accountId());
    if (event.merchantId() != null) return Subjects.merchant(event.merchantId());
    return Subjects.UNATTRIBUTED;
  }

  @Override
  public String requestHash(String canonicalJson) {
    return hashes.hex("request", canonicalJson);
  }

  @Override
  public String sealEvent(Map<String, Object> canonicalTree, String canonicalJson, Event event) {
    Map<String, Object> stored = SealedEvent.copy(canonicalTree);
    Map<String, Object> personal = SealedEvent.takePersonal(stored);
    if (personal.isEmpty()) return canonicalJson;
    DataKeys.DataKey key = sealed.keys().liveForJournal(subjectOf(event));
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("fields", List.copyOf(personal.keySet()));
    part.put("value", sealed.seal(key, Json.canonical(personal), EVENT_AD + event.eventId()));
    stored.put(SealedEvent.KEY, part);
    return Json.canonical(stored);
  }

  @Override
  public String sealResponse(String responseJson, Event event) {
    List<String> values = personalValues(event);
    boolean carries = false;
    for (String v : values) {
      String quoted = Json.write(v);
      if (responseJson.contains(v) || responseJson.contains(quoted.substring(1, quoted.length() - 1))) {
        carries = true;
        break;
      }
    }
    if (!carries) return responseJson;
    DataKeys.DataKey key = sealed.keys().liveForJournal(subjectOf(event));
    String ad = RESPONSE_AD + event.eventId();
    Object tree = walk(Json.readStored(responseJson), s -> {
      for (String v : values) if (s.contains(v)) return sealed.seal(key, s, ad);
      return s;
    });
    return Json.write(tree);
  }

  @Override
  public List<DataKeyRepository.Row> unstoredKeys() {
    return sealed.keys().unstored();
  }

  @Override
  public void storeKeys(Connection c, List<DataKeyRepository.Row> keys) throws SQLException {
    DataKeyRepository.insertIfAbsent(c, keys);
  }

  @Override
  public void keysStored(List<DataKeyRepository.Row> keys) {
    sealed.keys().storedWith(keys);
  }

  @Override
  public Map<String, Object> openEvent(String storedEventJson, Reading reading) {
    Map<String, Object> event = Json.readStored(storedEventJson);
    if (!(event.remove(SealedEvent.KEY) instanceof Map<?, ?> part)) return event;
    String eventId = String.valueOf(event.get("event_id"));
    Optional<String> opened = sealed.open(String.valueOf(part.get("value")), EVENT_AD + eventId);
    if (opened.isPresent()) {
      SealedEvent.putPersonal(event, Json.readStored(opened.get()));
    } else if (reading == Reading.DISPLAY) {
      Map<String, Object> erased = new LinkedHashMap<>();
      if (part.get("fields") instanceof List<?> fields) for (Object f : fields) erased.put(String.valueOf(f), SealedValues.ERASED);
      SealedEvent.putPersonal(event, erased);
    }
    return event;
  }

  @Override
  public String openResponse(String storedResponseJson, String eventId) {
    if (!storedResponseJson.contains(SealedValues.PREFIX)) return storedResponseJson;
    String ad = RESPONSE_AD + eventId;
    Object tree = walk(Json.readStored(storedResponseJson),
        s -> SealedValues.isSealed(s) ? sealed.open(s, ad).orElse(SealedValues.ERASED) : s);
    return Json.write(tree);
  }

  /** The event's personal values as they may appear in a response string. */
  static List<String> personalValues(Event e) {
    List<String> out = new ArrayList<>(8);
    add(out, e.ip());
    add(out, e.phone());
    add(out, e.email());
    add(out, e.deviceId());
    add(out, e.deviceFingerprint());
    add(out, e.userAgent());
    Event.Identity id = e.identity();
    if (id != null) {
      add(out, id.nationalId());
      if (id.dateOfBirth() != null) add(out, id.dateOfBirth().toString());
    }
    if (e.attributes() != null) for (Object v : e.attributes().values()) if (v instanceof String s) add(out, s);
    return out;
  }

  private static void add(List<String> out, String v) {
    if (v != null && v.length() >= RESPONSE_VALUE_CHARS_MIN) out.add(v);
  }

  private interface StringMap {
    String apply(String s);
  }

  @SuppressWarnings("unchecked")
  private static Object walk(Object node, StringMap f) {
    if (node instanceof String s) return f.apply(s);
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) out.put(e.getKey(), walk(e.getValue(), f));
      return out;
    }
    if (node instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) out.add(walk(o, f));
      return out;
    }
    return node;
  }
}
