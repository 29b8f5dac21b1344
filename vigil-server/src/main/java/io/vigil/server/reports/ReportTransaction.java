package io.vigil.server.reports;

import java.util.Objects;

/**
 * One journaled decision as a report sees it. The beneficiary comes from the event's
 * {@code counterparty_id} and its attributes {@code beneficiary_name}, {@code beneficiary_account},
 * {@code beneficiary_bic} and {@code beneficiary_country} (or {@code counterparty_country});
 * {@code ipCountry} from the attribute {@code ip_country}.
 */
public record ReportTransaction(String decisionId, String eventId, String eventType, long occurredAtMillis, String accountId,
    String accountCountry, long amountMinor, String currency, String action, String counterpartyId, String beneficiaryName,
    String beneficiaryAccount, String beneficiaryBic, String beneficiaryCountry, String ipCountry) {

  public ReportTransaction {
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(eventType, "eventType");
  }

  public boolean hasAmount() {
    return amountMinor > 0 && currency != null;
  }

  /**
   * Cross-border: the beneficiary's (or counterparty's) country, or the country of the IP the event
   * came from, differs from the account's country. Without an account country nothing is cross-border.
   */
  public boolean crossBorder() {
    if (accountCountry == null) return false;
    return (beneficiaryCountry != null && !beneficiaryCountry.equals(accountCountry))
        || (ipCountry != null && !ipCountry.equals(accountCountry));
  }

  /** The country the money goes to: the beneficiary's, else the BIC's. */
  public String destinationCountry() {
    if (beneficiaryCountry != null) return beneficiaryCountry;
    return beneficiaryBic != null && beneficiaryBic.length() >= 6 ? beneficiaryBic.substring(4, 6) : null;
  }
}
