package io.vigil.engine.signal.phone;

import java.util.Objects;

/**
 * What a phone number says about its holder.
 *
 * @param valid libphonenumber's verdict: the number fits its country's numbering plan
 * @param region the ISO 3166-1 alpha-2 region of the number, or "" (unknown or non-geographic)
 * @param numberType lower-case libphonenumber type: mobile, fixed_line, fixed_line_or_mobile, voip,
 *     toll_free, premium_rate, shared_cost, personal_number, pager, uan, voicemail or unknown
 * @param operator the mobile operator of a valid number, from the prefix table, else from
 *     libphonenumber's carrier data, else ""
 */
public record PhoneInfo(boolean valid, String region, String numberType, String operator) {
  /** The answer for a number that cannot be parsed at all. */
  public static final PhoneInfo UNPARSABLE = new PhoneInfo(false, "", "unknown", "");

  public PhoneInfo {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(numberType, "numberType");
    Objects.requireNonNull(operator, "operator");
    assert region.isEmpty() || region.length() == 2 : region;
    assert !numberType.isEmpty();
  }
}
