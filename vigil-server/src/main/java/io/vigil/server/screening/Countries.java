package io.vigil.server.screening;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Country names as lists write them ("Iran", "Russia") and ISO alpha-2 codes, to ISO alpha-2 upper case. */
final class Countries {
  private static final Set<String> ISO = Set.of(Locale.getISOCountries());
  private static final Map<String, String> BY_NAME = names();

  private Countries() {}

  /** The ISO code, or null when the text names no known country. */
  static String code(String text) {
    if (text == null) return null;
    String t = text.strip();
    if (t.length() == 2 && ISO.contains(t.toUpperCase(Locale.ROOT))) return t.toUpperCase(Locale.ROOT);
    return BY_NAME.get(t.toLowerCase(Locale.ROOT));
  }

  private static Map<String, String> names() {
    Map<String, String> m = new HashMap<>();
    for (String iso : ISO) m.put(new Locale.Builder().setRegion(iso).build().getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), iso);
    // The short or older names the lists use.
    m.put("iran", "IR");
    m.put("russia", "RU");
    m.put("syria", "SY");
    m.put("north korea", "KP");
    m.put("korea, north", "KP");
    m.put("democratic people's republic of korea", "KP");
    m.put("korea, south", "KR");
    m.put("burma", "MM");
    m.put("venezuela", "VE");
    m.put("bolivia", "BO");
    m.put("tanzania", "TZ");
    m.put("vietnam", "VN");
    m.put("laos", "LA");
    m.put("moldova", "MD");
    m.put("palestinian", "PS");
    m.put("united states", "US");
    m.put("united kingdom", "GB");
    m.put("turkey", "TR");
    // The UN's formal names.
    m.put("syrian arab republic", "SY");
    m.put("iran (islamic republic of)", "IR");
    m.put("russian federation", "RU");
    m.put("venezuela (bolivarian republic of)", "VE");
    m.put("bolivia (plurinational state of)", "BO");
    m.put("united republic of tanzania", "TZ");
    m.put("viet nam", "VN");
    m.put("lao people's democratic republic", "LA");
    m.put("republic of moldova", "MD");
    m.put("republic of korea", "KR");
    m.put("state of palestine", "PS");
    return Map.copyOf(m);
  }
}
