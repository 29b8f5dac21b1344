package io.vigil.engine.screening;

import java.util.List;

/**
 * One list entry a name matched: the list, the entry and the listed name that matched best, the
 * name score, the final score after date-of-birth and country evidence, the token pairs, and the
 * evidence notes. {@code matchType} is "identifier" for an exact identifier match (score 1.0).
 */
public record ScreeningMatch(String listName, long listVersion, ScreeningEntry entry, String matchedName,
    double nameScore, double score, List<String> matchedTokens, List<String> evidence, String matchType) {}
