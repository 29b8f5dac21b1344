package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.operator.ClockTimeProvider;
import io.vigil.server.operator.FirstAdministrator;
import io.vigil.server.operator.Totp;
import io.vigil.server.security.Role;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Exchange;
import io.vigil.server.support.TestOperators.Signed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Operator sign-in and administration over HTTP on a server of its own: the first administrator's
 * first sign-in from the one-time password file, password policy, TOTP enrolment and codes,
 * recovery codes, lockout, CSRF, step-up, session expiry on the test clock, and role changes under
 * the two-person rule.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-operators-");
  private static final Totp TOTP = new Totp(new ClockTimeProvider(TestClock.INSTANCE), "Vigil");
  private static final String ADMIN_PASSWORD = "Adm1n!" + Long.toString(System.nanoTime(), 36) + "Qz";
  /** The first administrator once signed in (test 1), for the tests after it. */
  private static String adminCookie;
  private static String adminCsrf;
  private static String adminSeed;
  private static long adminLastStep;

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }

  private static String secret(String uri) {
    for (String part : URI.create(uri).getRawQuery().split("&")) {
      if (part.startsWith("secret=")) return part.substring("secret=".length());
    }
    throw new AssertionError(uri);
  }

  private static String adminCode() {
    long step = Math.max(adminLastStep + 1, TOTP.currentStep() - 1);
    adminLastStep = step;
    return TOTP.codeAt(adminSeed, step);
  }

  private static Map<String, Object> error(Exchange r) {
    @SuppressWarnings("unchecked")
    Map<String, Object> e = (Map<String, Object>) r.json().get("error");
    return e;
  }

  private static void assertError(Exchange r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    assertEquals(code, error(r).get("code"), r.body());
  }

  private String[] admin() {
    return new String[] {"Cookie", adminCookie, "X-CSRF-Token", adminCsrf};
  }

  @Test
  @Order(1)
  void theFirstAdministratorSignsInWithTheOneTimePasswordChangesItAndEnrols() throws IOException {
    Path file = DATA_DIR.resolve(FirstAdministrator.PASSWORD_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String oneTime = Files.readString(file).strip();

    Exchange login = TestOperators.post(base, "/v1/auth/login", Map.of("username", "admin", "password", oneTime));
    assertEquals(200, login.status(), login.body());
    assertEquals("password_change_required", login.json().get("status"));
    String pending = login.cookie();
    assertNotNull(pending);
    assertError(TestOperators.get(base, "/v1/operators", "Cookie", pending), 401, "authentication_required");
    assertError(TestOperators.post(base, "/v1/auth/login/totp", Map.of("code", "123456"), "Cookie", pending), 409,
        "login_step_invalid");

    Exchange weak = TestOperators.post(base, "/v1/auth/password", Map.of("current_password", oneTime, "new_password", "Password1!"),
        "Cookie", pending);
    assertError(weak, 400, "password_too_weak");
    assertTrue(((String) error(weak).get("message")).contains("common_password"), weak.body());
    Exchange shortOne = TestOperators.post(base, "/v1/auth/password", Map.of("current_password", oneTime, "new_password", "aB3$x"),
        "Cookie", pending);
    assertError(shortOne, 400, "password_too_weak");
    assertTrue(((String) error(shortOne).get("message")).contains("too_short"), shortOne.body());

    Exchange changed = TestOperators.post(base, "/v1/auth/password",
        Map.of("current_password", oneTime, "new_password", ADMIN_PASSWORD), "Cookie", pending);
    assertEquals("totp_enrolment_required", changed.json().get("status"), changed.body());
    Exchange enrolment = TestOperators.post(base, "/v1/auth/totp/enrolment", Map.of(), "Cookie", pending);
    assertEquals(200, enrolment.status(), enrolment.body());
    String uri = (String) enrolment.json().get("otpauth_uri");
    assertTrue(uri.startsWith("otpauth://totp/"), uri);
    byte[] png = Base64.getDecoder().decode((String) enrolment.json().get("qr_code_png_base64"));
    assertEquals("PNG", new String(png, 1, 3));
    adminSeed = secret(uri);

    assertError(TestOperators.post(base, "/v1/auth/totp/enrolment/confirm", Map.of("code", "000000"), "Cookie", pending), 401,
        "totp_invalid");
    Exchange confirmed = TestOperators.post(base, "/v1/auth/totp/enrolment/confirm", Map.of("code", adminCode()), "Cookie", pending);
    assertEquals(200, confirmed.status(), confirmed.body());
    Map<String, Object> session = confirmed.json();
    assertEquals("signed_in", session.get("status"));
    assertEquals("admin", session.get("operator"));
    assertEquals(List.of("administrator"), session.get("roles"));
    assertTrue(((List<?>) session.get("permissions")).contains("operators.manage"));
    assertEquals(10, ((List<?>) session.get("recovery_codes")).size());
    adminCookie = confirmed.cookie();
    adminCsrf = (String) session.get("csrf_token");
    assertNotNull(adminCsrf);
    assertNotEquals(pending, adminCookie, "a new session id at sign-in");
    assertError(TestOperators.get(base, "/v1/auth/session", "Cookie", pending), 401, "authentication_required");

    Exchange now = TestOperators.get(base, "/v1/auth/session", "Cookie", adminCookie);
    assertEquals(200, now.status(), now.body());
    assertEquals(adminCsrf, now.json().get("csrf_token"));
    assertNull(now.json().get("step_up_until"));
    assertError(TestOperators.post(base, "/v1/auth/login", Map.of("username", "admin", "password", oneTime)), 401, "login_failed");
  }

  @Test
  @Order(2)
  void changesNeedTheSessionsCsrfToken() {
    Map<String, Object> body = Map.of("username", "csrf.probe", "display_name", "Probe");
    assertError(TestOperators.post(base, "/v1/operators", body, "Cookie", adminCookie), 403, "csrf_invalid");
    assertError(TestOperators.post(base, "/v1/operators", body, "Cookie", adminCookie, "X-CSRF-Token", "not-the-token"), 403,
        "csrf_invalid");
    assertEquals(404, TestOperators.get(base, "/v1/operators/csrf.probe", "Cookie", adminCookie).status(), "nothing was created");
    Exchange created = TestOperators.post(base, "/v1/operators", body, admin());
    assertEquals(200, created.status(), created.body());
    assertNotNull(created.json().get("one_time_password"));
    assertEquals(true, created.json().get("must_change_password"));
  }

  @Test
  @Order(3)
  void roleChangesNeedAStepUpAndASecondAdministrator() {
    Exchange created = TestOperators.post(base, "/v1/operators",
        Map.of("username", "second.admin", "display_name", "Second", "roles", List.of("administrator")), admin());
    assertEquals(200, created.status(), created.body());
    @SuppressWarnings("unchecked")
    String changeId = (String) ((Map<String, Object>) created.json().get("role_change")).get("id");
    assertEquals(List.of(), TestOperators.get(base, "/v1/operators/second.admin", "Cookie", adminCookie).json().get("roles"),
        "roles wait for the approval");
    Exchange pending = TestOperators.get(base, "/v1/role-changes?status=pending", "Cookie", adminCookie);
    assertTrue(pending.body().contains(changeId), pending.body());

    assertError(TestOperators.post(base, "/v1/role-changes/" + changeId + "/approve", Map.of(), admin()), 403, "step_up_required");
    Exchange stepped = TestOperators.post(base, "/v1/auth/step-up", Map.of("code", adminCode()), admin());
    assertEquals(200, stepped.status(), stepped.body());
    assertNotNull(stepped.json().get("step_up_until"));
    Exchange sole = TestOperators.post(base, "/v1/role-changes/" + changeId + "/approve", Map.of(), admin());
    assertEquals(200, sole.status(), sole.body());
    assertEquals(true, sole.json().get("sole_administrator"), "the only administrator approved their own proposal, flagged");

    // Now there are two administrators: a proposer may no longer approve their own proposal.
    Exchange approverCreated = TestOperators.post(base, "/v1/operators",
        Map.of("username", "ops.approver", "display_name", "Approver", "roles", List.of("approver")), admin());
    @SuppressWarnings("unchecked")
    String second = (String) ((Map<String, Object>) approverCreated.json().get("role_change")).get("id");
    assertError(TestOperators.post(base, "/v1/role-changes/" + second + "/approve", Map.of(), admin()), 403, "self_approval");

    Signed other = TestOperators.signInSteppedUp(base, "third.admin", Set.of(Role.ADMINISTRATOR));
    Exchange approved = TestOperators.post(base, "/v1/role-changes/" + second + "/approve", Map.of(), other.headers());
    assertEquals(200, approved.status(), approved.body());
    assertEquals(false, approved.json().get("sole_administrator"));
    assertEquals(List.of("approver"), TestOperators.get(base, "/v1/operators/ops.approver", "Cookie", adminCookie).json().get("roles"));

    Exchange self = TestOperators.post(base, "/v1/operators/third.admin/role-changes",
        Map.of("roles", List.of("administrator", "supervisor"), "reason", "more"), admin());
    String selfId = (String) self.json().get("id");
    assertError(TestOperators.post(base, "/v1/role-changes/" + selfId + "/approve", Map.of(), other.headers()), 403, "self_approval");

    TestClock.advance(Duration.ofMinutes(20));
    assertError(TestOperators.post(base, "/v1/role-changes/" + selfId + "/approve", Map.of(), admin()), 403, "step_up_required");
  }

  @Test
  @Order(4)
  void wrongPasswordsLockTheAccountAndUnknownUsersLookTheSame() {
    Signed victim = TestOperators.signIn(base, "ops.victim", Set.of(Role.VIEWER));
    long unknownNanos = 0;
    long wrongNanos = 0;
    for (int i = 0; i < 4; i++) {
      long t0 = System.nanoTime();
      assertError(TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.nobody" + i, "password", "Wr0ng!pass")), 401,
          "login_failed");
      long t1 = System.nanoTime();
      assertError(TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.victim", "password", "Wr0ng!pass" + i)), 401,
          "login_failed");
      long t2 = System.nanoTime();
      unknownNanos += t1 - t0;
      wrongNanos += t2 - t1;
    }
    double ratio = (double) unknownNanos / wrongNanos;
    assertTrue(ratio > 0.4 && ratio < 2.5, "an unknown user and a wrong password take about as long: " + ratio);
    assertError(TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.victim", "password", "Wr0ng!pass")), 401,
        "account_locked");
    assertError(TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.victim", "password", victim.password())), 401,
        "account_locked");
    Exchange shown = TestOperators.get(base, "/v1/operators/ops.victim", "Cookie", adminCookie);
    assertEquals("locked", shown.json().get("status"), shown.body());

    assertEquals(200, TestOperators.post(base, "/v1/operators/ops.victim/unlock", Map.of(), admin()).status());
    Exchange again = TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.victim", "password", victim.password()));
    assertEquals("totp_required", again.json().get("status"), again.body());
    String cookie = again.cookie();
    String code = victim.nextCode();
    Exchange in = TestOperators.post(base, "/v1/auth/login/totp", Map.of("code", code), "Cookie", cookie);
    assertEquals(200, in.status(), in.body());

    Exchange reuse = TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.victim", "password", victim.password()));
    assertError(TestOperators.post(base, "/v1/auth/login/totp", Map.of("code", code), "Cookie", reuse.cookie()), 401, "totp_invalid");
  }

  @Test
  @Order(5)
  void aRecoveryCodeSignsInOnce() {
    Exchange created = TestOperators.post(base, "/v1/operators", Map.of("username", "ops.phoneless", "display_name", "P"), admin());
    String oneTime = (String) created.json().get("one_time_password");
    String cookie = TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.phoneless", "password", oneTime)).cookie();
    String password = "Rc7!" + Long.toString(System.nanoTime(), 36) + "Zq";
    TestOperators.post(base, "/v1/auth/password", Map.of("current_password", oneTime, "new_password", password), "Cookie", cookie);
    String seed = secret((String) TestOperators.post(base, "/v1/auth/totp/enrolment", Map.of(), "Cookie", cookie).json().get("otpauth_uri"));
    Exchange confirmed = TestOperators.post(base, "/v1/auth/totp/enrolment/confirm",
        Map.of("code", TOTP.codeAt(seed, TOTP.currentStep())), "Cookie", cookie);
    @SuppressWarnings("unchecked")
    String recovery = ((List<String>) confirmed.json().get("recovery_codes")).get(0);

    for (int attempt = 0; attempt < 2; attempt++) {
      String c = TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.phoneless", "password", password)).cookie();
      Exchange r = TestOperators.post(base, "/v1/auth/login/recovery-code", Map.of("code", recovery), "Cookie", c);
      if (attempt == 0) {
        assertEquals(200, r.status(), r.body());
        assertEquals(9, ((Number) r.json().get("recovery_codes_left")).intValue());
      } else {
        assertError(r, 401, "totp_invalid");
      }
    }
    Exchange coverage = TestOperators.get(base, "/v1/operators/mfa-coverage", "Cookie", adminCookie);
    assertEquals(200, coverage.status(), coverage.body());
    long total = ((Number) coverage.json().get("operators")).longValue();
    long withMfa = ((Number) coverage.json().get("with_mfa")).longValue();
    assertTrue(withMfa >= 4 && withMfa < total, coverage.body());
  }

  @Test
  @Order(6)
  void sessionsEndWhenIdleAndAfterTheAbsoluteTimeout() {
    Signed idle = TestOperators.signIn(base, "ops.idle", Set.of(Role.VIEWER));
    TestClock.advance(Duration.ofMinutes(29));
    assertEquals(200, TestOperators.get(base, "/v1/auth/session", "Cookie", idle.session().cookie()).status());
    TestClock.advance(Duration.ofMinutes(31));
    assertError(TestOperators.get(base, "/v1/auth/session", "Cookie", idle.session().cookie()), 401, "session_expired");

    Signed busy = TestOperators.signIn(base, "ops.busy", Set.of(Role.VIEWER));
    int requests = 0;
    for (int i = 0; i < 28; i++) { // 28 × 25 min = 11 h 40 min, active all the time
      TestClock.advance(Duration.ofMinutes(25));
      assertEquals(200, TestOperators.get(base, "/v1/auth/session", "Cookie", busy.session().cookie()).status(), "request " + i);
      requests++;
    }
    TestClock.advance(Duration.ofMinutes(25));
    assertError(TestOperators.get(base, "/v1/auth/session", "Cookie", busy.session().cookie()), 401, "session_expired");
    assertEquals(28, requests);
    // The administrator's session of the first test ended long ago as well.
    assertError(TestOperators.get(base, "/v1/auth/session", "Cookie", adminCookie), 401, "session_expired");
  }

  @Test
  @Order(7)
  void logoutEndsTheSessionAndDisablingEndsAnOperatorsSessions() {
    Signed out = TestOperators.signIn(base, "ops.leaving", Set.of(Role.VIEWER));
    assertEquals(200, TestOperators.post(base, "/v1/auth/logout", Map.of(), out.headers()).status());
    assertFalse(TestOperators.get(base, "/v1/auth/session", "Cookie", out.session().cookie()).status() == 200);

    Signed admin = TestOperators.signInSteppedUp(base, "fourth.admin", Set.of(Role.ADMINISTRATOR));
    Signed disabled = TestOperators.signIn(base, "ops.disabled", Set.of(Role.VIEWER));
    assertEquals(200, TestOperators.post(base, "/v1/operators/ops.disabled/disable", Map.of(), admin.headers()).status());
    assertError(TestOperators.get(base, "/v1/auth/session", "Cookie", disabled.session().cookie()), 401, "session_expired");
    assertError(TestOperators.post(base, "/v1/auth/login", Map.of("username", "ops.disabled", "password", disabled.password())), 401,
        "login_failed");
  }
}
