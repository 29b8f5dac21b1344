package io.vigil.engine.signal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.engine.signal.ReferenceDataException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmailDomainsTest {
  static EmailDomains shipped;

  @BeforeAll
  static void loadShipped() throws Exception {
    try (InputStream d = EmailDomainsTest.class.getResourceAsStream("/reference/disposable-email-domains.txt");
        InputStream f = EmailDomainsTest.class.getResourceAsStream("/reference/free-email-domains.txt")) {
      assertThat(d).isNotNull();
      assertThat(f).isNotNull();
      shipped = EmailDomains.load(new InputStreamReader(d, StandardCharsets.UTF_8), "disposable-email-domains.txt",
          new InputStreamReader(f, StandardCharsets.UTF_8), "free-email-domains.txt");
    }
  }

  static EmailDomains load(String disposable, String freeMail) throws ReferenceDataException {
    return EmailDomains.load(new StringReader(disposable), "disposable.txt", new StringReader(freeMail), "free.txt");
  }

  static ReferenceDataException rejected(String disposable, String freeMail) {
    ReferenceDataException e = catchThrowableOfType(() -> load(disposable, freeMail), ReferenceDataException.class);
    assertThat(e).as("rejected: %s / %s", disposable, freeMail).isNotNull();
    return e;
  }

  @Test
  void shippedListsLoad() {
    assertThat(shipped.disposableCount()).isEqualTo(12);
    assertThat(shipped.freeMailCount()).isGreaterThanOrEqualTo(10);
    assertThat(shipped.version()).matches("sha256:[0-9a-f]{16} \\+ sha256:[0-9a-f]{16}");
  }

  @Test
  void disposableDomainsAndTheirSubdomainsAreFlagged() {
    assertThat(shipped.isDisposable("mailinator.com")).isTrue();
    assertThat(shipped.isDisposable("x.mailinator.com")).isTrue();
    assertThat(shipped.isDisposable("a.b.c.mailinator.com")).isTrue();
    assertThat(shipped.isDisposable("MAILINATOR.COM")).isTrue();
    assertThat(shipped.isDisposable("Sub.Mailinator.Com.")).isTrue();
    assertThat(shipped.isDisposable("yopmail.com")).isTrue();
    // Only whole labels count: these merely end with the same letters, or differ in the TLD.
    assertThat(shipped.isDisposable("notmailinator.com")).isFalse();
    assertThat(shipped.isDisposable("mailinator.co")).isFalse();
    assertThat(shipped.isDisposable("mailinator.com.evil.example")).isFalse();
    assertThat(shipped.isDisposable("com")).isFalse();
    assertThat(shipped.isDisposable("gmail.com")).isFalse();
    assertThat(shipped.isDisposable("")).isFalse();
    assertThat(shipped.isDisposable(".")).isFalse();
    assertThat(shipped.isDisposable("x".repeat(300) + ".mailinator.com")).as("longer than a domain can be").isFalse();
    assertThatThrownBy(() -> shipped.isDisposable(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void freeMailMatchesExactly() {
    assertThat(shipped.isFreeMail("gmail.com")).isTrue();
    assertThat(shipped.isFreeMail("GMail.com")).isTrue();
    assertThat(shipped.isFreeMail("outlook.com")).isTrue();
    assertThat(shipped.isFreeMail("yahoo.com")).isTrue();
    assertThat(shipped.isFreeMail("hotmail.com")).isTrue();
    assertThat(shipped.isFreeMail("mail.gmail.com")).isFalse();
    assertThat(shipped.isFreeMail("example.com")).isFalse();
    assertThat(shipped.isFreeMail("mailinator.com")).isFalse();
  }

  @Test
  void domainsAreLowerCasedAndCommentsIgnored() throws Exception {
    EmailDomains domains = load("# list\n\n  Temp.Example.ORG  \n# more\nxn--bcher-kva.example\n", "Free.Example\r\n");
    assertThat(domains.isDisposable("temp.example.org")).isTrue();
    assertThat(domains.isDisposable("in.temp.example.org")).isTrue();
    assertThat(domains.isDisposable("xn--bcher-kva.example")).isTrue();
    assertThat(domains.isFreeMail("free.example")).isTrue();
    assertThat(domains.disposableCount()).isEqualTo(2);
    assertThat(load("a.example\na.example\n", "").disposableCount()).as("repeats are harmless").isEqualTo(1);
    assertThat(EmailDomains.empty().isDisposable("mailinator.com")).isFalse();
  }

  @Test
  void versionFollowsContent() throws Exception {
    assertThat(load("a.example\n", "b.example\n").version()).isEqualTo(load("a.example\n", "b.example\n").version());
    assertThat(load("a.example\n", "b.example\n").version()).isNotEqualTo(load("a.example\n", "c.example\n").version());
    assertThat(load("a.example\n", "b.example\n").version()).isNotEqualTo(load("c.example\n", "b.example\n").version());
  }

  @Test
  void malformedDomainsAreRejectedWithSourceAndLine() {
    String head = "# comment\nok.example\n";
    List<String> bad = List.of("localhost", "exa mple.com", "-bad.com", "bad-.com", "a..b.com", ".a.com", "a.com.",
        "user@x.com", "bücher.de", "under_score.com", "x".repeat(64) + ".com", "http://x.com", "x.com/path");
    for (String domain : bad) {
      ReferenceDataException e = rejected(head + domain + "\n", "");
      assertThat(e.component()).isEqualTo("email_disposable_domains");
      assertThat(e).as(domain).hasMessageStartingWith("disposable.txt line 3: '" + domain + "' is not a domain name: ");
    }
    ReferenceDataException e = rejected("ok.example\n", "gmail.com\n\ngmail\n");
    assertThat(e.component()).isEqualTo("email_free_domains");
    assertThat(e).hasMessage("free.txt line 3: 'gmail' is not a domain name: a single label; expected a name such as example.com");
    e = rejected("ok.example\n", "gmail.com\n" + "a".repeat(1_100) + ".com\n");
    assertThat(e).hasMessage("free.txt line 2: line is longer than 1024 characters");
  }

  @Test
  void longestLegalNameIsAccepted() throws Exception {
    String label = "a".repeat(63);
    String name = label + "." + label + "." + label + "." + "a".repeat(57) + ".com"; // 253 characters
    assertThat(name).hasSize(253);
    assertThat(load(name + "\n", "").isDisposable("x." + name)).as("255 characters: no such name").isFalse();
    assertThat(load(name + "\n", "").isDisposable(name)).isTrue();
    assertThat(rejected("a" + name + "\n", "")).hasMessageContaining("1 to 253 characters");
  }
}
