package io.vigil.server.reports;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Vigil's own checks of a goAML report, run before every filing whether or not the FIU's XSD is
 * installed: required elements, codes in the FIU's lookup set, positive amounts, dates that parse
 * and are not in the future, one from side and one to side per transaction.
 */
public final class GoamlCheck {
  /** Problems listed at most (the rest are the same kind). */
  static final int PROBLEMS_MAX = 200;
  private static final List<String> REPORT_REQUIRED = List.of("rentity_id", "submission_code", "report_code", "entity_reference",
      "submission_date", "currency_code_local", "reason");

  private final GoamlLookups lookups;

  public GoamlCheck(GoamlLookups lookups) {
    this.lookups = lookups;
  }

  public List<ReportProblem> check(Document doc, long nowMillis) {
    List<ReportProblem> out = new ArrayList<>();
    Element report = doc.getDocumentElement();
    if (report == null || !"report".equals(name(report))) {
      out.add(new ReportProblem("/", "missing_element", "the root element is not <report>"));
      return out;
    }
    for (String name : REPORT_REQUIRED) required(report, name, "report", out);
    code(report, "report_code", lookups.reportCodes(), "report", out);
    date(report, "submission_date", "report", nowMillis, out);
    List<Element> transactions = children(report, "transaction");
    if (transactions.isEmpty()) out.add(new ReportProblem("report", "report_without_transactions", "the report has no <transaction>"));
    for (int i = 0; i < transactions.size() && out.size() < PROBLEMS_MAX; i++) transaction(transactions.get(i), "report/transaction[" + (i + 1) + "]", nowMillis, out);
    Element indicators = child(report, "report_indicators");
    List<Element> codes = indicators == null ? List.of() : children(indicators, "indicator");
    if (codes.isEmpty()) out.add(new ReportProblem("report/report_indicators", "missing_element", "the report names no indicator"));
    for (Element c : codes) {
      if (!lookups.indicators().contains(c.getTextContent())) {
        out.add(new ReportProblem("report/report_indicators", "unknown_code", "indicator " + c.getTextContent() + " is not in the lookup set"));
      }
    }
    return out.size() > PROBLEMS_MAX ? out.subList(0, PROBLEMS_MAX) : out;
  }

  private void transaction(Element tx, String path, long nowMillis, List<ReportProblem> out) {
    required(tx, "transactionnumber", path, out);
    date(tx, "date_transaction", path, nowMillis, out);
    code(tx, "transmode_code", lookups.transmodeCodes(), path, out);
    Element amount = child(tx, "amount_local");
    if (amount == null) {
      out.add(new ReportProblem(path + "/amount_local", "missing_element", "amount_local is missing (no exchange rate to the local currency?)"));
    } else {
      try {
        if (new BigDecimal(amount.getTextContent()).signum() <= 0) {
          out.add(new ReportProblem(path + "/amount_local", "amount_not_positive", "amount_local must be more than 0"));
        }
      } catch (NumberFormatException e) {
        out.add(new ReportProblem(path + "/amount_local", "invalid_amount", "amount_local is not a decimal number"));
      }
    }
    side(tx, path, "from", out);
    side(tx, path, "to", out);
  }

  private void side(Element tx, String path, String side, List<ReportProblem> out) {
    Element mine = child(tx, "t_" + side + "_my_client");
    Element other = child(tx, "t_" + side);
    if ((mine == null) == (other == null)) {
      out.add(new ReportProblem(path, "invalid_party", "a transaction has exactly one t_" + side + " or t_" + side + "_my_client"));
      return;
    }
    Element s = mine != null ? mine : other;
    String sPath = path + "/" + name(s);
    code(s, side + "_funds_code", lookups.fundsCodes(), sPath, out);
    int subjects = 0;
    for (String kind : List.of("account", "person", "entity")) {
      if (child(s, side + "_" + kind) != null) subjects++;
    }
    if (subjects != 1) {
      out.add(new ReportProblem(sPath, "invalid_party", "the " + side + " side names exactly one account, person or entity"));
    }
    Element account = child(s, side + "_account");
    if (account != null) {
      required(account, "account", sPath + "/" + side + "_account", out);
      Element swift = child(account, "swift");
      if (swift != null && !Bic.valid(swift.getTextContent())) {
        out.add(new ReportProblem(sPath + "/" + side + "_account/swift", "invalid_bic", Bic.problem(swift.getTextContent())));
      }
    }
    Element country = child(s, side + "_country");
    if (country == null || !country.getTextContent().matches("[A-Z]{2}")) {
      out.add(new ReportProblem(sPath + "/" + side + "_country", "missing_element", side + "_country must be an ISO 3166 code"));
    }
  }

  private static void required(Element parent, String name, String path, List<ReportProblem> out) {
    Element e = child(parent, name);
    if (e == null || e.getTextContent().isBlank()) out.add(new ReportProblem(path + "/" + name, "missing_element", name + " is required"));
  }

  private static void code(Element parent, String name, Set<String> allowed, String path, List<ReportProblem> out) {
    Element e = child(parent, name);
    if (e == null || e.getTextContent().isBlank()) {
      out.add(new ReportProblem(path + "/" + name, "missing_element", name + " is required"));
    } else if (!allowed.contains(e.getTextContent())) {
      out.add(new ReportProblem(path + "/" + name, "unknown_code", name + " " + e.getTextContent() + " is not in the FIU's lookup set"));
    }
  }

  private static void date(Element parent, String name, String path, long nowMillis, List<ReportProblem> out) {
    Element e = child(parent, name);
    if (e == null) {
      out.add(new ReportProblem(path + "/" + name, "missing_element", name + " is required"));
      return;
    }
    try {
      long at = LocalDateTime.parse(e.getTextContent(), GoamlWriter.DATE_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
      if (at > nowMillis + 60_000) out.add(new ReportProblem(path + "/" + name, "date_in_future", name + " is in the future"));
    } catch (DateTimeParseException ex) {
      out.add(new ReportProblem(path + "/" + name, "invalid_date", name + " is not a date-time yyyy-MM-ddTHH:mm:ss"));
    }
  }

  private static String name(Element e) {
    return e.getLocalName() == null ? e.getNodeName() : e.getLocalName();
  }

  static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(name(e))) return e;
    }
    return null;
  }

  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(name(e))) out.add(e);
    }
    return out;
  }
}
