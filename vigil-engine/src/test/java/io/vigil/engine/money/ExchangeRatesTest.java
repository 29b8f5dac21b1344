package io.vigil.engine.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceDataLoader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exchange rates: the file format, exact conversion in minor units, and the loader's handling of the file. */
class ExchangeRatesTest {
  private static final String HEAD = "as_of,2026-03-01\nbase,USD\ncurrency,units_per_base\n";

  private static ExchangeRates load(String csv) throws ReferenceDataException {
    return ExchangeRates.load(new StringReader(csv), "rates.csv");
  }

  @Test
  void convertsExactlyRoundingDownToTheTargetsMinorUnit() throws ReferenceDataException {
    ExchangeRates rates = load(HEAD + "BDT,120.00\nJPY,157\nKWD,0.3080\nEUR,0.96\n");
    assertThat(rates.asOf()).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(rates.baseCurrency()).isEqualTo("USD");
    assertThat(rates.size()).as("the base counts").isEqualTo(5);
    // 12,500.00 BDT / 120 = 104.1666… USD, rounded down to 104.16.
    assertThat(rates.toBaseMinor(12_500_00L, "BDT")).isEqualTo(104_16L);
    // 1,200,000.00 BDT is exactly 10,000.00 USD; one poisha less is 9,999.99.
    assertThat(rates.toBaseMinor(1_200_000_00L, "BDT")).isEqualTo(10_000_00L);
    assertThat(rates.toBaseMinor(1_200_000_00L - 1, "BDT")).isEqualTo(9_999_99L);
    // JPY has no minor unit: 157 JPY is 1.00 USD (100 cents); 1 JPY is 0.63 USD cents → 0.
    assertThat(rates.toBaseMinor(157, "JPY")).isEqualTo(100);
    assertThat(rates.toBaseMinor(1, "JPY")).isZero();
    // KWD has 3: 3.080 KWD (3080 fils) is 10.00 USD.
    assertThat(rates.toBaseMinor(3_080, "KWD")).isEqualTo(10_00);
    // Into a currency of another exponent: 10.00 USD is 1,570 JPY and 3.080 KWD.
    assertThat(rates.convertMinor(10_00, "USD", "JPY")).isEqualTo(1_570);
    assertThat(rates.convertMinor(10_00, "USD", "KWD")).isEqualTo(3_080);
    // Cross rate through the base: 120.00 BDT = 1 USD = 0.96 EUR.
    assertThat(rates.convertMinor(120_00, "BDT", "EUR")).isEqualTo(96);
    assertThat(rates.convertMinor(0, "BDT", "EUR")).isZero();
  }

  @Test
  void aCurrencyWithoutARateIsUnknownNotZero() throws ReferenceDataException {
    ExchangeRates rates = load(HEAD + "BDT,120\n");
    assertThat(rates.knows("CHF")).isFalse();
    assertThat(rates.toBaseMinor(100_00, "CHF")).isEqualTo(ExchangeRates.UNKNOWN);
    assertThat(rates.convertMinor(100_00, "BDT", "CHF")).isEqualTo(ExchangeRates.UNKNOWN);
    // The same currency needs no rate, known or not.
    assertThat(rates.convertMinor(100_00, "CHF", "CHF")).isEqualTo(100_00);
    assertThat(rates.unitsPerBase("USD")).isEqualByComparingTo(BigDecimal.ONE);
  }

  @Test
  void anExtremeConversionSaturatesInsteadOfOverflowing() throws ReferenceDataException {
    ExchangeRates rates = load(HEAD + "KWD,0.000000000001\n");
    assertThat(rates.convertMinor(100_000_000_000_000L, "USD", "KWD")).isEqualTo(100_000_000_000_000L * 10 / 1_000_000_000_000L);
    assertThat(rates.convertMinor(100_000_000_000_000L, "KWD", "USD")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void theVersionNamesTheDateTheBaseAndTheContent() throws ReferenceDataException {
    ExchangeRates a = load(HEAD + "BDT,120.00\n");
    ExchangeRates b = load(HEAD + "BDT,121.00\n");
    assertThat(a.version()).startsWith("as_of 2026-03-01 base USD sha256:");
    assertThat(a.version()).isNotEqualTo(b.version());
    assertThat(load(HEAD + "BDT,120.00\n").version()).isEqualTo(a.version());
  }

  @Test
  void theBaseMayBeListedAsOneAndAnyCurrencyMayBeTheBase() throws ReferenceDataException {
    ExchangeRates bdt = load("as_of,2026-03-01\nbase,BDT\ncurrency,units_per_base\nBDT,1.00\nUSD,0.008333\n");
    assertThat(bdt.baseCurrency()).isEqualTo("BDT");
    // 10.00 USD / 0.008333 = 1,200.048… BDT.
    assertThat(bdt.toBaseMinor(10_00, "USD")).isEqualTo(1_200_04);
  }

  @Test
  void brokenFilesAreRefusedWithTheLine() {
    assertRefused("", "no as_of line");
    assertRefused("base,USD\n", "line 1: expected the as_of line");
    assertRefused("as_of,31/12/2024\nbase,USD\n", "line 1: as_of must be a date");
    assertRefused("as_of,2026-03-01\nbase,usd\n", "line 2: base must be an upper-case ISO 4217 code");
    assertRefused("as_of,2026-03-01\nbase,USD\nBDT,120\n", "line 3: after the base comes the header currency,units_per_base");
    assertRefused(HEAD + "BDT,120,extra\n", "line 4: expected 2 columns");
    assertRefused(HEAD + "XXY,1.5\n", "line 4: 'XXY' is not an upper-case ISO 4217 currency code");
    assertRefused(HEAD + "BDT,-120\n", "line 4: units_per_base must be a decimal");
    assertRefused(HEAD + "BDT,1.2e2\n", "line 4: units_per_base must be a decimal");
    assertRefused(HEAD + "BDT,0.000\n", "line 4: units_per_base must be above 0");
    assertRefused(HEAD + "BDT,1000000000001\n", "line 4: units_per_base must be above 0 and at most 1000000000000");
    assertRefused(HEAD + "BDT,0.0000000000001\n", "at most 12 digits after the point");
    assertRefused(HEAD + "BDT,120\nBDT,121\n", "line 5: duplicate currency BDT");
    assertRefused(HEAD + "USD,1.01\n", "line 4: the base USD is 1 unit per unit of itself");
    assertRefused(HEAD + "#\n".repeat((int) ExchangeRates.LINES_MAX), "more than " + ExchangeRates.LINES_MAX + " lines");
  }

  @Test
  void everyIsoCurrencyTakesARate() throws ReferenceDataException {
    StringBuilder all = new StringBuilder(HEAD);
    Currency.getAvailableCurrencies().stream().map(Currency::getCurrencyCode).filter(c -> !c.equals("USD"))
        .sorted().forEach(c -> all.append(c).append(",2\n"));
    ExchangeRates rates = load(all.toString());
    assertThat(rates.size()).isEqualTo(Currency.getAvailableCurrencies().size());
    // XAU (gold) has no minor unit in ISO 4217: its amounts are whole units.
    assertThat(rates.toBaseMinor(3, "XAU")).isEqualTo(1_50);
  }

  private static void assertRefused(String csv, String message) {
    assertThatThrownBy(() -> load(csv)).isInstanceOfSatisfying(ReferenceDataException.class, e -> {
      assertThat(e.component()).isEqualTo(ExchangeRates.COMPONENT);
      assertThat(e.getMessage()).contains("rates.csv").contains(message);
    });
  }

  @Test
  void theBuiltInSampleIsDatedAndAFileInTheDirectoryReplacesIt(@TempDir Path dir) throws Exception {
    ReferenceData builtIn = ReferenceDataLoader.builtIn();
    assertThat(builtIn.rates().asOf()).isEqualTo(LocalDate.of(2024, 12, 31));
    assertThat(builtIn.rates().baseCurrency()).isEqualTo("USD");
    assertThat(builtIn.rates().unitsPerBase("BDT")).isEqualByComparingTo("120.00");
    for (String c : new String[] {"EUR", "JPY", "KWD", "INR", "GBP"}) assertThat(builtIn.rates().knows(c)).as(c).isTrue();
    assertThat(builtIn.components().get(ExchangeRates.COMPONENT)).startsWith("built-in as_of 2024-12-31 base USD sha256:");

    Files.writeString(dir.resolve(ReferenceDataLoader.EXCHANGE_RATES_FILE), HEAD + "BDT,122.50\n");
    ReferenceData own = ReferenceDataLoader.load(dir, 2, 10);
    assertThat(own.rates().unitsPerBase("BDT")).isEqualByComparingTo("122.50");
    assertThat(own.rates().knows("EUR")).as("the file replaces the sample whole").isFalse();
    assertThat(own.components().get(ExchangeRates.COMPONENT)).startsWith("as_of 2026-03-01 base USD sha256:");

    Files.writeString(dir.resolve(ReferenceDataLoader.EXCHANGE_RATES_FILE), HEAD + "BDT,122,5\n");
    assertThatThrownBy(() -> ReferenceDataLoader.load(dir, 3, 10)).isInstanceOfSatisfying(ReferenceDataException.class,
        e -> assertThat(e.component()).isEqualTo(ExchangeRates.COMPONENT));
  }
}
