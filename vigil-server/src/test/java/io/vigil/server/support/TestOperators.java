package io.vigil.server.support;

import io.vigil.server.operator.ClockTimeProvider;
import io.vigil.server.operator.FirstAdministrator;
import io.vigil.server.operator.OperatorService;
import io.vigil.server.operator.Totp;
import io.vigil.server.security.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signed-in operators for tests. An account is created with the server's own service (roles given
 * at once: the two-person rule is the subject of its own tests, not a hurdle for every test), then
 * signs in through the real routes: one-time password, new password, TOTP enrolment confirmed with
 * a code computed from the seed on the test clock. The result is an {@link OperatorSession} (cookie
 * and CSRF token) plus what is needed to step up later. Installs itself as the source of
 * {@link OperatorSession#forServer}: every test server's default operator holds every role and is
 * kept stepped up, so that the tests of operator-only routes run as a real operator.
 */
public final class TestOperators {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Totp TOTP = new Totp(new ClockTimeProvider(TestClock.INSTANCE), "Vigil");
  /** Renew a session or a step-up this long before it would end. */
  private static final Duration MARGIN = Duration.ofSeconds(90);
  private static final Map<String, ApplicationContext> SERVERS = new ConcurrentHashMap<>();
  private static final Map<String, Signed> DEFAULTS = new ConcurrentHashMap<>();
  /** Child servers (other JVMs) by base URL: their data directory. */
  private static final Map<String, Path> CHILDREN = new ConcurrentHashMap<>();
  /** The first administrator of each child data directory once set up (password, seed, last code), kept across restarts and restores. */
  private static final Map<Path, Signed> CHILD_ADMINS = new ConcurrentHashMap<>();
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  static {
    OperatorSession.use(TestOperators::defaultSession);
  }

  private TestOperators() {}

  /** Called by every in-process test server once it listens (see {@link TestClockConfiguration}). */
  public static void register(String base, ApplicationContext context) {
    SERVERS.put(base, context);
    DEFAULTS.remove(base);
  }

  /**
   * Called by every {@link ChildServer}: its default operator is the first administrator the
   * server made on its data directory, set up through the real first sign-in (one-time password
   * from the file, new password, TOTP enrolment) and signed in again after a restart.
   */
  static void registerChild(String base, Path dataDir) {
    CHILDREN.put(base, dataDir.toAbsolutePath());
    DEFAULTS.remove(base);
  }

  /** The child server's first administrator, signed in on it (set up on first use). */
  private static Signed childAdministrator(String base) {
    Path dataDir = CHILDREN.get(base);
    Signed known = CHILD_ADMINS.get(dataDir);
    if (known == null) {
      Signed set = firstSignIn(base, "admin", oneTimePassword(dataDir));
      CHILD_ADMINS.put(dataDir, set);
      return set;
    }
    Signed again = new Signed(base, known.username, known.password, known.seed);
    again.lastStep = known.lastStep;
    Exchange login = post(base, "/v1/auth/login", Map.of("username", known.username, "password", known.password));
    expect(login, "totp_required");
    Exchange signedIn = post(base, "/v1/auth/login/totp", Map.of("code", again.nextCode()), "Cookie", login.cookie());
    expect(signedIn, "signed_in");
    again.session = new OperatorSession(signedIn.cookie(), (String) signedIn.json().get("csrf_token"), known.username);
    again.times(signedIn.json());
    CHILD_ADMINS.put(dataDir, again);
    return again;
  }

  private static String oneTimePassword(Path dataDir) {
    try {
      return Files.readString(dataDir.resolve(FirstAdministrator.PASSWORD_FILE)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("no first administrator's password in " + dataDir, e);
    }
  }

  /** A signed-in operator: the session, its TOTP seed, and the session's times. */
  public static final class Signed {
    private final String base;
    private final String username;
    private final String password;
    private final String seed;
    private volatile OperatorSession session;
    private volatile long lastStep;
    private volatile Instant stepUpUntil;
    private volatile Duration idleTimeout;
    private volatile Instant lastUsed;
    private volatile Instant absoluteExpiresAt;

    Signed(String base, String username, String password, String seed) {
      this.base = base;
      this.username = username;
      this.password = password;
      this.seed = seed;
    }

    public OperatorSession session() {
      return session;
    }

    public String username() {
      return username;
    }

    public String password() {
      return password;
    }

    public String seed() {
      return seed;
    }

    /** Header names and values (cookie and CSRF token), as {@code HttpRequest.Builder.headers} takes them. */
    public String[] headers() {
      return new String[] {"Cookie", session.cookie(), "X-CSRF-Token", session.csrfToken()};
    }

    /**
     * A TOTP code of a step this account has not used yet, within the server's window; null when none
     * is left. It starts at the current step, not the one before: the server checks one step either
     * side of its own moment, so a request that crosses a step boundary on the way still lands inside.
     */
    public synchronized String nextCode() {
      long now = TOTP.currentStep();
      long step = Math.max(lastStep + 1, now);
      if (step > now + 1) return null;
      lastStep = step;
      return TOTP.codeAt(seed, step);
    }

    /** Proves a fresh second factor in this session; false when every code of the window is used. */
    public boolean stepUp() {
      String code = nextCode();
      if (code == null) return false;
      Exchange r = post(base, "/v1/auth/step-up", Map.of("code", code), headers());
      if (r.status != 200) throw new IllegalStateException("step-up failed: " + r.status + " " + r.body);
      times(r.json());
      return true;
    }

    void times(Map<String, Object> s) {
      stepUpUntil = s.get("step_up_until") instanceof String t ? Instant.parse(t) : null;
      Instant signedInAt = Instant.parse((String) s.get("signed_in_at"));
      idleTimeout = Duration.between(signedInAt, Instant.parse((String) s.get("idle_expires_at")));
      absoluteExpiresAt = Instant.parse((String) s.get("absolute_expires_at"));
      lastUsed = TestClock.now();
    }

    /** Whether the session is still alive by the server's rules (idle and absolute timeouts). */
    boolean usable() {
      Instant now = TestClock.now().plus(MARGIN);
      return now.isBefore(lastUsed.plus(idleTimeout)) && now.isBefore(absoluteExpiresAt);
    }

    public boolean steppedUp() {
      return stepUpUntil != null && TestClock.now().plus(MARGIN).isBefore(stepUpUntil);
    }

    void used() {
      lastUsed = TestClock.now();
    }
  }

  /**
   * A new operator with these roles on the server at base, signed in (not stepped up). The username
   * is used as given; it must be new on that server.
   */
  public static Signed signIn(String base, String username, Set<Role> roles) {
    ApplicationContext context = SERVERS.get(base);
    if (context == null) throw new IllegalStateException("no in-process test server at " + base);
    OperatorService operators = context.getBean(OperatorService.class);
    OperatorService.Created created = operators.create(username, "Test " + username, Set.of());
    operators.setRoles(username, roles);
    return firstSignIn(base, username, created.oneTimePassword());
  }

  /** The first sign-in of an account with its one-time password: a new password, TOTP enrolled, signed in. */
  private static Signed firstSignIn(String base, String username, String oneTimePassword) {
    String password = "Tq7!" + Long.toString(Double.doubleToLongBits(Math.random()), 36) + "-Zx";
    Exchange login = post(base, "/v1/auth/login", Map.of("username", username, "password", oneTimePassword));
    expect(login, "password_change_required");
    String cookie = login.cookie();
    Exchange changed = post(base, "/v1/auth/password", Map.of("current_password", oneTimePassword, "new_password", password),
        "Cookie", cookie);
    expect(changed, "totp_enrolment_required");
    Exchange enrolment = post(base, "/v1/auth/totp/enrolment", Map.of(), "Cookie", cookie);
    expect(enrolment, "totp_enrolment_required");
    String seed = secret((String) enrolment.json().get("otpauth_uri"));
    Signed signed = new Signed(base, username, password, seed);
    Exchange confirmed = post(base, "/v1/auth/totp/enrolment/confirm", Map.of("code", signed.nextCode()), "Cookie", cookie);
    expect(confirmed, "signed_in");
    String newCookie = confirmed.cookie();
    Map<String, Object> s = confirmed.json();
    signed.session = new OperatorSession(newCookie, (String) s.get("csrf_token"), username);
    signed.times(s);
    return signed;
  }

  /** As {@link #signIn}, then stepped up. */
  public static Signed signInSteppedUp(String base, String username, Set<Role> roles) {
    Signed s = signIn(base, username, roles);
    if (!s.stepUp()) throw new IllegalStateException("no code left to step up");
    return s;
  }

  /** A username not used before in this test run. */
  public static String newUsername(String prefix) {
    return prefix + "." + Long.toString(System.nanoTime() % 1_000_000_007L, 36) + SEQUENCE.incrementAndGet();
  }

  /** The default operator of the server at base: every role, signed in and stepped up; null for a server not in this JVM. */
  static OperatorSession defaultSession(String base) {
    if (CHILDREN.containsKey(base)) return childSession(base);
    if (!SERVERS.containsKey(base)) return null;
    Signed s = DEFAULTS.compute(base, (b, current) -> {
      Signed fresh = current;
      if (fresh == null || !fresh.usable()) fresh = signIn(b, newUsername("tester"), EnumSet.allOf(Role.class));
      if (!fresh.steppedUp() && !fresh.stepUp()) fresh = signInSteppedUp(b, newUsername("tester"), EnumSet.allOf(Role.class));
      fresh.used();
      return fresh;
    });
    return s.session();
  }

  private static OperatorSession childSession(String base) {
    Signed s = DEFAULTS.compute(base, (b, current) -> {
      Signed fresh = current == null || !current.usable() ? childAdministrator(b) : current;
      if (!fresh.steppedUp() && !fresh.stepUp()) throw new IllegalStateException("no TOTP code left to step up on " + b);
      fresh.used();
      return fresh;
    });
    return s.session();
  }

  private static void expect(Exchange r, String status) {
    if (r.status != 200 || !status.equals(r.json().get("status"))) {
      throw new IllegalStateException("expected " + status + ", got " + r.status + " " + r.body);
    }
  }

  private static String secret(String uri) {
    for (String part : URI.create(uri).getRawQuery().split("&")) {
      if (part.startsWith("secret=")) return part.substring("secret=".length());
    }
    throw new IllegalStateException("no secret in " + uri);
  }

  /** One exchange: status, body, the session cookie set (if any). */
  public record Exchange(int status, String body, List<String> setCookies) {
    @SuppressWarnings("unchecked")
    public Map<String, Object> json() {
      return JSON.readValue(body, Map.class);
    }

    /** The {@code VIGIL_SESSION=…} pair of the Set-Cookie header, or null. */
    public String cookie() {
      for (String c : setCookies) {
        if (c.startsWith("VIGIL_SESSION=")) return c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
      }
      return null;
    }
  }

  /** A POST with a JSON body and these headers, and no other credentials. */
  public static Exchange post(String base, String path, Map<String, ?> body, String... headers) {
    return send(base, "POST", path, body, headers);
  }

  /** A request with this method and JSON body and these headers, and no other credentials. */
  public static Exchange send(String base, String method, String path, Map<String, ?> body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (headers.length > 0) b.headers(headers);
    return send(b);
  }

  /** A GET with these headers, and no other credentials. */
  public static Exchange get(String base, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) b.headers(headers);
    return send(b);
  }

  private static Exchange send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Exchange(r.statusCode(), r.body(), r.headers().allValues("Set-Cookie"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
