package io.vigil.engine.event;

import io.vigil.engine.Limits;
import io.vigil.engine.signal.identity.NationalIdValidator;
import io.vigil.engine.signal.identity.NationalIdValidators;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a decoded JSON object (maps, lists, strings, numbers, booleans) into an {@link Event}, or
 * refuses it with a {@link ValidationException} naming the first offending field.
 *
 * <p>The parser is strict in the way Stripe's API is: unknown fields, wrong JSON types and values
 * out of range are errors, not silently ignored. It checks every string and number in the body for
 * a card number first, so a PAN is refused wherever it hides, even in a field that would also be
 * rejected for another reason.
 *
 * <p>Numbers arrive as {@link Long}, {@link Integer}, {@link BigInteger}, {@link Double} or
 * {@link BigDecimal}, whatever the JSON decoder produced.
 */
public final class EventParser {
  private static final Set<String> TOP_LEVEL_FIELDS = Set.of(
      "event_id", "type", "occurred_at", "account_id", "merchant_id", "counterparty_id", "amount",
      "currency", "channel", "ip", "device", "phone", "email", "card", "auth", "login",
      "attributes", "timezone", "account_country", "identity", "sim", "payment_code", "client",
      "merchant_risk_level", "credit_score", "holder", "counterparty", "beneficiary");
  private static final Set<String> HOLDER_FIELDS = Set.of("name", "country");
  private static final Set<String> PARTY_FIELDS = Set.of("name", "country", "date_of_birth", "id_number");
  /** A person's or organisation's name: letters of any script, marks, digits, spaces and . , ' - ( ) &amp; / */
  private static final Pattern PARTY_NAME = Pattern.compile("[\\p{L}\\p{M}\\p{N} .,'\\-()&/]*\\p{L}[\\p{L}\\p{M}\\p{N} .,'\\-()&/]*");
  private static final Set<String> DEVICE_FIELDS = Set.of("id", "fingerprint", "user_agent");
  private static final Set<String> CARD_FIELDS = Set.of("token", "bin", "last4");
  private static final Set<String> AUTH_FIELDS = Set.of("method", "assurance_level");
  private static final Set<String> LOGIN_FIELDS = Set.of("success");
  private static final Set<String> IDENTITY_FIELDS = Set.of("national_id", "national_id_type", "date_of_birth", "document_status");
  private static final Set<String> SIM_FIELDS = Set.of("binding_age_days");
  private static final Set<String> CLIENT_FIELDS = Set.of("accept_language", "geo_cookie_country");
  private static final Set<String> DOCUMENT_STATUSES = Set.of("provided", "verified", "rejected");
  private static final Set<String> ISO_COUNTRIES = Set.of(java.util.Locale.getISOCountries());
  private static final DateTimeFormatter DATE_OF_BIRTH = DateTimeFormatter.ofPattern("dd-MM-uuuu")
      .withResolverStyle(java.time.format.ResolverStyle.STRICT);

  private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:\\-]*");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+\\-]*");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-:.]+");
  private static final Pattern KEYWORD = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,31}");
  private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern E164_PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.\\-]{1,189}\\.[A-Za-z]{2,63}");
  private static final Pattern BIN = Pattern.compile("[0-9]{6,8}");
  private static final Pattern LAST4 = Pattern.compile("[0-9]{4}");
  private static final Pattern NATIONAL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9\\-]*");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]+");
  private static final int EMAIL_CHARS_MAX = 254;
  /** The validators whose ID shapes are exempt from card-number detection. */
  private static final NationalIdValidators NATIONAL_IDS = NationalIdValidators.defaults();

  /**
   * The strings of an event that may hold a card number's digits: an E.164 phone number in
   * {@code phone}, and a national ID whose declared type's validator accepts its shape.
   */
  public static final CardNumbers.Exemption CARD_NUMBER_EXEMPTION = (root, path, text) ->
      (path.equals("phone") && CardNumbers.isE164Phone(text))
          || (path.equals("identity.national_id") && text.equals(declaredNationalId(root)));

  private EventParser() {}

  /** Validates and normalizes one event body. */
  public static Event parse(Map<String, Object> body) {
    checkDepth(body, "", 0);
    CardNumbers.refuse(body, "", CARD_NUMBER_EXEMPTION);
    rejectUnknown(body, TOP_LEVEL_FIELDS, "");

    String eventId = requiredString(body, "event_id", EVENT_ID, Limits.EVENT_ID_CHARS_MAX);
    String typeWire = requiredString(body, "type", null, 64);
    EventType type = EventType.fromWire(typeWire);
    if (type == null) {
      throw new ValidationException("invalid_type", "type",
          "type must be one of registration, login, payment, transfer, withdrawal, refund, merchant_onboarding");
    }
    long occurredAtMillis = parseTimestamp(requiredString(body, "occurred_at", null, 64));

    String accountId = optionalString(body, "account_id", IDENTIFIER, Limits.IDENTIFIER_CHARS_MAX);
    String merchantId = optionalString(body, "merchant_id", IDENTIFIER, Limits.IDENTIFIER_CHARS_MAX);
    String counterpartyId = optionalString(body, "counterparty_id", IDENTIFIER, Limits.IDENTIFIER_CHARS_MAX);
    if (type == EventType.MERCHANT_ONBOARDING) {
      if (merchantId == null) throw missing("merchant_id");
    } else if (accountId == null) {
      throw missing("account_id");
    }

    long amountMinor = parseAmount(body);
    String currency = parseCurrency(body);
    if (type.movesMoney() && amountMinor == Event.NO_AMOUNT) throw missing("amount");
    if (amountMinor != Event.NO_AMOUNT && currency == null) throw missing("currency");
    if (currency != null && amountMinor == Event.NO_AMOUNT) throw missing("amount");

    String channel = optionalString(body, "channel", KEYWORD, 32);
    String ip = parseIp(body);
    Map<String, Object> device = optionalObject(body, "device", DEVICE_FIELDS);
    Map<String, Object> card = optionalObject(body, "card", CARD_FIELDS);
    Map<String, Object> auth = optionalObject(body, "auth", AUTH_FIELDS);
    Map<String, Object> login = optionalObject(body, "login", LOGIN_FIELDS);
    Map<String, Object> client = optionalObject(body, "client", CLIENT_FIELDS);

    return new Event(
        eventId, type, occurredAtMillis, accountId, merchantId, counterpartyId, amountMinor, currency,
        channel, ip,
        optionalString(device, "id", "device.id", TOKEN, Limits.IDENTIFIER_CHARS_MAX),
        optionalString(device, "fingerprint", "device.fingerprint", TOKEN, Limits.IDENTIFIER_CHARS_MAX),
        optionalString(device, "user_agent", "device.user_agent", null, Limits.TEXT_CHARS_MAX),
        parsePhone(body),
        parseEmail(body),
        optionalString(card, "token", "card.token", TOKEN, Limits.IDENTIFIER_CHARS_MAX),
        optionalString(card, "bin", "card.bin", BIN, 8),
        optionalString(card, "last4", "card.last4", LAST4, 4),
        optionalString(auth, "method", "auth.method", KEYWORD, 32),
        parseAssuranceLevel(auth),
        optionalBoolean(login, "success", "login.success"),
        parseTimezone(body),
        parseCountry(body, "account_country", "account_country"),
        parseIdentity(optionalObject(body, "identity", IDENTITY_FIELDS)),
        parseSimBindingAge(optionalObject(body, "sim", SIM_FIELDS)),
        optionalString(body, "payment_code", PRINTABLE, Limits.PAYMENT_CODE_CHARS_MAX),
        optionalString(client, "accept_language", "client.accept_language", PRINTABLE, Limits.TEXT_CHARS_MAX),
        parseCountry(client, "geo_cookie_country", "client.geo_cookie_country"),
        parseMerchantRiskLevel(body),
        parseCreditScore(body),
        parseAttributes(body),
        parseParties(body));
  }

  // ---- parties (screening) ------------------------------------------------------------------

  private static Event.Parties parseParties(Map<String, Object> body) {
    Event.Party holder = parseParty(optionalObject(body, "holder", HOLDER_FIELDS), "holder");
    Event.Party counterparty = parseParty(optionalObject(body, "counterparty", PARTY_FIELDS), "counterparty");
    Event.Party beneficiary = parseParty(optionalObject(body, "beneficiary", PARTY_FIELDS), "beneficiary");
    if (holder == null && counterparty == null && beneficiary == null) return Event.Parties.NONE;
    return new Event.Parties(holder, counterparty, beneficiary);
  }

  private static Event.Party parseParty(Map<String, Object> party, String prefix) {
    if (party == null) return null;
    String name = optionalString(party, "name", prefix + ".name", null, Limits.PARTY_NAME_CHARS_MAX);
    if (name == null) throw missing(prefix + ".name");
    if (!PARTY_NAME.matcher(name).matches()) {
      throw new ValidationException("invalid_name", prefix + ".name",
          prefix + ".name must be a name: letters of any script, digits, spaces and . , ' - ( ) & /");
    }
    String country = parseCountry(party, "country", prefix + ".country");
    java.time.LocalDate dateOfBirth = null;
    String dobText = optionalString(party, "date_of_birth", prefix + ".date_of_birth", null, 10);
    if (dobText != null) {
      try {
        dateOfBirth = java.time.LocalDate.parse(dobText, DATE_OF_BIRTH);
      } catch (DateTimeException e) {
        throw new ValidationException("invalid_date_of_birth", prefix + ".date_of_birth",
            prefix + ".date_of_birth must be a real date written DD-MM-YYYY, e.g. 31-01-1990");
      }
    }
    String idNumber = optionalString(party, "id_number", prefix + ".id_number", NATIONAL_ID, Limits.NATIONAL_ID_CHARS_MAX);
    return new Event.Party(name.strip(), country, dateOfBirth, idNumber);
  }

  // ---- card numbers -------------------------------------------------------------------------

  /**
   * A national ID of a declared type whose validator accepts its shape (a Bangladeshi NID is 10, 13
   * or 17 digits, and one in ten such numbers passes the Luhn check) is an ID, not a card number.
   * Returns that value, or null. Without a readable {@code occurred_at} (refused later) no ID is
   * exempt.
   */
  private static String declaredNationalId(Map<String, Object> body) {
    if (!(body.get("identity") instanceof Map<?, ?> identity)) return null;
    if (!(identity.get("national_id") instanceof String id) || !(identity.get("national_id_type") instanceof String type)) {
      return null;
    }
    NationalIdValidator validator = NATIONAL_IDS.find(type);
    if (validator == null || !(body.get("occurred_at") instanceof String occurredAt)) return null;
    LocalDate asOf;
    try {
      asOf = LocalDate.ofInstant(Instant.ofEpochMilli(parseTimestamp(occurredAt)), ZoneOffset.UTC);
    } catch (ValidationException | DateTimeException unreadable) {
      return null;
    }
    return validator.plausibleShape(id, asOf) ? id : null;
  }

  /** JSON nesting within the event's bound, checked before anything else (a nesting bomb ends here). */
  private static void checkDepth(Object node, String path, int depth) {
    if (depth > Limits.JSON_NESTING_DEPTH_MAX) {
      throw new ValidationException("nesting_too_deep", path,
          "JSON nesting deeper than " + Limits.JSON_NESTING_DEPTH_MAX + " levels");
    }
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        checkDepth(e.getValue(), path.isEmpty() ? key : path + "." + key, depth + 1);
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) checkDepth(list.get(i), path + "[" + i + "]", depth + 1);
    }
  }

  // ---- fields ---------------------------------------------------------------------------------

  private static long parseAmount(Map<String, Object> body) {
    Object value = body.get("amount");
    if (value == null) {
      if (body.containsKey("amount")) throw wrongType("amount", "an integer");
      return Event.NO_AMOUNT;
    }
    if (!(value instanceof Number number)) throw wrongType("amount", "an integer number of minor units");
    long amount;
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      amount = number.longValue();
    } else if (value instanceof BigInteger big) {
      if (big.signum() < 0) throw negativeAmount();
      throw amountTooLarge();
    } else {
      throw new ValidationException("amount_not_integer", "amount",
          "amount must be an integer number of minor units (e.g. 1050 for 10.50 USD)");
    }
    if (amount < 0) throw negativeAmount();
    if (amount > Limits.AMOUNT_MINOR_MAX) throw amountTooLarge();
    return amount;
  }

  private static ValidationException negativeAmount() {
    return new ValidationException("amount_negative", "amount", "amount must not be negative");
  }

  private static ValidationException amountTooLarge() {
    return new ValidationException("amount_too_large", "amount",
        "amount must be at most " + Limits.AMOUNT_MINOR_MAX + " minor units");
  }

  private static String parseCurrency(Map<String, Object> body) {
    String code = optionalString(body, "currency", null, 3);
    if (code == null) return null;
    if (!Canonical.isIsoCurrency(code)) {
      throw new ValidationException("invalid_currency", "currency",
          "currency must be an upper-case ISO 4217 code such as USD or BDT");
    }
    return code;
  }

  private static String parseIp(Map<String, Object> body) {
    String ip = optionalString(body, "ip", null, 45);
    if (ip == null) return null;
    String canonical = Canonical.ipAddress(ip);
    if (canonical == null) {
      throw new ValidationException("invalid_ip", "ip", "ip must be an IPv4 or IPv6 address literal");
    }
    return canonical;
  }

  private static String parsePhone(Map<String, Object> body) {
    String phone = optionalString(body, "phone", null, 16);
    if (phone != null && !E164_PHONE.matcher(phone).matches()) {
      throw new ValidationException("invalid_phone", "phone",
          "phone must be in E.164 form, e.g. +8801712345678");
    }
    return phone;
  }

  private static String parseEmail(Map<String, Object> body) {
    String email = optionalString(body, "email", null, EMAIL_CHARS_MAX);
    if (email == null) return null;
    if (!EMAIL.matcher(email).matches()) {
      throw new ValidationException("invalid_email", "email", "email must be an address such as name@example.com");
    }
    int at = email.lastIndexOf('@');
    return email.substring(0, at) + "@" + email.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
  }

  private static int parseAssuranceLevel(Map<String, Object> auth) {
    if (auth == null || !auth.containsKey("assurance_level")) return Event.NO_ASSURANCE_LEVEL;
    Object value = auth.get("assurance_level");
    if (!(value instanceof Long || value instanceof Integer)) {
      throw wrongType("auth.assurance_level", "an integer from 0 to 3");
    }
    long level = ((Number) value).longValue();
    if (level < 0 || level > 3) {
      throw new ValidationException("out_of_range", "auth.assurance_level",
          "auth.assurance_level must be an integer from 0 to 3");
    }
    return (int) level;
  }

  private static String parseTimezone(Map<String, Object> body) {
    String zone = optionalString(body, "timezone", null, 64);
    if (zone == null) return null;
    try {
      return ZoneId.of(zone).getId();
    } catch (DateTimeException e) {
      throw new ValidationException("invalid_timezone", "timezone",
          "timezone must be an IANA time zone such as Asia/Dhaka");
    }
  }

  /** An ISO 3166-1 alpha-2 country code, upper-cased. */
  private static String parseCountry(Map<String, Object> object, String field, String param) {
    String code = optionalString(object, field, param, null, 2);
    if (code == null) return null;
    String upper = code.toUpperCase(java.util.Locale.ROOT);
    if (!ISO_COUNTRIES.contains(upper)) {
      throw new ValidationException("invalid_country", param, param + " must be an ISO 3166-1 alpha-2 country code such as BD");
    }
    return upper;
  }

  private static Event.Identity parseIdentity(Map<String, Object> identity) {
    if (identity == null) return Event.Identity.NONE;
    String nationalId = optionalString(identity, "national_id", "identity.national_id", NATIONAL_ID, Limits.NATIONAL_ID_CHARS_MAX);
    String type = optionalString(identity, "national_id_type", "identity.national_id_type", KEYWORD, 32);
    if (nationalId != null && type == null) throw missing("identity.national_id_type");
    String dobText = optionalString(identity, "date_of_birth", "identity.date_of_birth", null, 10);
    java.time.LocalDate dateOfBirth = null;
    if (dobText != null) {
      try {
        dateOfBirth = java.time.LocalDate.parse(dobText, DATE_OF_BIRTH);
      } catch (DateTimeException e) {
        throw new ValidationException("invalid_date_of_birth", "identity.date_of_birth",
            "identity.date_of_birth must be a real date written DD-MM-YYYY, e.g. 31-01-1990");
      }
    }
    String status = optionalString(identity, "document_status", "identity.document_status", null, 16);
    if (status != null && !DOCUMENT_STATUSES.contains(status)) {
      throw new ValidationException("invalid_document_status", "identity.document_status",
          "identity.document_status must be one of provided, verified, rejected");
    }
    return new Event.Identity(nationalId, type, dateOfBirth, status);
  }

  private static int parseSimBindingAge(Map<String, Object> sim) {
    if (sim == null || !sim.containsKey("binding_age_days")) return Event.NO_SIM_BINDING_AGE;
    Object value = sim.get("binding_age_days");
    if (!(value instanceof Long || value instanceof Integer)) throw wrongType("sim.binding_age_days", "an integer number of days");
    long days = ((Number) value).longValue();
    if (days < 0 || days > Limits.SIM_BINDING_AGE_DAYS_MAX) {
      throw new ValidationException("out_of_range", "sim.binding_age_days",
          "sim.binding_age_days must be between 0 and " + Limits.SIM_BINDING_AGE_DAYS_MAX);
    }
    return (int) days;
  }

  private static String parseMerchantRiskLevel(Map<String, Object> body) {
    String level = optionalString(body, "merchant_risk_level", KEYWORD, 16);
    if (level != null && !io.vigil.engine.limit.LimitDefinition.MERCHANT_RISK_LEVELS.contains(level)) {
      throw new ValidationException("invalid_value", "merchant_risk_level", "merchant_risk_level must be low, medium or high");
    }
    return level;
  }

  private static int parseCreditScore(Map<String, Object> body) {
    if (!body.containsKey("credit_score")) return Event.NO_CREDIT_SCORE;
    Object value = body.get("credit_score");
    if (!(value instanceof Long || value instanceof Integer)) throw wrongType("credit_score", "an integer from 0 to 1000");
    long score = ((Number) value).longValue();
    if (score < 0 || score > io.vigil.engine.limit.ScoreMapping.SCORE_MAX) {
      throw new ValidationException("out_of_range", "credit_score", "credit_score must be an integer from 0 to 1000");
    }
    return (int) score;
  }

  private static Map<String, Object> parseAttributes(Map<String, Object> body) {
    Object value = body.get("attributes");
    if (value == null) {
      if (body.containsKey("attributes")) throw wrongType("attributes", "an object");
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> raw)) throw wrongType("attributes", "an object");
    if (raw.size() > Limits.ATTRIBUTES_MAX) {
      throw new ValidationException("too_many_attributes", "attributes",
          "attributes may hold at most " + Limits.ATTRIBUTES_MAX + " entries");
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : raw.entrySet()) {
      String key = String.valueOf(e.getKey());
      String param = "attributes." + key;
      if (key.length() > Limits.ATTRIBUTE_KEY_CHARS_MAX || !ATTRIBUTE_KEY.matcher(key).matches()) {
        throw new ValidationException("invalid_attribute_key", "attributes",
            "attribute keys must be lower-case letters, digits and underscores, at most "
                + Limits.ATTRIBUTE_KEY_CHARS_MAX + " characters, starting with a letter");
      }
      attributes.put(key, attributeValue(e.getValue(), param));
    }
    return Collections.unmodifiableMap(attributes);
  }

  private static Object attributeValue(Object value, String param) {
    if (value instanceof String s) {
      if (s.length() > Limits.ATTRIBUTE_VALUE_CHARS_MAX) {
        throw new ValidationException("value_too_long", param,
            "an attribute value must be at most " + Limits.ATTRIBUTE_VALUE_CHARS_MAX + " characters");
      }
      return s;
    }
    if (value instanceof Boolean) return value;
    if (value instanceof Long || value instanceof Integer) return ((Number) value).longValue();
    if (value instanceof Double || value instanceof BigDecimal || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) throw attributeType(param, "a finite number");
      return d;
    }
    if (value instanceof BigInteger) {
      throw new ValidationException("out_of_range", param, "an attribute value is outside the 64-bit integer range");
    }
    throw attributeType(param, "a string, number or boolean");
  }

  /** Attribute keys are the client's own: the message names no key, param does. */
  private static ValidationException attributeType(String param, String expected) {
    return new ValidationException("wrong_type", param, "an attribute value must be " + expected);
  }

  private static long parseTimestamp(String text) {
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      throw new ValidationException("invalid_timestamp", "occurred_at",
          "occurred_at must be an RFC 3339 timestamp such as 2026-11-21T10:15:30Z");
    }
  }

  // ---- generic helpers ------------------------------------------------------------------------

  private static void rejectUnknown(Map<String, Object> object, Set<String> known, String prefix) {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        String param = prefix.isEmpty() ? key : prefix + "." + key;
        throw new ValidationException("unknown_field", safeParam(param),
            "The event has a field Vigil does not know (param names it); see the API reference for the event fields");
      }
    }
  }

  /** An unknown field's name is echoed in param (never in the message), so cap it; a name holding a card number never gets here. */
  private static String safeParam(String param) {
    return param.length() <= 64 ? param : param.substring(0, 64) + "…";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> optionalObject(Map<String, Object> body, String field, Set<String> known) {
    Object value = body.get(field);
    if (value == null) {
      if (body.containsKey(field)) throw wrongType(field, "an object");
      return null;
    }
    if (!(value instanceof Map<?, ?>)) throw wrongType(field, "an object");
    Map<String, Object> object = (Map<String, Object>) value;
    rejectUnknown(object, known, field);
    return object;
  }

  private static String requiredString(Map<String, Object> body, String field, Pattern shape, int maxChars) {
    String value = optionalString(body, field, shape, maxChars);
    if (value == null) throw missing(field);
    return value;
  }

  private static String optionalString(Map<String, Object> body, String field, Pattern shape, int maxChars) {
    return optionalString(body, field, field, shape, maxChars);
  }

  private static String optionalString(
      Map<String, Object> object, String field, String param, Pattern shape, int maxChars) {
    if (object == null) return null;
    Object value = object.get(field);
    if (value == null) {
      if (object.containsKey(field)) throw wrongType(param, "a string");
      return null;
    }
    if (!(value instanceof String s)) throw wrongType(param, "a string");
    if (s.isEmpty()) {
      throw new ValidationException("empty_value", param, param + " must not be empty; omit it instead");
    }
    if (s.length() > maxChars) {
      throw new ValidationException("value_too_long", param, param + " must be at most " + maxChars + " characters");
    }
    if (shape != null && !shape.matcher(s).matches()) {
      throw new ValidationException("invalid_format", param, param + " contains characters that are not allowed");
    }
    return s;
  }

  private static Boolean optionalBoolean(Map<String, Object> object, String field, String param) {
    if (object == null || !object.containsKey(field)) return null;
    Object value = object.get(field);
    if (!(value instanceof Boolean b)) throw wrongType(param, "a boolean");
    return b;
  }

  private static ValidationException missing(String param) {
    return new ValidationException("missing_field", param, param + " is required");
  }

  private static ValidationException wrongType(String param, String expected) {
    return new ValidationException("wrong_type", param, param + " must be " + expected);
  }
}
