package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.security.Role;
import io.vigil.server.support.TestOperators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every console page the server maps, attacked as a signed-in operator holding every role: script,
 * markup, SQL and oversized values in each path variable and in the query parameters the console's
 * forms use. No answer may be a 5xx, and no payload may come back unescaped (a reflected script).
 * Event streams are left out (they do not end); their pages' data routes are attacked like the rest.
 */
class ConsoleHostileInputTest extends ConsoleServerBase {
  private static final List<String> PAYLOADS = List.of(
      "<script>alert(1)</script>",
      "\"><img src=x onerror=alert(1)>",
      "' OR 1=1 --",
      "javascript:alert(1)",
      "x".repeat(3000),
      "-1",
      "99999999999999999999999",
      "2026-13-45T99:99:99Z",
      "%",
      "\u202e\u0000");
  /** The query parameters the console's pages read (filters, paging, ranges, tabs). */
  private static final List<String> PARAMETERS = List.of("account_id", "merchant_id", "type", "action", "rule", "risk_level",
      "score_min", "score_max", "amount_min", "amount_max", "currency", "from", "to", "starting_after", "ending_before",
      "limit", "range", "after", "before", "page", "entity", "status", "list", "value", "sso_error",
      "queue", "assignee");
  private static final Set<String> RAW_MARKERS = Set.of("<script>alert(1)</script>", "<img src=x onerror=alert(1)>");
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private List<String> consolePages() {
    Set<String> pages = new TreeSet<>();
    for (var entry : mappings.getHandlerMethods().entrySet()) {
      if (!entry.getValue().getBeanType().getPackageName().startsWith("io.vigil.server.console")) continue;
      RequestMappingInfo info = entry.getKey();
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      if (!methods.isEmpty() && !methods.contains(RequestMethod.GET)) continue;
      boolean stream = info.getProducesCondition().getProducibleMediaTypes().contains(MediaType.TEXT_EVENT_STREAM);
      if (stream || entry.getValue().getMethod().getReturnType().getSimpleName().equals("SseEmitter")) continue;
      pages.addAll(info.getPatternValues());
    }
    return new ArrayList<>(pages);
  }

  @Test
  void noConsolePageFailsOrReflectsAPayload() {
    List<String> pages = consolePages();
    assertThat(pages).contains("/console/sign-in", "/console/dashboard");
    TestOperators.Signed operator = TestOperators.signIn(base, TestOperators.newUsername("hostile"), EnumSet.allOf(Role.class));
    List<String> wrong = new ArrayList<>();
    int sent = 0;
    for (String page : pages) {
      for (String payload : PAYLOADS) {
        String encoded = URLEncoder.encode(payload, StandardCharsets.UTF_8).replace("+", "%20");
        String path = page.replaceAll("\\{[^}]+}", encoded);
        StringBuilder query = new StringBuilder();
        for (String name : PARAMETERS) query.append(query.length() == 0 ? "?" : "&").append(name).append('=').append(encoded);
        for (String target : List.of(path, path + query)) {
          HttpResponse<String> r = get(target, operator.session().cookie());
          sent++;
          String seen = "GET " + target.substring(0, Math.min(target.length(), 160)) + " -> " + r.statusCode();
          if (r.statusCode() >= 500) wrong.add("5xx: " + seen);
          for (String marker : RAW_MARKERS) {
            if (r.body().contains(marker)) wrong.add("reflected unescaped: " + seen);
          }
        }
      }
    }
    System.out.printf("console hostile input: %d requests over %d pages%n", sent, pages.size());
    assertThat(wrong).isEmpty();
  }

  private HttpResponse<String> get(String path, String cookie) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Cookie", cookie).header("Accept", "text/html").GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
