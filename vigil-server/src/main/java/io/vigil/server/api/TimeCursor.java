package io.vigil.server.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The position of a row in a collection ordered by a time and then an id (list entries, models,
 * restrictions, labels, reversal requests): the cursor such a page answers as {@code next_cursor}
 * and takes back as {@code starting_after}. It is written opaque (URL-safe Base64) so that clients
 * pass it back as they got it, and so that ids with {@code + / : @} need no escaping.
 */
public record TimeCursor(long atMillis, String id) {
  /** Longer than any cursor this server writes (a 20-digit time and an id of at most 255 characters). */
  private static final int ENCODED_CHARS_MAX = 384;

  public String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((atMillis + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a {@code starting_after} parameter holds; null when the parameter is absent. */
  public static TimeCursor decode(String startingAfter) {
    if (startingAfter == null) return null;
    try {
      if (startingAfter.length() > ENCODED_CHARS_MAX) throw new IllegalArgumentException("too long");
      String text = new String(Base64.getUrlDecoder().decode(startingAfter), StandardCharsets.UTF_8);
      int colon = text.indexOf(':');
      if (colon < 1 || colon == text.length() - 1) throw new IllegalArgumentException("no time or id");
      return new TimeCursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw ApiException.invalid("invalid_parameter", "starting_after must be a next_cursor this route returned", "starting_after");
    }
  }
}
