package io.vigil.engine.event;

import java.util.Map;

/**
 * One validated, normalized risk event. Absent optional strings are null; an absent amount is
 * {@link #NO_AMOUNT}; an absent assurance level is {@link #NO_ASSURANCE_LEVEL}; an absent credit
 * score (0–1000, the caller's risk or credit score of the account, for dynamic limits) is
 * {@link #NO_CREDIT_SCORE}; a merchant risk level is low, medium or high.
 *
 * <p>Instances come only from {@link EventParser}, which enforces every limit in
 * {@link io.vigil.engine.Limits}.
 */
public record Event(
    String eventId,
    EventType type,
    long occurredAtMillis,
    String accountId,
    String merchantId,
    String counterpartyId,
    long amountMinor,
    String currency,
    String channel,
    String ip,
    String deviceId,
    String deviceFingerprint,
    String userAgent,
    String phone,
    String email,
    String cardToken,
    String cardBin,
    String cardLast4,
    String authMethod,
    int assuranceLevel,
    Boolean loginSuccess,
    String timezone,
    String accountCountry,
    Identity identity,
    int simBindingAgeDays,
    String paymentCode,
    String acceptLanguage,
    String geoCookieCountry,
    String merchantRiskLevel,
    int creditScore,
    Map<String, Object> attributes,
    Parties parties) {

  public static final long NO_AMOUNT = -1;
  public static final int NO_ASSURANCE_LEVEL = -1;
  public static final int NO_SIM_BINDING_AGE = -1;
  public static final int NO_CREDIT_SCORE = -1;

  /**
   * What the caller knows of the person: a national ID with its type (e.g. {@code bd_nid}), the
   * date of birth, and the status of the identity documents. Every part may be null.
   */
  public record Identity(String nationalId, String nationalIdType, java.time.LocalDate dateOfBirth, String documentStatus) {
    public static final Identity NONE = new Identity(null, null, null, null);
  }

  /**
   * The people and organisations named on the event, for sanctions screening: the account holder
   * (at registration and on a profile change; the holder's date of birth and ID are in
   * {@link #identity}), and a transfer's counterparty and beneficiary. Every part may be null.
   */
  public record Parties(Party holder, Party counterparty, Party beneficiary) {
    public static final Parties NONE = new Parties(null, null, null);

    public boolean any() {
      return holder != null || counterparty != null || beneficiary != null;
    }
  }

  /** A named party: name (any script), ISO country, date of birth and an identity-document number; all but the name optional. */
  public record Party(String name, String country, java.time.LocalDate dateOfBirth, String idNumber) {}

  public boolean hasAmount() {
    return amountMinor != NO_AMOUNT;
  }

  /** The amount in major units of its currency (1250000 BDT minor is 12500.0); 0.0 without an amount. */
  public double amountMajor() {
    if (!hasAmount()) return 0.0;
    return amountMinor / Math.pow(10, Canonical.minorDigits(currency));
  }

  /** A login attempt that the caller reports as failed. */
  public boolean isFailedLogin() {
    return type == EventType.LOGIN && Boolean.FALSE.equals(loginSuccess);
  }

  /** The part of the e-mail address after the last '@', lower-cased; null without an e-mail. */
  public String emailDomain() {
    if (email == null) return null;
    return email.substring(email.lastIndexOf('@') + 1);
  }
}
