package io.vigil.server.change;

import java.util.Map;

/**
 * A kind whose proposal may name only the parts it changes: the others are filled in from the live
 * configuration when the request is drafted (and again when it is rebased), so the stored
 * proposal is always whole.
 */
public interface ChangeDrafting {
  /** The whole proposal: {@code proposed} over what is live now. */
  Map<String, Object> complete(Map<String, Object> proposed);
}
