package io.vigil.engine.signal.card;

import java.util.Objects;

/**
 * What a card's BIN (its first 6 to 8 digits) says about the card.
 *
 * @param scheme lower-case card scheme, one of {@link BinTable#SCHEMES}
 * @param cardType debit, credit or prepaid
 * @param country ISO 3166-1 alpha-2 country of the issuer, upper case
 * @param issuer the issuing institution's name; may be "" when the source does not say
 */
public record BinInfo(String scheme, String cardType, String country, String issuer) {
  public BinInfo {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(cardType, "cardType");
    Objects.requireNonNull(country, "country");
    Objects.requireNonNull(issuer, "issuer");
    assert BinTable.SCHEMES.contains(scheme) : scheme;
    assert BinTable.CARD_TYPES.contains(cardType) : cardType;
    assert country.length() == 2 : country;
  }

  public boolean prepaid() {
    return "prepaid".equals(cardType);
  }
}
