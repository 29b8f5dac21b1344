package io.vigil.server.console.reports;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import io.vigil.server.reports.PeriodReports;
import io.vigil.server.reports.RegisterEntry;
import io.vigil.server.reports.ReportProblem;
import io.vigil.server.reports.ReportRegister;
import io.vigil.server.reports.ReportTable;
import io.vigil.server.reports.StoredReport;
import io.vigil.server.reports.StrService;
import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The Reports page (permission {@code reports.read}): the register and its chain check, a case's STR
 * prepared, validated (its problems listed) and filed (with {@code reports.file}), download links of
 * the periodic reports, and the cross-border dashboard of the last 12 months.
 */
@Controller
public class ReportsPageController {
  /** Register rows the page shows. */
  static final int REGISTER_ROWS = 20;
  static final int DASHBOARD_MONTHS = 12;

  private final StrService strs;
  private final ReportRegister register;
  private final PeriodReports periods;
  private final Clock clock;

  public ReportsPageController(StrService strs, ReportRegister register, PeriodReports periods, Clock clock) {
    this.strs = strs;
    this.register = register;
    this.periods = periods;
    this.clock = clock;
  }

  @GetMapping("/console/reports")
  public String page(@RequestParam(name = "report_id", required = false) String reportId, HttpServletRequest request, Model model) {
    model.addAttribute("mayFile", Principals.current(request).has(Permission.REPORTS_FILE));
    if (reportId != null && !reportId.isBlank()) report(reportId.strip(), model);
    List<Map<String, Object>> rows = register.list(null, REGISTER_ROWS).stream().map(RegisterEntry::json).toList();
    model.addAttribute("register", rows);
    ReportRegister.Verification v = register.verify();
    model.addAttribute("registerIntact", v.intact());
    model.addAttribute("registerRows", v.rows());
    model.addAttribute("registerBroken", v.intact() ? null : "row " + v.brokenAtSeq() + ": " + v.reason());
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    YearMonth thisMonth = YearMonth.from(today);
    model.addAttribute("periodFrom", thisMonth.minusMonths(1).atDay(1).toString());
    model.addAttribute("periodTo", thisMonth.atDay(1).toString());
    model.addAttribute("monthFrom", thisMonth.minusMonths(DASHBOARD_MONTHS - 1).toString());
    model.addAttribute("monthTo", thisMonth.toString());
    ReportTable dashboard = periods.crossBorder(thisMonth.minusMonths(DASHBOARD_MONTHS - 1).atDay(1), thisMonth.atDay(1));
    model.addAttribute("dashboardTitle", dashboard.title());
    model.addAttribute("dashboard", dashboard.json());
    return "console/reports/reports";
  }

  private void report(String reportId, Model model) {
    try {
      StoredReport r = strs.get(Params.identifier(reportId, "report_id"));
      List<ReportProblem> problems = strs.validate(r);
      model.addAttribute("report", r.json());
      model.addAttribute("problems", problems.stream().map(ReportProblem::json).toList());
      model.addAttribute("filed", r.filed());
    } catch (ApiException e) {
      model.addAttribute("reportError", e.getMessage());
    }
  }
}
