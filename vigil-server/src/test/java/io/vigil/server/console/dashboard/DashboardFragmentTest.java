package io.vigil.server.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The stat fragment the page and the live stream send: every value is escaped, whatever a rule id or
 * a note holds (rule ids are restricted to letters, digits, '_' and '.', so no stored value reaches
 * the page with markup; this checks the template would show one as text anyway), and the cards carry
 * the met / breach classes they are given.
 */
class DashboardFragmentTest {
  private static final String PAYLOAD = "<img src=x onerror=alert(1)>";

  private static String render(DashboardStats.Stats s) {
    ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
    resolver.setPrefix("templates/");
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    SpringTemplateEngine engine = new SpringTemplateEngine();
    engine.setTemplateResolver(resolver);
    return engine.process(DashboardStream.FRAGMENT_TEMPLATE, Set.of(DashboardStream.EVENT),
        new Context(Locale.ROOT, Map.of("s", s)));
  }

  @Test
  void valuesAreTextAndTheCardsCarryTheirTargetClasses() {
    DashboardStats.Stats s = new DashboardStats.Stats(DashboardRange.H1, 7, Map.of("ALLOW", 7L),
        new DashboardStats.Rate("0.0 %", "stat", "0 of 7"), new DashboardStats.Rate("1.0 %", "stat met", "ok"),
        new DashboardStats.Rate("50.0 %", "stat breach", PAYLOAD), "1.00 ms", "2.00 ms", "3", 0, 0,
        List.of(DashboardStats.rule(PAYLOAD, 4, 7)), PAYLOAD, "2026-03-10T14:00:00Z");
    String html = render(s);
    assertThat(html).doesNotContain(PAYLOAD).contains("&lt;img src=x onerror=alert(1)&gt;");
    assertThat(html).contains("class=\"stat met\" id=\"stat-review\"").contains("class=\"stat breach\" id=\"stat-false-interception\"");
    assertThat(html).contains("id=\"count-ALLOW\"").contains("data-count=\"7\"");
    assertThat(html).contains("data-total=\"7\"");
  }
}
