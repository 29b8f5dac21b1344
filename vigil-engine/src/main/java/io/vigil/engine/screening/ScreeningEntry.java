package io.vigil.engine.screening;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of a sanctions or watch list: its names (the first is the primary name, the rest
 * aliases), dates of birth, countries (ISO alpha-2, upper case) and identifiers (passport, national
 * ID, IMO number … normalised to upper-case letters and digits).
 *
 * <p>{@link #contentHash} changes whenever anything the matcher reads changes, so a reviewer's
 * "false positive" on this entry lapses when the list publisher edits it.
 */
public record ScreeningEntry(String entryId, String kind, List<String> names, List<String> birthDates,
    Set<String> countries, Set<String> identifiers, String programs) {

  /** Names per entry kept; lists with more aliases than this are cut (publishers' largest are ~100). */
  public static final int NAMES_MAX = 64;
  /** Characters of one listed name kept. */
  public static final int NAME_CHARS_MAX = 300;

  public ScreeningEntry {
    Objects.requireNonNull(entryId, "entryId");
    if (names.isEmpty()) throw new IllegalArgumentException("entry " + entryId + " has no name");
    names = List.copyOf(names.size() > NAMES_MAX ? names.subList(0, NAMES_MAX) : names);
    birthDates = List.copyOf(birthDates);
    countries = Set.copyOf(countries);
    identifiers = Set.copyOf(identifiers);
    kind = kind == null ? "unknown" : kind;
    programs = programs == null ? "" : programs;
  }

  public String primaryName() {
    return names.get(0);
  }

  /** SHA-256 over the entry's names, dates, countries, identifiers and kind, in a canonical order. */
  public String contentHash() {
    StringBuilder b = new StringBuilder(entryId).append('\u0001').append(kind);
    for (String n : names) b.append('\u0001').append(n);
    b.append('\u0002');
    for (String d : new TreeSet<>(birthDates)) b.append(d).append(',');
    b.append('\u0002').append(String.join(",", new TreeSet<>(countries)));
    b.append('\u0002').append(String.join(",", new TreeSet<>(identifiers)));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is in every JDK", e);
    }
  }

  /** An identifier as compared: letters and digits only, upper case ("AB-12 345" → "AB12345"). */
  public static String normalizeIdentifier(String raw) {
    if (raw == null) return "";
    StringBuilder b = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 128 && Character.isLetterOrDigit(c)) b.append(Character.toUpperCase(c));
    }
    return b.toString();
  }
}
