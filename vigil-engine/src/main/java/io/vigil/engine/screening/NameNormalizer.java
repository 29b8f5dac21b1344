package io.vigil.engine.screening;

import com.ibm.icu.text.Transliterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a name in any script into lower-case ASCII tokens: Bengali, Arabic, Cyrillic (and any other
 * script ICU knows) are transliterated to Latin, accents are dropped, punctuation splits tokens,
 * and honorifics are removed. "Иван Петрович Сидоров" → [ivan, petrovic, sidorov];
 * "O'Brien-Smith, Dr. J." → [obrien, smith, j].
 *
 * <p>ICU transliterators are not shared between threads: each thread keeps its own.
 */
public final class NameNormalizer {
  /** Tokens kept per name; a longer "name" is not a name. */
  public static final int TOKENS_MAX = 12;
  private static final Set<String> HONORIFICS = Set.of("mr", "mrs", "ms", "miss", "dr", "prof", "sir", "sheikh",
      "shaikh", "haji", "hajji", "md", "mohd", "jr", "sr", "gen", "col", "capt");
  private static final Pattern APOSTROPHES = Pattern.compile("['\u2019\u02BC\u02BB\u0060\u00B4]");
  private static final ThreadLocal<Transliterator> TO_LATIN = ThreadLocal.withInitial(() ->
      Transliterator.getInstance("Any-Latin; Latin-ASCII"));

  private NameNormalizer() {}

  /** The name's tokens, in their order; empty for a name without letters or digits. */
  public static List<String> tokens(String name) {
    if (name == null || name.isEmpty()) return List.of();
    String latin = isAscii(name) ? name : TO_LATIN.get().transliterate(name);
    // Apostrophes join, never split: "O'Brien" is one word, and ICU writes a Bengali conjunct as "m'm".
    String lower = APOSTROPHES.matcher(latin).replaceAll("").toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>(4);
    int start = -1;
    for (int i = 0; i <= lower.length() && out.size() < TOKENS_MAX; i++) {
      char c = i < lower.length() ? lower.charAt(i) : ' ';
      boolean word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (word && start < 0) start = i;
      if (!word && start >= 0) {
        String token = lower.substring(start, i);
        if (!HONORIFICS.contains(token)) out.add(token);
        start = -1;
      }
    }
    return out;
  }

  /** The tokens joined by single spaces: the name as shown in evidence. */
  public static String normalized(String name) {
    return String.join(" ", tokens(name));
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 128) return false;
    }
    return true;
  }
}
