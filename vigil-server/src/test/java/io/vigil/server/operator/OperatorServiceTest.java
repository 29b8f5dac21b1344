package io.vigil.server.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.api.ApiException;
import io.vigil.server.security.Role;
import io.vigil.server.support.MutableClock;
import io.vigil.server.support.TestDatabases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Operator accounts against the real stores: sign-in factors, lockout, TOTP, recovery codes, role changes. */
class OperatorServiceTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T14:00:00Z"));
  private HikariDataSource ds;
  private OperatorService service;
  private RoleChangeService roleChanges;
  private Totp totp;

  static Stream<TestDatabases.Store> stores() {
    return Stream.of(TestDatabases.h2(), TestDatabases.postgres());
  }

  private void open(TestDatabases.Store store) {
    ds = store.open();
    totp = new Totp(new ClockTimeProvider(clock), "Vigil");
    OperatorProperties.Password password = new OperatorProperties.Password(8, true, true, true, true, 4);
    service = new OperatorService(new OperatorRepository(ds), new RecoveryCodes(ds),
        new PasswordPolicy(password, CommonPasswords.bundled()), password.bcryptCost(),
        new LockoutPolicy(new OperatorProperties.Lockout(5, 900, 900, 3)), totp, TestSeedBox.INSTANCE, clock);
    roleChanges = new RoleChangeService(new RoleChangeRepository(ds), service, clock);
  }

  @AfterEach
  void close() {
    if (ds != null) ds.close();
  }

  private static String code(ApiException e) {
    return e.code();
  }

  private String seedOf(Totp.Enrolment e) {
    String query = URI.create(e.uri()).getRawQuery();
    for (String part : query.split("&")) {
      if (part.startsWith("secret=")) return part.substring("secret=".length());
    }
    throw new AssertionError("no secret in the enrolment URI");
  }

  /** A signed-up operator with a changed password and a confirmed second factor; its seed. */
  private String enrolled(String username, String password) {
    OperatorService.Created created = service.create(username, "Test " + username, Set.of(Role.VIEWER));
    service.changePassword(username, created.oneTimePassword(), password);
    Totp.Enrolment e = service.startEnrolment(username);
    String seed = seedOf(e);
    service.confirmEnrolment(username, totp.codeAt(seed, totp.currentStep()));
    clock.advance(Duration.ofSeconds(30));
    return seed;
  }

  @ParameterizedTest
  @MethodSource("stores")
  void firstSignInGoesThroughPasswordChangeAndEnrolment(TestDatabases.Store store) {
    open(store);
    OperatorService.Created created = service.create("alice", "Alice", Set.of(Role.APPROVER));
    Operator o = service.checkPassword("alice", created.oneTimePassword());
    assertEquals(OperatorService.Next.PASSWORD_CHANGE_REQUIRED, OperatorService.next(o));
    ApiException weak = assertThrows(ApiException.class, () -> service.changePassword("alice", created.oneTimePassword(), "Password1!"));
    assertEquals("password_too_weak", weak.code());
    assertTrue(weak.getMessage().contains("common_password"), weak.getMessage());
    o = service.changePassword("alice", created.oneTimePassword(), "Vx7#qpLm2!zR");
    assertEquals(OperatorService.Next.TOTP_ENROLMENT_REQUIRED, OperatorService.next(o));
    assertEquals("login_failed", code(assertThrows(ApiException.class, () -> service.checkPassword("alice", created.oneTimePassword()))));

    Totp.Enrolment e = service.startEnrolment("alice");
    assertTrue(e.uri().startsWith("otpauth://totp/"), e.uri());
    byte[] png = Base64.getDecoder().decode(e.qrPngBase64());
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
    String seed = seedOf(e);
    assertEquals("totp_invalid", code(assertThrows(ApiException.class, () -> service.confirmEnrolment("alice", "000000x"))));
    List<String> recovery = service.confirmEnrolment("alice", totp.codeAt(seed, totp.currentStep()));
    assertEquals(RecoveryCodes.CODES, new HashSet<>(recovery).size());
    assertEquals(OperatorService.Next.TOTP_REQUIRED, OperatorService.next(service.get("alice")));
    assertNotEquals(seed, service.get("alice").totpSeedSealed(), "the seed is stored sealed");
    assertEquals(new OperatorService.MfaCoverage(1, 1), service.mfaCoverage());
  }

  @ParameterizedTest
  @MethodSource("stores")
  void totpCodesAreCheckedForTimeAndReuse(TestDatabases.Store store) {
    open(store);
    String seed = enrolled("bob", "Vx7#qpLm2!zR");
    long step = totp.currentStep();
    service.verifyCode("bob", totp.codeAt(seed, step));
    assertEquals("totp_invalid", code(assertThrows(ApiException.class, () -> service.verifyCode("bob", totp.codeAt(seed, step)))),
        "a code is used once");
    assertEquals("totp_invalid", code(assertThrows(ApiException.class, () -> service.verifyCode("bob", totp.codeAt(seed, step - 1)))),
        "an earlier step than the last one accepted is refused");
    clock.advance(Duration.ofSeconds(30));
    service.verifyCode("bob", totp.codeAt(seed, totp.currentStep() + 1));
    clock.advance(Duration.ofSeconds(120));
    long late = totp.currentStep() - 2;
    assertEquals("totp_invalid", code(assertThrows(ApiException.class, () -> service.verifyCode("bob", totp.codeAt(seed, late)))),
        "two steps old is out of the window");
    assertEquals("totp_invalid", code(assertThrows(ApiException.class, () -> service.verifyCode("bob", "12345"))));
  }

  @ParameterizedTest
  @MethodSource("stores")
  void recoveryCodesWorkOnce(TestDatabases.Store store) {
    open(store);
    OperatorService.Created created = service.create("carol", "Carol", Set.of());
    service.changePassword("carol", created.oneTimePassword(), "Vx7#qpLm2!zR");
    String seed = seedOf(service.startEnrolment("carol"));
    List<String> codes = service.confirmEnrolment("carol", totp.codeAt(seed, totp.currentStep()));
    assertEquals(9, service.useRecoveryCode("carol", codes.get(3).toUpperCase().replace("-", " ")));
    assertEquals("totp_invalid", code(assertThrows(ApiException.class, () -> service.useRecoveryCode("carol", codes.get(3)))));
    assertEquals(8, service.useRecoveryCode("carol", codes.get(0)));
  }

  @ParameterizedTest
  @MethodSource("stores")
  void lockoutIsTemporaryThenPermanentAndHidesNothingFromAnUnlockedProbe(TestDatabases.Store store) {
    open(store);
    enrolled("dave", "Vx7#qpLm2!zR");
    assertEquals("login_failed", code(assertThrows(ApiException.class, () -> service.checkPassword("nobody", "Vx7#qpLm2!zR"))));
    for (int lock = 1; lock <= 3; lock++) {
      for (int i = 1; i < 5; i++) {
        assertEquals("login_failed", code(assertThrows(ApiException.class, () -> service.checkPassword("dave", "Wrong#Pass1"))));
      }
      assertEquals("account_locked", code(assertThrows(ApiException.class, () -> service.checkPassword("dave", "Wrong#Pass1"))));
      assertEquals("account_locked", code(assertThrows(ApiException.class, () -> service.checkPassword("dave", "Vx7#qpLm2!zR"))),
          "the right password does not open a locked account");
      clock.advance(Duration.ofMinutes(16));
      if (lock < 3) service.checkPassword("dave", "Vx7#qpLm2!zR");
    }
    assertTrue(service.get("dave").permanentlyLocked());
    assertEquals("account_locked", code(assertThrows(ApiException.class, () -> service.checkPassword("dave", "Vx7#qpLm2!zR"))));
    service.unlock("dave");
    assertFalse(service.get("dave").lockedAt(clock.millis()));
    service.checkPassword("dave", "Vx7#qpLm2!zR");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void wrongSecondFactorCodesCountTowardsTheLock(TestDatabases.Store store) {
    open(store);
    enrolled("erin", "Vx7#qpLm2!zR");
    for (int i = 1; i < 5; i++) {
      assertEquals("totp_invalid", code(assertThrows(ApiException.class, () -> service.verifyCode("erin", "000000"))));
    }
    assertEquals("account_locked", code(assertThrows(ApiException.class, () -> service.verifyCode("erin", "000000"))));
  }

  @ParameterizedTest
  @MethodSource("stores")
  void roleChangesNeedASecondAdministrator(TestDatabases.Store store) {
    open(store);
    service.create("admin", "Admin", Set.of(Role.ADMINISTRATOR));
    service.create("frank", "Frank", Set.of());
    RoleChange first = roleChanges.propose("frank", Set.of(Role.ADMINISTRATOR), "second administrator", "admin");
    assertEquals("self_approval", code(assertThrows(ApiException.class, () -> roleChanges.approve(first.id(), "frank"))));
    RoleChange sole = roleChanges.approve(first.id(), "admin");
    assertTrue(sole.soleAdministrator(), "the only administrator may approve their own proposal, flagged");
    assertEquals(Set.of(Role.ADMINISTRATOR), service.get("frank").roles());

    service.create("grace", "Grace", Set.of());
    RoleChange second = roleChanges.propose("grace", Set.of(Role.APPROVER), "approvals", "admin");
    ApiException self = assertThrows(ApiException.class, () -> roleChanges.approve(second.id(), "admin"));
    assertEquals("self_approval", self.code());
    assertEquals(403, self.status());
    RoleChange approved = roleChanges.approve(second.id(), "frank");
    assertFalse(approved.soleAdministrator());
    assertEquals(Set.of(Role.APPROVER), service.get("grace").roles());
    assertEquals("role_change_decided", code(assertThrows(ApiException.class, () -> roleChanges.reject(second.id(), "frank"))));

    RoleChange demote = roleChanges.propose("frank", Set.of(Role.VIEWER), "leaves", "admin");
    assertEquals("self_approval", code(assertThrows(ApiException.class, () -> roleChanges.approve(demote.id(), "frank"))));
    roleChanges.disable("frank");
    assertEquals("last_administrator", code(assertThrows(ApiException.class, () -> roleChanges.disable("admin"))));
    assertEquals(List.of(), roleChanges.list(RoleChange.PENDING, 10).stream().filter(c -> !c.id().equals(demote.id())).toList());
  }
}
