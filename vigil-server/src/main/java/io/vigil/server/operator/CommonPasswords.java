package io.vigil.server.operator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.passay.dictionary.Dictionary;

/**
 * The common passwords an operator may not choose: the list of zxcvbn-ts ({@code
 * @zxcvbn-ts/language-common} 4.1.3, MIT; about 49,000 passwords seen most often in breaches), bundled
 * as {@code operator/common-passwords.txt}. A password is common when, in lower case, it is on the
 * list, or when what is left after stripping leading and trailing digits and symbols is (so that
 * {@code Password1!} counts as {@code password}).
 */
public final class CommonPasswords implements Dictionary {
  public static final String RESOURCE = "/operator/common-passwords.txt";
  /** Entries the list may hold: it is read whole into memory. */
  private static final int ENTRIES_MAX = 200_000;
  /** The shortest stripped core that still counts: shorter ones ("ab" in "ab1!") are too vague. */
  private static final int CORE_CHARS_MIN = 4;
  private final Set<String> words;

  private CommonPasswords(Set<String> words) {
    this.words = Set.copyOf(words);
  }

  public static CommonPasswords bundled() {
    try (InputStream in = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      Set<String> words = new HashSet<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (words.size() >= ENTRIES_MAX) throw new IllegalStateException(RESOURCE + " holds more than " + ENTRIES_MAX + " entries");
        String w = line.strip().toLowerCase(Locale.ROOT);
        if (!w.isEmpty()) words.add(w);
      }
      if (words.size() < 1_000) throw new IllegalStateException(RESOURCE + " holds too few entries: " + words.size());
      return new CommonPasswords(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean search(String password) {
    String lower = password.toLowerCase(Locale.ROOT);
    if (words.contains(lower)) return true;
    String core = stripped(lower);
    return core.length() >= CORE_CHARS_MIN && words.contains(core);
  }

  @Override
  public long size() {
    return words.size();
  }

  /** The text without its leading and trailing characters that are not letters. */
  static String stripped(String text) {
    int from = 0;
    int to = text.length();
    while (from < to && !Character.isLetter(text.charAt(from))) from++;
    while (to > from && !Character.isLetter(text.charAt(to - 1))) to--;
    return text.substring(from, to);
  }
}
