package io.vigil.engine.event;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses a decoded JSON tree (maps, lists, strings, numbers, booleans) that holds a card number
 * anywhere: in a value, in a field name, or in a number written in full. Every body Vigil reads is
 * checked this way before anything of it is stored; the error is {@code card_number_detected},
 * {@code param} naming where, and its message never repeats the value or the field's name.
 */
public final class CardNumbers {
  /** The param of a number found in a field name at the top of a tree (a name inside an object names that object). */
  public static final String FIELD_NAME = "(field name)";
  /** Deeper trees are refused: the API's parsers stop at 16 levels, this bounds the walk for any other caller. */
  public static final int NESTING_DEPTH_MAX = 64;
  private static final Pattern E164_PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");

  /**
   * A string that holds a card number's digits but is not one: an E.164 phone number in a phone
   * field, a national ID of a declared type. Asked only about strings the detector flagged, with
   * their path from the root ({@code identity.national_id}).
   */
  @FunctionalInterface
  public interface Exemption {
    Exemption NONE = (root, path, text) -> false;

    boolean exempt(Map<String, Object> root, String path, String text);
  }

  private CardNumbers() {}

  /** Throws {@code card_number_detected} for the first card number in the tree; params are prefixed (e.g. {@code entries[3]}) when prefix is not empty. */
  public static void refuse(Map<String, Object> root, String prefix, Exemption exemption) {
    String found = find(root, root, "", 0, exemption);
    if (found == null) return;
    if (prefix.isEmpty()) throw detected(found);
    throw detected(found.equals(FIELD_NAME) ? prefix : prefix + "." + found);
  }

  /** The error for a card number found at param. */
  public static ValidationException detected(String param) {
    return new ValidationException("card_number_detected", param, "A card number was found in the field param names. Vigil accepts card tokens"
        + " only (card.token, card.bin, card.last4); the value was not stored or logged.");
  }

  /** True when the text is one E.164 phone number, whose digits may pass the Luhn check by chance. */
  public static boolean isE164Phone(String text) {
    return E164_PHONE.matcher(text).matches();
  }

  /** True when the text holds a card number. */
  public static boolean in(String text) {
    return text != null && PanDetector.containsPan(text);
  }

  private static String find(Object node, Map<String, Object> root, String path, int depth, Exemption exemption) {
    if (depth > NESTING_DEPTH_MAX) {
      throw new ValidationException("nesting_too_deep", path, "JSON nesting deeper than " + NESTING_DEPTH_MAX + " levels");
    }
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (PanDetector.containsPan(key)) return path.isEmpty() ? FIELD_NAME : path;
        String found = find(e.getValue(), root, path.isEmpty() ? key : path + "." + key, depth + 1, exemption);
        if (found != null) return found;
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        String found = find(list.get(i), root, path + "[" + i + "]", depth + 1, exemption);
        if (found != null) return found;
      }
    } else if (node instanceof String s) {
      if (PanDetector.containsPan(s) && !exemption.exempt(root, path, s)) return path;
    } else if (node instanceof Number n) {
      if (PanDetector.containsPan(plainDigits(n))) return path;
    }
    return null;
  }

  /**
   * A number written out in full: Double.toString would give 4.111111111111111E15 for a 16-digit
   * card number sent as 4111111111111111.0, hiding its digits from the detector.
   */
  private static String plainDigits(Number n) {
    if (n instanceof BigDecimal bd) return bd.toPlainString();
    if ((n instanceof Double || n instanceof Float) && Double.isFinite(n.doubleValue())) {
      return BigDecimal.valueOf(n.doubleValue()).toPlainString();
    }
    return n.toString();
  }
}
