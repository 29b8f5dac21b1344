package io.vigil.engine.screening;

import java.util.List;

/**
 * What screening found on one event: the best name match over all parties and lists (null when
 * none reached its list's threshold, or every match was marked a false positive for that party),
 * every match kept, and the first party whose country is blocked without an exemption.
 *
 * @param party "holder", "counterparty" or "beneficiary": whose name matched
 * @param blockedParty whose country is blocked ("" when none); blockedCountry its country
 */
public record ScreeningOutcome(ScreeningMatch best, String party, List<PartyMatch> matches, String blockedParty,
    String blockedCountry) {

  public static final ScreeningOutcome CLEAR = new ScreeningOutcome(null, "", List.of(), "", "");

  /** One match of one party's name. */
  public record PartyMatch(String party, String subjectId, String screenedName, ScreeningMatch match) {}

  public ScreeningOutcome {
    matches = List.copyOf(matches);
  }

  public boolean hit() {
    return best != null;
  }

  public boolean countryBlocked() {
    return !blockedCountry.isEmpty();
  }
}
