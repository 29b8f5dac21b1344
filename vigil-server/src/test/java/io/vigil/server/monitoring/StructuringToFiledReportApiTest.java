package io.vigil.server.monitoring;

import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.monitoring.MonitoringTestSupport.decisionIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.reports.ReportRegister;
import io.vigil.server.reports.ReportSigner;
import io.vigil.server.reports.StrService;
import io.vigil.server.reports.XmlDocs;
import io.vigil.server.security.Role;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Exchange;
import io.vigil.server.support.TestOperators.Signed;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Monitoring to the regulator, every step real: structuring injected through {@code POST /v1/decisions}
 * (three transfers just under the reporting threshold within three days) becomes a monitoring alert
 * with its evidence, the alert opens a case holding those transfers, and a compliance officer prepares
 * the goAML suspicious transaction report from the case, validates it (Vigil's checks and the FIU's
 * XSD), and files it: the file is signed and its digest stands in the hash-chained register.
 */
class StructuringToFiledReportApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-structuring-str-");

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
    registry.add("vigil.monitoring.poll-millis", () -> "100");
    registry.add("vigil.reports.schedule.enabled", () -> "false");
    registry.add("vigil.reports.goaml.currency-code-local", () -> "USD");
    registry.add("vigil.reports.goaml.xsd-path", StructuringToFiledReportApiTest::testXsd);
  }

  private static String testXsd() {
    try {
      return Path.of(StructuringToFiledReportApiTest.class.getResource("/reports/goaml-test.xsd").toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Autowired
  StrService strs;

  @Test
  void structuringBecomesAnAlertACaseAndASignedRegisteredReport() {
    MonitoringTestSupport mon = new MonitoringTestSupport(api);
    String account = id("acct");
    String first = mon.transfer(account, id("cp"), 980_000);
    TestClock.advance(Duration.ofDays(1));
    String second = mon.transfer(account, id("cp"), 965_000);
    TestClock.advance(Duration.ofDays(1));
    String third = mon.transfer(account, id("cp"), 990_000);

    Map<String, Object> alert = mon.alert(third, "structuring", account);
    assertTrue(decisionIds(alert).containsAll(List.of(first, second, third)), alert.toString());
    String caseId = (String) alert.get("case_id");
    Map<String, Object> kase = api.get("/v1/cases/" + caseId).json();
    assertEquals("alert", kase.get("origin"), kase.toString());

    Signed officer = TestOperators.signInSteppedUp(base, TestOperators.newUsername("co"), Set.of(Role.COMPLIANCE_OFFICER));
    Exchange prepared = TestOperators.post(base, "/v1/reports/str", Map.of("case_id", caseId), officer.headers());
    assertEquals(201, prepared.status(), prepared.body());
    assertEquals(3, ((Number) prepared.json().get("transactions")).intValue(), "the three structured transfers");
    assertEquals(List.of(), prepared.json().get("problems"), prepared.body());
    String reportId = (String) prepared.json().get("report_id");

    Exchange validation = TestOperators.post(base, "/v1/reports/str/" + reportId + "/validate", Map.of(), officer.headers());
    assertEquals(true, validation.json().get("valid"), validation.body());
    assertEquals(true, validation.json().get("xsd_checked"), "checked against the FIU's schema too");

    Exchange filed = TestOperators.post(base, "/v1/reports/str/" + reportId + "/file", Map.of(), officer.headers());
    assertEquals(200, filed.status(), filed.body());
    Map<String, Object> entry = ApiTestSupport.map(filed.json().get("register_entry"));
    assertEquals(caseId, entry.get("case_id"));

    Exchange xml = TestOperators.get(base, "/v1/reports/str/" + reportId + "/xml", officer.headers());
    assertEquals(entry.get("digest"), ReportRegister.sha256(xml.body().getBytes(StandardCharsets.UTF_8)));
    assertTrue(ReportSigner.verify(XmlDocs.parse(xml.body()), strs.signer().publicKey()), "the filed file is signed");
    for (String decisionId : List.of(first, second, third)) {
      assertTrue(xml.body().contains(decisionId), "the report lists transaction " + decisionId);
    }
    Exchange verify = TestOperators.get(base, "/v1/reports/register/verify", officer.headers());
    assertEquals(true, verify.json().get("intact"), verify.body());
  }
}
