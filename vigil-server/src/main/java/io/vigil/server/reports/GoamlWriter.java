package io.vigil.server.reports;

import io.vigil.engine.money.Money;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes a goAML report: {@code <report>} with the reporting entity's header, one
 * {@code <transaction>} per decision (money leaves the reporting entity's own client:
 * {@code t_from_my_client}; it goes to a third party: {@code t_to}), and {@code <report_indicators>}.
 * Elements follow the order of the UNODC goAML schema; optional elements without a value are left out.
 */
public final class GoamlWriter {
  static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  /** goAML text fields are at most this long; longer text is cut. */
  static final int TEXT_CHARS_MAX = 4_000;

  private final ReportsProperties.Goaml entity;
  private final GoamlLookups lookups;

  public GoamlWriter(ReportsProperties.Goaml entity, GoamlLookups lookups) {
    this.entity = entity;
    this.lookups = lookups;
  }

  public Document write(StrContent content) {
    Document doc = newDocument();
    Element report = doc.createElementNS(null, "report");
    doc.appendChild(report);
    add(report, "rentity_id", entity.rentityId());
    add(report, "rentity_branch", entity.rentityBranch());
    add(report, "submission_code", entity.submissionCode());
    add(report, "report_code", content.reportCode());
    add(report, "entity_reference", content.entityReference());
    add(report, "submission_date", dateTime(content.submissionMillis()));
    add(report, "currency_code_local", entity.currencyCodeLocal());
    Element person = add(report, "reporting_person", null);
    add(person, "first_name", entity.reportingPerson().firstName());
    add(person, "last_name", entity.reportingPerson().lastName());
    add(person, "email", entity.reportingPerson().email());
    add(person, "occupation", entity.reportingPerson().occupation());
    Element location = add(report, "location", null);
    add(location, "address_type", entity.location().addressType());
    add(location, "address", entity.location().address());
    add(location, "city", entity.location().city());
    add(location, "country_code", entity.location().countryCode());
    add(report, "reason", cut(content.reason()));
    add(report, "action", cut(content.action()));
    for (StrContent.Item item : content.transactions()) transaction(report, item);
    Element indicators = add(report, "report_indicators", null);
    for (String indicator : content.indicators()) add(indicators, "indicator", indicator);
    return doc;
  }

  private void transaction(Element report, StrContent.Item item) {
    ReportTransaction t = item.transaction();
    Element tx = add(report, "transaction", null);
    add(tx, "transactionnumber", t.decisionId());
    add(tx, "internal_ref_number", t.eventId());
    add(tx, "transaction_location", "online");
    add(tx, "transaction_description", t.eventType() + " decided " + t.action());
    add(tx, "date_transaction", dateTime(t.occurredAtMillis()));
    add(tx, "transmode_code", lookups.transmodeOf(t.eventType()));
    add(tx, "amount_local", item.amountLocalMinor() < 0 ? "" : Money.major(item.amountLocalMinor(), entity.currencyCodeLocal()).toPlainString());
    Element from = add(tx, "t_from_my_client", null);
    add(from, "from_funds_code", lookups.fundsCodeDefault());
    if (!entity.currencyCodeLocal().equals(t.currency())) {
      Element foreign = add(from, "from_foreign_currency", null);
      add(foreign, "foreign_currency_code", t.currency());
      add(foreign, "foreign_amount", Money.major(t.amountMinor(), t.currency()).toPlainString());
    }
    Element fromAccount = add(from, "from_account", null);
    add(fromAccount, "institution_name", entity.institutionName());
    add(fromAccount, entity.institutionSwift().isEmpty() ? "institution_code" : "swift",
        entity.institutionSwift().isEmpty() ? entity.rentityId() : entity.institutionSwift());
    add(fromAccount, "account", t.accountId());
    add(fromAccount, "currency_code", t.currency());
    add(from, "from_country", t.accountCountry() == null ? entity.country() : t.accountCountry());
    Element to = add(tx, "t_to", null);
    add(to, "to_funds_code", lookups.fundsCodeDefault());
    String beneficiaryAccount = t.beneficiaryAccount() != null ? t.beneficiaryAccount() : t.counterpartyId();
    if (beneficiaryAccount != null) {
      Element toAccount = add(to, "to_account", null);
      add(toAccount, "institution_name", t.beneficiaryBic() == null ? "Unknown institution" : "Institution " + t.beneficiaryBic());
      if (t.beneficiaryBic() != null) add(toAccount, "swift", t.beneficiaryBic());
      else add(toAccount, "institution_code", "UNKNOWN");
      add(toAccount, "account", beneficiaryAccount);
      add(toAccount, "account_name", t.beneficiaryName());
    }
    String country = t.destinationCountry() != null ? t.destinationCountry() : t.accountCountry();
    add(to, "to_country", country == null ? entity.country() : country);
  }

  static String dateTime(long millis) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC).format(DATE_TIME);
  }

  private static String cut(String text) {
    return text == null || text.length() <= TEXT_CHARS_MAX ? text : text.substring(0, TEXT_CHARS_MAX);
  }

  /** Adds a child; a null or empty value leaves an optional text element out (a container: pass null and fill it). */
  private static Element add(Element parent, String name, String value) {
    Element e = parent.getOwnerDocument().createElementNS(null, name);
    if (value != null) {
      if (value.isEmpty()) return e;
      e.setTextContent(value);
    }
    parent.appendChild(e);
    return e;
  }

  static Document newDocument() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      return f.newDocumentBuilder().newDocument();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }
}
