package io.vigil.engine.list;

import io.vigil.engine.event.Canonical;
import io.vigil.engine.event.ValidationException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validates and normalizes list entry values so that they compare equal to event values. */
public final class ListValues {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+\\-]{0,127}");
  /** The shapes EventParser accepts for device.id and card.token, so every such value can be listed. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-:.]{1,128}");
  private static final Pattern BIN = Pattern.compile("[0-9]{6,8}");
  private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9][a-z0-9.\\-]{0,188}\\.[a-z]{2,63}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  private ListValues() {}

  public static String normalize(ListEntity entity, String raw) {
    if (raw == null || raw.isBlank()) throw invalid("value is required");
    String v = raw.trim();
    return switch (entity) {
      case IP -> normalizeIp(v);
      case BIN -> require(BIN, v, "a BIN is 6 to 8 digits");
      case PHONE -> require(PHONE, v, "a phone number is in E.164 form, e.g. +8801712345678");
      case EMAIL_DOMAIN -> require(DOMAIN, v.toLowerCase(Locale.ROOT), "an e-mail domain such as example.com");
      case COUNTRY -> require(COUNTRY, v.toUpperCase(Locale.ROOT), "a country is an ISO 3166-1 alpha-2 code such as BD");
      case DEVICE, CARD -> require(TOKEN, v, "device ids and card tokens are letters, digits and _ - : . (at most 128)");
      default -> require(IDENTIFIER, v, "identifiers are letters, digits and _ . : @ + - (at most 128)");
    };
  }

  private static String normalizeIp(String v) {
    int slash = v.indexOf('/');
    String address = slash < 0 ? v : v.substring(0, slash);
    String canonical = Canonical.ipAddress(address);
    if (canonical == null) throw invalid("an IP entry is an address or a CIDR range such as 203.0.113.0/24");
    if (slash < 0) return canonical;
    int bits = canonical.indexOf(':') >= 0 ? 128 : 32;
    int prefix;
    try {
      prefix = Integer.parseInt(v.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw invalid("the CIDR prefix length must be a number");
    }
    if (prefix < 0 || prefix > bits) throw invalid("the CIDR prefix length must be between 0 and " + bits);
    return canonical + "/" + prefix;
  }

  private static String require(Pattern p, String v, String what) {
    if (!p.matcher(v).matches()) throw invalid("invalid value: " + what);
    return v;
  }

  private static ValidationException invalid(String message) {
    return new ValidationException("invalid_list_value", "value", message);
  }
}
