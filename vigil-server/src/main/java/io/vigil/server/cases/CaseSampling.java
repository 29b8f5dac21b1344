package io.vigil.server.cases;

import io.vigil.server.journal.JournalRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

/**
 * Which allowed decisions a person checks anyway, so that what the rules miss is measured too: a
 * share of abnormal applications (registrations and merchant onboardings a rule flagged but that were
 * allowed) and a smaller share of allowed payments. The draw is a stable hash of the decision id: a
 * replay, or the opener reading a row twice, draws the same decisions.
 */
public final class CaseSampling {
  private static final Set<String> APPLICATIONS = Set.of("registration", "merchant_onboarding");
  private static final Set<String> PAYMENTS = Set.of("payment", "transfer", "withdrawal");

  private final double abnormalApplicationsShare;
  private final double allowedPaymentsShare;

  public CaseSampling(double abnormalApplicationsShare, double allowedPaymentsShare) {
    assert abnormalApplicationsShare >= 0 && abnormalApplicationsShare <= 1 : abnormalApplicationsShare;
    assert allowedPaymentsShare >= 0 && allowedPaymentsShare <= 1 : allowedPaymentsShare;
    this.abnormalApplicationsShare = abnormalApplicationsShare;
    this.allowedPaymentsShare = allowedPaymentsShare;
  }

  /** Whether this committed decision is drawn for a person. */
  public boolean drawn(JournalRow row, Set<String> rulesFired) {
    if (!"ALLOW".equals(row.action()) || !mayDraw(row.eventType(), row.record().decisionId())) return false;
    return !APPLICATIONS.contains(row.eventType()) || !rulesFired.isEmpty();
  }

  /**
   * Whether an allowed decision of this type and id falls in its type's share: the draw itself. An
   * application is drawn only if a rule also flagged it ({@link #drawn}).
   */
  public boolean mayDraw(String eventType, String decisionId) {
    double share;
    if (APPLICATIONS.contains(eventType)) {
      share = abnormalApplicationsShare;
    } else if (PAYMENTS.contains(eventType)) {
      share = allowedPaymentsShare;
    } else {
      return false;
    }
    return share > 0 && position(decisionId) < share;
  }

  /** The decision's place in [0, 1), uniform over ids. */
  static double position(String decisionId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(decisionId.getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 7; i++) bits = (bits << 8) | (d[i] & 0xff);
      return bits / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
