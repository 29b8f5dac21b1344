package io.vigil.engine.screening;

import java.util.List;
import org.apache.commons.codec.language.DoubleMetaphone;

/**
 * A name prepared for matching once: its normalised tokens, each token's Double Metaphone key
 * ("mohammed" and "muhammad" → "MHMT") and consonant skeleton (vowels and repeats dropped:
 * "muhammad" → "mhmd", which is also what Arabic script transliterates to without short vowels).
 */
public final class TokenName {
  private static final ThreadLocal<DoubleMetaphone> METAPHONE = ThreadLocal.withInitial(() -> {
    DoubleMetaphone m = new DoubleMetaphone();
    m.setMaxCodeLen(6);
    return m;
  });

  final String original;
  final String[] tokens;
  final String[] phonetic;
  final String[] skeleton;
  final String joined;

  private TokenName(String original, List<String> tokens) {
    this.original = original;
    this.tokens = tokens.toArray(new String[0]);
    this.phonetic = new String[this.tokens.length];
    this.skeleton = new String[this.tokens.length];
    DoubleMetaphone metaphone = METAPHONE.get();
    for (int i = 0; i < this.tokens.length; i++) {
      String t = this.tokens[i];
      phonetic[i] = Character.isDigit(t.charAt(0)) ? t : metaphone.doubleMetaphone(t);
      skeleton[i] = skeleton(t);
    }
    this.joined = String.join("", this.tokens);
  }

  public static TokenName of(String name) {
    return new TokenName(name, NameNormalizer.tokens(name));
  }

  public boolean isEmpty() {
    return tokens.length == 0;
  }

  public int size() {
    return tokens.length;
  }

  public String original() {
    return original;
  }

  public String normalized() {
    return String.join(" ", tokens);
  }

  /** Consonants with repeats collapsed; the first letter is kept even if a vowel ("ahmad" → "ahmd"). */
  static String skeleton(String token) {
    StringBuilder b = new StringBuilder(token.length());
    char last = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      boolean vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'w';
      if (i > 0 && vowel) continue;
      if (c == last) continue;
      b.append(c);
      last = c;
    }
    return b.toString();
  }
}
