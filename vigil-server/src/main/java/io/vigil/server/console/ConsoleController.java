package io.vigil.server.console;

import io.vigil.server.operator.SsoConfiguration;
import io.vigil.server.operator.SsoSignIn;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's own pages: sign-in, the landing redirect, the operator's own page and the page a
 * refused request is shown. Every other screen has a controller in its own package under
 * {@code console}. The console reads through the server's services and changes things through the
 * public API (forms post JSON with the session's CSRF token, see {@code console.js}), so that a
 * change from the console is checked, audited and answered exactly as the same change by API.
 */
@Controller
public class ConsoleController {
  private final boolean ssoEnabled;

  public ConsoleController(ObjectProvider<SsoConfiguration.SsoLogin> sso) {
    this.ssoEnabled = sso.getIfAvailable() != null;
  }

  @GetMapping("/console")
  public String landing(HttpServletRequest request) {
    return "redirect:" + ConsoleNavigation.home(Principals.current(request));
  }

  @GetMapping("/console/sign-in")
  public String signIn(HttpServletRequest request, Model model) {
    Optional<VigilPrincipal> signedIn = Principals.find(request).filter(VigilPrincipal::isOperator);
    if (signedIn.isPresent()) return "redirect:" + ConsoleNavigation.home(signedIn.get());
    model.addAttribute("sso", ssoEnabled);
    return "console/sign-in";
  }

  /** The single sign-on button: marks the session so that the sign-on ends on the console, then starts it. */
  @GetMapping("/console/sign-in/sso")
  public String singleSignOn(HttpServletRequest request) {
    if (!ssoEnabled) return "redirect:" + ConsoleRefusals.SIGN_IN;
    request.getSession(true).setAttribute(SsoSignIn.CONSOLE_ATTRIBUTE, Boolean.TRUE);
    return "redirect:" + SsoConfiguration.AUTHORIZATION_BASE + "/" + SsoConfiguration.REGISTRATION_ID;
  }

  /** The operator's own page: who they are, their roles and permissions, a password change. */
  @GetMapping("/console/account")
  public String account() {
    return "console/account";
  }

  /** Where a console request the route table refused is forwarded (status set by the refusal). */
  @GetMapping("/console/refused")
  public String refused(HttpServletRequest request, Model model) {
    model.addAttribute("needed", request.getAttribute(ConsoleRefusals.NEEDED_ATTRIBUTE));
    return "console/refused";
  }
}
