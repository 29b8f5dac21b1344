package io.vigil.server.api;

import io.vigil.engine.Limits;
import io.vigil.engine.event.CardNumbers;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the API, configured for hostile input: bounded nesting and document size,
 * duplicate keys refused (an idempotent request must mean one thing), and map keys written in
 * sorted order so a canonical form exists for hashing.
 */
public final class Json {
  /** Jackson's own nesting bound; the event parser applies the tighter domain bound. */
  private static final int PARSER_NESTING_DEPTH_MAX = 16;

  public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(PARSER_NESTING_DEPTH_MAX)
              .maxDocumentLength(Limits.REQUEST_BODY_BYTES_MAX)
              .build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** Writes maps with sorted keys: the canonical form used for request hashes. */
  public static final JsonMapper CANONICAL = MAPPER.rebuild()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  /**
   * For JSON this server wrote and stored (journal rows): no duplicate detection, which costs a hash
   * set per object and cannot find anything in what Jackson itself wrote.
   */
  private static final JsonMapper STORED = MAPPER.rebuild()
      .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  /**
   * Parses a request body that must be a JSON object, and refuses it with
   * {@code card_number_detected} when a card number is anywhere in it (a value, a field name, a
   * number): every JSON body a route reads comes through here, so none stores one.
   */
  public static Map<String, Object> parseObject(byte[] body) {
    return parseObject(body, CardNumbers.Exemption.NONE);
  }

  /**
   * As {@link #parseObject(byte[])}, with the strings a route may legitimately send with a card
   * number's digits: a decision event's phone and national ID, a phone list entry's value.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(byte[] body, CardNumbers.Exemption exemption) {
    if (body.length == 0) throw ApiException.invalid("invalid_json", "The request body is empty; send a JSON object", null);
    Map<String, Object> object;
    try {
      Object value = MAPPER.readValue(body, Object.class);
      if (!(value instanceof Map<?, ?>)) {
        throw ApiException.invalid("invalid_json", "The request body must be a JSON object", null);
      }
      object = (Map<String, Object>) value;
    } catch (JacksonException e) {
      throw refused(e, null);
    }
    CardNumbers.refuse(object, "", exemption);
    return object;
  }

  /** The API error for a body Jackson could not read; param names where, when the caller knows. */
  public static ApiException refused(JacksonException e, String param) {
    if (e instanceof StreamConstraintsException) {
      return ApiException.invalid("nesting_too_deep", "The JSON body is nested too deeply or too large", param);
    }
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Duplicate")) { // Jackson 3: "Duplicate Object property"
      return ApiException.invalid("duplicate_field", "The JSON body names the same field twice", param);
    }
    return ApiException.invalid("invalid_json", "The request body is not valid JSON", param);
  }

  public static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  public static String canonical(Object value) {
    return CANONICAL.writeValueAsString(value);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> readMap(String json) {
    return MAPPER.readValue(json, LinkedHashMap.class);
  }

  /** A JSON object this server wrote and stored (a journal row's event or response), read on a hot path. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readStored(String json) {
    return STORED.readValue(json, LinkedHashMap.class);
  }

  /** A JSON array this server wrote. */
  @SuppressWarnings("unchecked")
  public static java.util.List<Object> readList(String json) {
    return MAPPER.readValue(json, java.util.ArrayList.class);
  }
}
