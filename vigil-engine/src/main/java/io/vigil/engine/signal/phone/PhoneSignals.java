package io.vigil.engine.signal.phone;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Describes E.164 phone numbers: validity, region and number type from libphonenumber, and the
 * mobile operator from an {@link OperatorPrefixTable}, falling back to libphonenumber's carrier
 * data ({@code com.googlecode.libphonenumber:carrier}).
 *
 * <p>Parsing and classifying one number costs tens of microseconds, so answers are kept in a
 * bounded cache (Caffeine, size-bounded, per number). Numbers repeat: the same customer pays
 * again. Thread-safe.
 *
 * <p>Carrier data is what the number range was allocated to; after a number is ported to another
 * operator neither source knows. Operators use the prefix table to correct and extend it (the
 * carrier data in {@code carrier} 2.6 still names Robi for Bangladesh's 016, the former Airtel).
 */
public final class PhoneSignals {
  /** Largest cache; an entry holds the number string and a record whose strings are shared. */
  public static final int CACHE_ENTRIES_MAX = 10_000_000;

  /** E.164: at most 15 digits after the '+'. */
  public static final int E164_DIGITS_MAX = 15;

  private static final Map<PhoneNumberType, String> TYPE_NAMES = typeNames();

  private final OperatorPrefixTable table;
  private final boolean carrierFallback;
  private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
  private final PhoneNumberToCarrierMapper carriers;
  private final Cache<String, PhoneInfo> cache;
  /** Created once: a method reference written at the call would be a new object per call. */
  private final Function<String, PhoneInfo> loader = this::describeUncached;

  /** With the carrier-data fallback on. */
  public PhoneSignals(OperatorPrefixTable table, int cacheEntriesMax) {
    this(table, cacheEntriesMax, true);
  }

  /**
   * @param cacheEntriesMax numbers remembered, 1 to {@link #CACHE_ENTRIES_MAX}
   * @param carrierFallback whether to ask libphonenumber's carrier data when the table has no row
   */
  public PhoneSignals(OperatorPrefixTable table, int cacheEntriesMax, boolean carrierFallback) {
    this.table = Objects.requireNonNull(table, "table");
    if (cacheEntriesMax < 1) throw new IllegalArgumentException("cacheEntriesMax must be at least 1");
    if (cacheEntriesMax > CACHE_ENTRIES_MAX) {
      throw new IllegalArgumentException("cacheEntriesMax must be at most " + CACHE_ENTRIES_MAX);
    }
    this.carrierFallback = carrierFallback;
    this.carriers = carrierFallback ? PhoneNumberToCarrierMapper.getInstance() : null;
    this.cache = Caffeine.newBuilder()
        .maximumSize(cacheEntriesMax)
        .executor(ForkJoinPool.commonPool())
        .build();
  }

  /**
   * Describes a number in E.164 form ({@code +} and up to 15 digits, e.g. {@code +8801712345678}),
   * from the cache when it was seen recently. Anything else answers {@link PhoneInfo#UNPARSABLE}
   * without being cached.
   */
  public PhoneInfo describe(String e164) {
    if (!isE164Shape(e164)) return PhoneInfo.UNPARSABLE;
    return cache.get(e164, loader);
  }

  /** As {@link #describe} but always parsing; for benchmarks and tests. */
  public PhoneInfo describeUncached(String e164) {
    if (!isE164Shape(e164)) return PhoneInfo.UNPARSABLE;
    PhoneNumber number;
    try {
      number = util.parse(e164, "ZZ");
    } catch (NumberParseException e) {
      return PhoneInfo.UNPARSABLE; // for example an unassigned calling code such as +999
    }
    PhoneNumberType numberType = util.getNumberType(number);
    // libphonenumber's isValidNumber is exactly "the type is not UNKNOWN" for the number's own
    // region; asking it separately would classify the number twice (about a third of the cost).
    boolean valid = numberType != PhoneNumberType.UNKNOWN;
    assert valid == util.isValidNumber(number) : "libphonenumber changed its validity rule";
    String region = regionOf(number);
    String type = TYPE_NAMES.get(numberType);
    assert type != null;
    if (!valid) return new PhoneInfo(false, region, type, "");
    String operator = table.operatorFor(number.getCountryCode(), util.getNationalSignificantNumber(number));
    if (operator.isEmpty() && carrierFallback) {
      // "" for types that have no operator (fixed line, toll free …) and regions without data.
      operator = carriers.getNameForNumber(number, Locale.ENGLISH);
    }
    return new PhoneInfo(true, region, type, operator);
  }

  private String regionOf(PhoneNumber number) {
    String region = util.getRegionCodeForNumber(number);
    // null: no region matched; "001": a non-geographic entity such as +800 or +882.
    if (region == null || region.length() != 2 || "ZZ".equals(region)) return "";
    return region;
  }

  static boolean isE164Shape(String e164) {
    Objects.requireNonNull(e164, "e164");
    int length = e164.length();
    if (length < 2 || length > 1 + E164_DIGITS_MAX || e164.charAt(0) != '+') return false;
    if (e164.charAt(1) == '0') return false;
    for (int i = 1; i < length; i++) {
      char c = e164.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  /** Runs pending cache maintenance now, such as evictions; for tests. */
  void cleanUp() {
    cache.cleanUp();
  }

  /** Numbers currently cached (approximate, as Caffeine's estimate). */
  public long cachedEntries() {
    return cache.estimatedSize();
  }

  /** The operator prefix table in use. */
  public OperatorPrefixTable table() {
    return table;
  }

  private static Map<PhoneNumberType, String> typeNames() {
    Map<PhoneNumberType, String> names = new EnumMap<>(PhoneNumberType.class);
    for (PhoneNumberType t : PhoneNumberType.values()) names.put(t, t.name().toLowerCase(Locale.ROOT));
    assert names.get(PhoneNumberType.FIXED_LINE_OR_MOBILE).equals("fixed_line_or_mobile");
    return names;
  }
}
