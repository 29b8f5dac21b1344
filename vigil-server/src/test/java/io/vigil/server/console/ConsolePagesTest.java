package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.console.cases.CaseFixtures;
import io.vigil.server.security.Role;
import io.vigil.server.support.TestOperators;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every console screen (each mapped page without path variables that renders a whole page, and a
 * real case's page) opened in
 * a real browser by an operator holding every role: it loads without a script error or a
 * Content-Security-Policy violation, has a language, one main heading, a labelled control for every
 * form field, and no inline script, inline style or inline event handler in its markup.
 */
class ConsolePagesTest extends ConsoleServerBase {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  /** The screens: the navigation's pages plus every other page route without variables that answers a whole page. */
  private List<String> screens(TestOperators.Signed operator) {
    Set<String> paths = new TreeSet<>();
    for (ConsoleNavigation.Item item : ConsoleNavigation.all()) paths.add(item.path());
    for (var entry : mappings.getHandlerMethods().entrySet()) {
      if (!entry.getValue().getBeanType().getPackageName().startsWith("io.vigil.server.console")) continue;
      RequestMappingInfo info = entry.getKey();
      if (!info.getMethodsCondition().getMethods().contains(RequestMethod.GET)) continue;
      for (String p : info.getPatternValues()) {
        if (!p.contains("{") && entry.getValue().getReturnType().getParameterType() == String.class) paths.add(p);
      }
    }
    // one page of each screen with a variable, of a real case
    String account = CaseFixtures.account("pages");
    CaseFixtures.reviewPayment(api, account);
    paths.add("/console/cases/" + CaseFixtures.awaitCase(base, operator, account).get("case_id"));
    // the landing redirect, the sign-in pages (a signed-in operator is sent on; SignInConsoleTest checks them) and the refusal
    paths.removeIf(p -> p.equals("/console") || p.startsWith("/console/sign-in") || p.equals("/console/refused"));
    return new ArrayList<>(paths);
  }

  @Test
  void everyScreenLoadsCleanlyWithLabelledFieldsAndNoInlineCode() {
    TestOperators.Signed operator = TestOperators.signIn(base, TestOperators.newUsername("pages"), EnumSet.allOf(Role.class));
    ConsoleBrowser browser = browser();
    browser.signedInAs(operator);
    browser.consoleErrors();
    List<String> wrong = new ArrayList<>();
    List<String> screens = screens(operator);
    for (String path : screens) {
      browser.open(path);
      if (!browser.path().startsWith(path)) {
        wrong.add(path + ": went to " + browser.path());
        continue;
      }
      String source = browser.driver().getPageSource();
      boolean screen = ConsoleNavigation.all().stream().anyMatch(i -> i.path().equals(path));
      if (!screen && ((Number) browser.script("return document.querySelectorAll('main').length")).intValue() == 0) {
        continue; // an htmx fragment (e.g. search results), not a page; its page is checked
      }
      if (!source.contains("lang=\"en\"")) wrong.add(path + ": no language");
      if (source.matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*")) wrong.add(path + ": an inline script");
      if (source.matches("(?s).*<[a-z][^>]*\\sstyle=\"[^\"]+\".*") && !source.contains("_echarts_instance_")) wrong.add(path + ": an inline style attribute");
      if (source.matches("(?s).*<[a-z][^>]*\\son[a-z]+=.*")) wrong.add(path + ": an inline event handler");
      Object h1 = browser.script("return document.querySelectorAll('h1').length");
      if (((Number) h1).intValue() != 1) wrong.add(path + ": " + h1 + " main headings");
      @SuppressWarnings("unchecked")
      List<String> unlabelled = (List<String>) browser.script(
          "return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))"
              + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))"
              + ".map(e => (e.id || e.name || e.outerHTML.slice(0, 80)))");
      if (!unlabelled.isEmpty()) wrong.add(path + ": fields without a label " + unlabelled);
      List<String> errors = browser.consoleErrors();
      if (!errors.isEmpty()) wrong.add(path + ": browser console " + errors);
    }
    System.out.println("console pages checked: " + screens);
    assertThat(screens).contains("/console/dashboard", "/console/account", "/console/cases");
    assertThat(screens).anyMatch(p -> p.startsWith("/console/cases/case_"));
    assertThat(wrong).isEmpty();
  }
}
