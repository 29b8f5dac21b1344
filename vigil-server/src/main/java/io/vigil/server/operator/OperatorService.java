package io.vigil.server.operator;

import io.vigil.server.api.ApiException;
import io.vigil.server.operator.Operator.Status;
import io.vigil.server.security.Role;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Operator accounts and the steps of signing in: password (with lockout), forced password change,
 * TOTP enrolment and codes, recovery codes. Every failure to prove a factor counts towards the lock.
 * An unknown username, a disabled account and a wrong password answer alike ({@code login_failed})
 * after the same BCrypt work.
 */
public final class OperatorService {
  public static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{2,63}");
  /** Names a route under /v1/operators/ uses. */
  private static final Set<String> RESERVED = Set.of("mfa-coverage");
  public static final int DISPLAY_NAME_CHARS_MAX = 128;
  /** Characters of a generated one-time password (about 119 bits). */
  private static final int ONE_TIME_PASSWORD_CHARS = 20;
  private static final String LOWER = "abcdefghijkmnpqrstuvwxyz";
  private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  private static final String DIGIT = "23456789";
  private static final String SYMBOL = "-_.!@#%+=";

  private final OperatorRepository operators;
  private final RecoveryCodes recovery;
  private final PasswordPolicy policy;
  private final BCryptPasswordEncoder encoder;
  private final LockoutPolicy lockout;
  private final Totp totp;
  private final SeedBox seeds;
  private final Clock clock;
  private final String decoyHash;
  private final SecureRandom random = new SecureRandom();

  public OperatorService(OperatorRepository operators, RecoveryCodes recovery, PasswordPolicy policy, int bcryptCost,
      LockoutPolicy lockout, Totp totp, SeedBox seeds, Clock clock) {
    this.operators = operators;
    this.recovery = recovery;
    this.policy = policy;
    this.encoder = new BCryptPasswordEncoder(bcryptCost, random);
    this.lockout = lockout;
    this.totp = totp;
    this.seeds = seeds;
    this.clock = clock;
    this.decoyHash = encoder.encode(oneTimePassword());
  }

  /** What comes after the password. */
  public enum Next {
    PASSWORD_CHANGE_REQUIRED, TOTP_ENROLMENT_REQUIRED, TOTP_REQUIRED;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A new account and its one-time password (to be shown once; it must be changed at first sign-in). */
  public record Created(Operator operator, String oneTimePassword) {}

  public Created create(String username, String displayName, Set<Role> roles) {
    checkUsername(username);
    if (displayName.isBlank() || displayName.length() > DISPLAY_NAME_CHARS_MAX) {
      throw ApiException.invalid("invalid_display_name", "display_name is 1-" + DISPLAY_NAME_CHARS_MAX + " characters", "display_name");
    }
    String password = oneTimePassword();
    long now = clock.millis();
    Operator o = new Operator(username, displayName, roles, Status.ACTIVE, encoder.encode(password), true, null, false, 0, 0, 0, 0,
        0, now, now);
    try {
      operators.insert(o);
    } catch (OperatorRepository.DuplicateUsername e) {
      throw ApiException.conflict("invalid_request_error", "operator_exists", "An operator with this username exists", "username");
    }
    return new Created(o, password);
  }

  public static void checkUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches() || RESERVED.contains(username)) {
      throw ApiException.invalid("invalid_username",
          "username is 3-64 characters: lower-case letters, digits and . _ -, starting with a letter", "username");
    }
  }

  public Operator get(String username) {
    return operators.find(username).orElseThrow(OperatorErrors::operatorNotFound);
  }

  public List<Operator> all() {
    return operators.all();
  }

  /** Checks the password; the account, or login_failed / account_locked. */
  public Operator checkPassword(String username, String password) {
    Operator o = username == null || password == null ? null : operators.find(username).orElse(null);
    boolean matches = password != null && password.getBytes(StandardCharsets.UTF_8).length <= PasswordPolicy.BYTES_MAX
        && encoder.matches(password, o == null ? decoyHash : o.passwordHash());
    if (o == null || o.status() == Status.DISABLED) throw OperatorErrors.loginFailed();
    long now = clock.millis();
    if (o.lockedAt(now)) throw OperatorErrors.accountLocked();
    if (!matches) {
      Operator after = failed(username);
      throw after.lockedAt(now) ? OperatorErrors.accountLocked() : OperatorErrors.loginFailed();
    }
    return o;
  }

  /** The next step of a sign-in whose password (and any earlier step) is done. */
  public static Next next(Operator o) {
    if (o.mustChangePassword()) return Next.PASSWORD_CHANGE_REQUIRED;
    if (!o.mfaEnabled()) return Next.TOTP_ENROLMENT_REQUIRED;
    return Next.TOTP_REQUIRED;
  }

  /** Changes the password after checking the current one and the policy. */
  public Operator changePassword(String username, String current, String proposed) {
    Operator o = checkPassword(username, current);
    List<String> reasons = policy.refusals(proposed == null ? "" : proposed, username);
    if (reasons.isEmpty() && encoder.matches(proposed, o.passwordHash())) reasons = List.of("same_as_current");
    if (!reasons.isEmpty()) throw OperatorErrors.passwordTooWeak(reasons);
    Operator after = o.withPassword(encoder.encode(proposed), false, clock.millis());
    synchronized (this) {
      Operator now = get(username);
      Operator updated = now.withPassword(after.passwordHash(), false, after.updatedAtMillis());
      operators.update(updated);
      return updated;
    }
  }

  /** A new seed for an account without MFA (replacing an unconfirmed one), and how to enrol it. */
  public synchronized Totp.Enrolment startEnrolment(String username) {
    Operator o = get(username);
    if (o.mfaEnabled()) {
      throw ApiException.conflict("invalid_request_error", "totp_enrolled", "This operator has a second factor already", null);
    }
    String seed = totp.newSeed();
    operators.update(o.withPendingSeed(seeds.seal(seed, username), clock.millis()));
    return totp.enrolment(seed, username);
  }

  /** Confirms the enrolment with a first code; the new recovery codes, to be shown once. */
  public List<String> confirmEnrolment(String username, String code) {
    Operator o = get(username);
    if (o.mfaEnabled() || o.totpSeedSealed() == null) {
      throw ApiException.conflict("invalid_request_error", "totp_enrolment_missing",
          "Start the enrolment first (POST /v1/auth/totp/enrolment)", null);
    }
    acceptCode(o, code);
    synchronized (this) {
      Operator now = get(username);
      operators.update(now.withMfa(true, now.totpLastStep(), clock.millis()));
    }
    return recovery.issue(username);
  }

  /** Checks a TOTP code of an enrolled account (sign-in or step-up); counts a wrong one as a failure. */
  public void verifyCode(String username, String code) {
    Operator o = get(username);
    if (!o.mfaEnabled()) throw ApiException.conflict("invalid_request_error", "totp_not_enrolled", "No second factor enrolled", null);
    acceptCode(o, code);
  }

  /** Uses one recovery code in place of a TOTP code; counts a wrong one as a failure. */
  public long useRecoveryCode(String username, String code) {
    Operator o = get(username);
    long now = clock.millis();
    if (o.lockedAt(now) || o.status() == Status.DISABLED) throw OperatorErrors.accountLocked();
    if (!o.mfaEnabled() || !recovery.use(username, code, now)) {
      Operator after = failed(username);
      throw after.lockedAt(now) ? OperatorErrors.accountLocked() : OperatorErrors.totpInvalid("code");
    }
    return recovery.unused(username);
  }

  /**
   * The account of an operator signed in by the single sign-on provider, created on first use, with
   * the roles the provider's groups give (the provider is the authority on them). It has no usable
   * password (a random one nobody saw) and no TOTP: its second factor is the provider's.
   */
  public synchronized Operator ssoAccount(String username, String displayName, Set<Role> roles) {
    checkUsername(username);
    String name = displayName == null || displayName.isBlank() ? username
        : displayName.substring(0, Math.min(displayName.length(), DISPLAY_NAME_CHARS_MAX));
    Operator o = operators.find(username).orElse(null);
    long now = clock.millis();
    if (o == null) {
      o = new Operator(username, name, roles, Status.ACTIVE, encoder.encode(oneTimePassword()), false, null, false, 0, 0, 0, 0, 0,
          now, now);
      operators.insert(o);
      return o;
    }
    if (o.status() == Status.DISABLED) throw OperatorErrors.loginFailed();
    if (o.lockedAt(now)) throw OperatorErrors.accountLocked();
    if (!o.roles().equals(roles)) {
      o = o.withRoles(roles, now);
      operators.update(o);
    }
    return o;
  }

  /** Records a complete sign-in: failure counters cleared. */
  public synchronized Operator signedIn(String username) {
    Operator o = get(username);
    long now = clock.millis();
    if (o.status() == Status.DISABLED) throw OperatorErrors.loginFailed();
    if (o.lockedAt(now)) throw OperatorErrors.accountLocked();
    Operator after = lockout.afterSuccess(o, now);
    operators.update(after);
    return after;
  }

  public synchronized Operator unlock(String username) {
    Operator after = LockoutPolicy.unlocked(get(username), clock.millis());
    operators.update(after);
    return after;
  }

  public synchronized Operator disable(String username) {
    Operator after = get(username).withStatus(Status.DISABLED, clock.millis());
    operators.update(after);
    return after;
  }

  public synchronized Operator setRoles(String username, Set<Role> roles) {
    Operator after = get(username).withRoles(roles, clock.millis());
    operators.update(after);
    return after;
  }

  /** Accounts that can sign in (not disabled), and how many of them have a second factor. */
  public record MfaCoverage(long operators, long withMfa) {}

  public MfaCoverage mfaCoverage() {
    long total = 0;
    long withMfa = 0;
    for (Operator o : operators.all()) {
      if (o.status() == Status.DISABLED) continue;
      total++;
      if (o.mfaEnabled()) withMfa++;
    }
    return new MfaCoverage(total, withMfa);
  }

  private void acceptCode(Operator o, String code) {
    long now = clock.millis();
    if (o.lockedAt(now) || o.status() == Status.DISABLED) throw OperatorErrors.accountLocked();
    String seed = seeds.open(o.totpSeedSealed(), o.username());
    synchronized (this) {
      Operator current = get(o.username());
      long step = totp.matchingStep(seed, code, current.totpLastStep());
      if (step < 0) {
        Operator after = failedLocked(current, now);
        throw after.lockedAt(now) ? OperatorErrors.accountLocked() : OperatorErrors.totpInvalid("code");
      }
      operators.update(current.withMfa(current.mfaEnabled(), step, now));
    }
  }

  private synchronized Operator failed(String username) {
    return failedLocked(get(username), clock.millis());
  }

  private Operator failedLocked(Operator o, long now) {
    assert Thread.holdsLock(this);
    Operator after = lockout.afterFailure(o, now);
    operators.update(after);
    return after;
  }

  /** A random password that meets any policy: 20 characters with every class. */
  String oneTimePassword() {
    String all = LOWER + UPPER + DIGIT + SYMBOL;
    char[] c = new char[ONE_TIME_PASSWORD_CHARS];
    c[0] = LOWER.charAt(random.nextInt(LOWER.length()));
    c[1] = UPPER.charAt(random.nextInt(UPPER.length()));
    c[2] = DIGIT.charAt(random.nextInt(DIGIT.length()));
    c[3] = SYMBOL.charAt(random.nextInt(SYMBOL.length()));
    for (int i = 4; i < c.length; i++) c[i] = all.charAt(random.nextInt(all.length()));
    for (int i = c.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      char t = c[i];
      c[i] = c[j];
      c[j] = t;
    }
    return new String(c);
  }
}
