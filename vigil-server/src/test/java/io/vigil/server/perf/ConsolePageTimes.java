package io.vigil.server.perf;

import io.vigil.server.VigilApplication;
import io.vigil.server.security.Role;
import io.vigil.server.support.TestClockConfiguration;
import io.vigil.server.support.TestOperators;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * How long each console page takes on a given store (docs/performance.md, "Console page times"):
 * starts the server on it (timing the start), signs in an operator holding every role, then
 * requests each page {@code --warmup} times and {@code --requests} times more, one at a time, and
 * prints the percentiles of the time to the last byte on the loopback (an upper bound of the server
 * time: the client and the loopback add well under a millisecond to a page of tens of kilobytes).
 * Paths come from {@code --pages FILE} (one per line, {@code {decision}} and {@code {account}}
 * replaced by a recent decision and the busiest account) or the built-in list.
 */
public final class ConsolePageTimes {
  private static final List<String> DEFAULT_PAGES = List.of(
      "/console/dashboard?range=1h", "/console/dashboard?range=7d", "/console/dashboard/data?range=1h",
      "/console/dashboard/data?range=7d",
      "/console/decisions", "/console/decisions?account_id={account}", "/console/decisions?action=REVIEW",
      "/console/decisions?risk_level=high", "/console/decisions?rule=new_device", "/console/decisions?merchant_id=mer_3",
      "/console/decisions?currency=BDT", "/console/decisions?amount_min=100000",
      "/console/decisions?from={old_from}&to={old_to}", "/console/decisions?from={recent_from}",
      "/console/decisions/{decision}", "/console/decisions/{old_decision}",
      "/console/accounts", "/console/accounts/{account}", "/console/accounts/acc_99999",
      "/console/holds", "/console/rules", "/console/rules/new_device", "/console/rules/-/policy", "/console/rules/-/versions",
      "/console/lists", "/console/models", "/console/reference", "/console/audit", "/console/operators", "/console/api-keys",
      "/console/account");

  private ConsolePageTimes() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) o.put(args[i].substring(2), args[i + 1]);
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
    int requests = Integer.parseInt(o.getOrDefault("requests", "30"));
    System.setProperty("vigil.test.clock", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    List<String> springArgs = new ArrayList<>(List.of("--server.port=0", "--vigil.data-dir=" + o.get("data-dir"),
        "--vigil.storage.url=" + o.get("storage-url"), "--vigil.storage.username=" + o.getOrDefault("storage-username", "postgres"),
        "--logging.level.root=WARN"));
    long t0 = System.nanoTime();
    ConfigurableApplicationContext context = new SpringApplication(VigilApplication.class, TestClockConfiguration.class)
        .run(springArgs.toArray(String[]::new));
    double startSeconds = (System.nanoTime() - t0) / 1e9;
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    String base = "http://localhost:" + port;
    System.out.printf("server started on the store in %.1f s%n", startSeconds);
    TestOperators.Signed operator = TestOperators.signIn(base, "perf." + System.nanoTime() % 100_000, EnumSet.allOf(Role.class));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    Map<String, String> values = values(http, base, operator);
    List<String> pages = o.containsKey("pages") ? Files.readAllLines(Path.of(o.get("pages"))) : DEFAULT_PAGES;
    System.out.printf("%-62s %6s %8s %8s %8s %7s%n", "page", "status", "p50 ms", "p99 ms", "max ms", "bytes");
    for (String template : pages) {
      if (template.isBlank() || template.startsWith("#")) continue;
      String path = template;
      for (var v : values.entrySet()) path = path.replace("{" + v.getKey() + "}", v.getValue());
      int status = 0;
      long bytes = 0;
      for (int i = 0; i < warmup; i++) get(http, base + path, operator);
      double[] millis = new double[requests];
      for (int i = 0; i < requests; i++) {
        long s = System.nanoTime();
        HttpResponse<byte[]> r = get(http, base + path, operator);
        millis[i] = (System.nanoTime() - s) / 1e6;
        status = r.statusCode();
        bytes = r.body().length;
      }
      Arrays.sort(millis);
      System.out.printf("%-62s %6d %8.1f %8.1f %8.1f %7d%n", path.length() > 62 ? path.substring(0, 59) + "..." : path, status,
          millis[(int) Math.floor(0.5 * (requests - 1))], millis[(int) Math.ceil(0.99 * (requests - 1))], millis[requests - 1], bytes);
    }
    context.close();
  }

  /** A recent decision, an old one, the busiest account, and time windows, read from the store through the API. */
  private static Map<String, String> values(HttpClient http, String base, TestOperators.Signed operator) throws Exception {
    Map<String, String> v = new LinkedHashMap<>();
    String newest = new String(get(http, base + "/v1/decisions?limit=1", operator).body());
    v.put("decision", field(newest, "decision_id"));
    Instant now = Instant.now();
    String old = new String(get(http, base + "/v1/decisions?limit=1&to=" + now.minus(20, ChronoUnit.DAYS), operator).body());
    v.put("old_decision", field(old, "decision_id"));
    v.put("account", "acc_0");
    v.put("old_from", now.minus(21, ChronoUnit.DAYS).toString());
    v.put("old_to", now.minus(20, ChronoUnit.DAYS).toString());
    v.put("recent_from", now.minus(1, ChronoUnit.HOURS).toString());
    return v;
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    if (!m.find()) throw new IllegalStateException("no " + name + " in " + json);
    return m.group(1);
  }

  private static HttpResponse<byte[]> get(HttpClient http, String url, TestOperators.Signed operator)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
        .header("Cookie", operator.session().cookie()).header("Accept", "text/html,application/json").GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
