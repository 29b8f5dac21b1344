package io.vigil.server.reports;

import io.vigil.engine.money.ExchangeRates;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseVerdict;
import io.vigil.server.cases.CaseView;
import io.vigil.server.storage.Sql;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.w3c.dom.Document;

/**
 * Suspicious transaction reports from cases: prepared (goAML XML, unsigned), validated (Vigil's
 * checks, and the FIU's XSD when installed), filed (signed, its SHA-256 entered in the register in
 * the same transaction that marks it filed). An invalid report is never filed.
 */
public final class StrService {
  /** Problems named in a refusal's message at most (the validate route lists them all). */
  static final int PROBLEMS_IN_MESSAGE_MAX = 10;

  private final CaseService cases;
  private final ReportTransactions transactions;
  private final ReportStore store;
  private final ReportRegister register;
  private final GoamlWriter writer;
  private final GoamlCheck check;
  private final XsdCheck xsd;
  private final ReportSigner signer;
  private final GoamlLookups lookups;
  private final String localCurrency;
  private final Supplier<ExchangeRates> rates;
  private final Clock clock;

  public StrService(CaseService cases, ReportTransactions transactions, ReportStore store, ReportRegister register, GoamlWriter writer,
      GoamlLookups lookups, XsdCheck xsd, ReportSigner signer, String localCurrency, Supplier<ExchangeRates> rates, Clock clock) {
    this.cases = cases;
    this.transactions = transactions;
    this.store = store;
    this.register = register;
    this.writer = writer;
    this.lookups = lookups;
    this.check = new GoamlCheck(lookups);
    this.xsd = xsd;
    this.signer = signer;
    this.localCurrency = localCurrency;
    this.rates = rates;
    this.clock = clock;
  }

  public ReportSigner signer() {
    return signer;
  }

  public GoamlLookups lookups() {
    return lookups;
  }

  public boolean xsdInstalled() {
    return xsd != null;
  }

  /** What an operator asks for: the report code, and optionally the reason, the action taken and indicators. */
  public record Request(String reportCode, String reason, String action, List<String> indicators) {}

  /** Prepares a report of the case; 409 {@code report_without_transactions} when no decision of it moved money. */
  public StoredReport prepare(String caseId, Request req, String by) {
    CaseView view = cases.get(caseId);
    List<ReportTransaction> txs = transactions.ofCase(view);
    if (txs.isEmpty()) {
      throw ApiException.conflict("invalid_request_error", "report_without_transactions",
          "The case has no decision with an amount: there is no transaction to report", null);
    }
    long now = clock.millis();
    String reportId = Ids.random("rpt_");
    ExchangeRates r = rates.get();
    List<StrContent.Item> items = txs.stream().map(t -> new StrContent.Item(t, r.convertMinor(t.amountMinor(), t.currency(), localCurrency)))
        .toList();
    String reason = req.reason() != null ? req.reason() : defaultReason(view, txs);
    String action = req.action() != null ? req.action() : "Case closed; transactions reviewed by the compliance team";
    List<String> indicators = req.indicators() != null && !req.indicators().isEmpty() ? req.indicators() : indicators(view, txs);
    Document doc = writer.write(new StrContent(req.reportCode(), reportId, now, reason, action, items, indicators));
    StoredReport report = new StoredReport(reportId, req.reportCode(), caseId, StoredReport.PREPARED, XmlDocs.write(doc, true), txs.size(),
        by, now, null, null, null);
    store.insert(report);
    return report;
  }

  private String defaultReason(CaseView view, List<ReportTransaction> txs) {
    CaseVerdict v = view.record().verdict();
    return "Case " + view.caseId() + " (opened for " + view.record().origin().wire() + ") groups " + txs.size() + " transactions of account "
        + view.record().accountId() + (v == null ? "" : "; reviewer's verdict: " + v.wire())
        + (view.record().reasonCode() == null ? "" : " (" + view.record().reasonCode() + ")");
  }

  private List<String> indicators(CaseView view, List<ReportTransaction> txs) {
    Set<String> out = new LinkedHashSet<>();
    CaseVerdict v = view.record().verdict();
    if (v != null && lookups.indicatorByVerdict().containsKey(v.wire())) out.add(lookups.indicatorByVerdict().get(v.wire()));
    if (lookups.indicatorCrossBorder() != null && txs.stream().anyMatch(ReportTransaction::crossBorder)) out.add(lookups.indicatorCrossBorder());
    if (out.isEmpty()) out.add(lookups.indicatorDefault());
    return new ArrayList<>(out);
  }

  public StoredReport get(String reportId) {
    return store.find(reportId).orElseThrow(() -> ApiException.notFound("report_not_found", "No report with this id", "report_id"));
  }

  public List<StoredReport> ofCase(String caseId, int rows) {
    return store.ofCase(caseId, rows);
  }

  /** Every reason the report may not be filed (empty: it may). */
  public List<ReportProblem> validate(StoredReport report) {
    Document doc = XmlDocs.parse(report.xml());
    List<ReportProblem> out = new ArrayList<>(check.check(doc, clock.millis()));
    if (xsd != null && !report.filed()) out.addAll(xsd.check(doc));
    return out;
  }

  /** Validates, signs and registers; 422 {@code report_invalid} (nothing written) when any check fails. */
  public RegisterEntry file(String reportId, String by) {
    StoredReport report = get(reportId);
    if (report.filed()) {
      throw ApiException.conflict("invalid_request_error", "report_already_filed", "The report was filed already", "report_id");
    }
    List<ReportProblem> problems = validate(report);
    if (!problems.isEmpty()) throw invalid(problems);
    Document doc = XmlDocs.parse(report.xml());
    signer.sign(doc);
    String signed = XmlDocs.write(doc, false);
    String digest = ReportRegister.sha256(signed.getBytes(StandardCharsets.UTF_8));
    long now = clock.millis();
    return Sql.transaction(store.dataSource(), c -> {
      if (!store.markFiled(c, reportId, signed, by, now, digest)) {
        throw ApiException.conflict("invalid_request_error", "report_already_filed", "The report was filed already", "report_id");
      }
      return register.append(c, now, by, report.reportType(), reportId, report.caseId(), digest);
    }, "filing the report failed");
  }

  static ApiException invalid(List<ReportProblem> problems) {
    String reasons = problems.stream().limit(PROBLEMS_IN_MESSAGE_MAX).map(p -> p.path() + ": " + p.message())
        .collect(Collectors.joining("; "));
    return ApiException.unprocessable("report_invalid", "The report fails " + problems.size() + " check(s) and was not filed: " + reasons,
        null);
  }
}
