package io.vigil.engine.signal.identity;

import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceLines;
import java.io.Reader;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Two sets of e-mail domains: disposable (throw-away inboxes) and free mail (gmail.com and the
 * like), each from a text file with one domain per line, {@code #} comments and blank lines
 * ignored. That is the format of the CC0 list at
 * https://github.com/disposable-email-domains/disposable-email-domains (its file
 * {@code disposable_email_blocklist.conf}), which can be used as it is.
 *
 * <p>A domain is disposable when it or any parent domain is listed ({@code x.mailinator.com}
 * counts as {@code mailinator.com}); free mail matches exactly. Immutable and thread-safe.
 */
public final class EmailDomains {
  /** Domains per list; the public disposable list has about 5,000. */
  public static final int DOMAINS_MAX = 1_000_000;

  /** Longest domain name (RFC 1035: 253 characters in text form). */
  public static final int DOMAIN_CHARS_MAX = 253;

  /** Longest label between dots (RFC 1035). */
  public static final int LABEL_CHARS_MAX = 63;

  /** Longest line; comment lines may be longer than a domain. */
  static final int LINE_CHARS_MAX = 1_024;

  /** Lines read per file, comments included. */
  static final long LINES_MAX = 2L * DOMAINS_MAX;

  static final String DISPOSABLE_COMPONENT = "email_disposable_domains";
  static final String FREE_MAIL_COMPONENT = "email_free_domains";

  static {
    assert DOMAIN_CHARS_MAX < LINE_CHARS_MAX;
    assert LABEL_CHARS_MAX < DOMAIN_CHARS_MAX;
  }

  private final Set<String> disposable;
  private final Set<String> freeMail;
  private final String version;

  private EmailDomains(Set<String> disposable, Set<String> freeMail, String version) {
    this.disposable = Set.copyOf(disposable);
    this.freeMail = Set.copyOf(freeMail);
    this.version = version;
  }

  /** No domains in either list. */
  public static EmailDomains empty() {
    return new EmailDomains(Set.of(), Set.of(), "empty");
  }

  /**
   * Reads both lists; the caller closes the readers.
   *
   * @throws ReferenceDataException naming the source and line of the first malformed domain
   */
  public static EmailDomains load(Reader disposableList, String disposableSourceName,
      Reader freeMailList, String freeMailSourceName) throws ReferenceDataException {
    ReferenceLines d = new ReferenceLines(disposableList, DISPOSABLE_COMPONENT, disposableSourceName, LINE_CHARS_MAX, LINES_MAX);
    Set<String> disposable = readDomains(d);
    ReferenceLines f = new ReferenceLines(freeMailList, FREE_MAIL_COMPONENT, freeMailSourceName, LINE_CHARS_MAX, LINES_MAX);
    Set<String> freeMail = readDomains(f);
    return new EmailDomains(disposable, freeMail, "sha256:" + d.version() + " + sha256:" + f.version());
  }

  private static Set<String> readDomains(ReferenceLines lines) throws ReferenceDataException {
    Set<String> domains = new HashSet<>();
    for (int count = 0; count <= DOMAINS_MAX; count++) {
      String line = lines.nextDataLine();
      if (line == null) return domains;
      if (count == DOMAINS_MAX) throw lines.error("more than " + DOMAINS_MAX + " domains");
      String domain = line.toLowerCase(Locale.ROOT);
      String problem = domainProblem(domain);
      if (problem != null) throw lines.error("'" + line + "' is not a domain name: " + problem);
      domains.add(domain); // a repeated domain is harmless
    }
    throw new AssertionError("the loop returns or throws by DOMAINS_MAX");
  }

  /** Why a lower-case string is not a domain name of two or more labels, or null when it is one. */
  static String domainProblem(String domain) {
    if (domain.isEmpty() || domain.length() > DOMAIN_CHARS_MAX) return "1 to " + DOMAIN_CHARS_MAX + " characters";
    int labels = 0;
    int labelStart = 0;
    for (int i = 0; i <= domain.length(); i++) {
      if (i < domain.length() && domain.charAt(i) != '.') {
        char c = domain.charAt(i);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
          return "only letters, digits, '-' and '.' (write international names in xn-- form)";
        }
        continue;
      }
      int labelLength = i - labelStart;
      if (labelLength == 0) return "an empty label";
      if (labelLength > LABEL_CHARS_MAX) return "a label longer than " + LABEL_CHARS_MAX + " characters";
      if (domain.charAt(labelStart) == '-' || domain.charAt(i - 1) == '-') return "a label starting or ending with '-'";
      labels++;
      labelStart = i + 1;
    }
    if (labels < 2) return "a single label; expected a name such as example.com";
    assert labels <= DOMAIN_CHARS_MAX / 2 + 1;
    return null;
  }

  /**
   * True when {@code domain} or one of its parent domains is on the disposable list. Case and a
   * trailing dot are ignored.
   */
  public boolean isDisposable(String domain) {
    String name = normalize(domain);
    if (name == null) return false;
    // Each step drops one label; a 253-character name has at most 127 labels.
    for (int step = 0; step <= DOMAIN_CHARS_MAX / 2; step++) {
      if (disposable.contains(name)) return true;
      int dot = name.indexOf('.');
      if (dot < 0) return false;
      name = name.substring(dot + 1);
    }
    return false;
  }

  /** True when {@code domain} itself is on the free-mail list. Case and a trailing dot are ignored. */
  public boolean isFreeMail(String domain) {
    String name = normalize(domain);
    return name != null && freeMail.contains(name);
  }

  private static String normalize(String domain) {
    Objects.requireNonNull(domain, "domain");
    String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    if (name.isEmpty() || name.length() > DOMAIN_CHARS_MAX) return null;
    return name.toLowerCase(Locale.ROOT);
  }

  public int disposableCount() {
    return disposable.size();
  }

  public int freeMailCount() {
    return freeMail.size();
  }

  /** Hashes of both files' content, "DISPOSABLE.FREEMAIL" (16 hex digits each), or "empty". */
  public String version() {
    return version;
  }
}
