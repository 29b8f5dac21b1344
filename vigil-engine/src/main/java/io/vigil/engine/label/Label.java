package io.vigil.engine.label;

import io.vigil.engine.Limits;
import io.vigil.engine.event.ValidationException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One outcome learned about one decided event, point in time: {@code eventAtMillis} is when the
 * event happened, {@code knownAtMillis} when the outcome became known to Vigil (never earlier than
 * the event). Features and training see a label only from {@code knownAtMillis} on.
 *
 * <p>The constructor validates everything (the same checks the feedback API relies on) and throws
 * {@link ValidationException} with a stable code and the offending field.
 *
 * @param labelId idempotency key: the same id ingested twice is stored once
 * @param eventId the decided event the label is about
 * @param reasonCode a chargeback's scheme reason code (e.g. {@code 10.4}); null for other kinds
 * @param outcome {@code approved}/{@code declined} for an authorization, {@code upheld}/
 *     {@code overturned} for an appeal; null for other kinds
 * @param accountId the event's account (the customer/card), null if unknown
 * @param merchantId the event's merchant (the terminal), null if unknown
 */
public record Label(
    String labelId,
    String eventId,
    LabelKind kind,
    Verdict verdict,
    String reasonCode,
    String outcome,
    String accountId,
    String merchantId,
    long eventAtMillis,
    long knownAtMillis) {

  /** A label may arrive at most this long after its event (chargebacks: schemes allow ~540 days). */
  public static final long DELAY_MILLIS_MAX = 730L * 86_400_000L;
  /** Characters of a chargeback reason code. */
  public static final int REASON_CODE_CHARS_MAX = 32;

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:@/+=-]+");
  private static final Pattern REASON_CODE = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Set<String> AUTHORIZATION_OUTCOMES = Set.of("approved", "declined");
  private static final Set<String> APPEAL_OUTCOMES = Set.of("upheld", "overturned");

  public Label {
    checkId(labelId, "label_id", Limits.EVENT_ID_CHARS_MAX, true);
    checkId(eventId, "event_id", Limits.EVENT_ID_CHARS_MAX, true);
    checkId(accountId, "account_id", Limits.IDENTIFIER_CHARS_MAX, false);
    checkId(merchantId, "merchant_id", Limits.IDENTIFIER_CHARS_MAX, false);
    if (kind == null) throw new ValidationException("missing_field", "kind", "kind is required");
    if (verdict == null) throw new ValidationException("missing_field", "verdict", "verdict is required");
    if (eventAtMillis <= 0) throw new ValidationException("invalid_timestamp", "event_at", "event_at must be after 1970");
    if (knownAtMillis < eventAtMillis) {
      throw new ValidationException("label_before_event", "known_at", "known_at must not be earlier than event_at");
    }
    if (knownAtMillis - eventAtMillis > DELAY_MILLIS_MAX) {
      throw new ValidationException("label_too_late", "known_at", "known_at must be within 730 days of event_at");
    }
    checkKind(kind, verdict, reasonCode, outcome);
  }

  private static void checkKind(LabelKind kind, Verdict verdict, String reasonCode, String outcome) {
    if (kind != LabelKind.CHARGEBACK && reasonCode != null) {
      throw new ValidationException("unexpected_field", "reason_code", "reason_code is only for chargebacks");
    }
    if (kind != LabelKind.AUTHORIZATION && kind != LabelKind.APPEAL && outcome != null) {
      throw new ValidationException("unexpected_field", "outcome", "outcome is only for authorizations and appeals");
    }
    switch (kind) {
      case FRAUD -> requireVerdict(verdict == Verdict.FRAUD, "a fraud label has verdict fraud");
      case LEGITIMATE -> requireVerdict(verdict == Verdict.LEGITIMATE, "a legitimate label has verdict legitimate");
      case CHARGEBACK -> {
        if (reasonCode == null) throw new ValidationException("missing_field", "reason_code", "a chargeback needs its reason_code");
        if (reasonCode.length() > REASON_CODE_CHARS_MAX || !REASON_CODE.matcher(reasonCode).matches()) {
          throw new ValidationException("invalid_reason_code", "reason_code", "reason_code must be 1-32 of A-Z a-z 0-9 . _ -");
        }
        requireVerdict(verdict != Verdict.NONE, "a chargeback's verdict is fraud or legitimate");
      }
      case AUTHORIZATION -> {
        requireOutcome(outcome, AUTHORIZATION_OUTCOMES, "approved or declined");
        requireVerdict(verdict == Verdict.NONE, "an authorization outcome carries verdict none");
      }
      case REVIEWER_VERDICT -> requireVerdict(verdict != Verdict.NONE, "a reviewer's verdict is fraud or legitimate");
      case APPEAL -> {
        requireOutcome(outcome, APPEAL_OUTCOMES, "upheld or overturned");
        requireVerdict(verdict != Verdict.NONE, "an appeal's verdict is fraud or legitimate");
      }
    }
  }

  private static void requireVerdict(boolean ok, String message) {
    if (!ok) throw new ValidationException("invalid_verdict", "verdict", message);
  }

  private static void requireOutcome(String outcome, Set<String> allowed, String expected) {
    if (outcome == null) throw new ValidationException("missing_field", "outcome", "outcome is required: " + expected);
    if (!allowed.contains(outcome)) throw new ValidationException("invalid_outcome", "outcome", "outcome must be " + expected);
  }

  private static void checkId(String value, String field, int charsMax, boolean required) {
    if (value == null) {
      if (required) throw new ValidationException("missing_field", field, field + " is required");
      return;
    }
    if (value.isEmpty() || value.length() > charsMax || !IDENTIFIER.matcher(value).matches()) {
      throw new ValidationException("invalid_identifier", field,
          field + " must be 1-" + charsMax + " characters of A-Z a-z 0-9 . _ : @ / + = -");
    }
  }

  /** A fraud (true) or legitimate (false) outcome from a plain fraud flag, e.g. a dataset's label column. */
  public static Label ofFlag(String labelId, String eventId, boolean fraud, String accountId, String merchantId,
      long eventAtMillis, long knownAtMillis) {
    return new Label(labelId, eventId, fraud ? LabelKind.FRAUD : LabelKind.LEGITIMATE,
        fraud ? Verdict.FRAUD : Verdict.LEGITIMATE, null, null, accountId, merchantId, eventAtMillis, knownAtMillis);
  }

  /** True when the label says fraud or legitimate (every kind but an authorization outcome). */
  public boolean hasVerdict() {
    return verdict != Verdict.NONE;
  }
}
