package io.vigil.engine.limit;

import java.math.BigDecimal;
import java.util.Currency;

/** Exact display of minor-unit amounts: {@code 1000000 USD} is "10,000.00 USD". */
public final class Money {
  private Money() {}

  public static String format(long amountMinor, String currency) {
    int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    return String.format(java.util.Locale.ROOT, "%,." + digits + "f %s", BigDecimal.valueOf(amountMinor, digits), currency);
  }
}
