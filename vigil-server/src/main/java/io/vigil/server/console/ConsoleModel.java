package io.vigil.server.console;

import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page's layout needs: the signed-in operator, the permissions they hold (as
 * codes, so templates ask {@code ${can.contains('policy.write')}}), the navigation they may see and
 * the session's CSRF token (read by {@code console.js} and sent in {@code X-CSRF-Token}).
 */
@ControllerAdvice(basePackages = "io.vigil.server.console")
public class ConsoleModel {
  @ModelAttribute("me")
  public VigilPrincipal me(HttpServletRequest request) {
    return operator(request).orElse(null);
  }

  /** The operator's permissions' codes, sorted (the account page lists them). */
  @ModelAttribute("can")
  public SortedSet<String> can(HttpServletRequest request) {
    return Collections.unmodifiableSortedSet(operator(request)
        .map(p -> p.permissions().stream().map(Permission::code).collect(Collectors.toCollection(TreeSet::new)))
        .orElseGet(TreeSet::new));
  }

  @ModelAttribute("nav")
  public List<ConsoleNavigation.Item> nav(HttpServletRequest request) {
    return operator(request).map(ConsoleNavigation::visibleTo).orElse(List.of());
  }

  @ModelAttribute("csrfToken")
  public String csrfToken(HttpServletRequest request) {
    return request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken t ? t.getToken() : "";
  }

  @ModelAttribute("currentPath")
  public String currentPath(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  private static Optional<VigilPrincipal> operator(HttpServletRequest request) {
    return Principals.find(request).filter(VigilPrincipal::isOperator);
  }
}
