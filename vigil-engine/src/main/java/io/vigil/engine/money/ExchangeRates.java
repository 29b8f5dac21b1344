package io.vigil.engine.money;

import io.vigil.engine.event.Canonical;
import io.vigil.engine.event.Event;
import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceLines;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Exchange rates to one base (reporting) currency, as of one date: reference data, versioned and
 * reloaded with the rest, so that a decision converts with the rates of the set it records.
 *
 * <p>Loaded from a CSV file:
 *
 * <pre>
 * as_of,2024-12-31
 * base,USD
 * currency,units_per_base
 * BDT,120.00
 * </pre>
 *
 * A rate is how many units of the currency one unit of the base buys ({@code BDT,120.00}: 1 USD =
 * 120.00 BDT), an exact decimal. The base itself is 1 and may be listed as such.
 *
 * <h2>Conversion</h2>
 * Exact in decimal: {@code amount × rate(to) / rate(from)}, scaled between the two currencies'
 * minor units (ISO 4217 exponents: BDT and USD 2, JPY 0, KWD 3) and rounded down to a whole minor
 * unit of the target, so a converted amount compared with a threshold in minor units is on the same
 * side as the true value. A currency without a rate converts to {@link #UNKNOWN}. Immutable.
 */
public final class ExchangeRates {
  public static final String COMPONENT = "exchange_rates";
  /** What a conversion answers when a rate is missing. */
  public static final long UNKNOWN = -1;
  /** Lines read, comments included (one row per ISO 4217 currency: about 300 codes exist). */
  public static final long LINES_MAX = 10_000;
  /** Digits after the decimal point of a rate. */
  public static final int RATE_FRACTION_DIGITS_MAX = 12;
  /** Largest rate: a trillion units per unit of the base. */
  public static final BigDecimal RATE_MAX = BigDecimal.TEN.pow(12);

  private static final int LINE_CHARS_MAX = 128;
  private static final String HEADER = "currency,units_per_base";
  private static final Pattern RATE = Pattern.compile("[0-9]{1,13}(\\.[0-9]{1," + RATE_FRACTION_DIGITS_MAX + "})?");
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private final LocalDate asOf;
  private final String baseCurrency;
  private final Map<String, BigDecimal> unitsPerBase;
  private final String version;

  private ExchangeRates(LocalDate asOf, String baseCurrency, Map<String, BigDecimal> unitsPerBase, String version) {
    this.asOf = asOf;
    this.baseCurrency = baseCurrency;
    this.unitsPerBase = Map.copyOf(unitsPerBase);
    this.version = version;
  }

  /** The date the rates are valid for. */
  public LocalDate asOf() {
    return asOf;
  }

  public String baseCurrency() {
    return baseCurrency;
  }

  /** "as_of 2024-12-31 base USD sha256:…": the date, the base and a hash of the content. */
  public String version() {
    return version;
  }

  /** Currencies with a rate, the base included. */
  public int size() {
    return unitsPerBase.size();
  }

  /** Units of the currency that one unit of the base buys; null without a rate. */
  public BigDecimal unitsPerBase(String currency) {
    return currency == null ? null : unitsPerBase.get(currency);
  }

  /** Whether amounts in this currency convert. */
  public boolean knows(String currency) {
    return unitsPerBase(currency) != null;
  }

  /** The event's amount in minor units of the base, rounded down: 0 without an amount, {@link #UNKNOWN} without a rate. */
  public long toBaseMinor(Event event) {
    return event.hasAmount() ? toBaseMinor(event.amountMinor(), event.currency()) : 0;
  }

  /** {@code amountMinor} of {@code from} in minor units of the base, rounded down; {@link #UNKNOWN} without a rate. */
  public long toBaseMinor(long amountMinor, String from) {
    return convertMinor(amountMinor, from, baseCurrency);
  }

  /**
   * {@code amountMinor} (≥ 0) of {@code from} in minor units of {@code to}, rounded down;
   * {@link #UNKNOWN} when either currency has no rate. The same currency needs no rate. A result
   * beyond a long (only from an extreme rate) reads as {@link Long#MAX_VALUE}.
   */
  public long convertMinor(long amountMinor, String from, String to) {
    if (amountMinor < 0) throw new IllegalArgumentException("an amount to convert is ≥ 0");
    if (Objects.equals(from, to)) return amountMinor;
    BigDecimal fromRate = unitsPerBase(from);
    BigDecimal toRate = unitsPerBase(to);
    if (fromRate == null || toRate == null) return UNKNOWN;
    BigDecimal target = BigDecimal.valueOf(amountMinor).multiply(toRate)
        .scaleByPowerOfTen(Canonical.minorDigits(to) - Canonical.minorDigits(from))
        .divide(fromRate, 0, RoundingMode.FLOOR);
    return target.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE : target.longValueExact();
  }

  public static ExchangeRates load(Reader source, String sourceName) throws ReferenceDataException {
    ReferenceLines lines = new ReferenceLines(source, COMPONENT, sourceName, LINE_CHARS_MAX, LINES_MAX);
    LocalDate asOf = asOf(lines, keyed(lines, "as_of", "as_of,2024-12-31"));
    String base = keyed(lines, "base", "base,USD");
    if (!Canonical.isIsoCurrency(base)) throw lines.error("base must be an upper-case ISO 4217 code such as USD, not '" + clip(base) + "'");
    if (!HEADER.equals(lines.nextDataLine())) throw lines.error("after the base comes the header " + HEADER);
    Map<String, BigDecimal> rates = new HashMap<>();
    rates.put(base, BigDecimal.ONE);
    boolean baseListed = false;
    for (String line = lines.nextDataLine(); line != null; line = lines.nextDataLine()) {
      String[] cells = line.split(",", -1);
      if (cells.length != 2) throw lines.error("expected 2 columns (" + HEADER + "), found " + cells.length);
      String currency = cells[0].strip();
      if (!Canonical.isIsoCurrency(currency)) {
        throw lines.error("'" + clip(currency) + "' is not an upper-case ISO 4217 currency code");
      }
      BigDecimal rate = rate(cells[1].strip(), lines);
      if (currency.equals(base)) {
        if (baseListed) throw lines.error("duplicate currency " + currency);
        if (rate.compareTo(BigDecimal.ONE) != 0) throw lines.error("the base " + base + " is 1 unit per unit of itself, not " + rate);
        baseListed = true;
        continue;
      }
      if (rates.putIfAbsent(currency, rate) != null) throw lines.error("duplicate currency " + currency);
    }
    return new ExchangeRates(asOf, base, rates, "as_of " + asOf + " base " + base + " sha256:" + lines.version());
  }

  /** The value of the next data line, which must be "key,value". */
  private static String keyed(ReferenceLines lines, String key, String example) throws ReferenceDataException {
    String line = lines.nextDataLine();
    if (line == null) throw lines.fileError("no " + key + " line (e.g. " + example + ")");
    if (!line.startsWith(key + ",")) throw lines.error("expected the " + key + " line, e.g. " + example);
    return line.substring(key.length() + 1).strip();
  }

  private static LocalDate asOf(ReferenceLines lines, String text) throws ReferenceDataException {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw lines.error("as_of must be a date in the form 2024-12-31, not '" + clip(text) + "'");
    }
  }

  private static BigDecimal rate(String text, ReferenceLines lines) throws ReferenceDataException {
    if (!RATE.matcher(text).matches()) {
      throw lines.error("units_per_base must be a decimal such as 120.00 (at most " + RATE_FRACTION_DIGITS_MAX
          + " digits after the point), not '" + clip(text) + "'");
    }
    BigDecimal rate = new BigDecimal(text);
    if (rate.signum() <= 0 || rate.compareTo(RATE_MAX) > 0) {
      throw lines.error("units_per_base must be above 0 and at most " + RATE_MAX.toPlainString());
    }
    return rate;
  }

  private static String clip(String s) {
    return s.length() > 32 ? s.substring(0, 32) + "…" : s;
  }
}
