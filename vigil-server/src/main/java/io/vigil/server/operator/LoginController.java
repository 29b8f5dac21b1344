package io.vigil.server.operator;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator sign-in, step by step: password, then (first time) a new password and a TOTP enrolment,
 * else a TOTP or recovery code; only then is the session signed in. Also step-up, the session's
 * state and sign-out. docs/security.md describes the flow.
 */
@RestController
public class LoginController {
  private static final int PASSWORD_CHARS_MAX = 256;
  private static final int CODE_CHARS_MAX = 64;
  private final OperatorService operators;
  private final OperatorSessions sessions;

  public LoginController(OperatorService operators, OperatorSessions sessions) {
    this.operators = operators;
    this.sessions = sessions;
  }

  @PostMapping("/v1/auth/login")
  public Map<String, Object> login(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("username", "password"));
    String username = Params.string(body, "username", true, 64);
    String password = Params.string(body, "password", true, PASSWORD_CHARS_MAX);
    Operator o = operators.checkPassword(username, password);
    sessions.startPending(request, o.username());
    return Map.of("status", OperatorService.next(o).code());
  }

  @PostMapping("/v1/auth/login/totp")
  public Map<String, Object> totp(HttpServletRequest request, HttpServletResponse response) {
    String code = code(request);
    Operator o = at(request, OperatorService.Next.TOTP_REQUIRED);
    operators.verifyCode(o.username(), code);
    return sessions.signIn(request, response, operators.signedIn(o.username()));
  }

  @PostMapping("/v1/auth/login/recovery-code")
  public Map<String, Object> recoveryCode(HttpServletRequest request, HttpServletResponse response) {
    String code = code(request);
    Operator o = at(request, OperatorService.Next.TOTP_REQUIRED);
    long left = operators.useRecoveryCode(o.username(), code);
    Map<String, Object> m = new LinkedHashMap<>(sessions.signIn(request, response, operators.signedIn(o.username())));
    m.put("recovery_codes_left", left);
    return m;
  }

  /** The first sign-in's password change, or a signed-in operator changing theirs. */
  @PostMapping("/v1/auth/password")
  public Map<String, Object> password(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("current_password", "new_password"));
    String current = Params.string(body, "current_password", true, PASSWORD_CHARS_MAX);
    String proposed = Params.string(body, "new_password", true, PASSWORD_CHARS_MAX);
    Optional<VigilPrincipal> signedIn = Principals.find(request).filter(VigilPrincipal::isOperator);
    if (signedIn.isPresent()) {
      operators.changePassword(signedIn.get().id(), current, proposed);
      return Map.of("status", "password_changed");
    }
    Operator o = at(request, OperatorService.Next.PASSWORD_CHANGE_REQUIRED);
    return Map.of("status", OperatorService.next(operators.changePassword(o.username(), current, proposed)).code());
  }

  @PostMapping("/v1/auth/totp/enrolment")
  public Map<String, Object> enrolment(HttpServletRequest request) {
    Params.object(Bodies.read(request), Set.of());
    Operator o = at(request, OperatorService.Next.TOTP_ENROLMENT_REQUIRED);
    Totp.Enrolment e = operators.startEnrolment(o.username());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", OperatorService.Next.TOTP_ENROLMENT_REQUIRED.code());
    m.put("otpauth_uri", e.uri());
    m.put("qr_code_png_base64", e.qrPngBase64());
    return m;
  }

  @PostMapping("/v1/auth/totp/enrolment/confirm")
  public Map<String, Object> confirm(HttpServletRequest request, HttpServletResponse response) {
    String code = code(request);
    Operator o = at(request, OperatorService.Next.TOTP_ENROLMENT_REQUIRED);
    List<String> recovery = operators.confirmEnrolment(o.username(), code);
    Map<String, Object> m = new LinkedHashMap<>(sessions.signIn(request, response, operators.signedIn(o.username())));
    m.put("recovery_codes", recovery);
    return m;
  }

  @PostMapping("/v1/auth/step-up")
  public Map<String, Object> stepUp(HttpServletRequest request, HttpServletResponse response) {
    String code = code(request);
    VigilPrincipal principal = operatorPrincipal(request);
    operators.verifyCode(principal.id(), code);
    VigilPrincipal after = sessions.stepUp(request, response, principal);
    return sessions.describe(request, after, operators.get(after.id()));
  }

  @GetMapping("/v1/auth/session")
  public Map<String, Object> session(HttpServletRequest request) {
    VigilPrincipal principal = operatorPrincipal(request);
    return sessions.describe(request, principal, operators.get(principal.id()));
  }

  @PostMapping("/v1/auth/logout")
  public Map<String, Object> logout(HttpServletRequest request, HttpServletResponse response) {
    operatorPrincipal(request);
    sessions.signOut(request, response);
    return Map.of("status", "signed_out");
  }

  private static VigilPrincipal operatorPrincipal(HttpServletRequest request) {
    VigilPrincipal p = Principals.current(request);
    if (!p.isOperator()) {
      throw ApiException.forbidden("operator_required", "Only a signed-in operator has a session", null);
    }
    return p;
  }

  /** The account of the sign-in in progress, which must be at this step. */
  private Operator at(HttpServletRequest request, OperatorService.Next step) {
    PendingLogin pending = sessions.pending(request);
    Operator o = operators.get(pending.username());
    OperatorService.Next next = OperatorService.next(o);
    if (next != step) throw OperatorErrors.wrongStep(next.code());
    return o;
  }

  private static String code(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("code"));
    return Params.string(body, "code", true, CODE_CHARS_MAX).strip();
  }
}
