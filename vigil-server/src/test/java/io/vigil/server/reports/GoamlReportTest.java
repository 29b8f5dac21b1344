package io.vigil.server.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.TestClock;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * goAML XML from several transactions: it validates against a test XSD that mirrors the goAML
 * structure and against Vigil's own checks; missing or unknown codes, a bad BIC and non-positive
 * amounts are reported; the enveloped signature verifies with the JDK validator and fails after any
 * change; the generated key is kept and reused.
 */
class GoamlReportTest {
  private static final GoamlLookups LOOKUPS = GoamlLookups.load("");
  private static final ReportsProperties.Goaml ENTITY = new ReportsProperties.Goaml("4711", "", "E", "BDT", "", "", "Test Bank PLC",
      "TESTBDDH", "BD", new ReportsProperties.ReportingPerson("Compliance", "Officer", "co@example.test", "Compliance officer"),
      new ReportsProperties.Location("B", "1 Test Road", "Dhaka", "BD"));
  private static XsdCheck xsd;
  private static KeyPair keys;

  @BeforeAll
  static void setUp() throws Exception {
    xsd = XsdCheck.load(Path.of(GoamlReportTest.class.getResource("/reports/goaml-test.xsd").toURI()).toString());
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    keys = g.generateKeyPair();
  }

  private static ReportTransaction tx(String id, String type, long amountMinor, String currency, String bic, String country) {
    long at = TestClock.now().toEpochMilli() - 86_400_000L;
    return new ReportTransaction("dec_" + id, "evt_" + id, type, at, "acct_alpha", "BD", amountMinor, currency, "REVIEW", "cp_" + id,
        "Beneficiary " + id, "ben_acct_" + id, bic, country, null);
  }

  private static StrContent content(String reportCode, List<StrContent.Item> items) {
    return new StrContent(reportCode, "rpt_test", TestClock.now().toEpochMilli(), "Structured transfers to a new beneficiary",
        "Account restricted", items, List.of("TXN-STRUCT"));
  }

  private static List<StrContent.Item> threeTransactions() {
    return List.of(new StrContent.Item(tx("a", "transfer", 120_000, "BDT", "DBBLBDDH", "BD"), 120_000),
        new StrContent.Item(tx("b", "transfer", 5_000, "USD", "CHASUS33XXX", "US"), 610_000),
        new StrContent.Item(tx("c", "withdrawal", 80_000, "BDT", null, null), 80_000));
  }

  @Test
  void reportFromSeveralTransactionsValidatesAgainstTheSchemaAndTheChecks() {
    Document doc = new GoamlWriter(ENTITY, LOOKUPS).write(content("STR", threeTransactions()));
    assertEquals(List.of(), xsd.check(doc));
    assertEquals(List.of(), new GoamlCheck(LOOKUPS).check(doc, TestClock.now().toEpochMilli()));
    Element report = doc.getDocumentElement();
    assertEquals(3, GoamlCheck.children(report, "transaction").size());
    Element second = GoamlCheck.children(report, "transaction").get(1);
    assertEquals("6100.00", GoamlCheck.child(second, "amount_local").getTextContent());
    assertEquals("BT", GoamlCheck.child(second, "transmode_code").getTextContent());
    Element from = GoamlCheck.child(second, "t_from_my_client");
    assertEquals("USD", GoamlCheck.child(GoamlCheck.child(from, "from_foreign_currency"), "foreign_currency_code").getTextContent());
    assertEquals("CHASUS33XXX", GoamlCheck.child(GoamlCheck.child(GoamlCheck.child(second, "t_to"), "to_account"), "swift").getTextContent());
    assertEquals("US", GoamlCheck.child(GoamlCheck.child(second, "t_to"), "to_country").getTextContent());
    assertEquals("CASH", GoamlCheck.child(GoamlCheck.children(report, "transaction").get(2), "transmode_code").getTextContent());
  }

  @Test
  void unknownCodesBadBicAndMissingAmountsAreListed() {
    List<StrContent.Item> items = List.of(new StrContent.Item(tx("a", "transfer", 120_000, "BDT", "DB1LBDDH", "BD"), 120_000),
        new StrContent.Item(tx("b", "transfer", 5_000, "ISK", "DBBLBDDH", "BD"), -1));
    Document doc = new GoamlWriter(ENTITY, LOOKUPS).write(content("ZZZ", items));
    List<ReportProblem> problems = new GoamlCheck(LOOKUPS).check(doc, TestClock.now().toEpochMilli());
    List<String> codes = problems.stream().map(ReportProblem::code).toList();
    assertTrue(codes.contains("unknown_code"), problems::toString);
    assertTrue(codes.contains("invalid_bic"), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.path().equals("report/transaction[2]/amount_local")), problems::toString);
    assertFalse(xsd.check(doc).isEmpty(), "the schema refuses a transaction without amount_local too");
  }

  @Test
  void aReportWithoutTransactionsOrIndicatorsIsRefused() {
    Document doc = new GoamlWriter(ENTITY, LOOKUPS).write(new StrContent("STR", "rpt_x", TestClock.now().toEpochMilli(), "r", "a",
        List.of(), List.of()));
    List<String> codes = new GoamlCheck(LOOKUPS).check(doc, TestClock.now().toEpochMilli()).stream().map(ReportProblem::code).toList();
    assertTrue(codes.contains("report_without_transactions"), codes::toString);
    assertTrue(codes.contains("missing_element"), codes::toString);
  }

  @Test
  void aFutureDateIsRefused() {
    ReportTransaction t = tx("f", "transfer", 1_000, "BDT", "DBBLBDDH", "BD");
    ReportTransaction future = new ReportTransaction(t.decisionId(), t.eventId(), t.eventType(), TestClock.now().toEpochMilli() + 86_400_000L,
        t.accountId(), t.accountCountry(), t.amountMinor(), t.currency(), t.action(), t.counterpartyId(), t.beneficiaryName(),
        t.beneficiaryAccount(), t.beneficiaryBic(), t.beneficiaryCountry(), null);
    Document doc = new GoamlWriter(ENTITY, LOOKUPS).write(content("STR", List.of(new StrContent.Item(future, 1_000))));
    List<String> codes = new GoamlCheck(LOOKUPS).check(doc, TestClock.now().toEpochMilli()).stream().map(ReportProblem::code).toList();
    assertEquals(List.of("date_in_future"), codes);
  }

  @Test
  void theSignatureVerifiesAndFailsAfterTampering() throws Exception {
    Document doc = new GoamlWriter(ENTITY, LOOKUPS).write(content("STR", threeTransactions()));
    new ReportSigner(keys).sign(doc);
    String signed = XmlDocs.write(doc, false);
    assertTrue(ReportSigner.verify(XmlDocs.parse(signed), keys.getPublic()));
    assertTrue(signed.contains("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"), "RSA-SHA256");
    assertTrue(signed.contains("http://www.w3.org/2001/04/xmlenc#sha256"), "SHA-256 digest");
    assertEquals(List.of(), new GoamlCheck(LOOKUPS).check(XmlDocs.parse(signed), TestClock.now().toEpochMilli()),
        "the signature does not disturb Vigil's checks");

    String tampered = signed.replace("<amount_local>6100.00</amount_local>", "<amount_local>610.00</amount_local>");
    assertFalse(tampered.equals(signed));
    assertFalse(ReportSigner.verify(XmlDocs.parse(tampered), keys.getPublic()));

    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    assertFalse(ReportSigner.verify(XmlDocs.parse(signed), g.generateKeyPair().getPublic()), "another key does not verify it");
    assertFalse(ReportSigner.verify(XmlDocs.parse(XmlDocs.write(new GoamlWriter(ENTITY, LOOKUPS).write(content("STR", threeTransactions())),
        false)), keys.getPublic()), "an unsigned report does not verify");
  }

  @Test
  void aDoctypeIsRefused() {
    String evil = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><report>&x;</report>";
    try {
      XmlDocs.parse(evil);
      throw new AssertionError("a DOCTYPE must be refused");
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("DOCTYPE"), expected.getMessage());
    }
  }

  @Test
  void theGeneratedKeyIsKeptAndReused(@TempDir Path dataDir) {
    ReportsProperties.Signing none = new ReportsProperties.Signing("", "", "");
    KeyPair first = ReportKeys.load(none, dataDir);
    KeyPair again = ReportKeys.load(none, dataDir);
    assertEquals(first.getPublic(), again.getPublic());
    assertTrue(dataDir.resolve("reports/signing-key.p8").toFile().isFile());
  }

  @Test
  void bicFormat() {
    assertNull(Bic.problem("DBBLBDDH"));
    assertNull(Bic.problem("CHASUS33XXX"));
    assertNull(Bic.problem("DEUTDEFF500"));
    assertNotNull(Bic.problem(null));
    assertNotNull(Bic.problem("DBBLBDD"), "7 characters");
    assertNotNull(Bic.problem("DBBLBDDHX"), "9 characters");
    assertNotNull(Bic.problem("DB1LBDDH"), "a digit in the bank code");
    assertNotNull(Bic.problem("DBBLZZDH"), "ZZ is no ISO country");
    assertNotNull(Bic.problem("DBBLBDd!"), "location characters");
    assertNotNull(Bic.problem("dbblbddh"), "lower case");
  }
}
