package io.vigil.engine;

/**
 * Every bound the engine enforces, in one place. Units are the last word of each name.
 *
 * <p>A limit exists so that no input, however large or hostile, can make the engine use unbounded
 * memory or time. The server enforces the request-level limits before the engine sees an event;
 * the engine checks them again at its entry points (cheap, and the engine is also used directly by
 * the replay tool and the benchmarks).
 */
public final class Limits {
  private Limits() {}

  /** Largest request body the HTTP door accepts. A full event is far below 8 KiB. */
  public static final int REQUEST_BODY_BYTES_MAX = 64 * 1024;

  /** JSON nesting allowed in an event: root, a sub-object such as {@code device}, and one spare. */
  public static final int JSON_NESTING_DEPTH_MAX = 3;

  /** Idempotency keys, like Stripe's, are at most 255 characters. */
  public static final int EVENT_ID_CHARS_MAX = 255;

  /** Account, merchant, device, card-token and similar identifiers. */
  public static final int IDENTIFIER_CHARS_MAX = 128;

  /** Free text such as a user agent. */
  public static final int TEXT_CHARS_MAX = 512;
  /** A scanned payment code's value; EMVCo merchant-presented QR payloads are at most 512. */
  public static final int PAYMENT_CODE_CHARS_MAX = 512;
  /** National identity numbers; the longest common forms are under 20 characters. */
  public static final int NATIONAL_ID_CHARS_MAX = 32;
  /** A party's name (account holder, counterparty, beneficiary) for screening; legal names of companies run long. */
  public static final int PARTY_NAME_CHARS_MAX = 200;
  /** A SIM binding older than a century is a caller bug. */
  public static final int SIM_BINDING_AGE_DAYS_MAX = 36_500;

  /** Custom attributes per event. */
  public static final int ATTRIBUTES_MAX = 32;

  /** Characters in one attribute key. */
  public static final int ATTRIBUTE_KEY_CHARS_MAX = 64;

  /** Characters in one attribute string value. */
  public static final int ATTRIBUTE_VALUE_CHARS_MAX = 256;

  /**
   * Largest amount in minor units: 10^14, i.e. one trillion major units of a two-decimal
   * currency. Anything larger is a bug or an attack, never a payment.
   */
  public static final long AMOUNT_MINOR_MAX = 100_000_000_000_000L;

  /** How far in the future an event may claim to have happened (client clock skew). */
  public static final long FUTURE_SKEW_MILLIS_MAX = 5 * 60_000L;

  /** Upper bound for any velocity window. */
  public static final long WINDOW_MILLIS_MAX = 90L * 24 * 3_600_000L;

  /** Velocity windows per entity. */
  public static final int WINDOWS_MAX = 8;

  /** Rules in one policy. */
  public static final int RULES_PER_POLICY_MAX = 500;

  /** Characters in one rule expression. */
  public static final int RULE_EXPRESSION_CHARS_MAX = 4_096;

  /** Characters in one rule's reason template or description. */
  public static final int RULE_TEXT_CHARS_MAX = 1_024;
  /** Scorecards in one policy; each runs on every event it applies to. */
  public static final int SCORECARDS_PER_POLICY_MAX = 8;

  /** Iterations any CEL comprehension (exists, all, map, filter) may make. */
  public static final int RULE_COMPREHENSION_ITERATIONS_MAX = 1_000;

  /** Entries in one list (block, allow or watch) for one entity type. */
  public static final int LIST_ENTRIES_PER_LIST_MAX = 1_000_000;

  /** Rows one page of a query returns. */
  public static final int QUERY_PAGE_SIZE_MAX = 500;

  /** Rows one CSV download returns. */
  public static final int CSV_ROWS_MAX = 1_000_000;

  /** Largest list import body: 100,000 rows of about 160 bytes of CSV. */
  public static final int LIST_IMPORT_BYTES_MAX = 16 * 1024 * 1024;

  /** Rows of one list import, all written in one transaction. */
  public static final int LIST_IMPORT_ROWS_MAX = 100_000;

  static {
    if (JSON_NESTING_DEPTH_MAX < 2) throw new AssertionError("events need one level of sub-objects");
    if (AMOUNT_MINOR_MAX >= Long.MAX_VALUE / 1_000_000) {
      throw new AssertionError("window sums of a million maximal amounts must not overflow a long");
    }
    if (FUTURE_SKEW_MILLIS_MAX >= WINDOW_MILLIS_MAX) throw new AssertionError("skew must be small");
  }
}
