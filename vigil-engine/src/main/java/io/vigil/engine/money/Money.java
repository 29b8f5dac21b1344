package io.vigil.engine.money;

import io.vigil.engine.event.Canonical;
import java.math.BigDecimal;
import java.util.Locale;

/** Minor-unit amounts, exactly: {@code 1000000 USD} is 10,000.00 USD. */
public final class Money {
  private Money() {}

  /** Minor-unit amount as major units, exactly: 1250000 BDT is 12500.00. */
  public static BigDecimal major(long amountMinor, String currency) {
    return BigDecimal.valueOf(amountMinor, Canonical.minorDigits(currency));
  }

  /** For people: "10,000.00 USD". */
  public static String format(long amountMinor, String currency) {
    int digits = Canonical.minorDigits(currency);
    return String.format(Locale.ROOT, "%,." + digits + "f %s", BigDecimal.valueOf(amountMinor, digits), currency);
  }
}
