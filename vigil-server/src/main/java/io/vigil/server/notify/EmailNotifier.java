package io.vigil.server.notify;

import io.vigil.server.api.Ids;
import io.vigil.server.notify.EmailDeliveries.Row;
import io.vigil.server.notify.EmailDeliveries.Status;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain-text e-mail for the cases code: {@link #send} records the e-mail in {@code email_deliveries}
 * and hands it to the {@link EmailWorker}, which sends it on its own thread and retries it. It never
 * throws into the caller (whose transaction must not fail because mail did): every problem is logged
 * with the e-mail's kind and delivery id, never an address or a body, and recorded on the row.
 * Without an SMTP server ({@code spring.mail.host} unset) each e-mail is recorded {@code skipped}.
 * Keep personal data out of subjects: the subject is stored.
 */
public final class EmailNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmailNotifier.class);
  /** Recipients of one e-mail at most. */
  public static final int RECIPIENTS_MAX = 100;
  /** Characters of a subject at most; a longer one is cut. */
  public static final int SUBJECT_CHARS_MAX = 256;
  /** Characters of a body at most; a longer e-mail is recorded failed, not sent. */
  public static final int BODY_CHARS_MAX = 200_000;
  /** A kind names what the e-mail is about, e.g. {@code case.borderline} or {@code daily_review}. */
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

  private final EmailDeliveries store;
  /** Null when e-mail is off. */
  private final EmailWorker worker;
  private final Clock clock;
  private final NotificationProperties.Mail settings;

  EmailNotifier(EmailDeliveries store, EmailWorker worker, Clock clock, NotificationProperties.Mail settings) {
    this.store = store;
    this.worker = worker;
    this.clock = clock;
    this.settings = settings;
  }

  /** The addresses that receive borderline cases and the daily review ({@code vigil.notifications.mail.compliance}); may be empty. */
  public List<String> complianceAddresses() {
    return settings.compliance();
  }

  /** The addresses that receive cases' deadline warnings and breaches ({@code vigil.notifications.mail.reviewers}); may be empty. */
  public List<String> reviewerAddresses() {
    return settings.reviewers();
  }

  /** Sends the e-mails that are due now (tests; the worker does this on its own). 0 when e-mail is off. */
  int runDueOnce() {
    return worker == null ? 0 : worker.runDueOnce();
  }

  EmailDeliveries deliveries() {
    return store;
  }

  @Override
  public void close() {
    if (worker != null) worker.close();
  }

  /** Whether e-mails go out (an SMTP server is configured); when false each is recorded {@code skipped}. */
  public boolean enabled() {
    return worker != null;
  }

  /**
   * Sends a plain-text e-mail to these addresses, from the configured from-address, in the
   * background. Returns the delivery id (the row in {@code email_deliveries}), or null when not even
   * the record could be written (the database is down: logged). Never throws.
   *
   * @param kind what the e-mail is about, lower case ({@code [a-z][a-z0-9_.]*}, up to 64): logged and stored
   */
  public String send(List<String> to, String subject, String textBody, String kind) {
    String id = Ids.random("eml_");
    String safeKind = kind != null && KIND.matcher(kind).matches() ? kind : "unknown";
    try {
      String refusal = refusal(to, subject, textBody, kind);
      int recipients = to == null ? 0 : to.size();
      String storedSubject = subject == null ? "" : cut(subject.replaceAll("[\\r\\n]+", " "), SUBJECT_CHARS_MAX);
      Status status = refusal != null ? Status.FAILED : worker == null || recipients == 0 ? Status.SKIPPED : Status.PENDING;
      String note = refusal != null ? refusal : worker == null ? "e-mail is off (no spring.mail.host)"
          : recipients == 0 ? "no recipients" : null;
      store.insert(new Row(id, safeKind, recipients, storedSubject, status, 0, note, clock.millis(), null));
      if (status != Status.PENDING) {
        log.info("e-mail {} ({}) not sent: {}", id, safeKind, note);
        return id;
      }
      if (!worker.offer(new EmailWorker.Pending(id, safeKind, List.copyOf(to), storedSubject, textBody, 0, clock.millis()))) {
        store.attempted(id, Status.FAILED, 0, "queue full", null);
        log.warn("e-mail {} ({}) not sent: {} e-mails wait already", id, safeKind, worker.waiting());
      }
      return id;
    } catch (RuntimeException e) {
      log.error("e-mail {} ({}) could not be recorded or queued: {}", id, safeKind, e.getClass().getSimpleName());
      return null;
    }
  }

  /** Why this e-mail cannot go out as asked, or null. Never quotes an address. */
  private static String refusal(List<String> to, String subject, String textBody, String kind) {
    if (kind == null || !KIND.matcher(kind).matches()) return "invalid kind";
    if (to != null && to.size() > RECIPIENTS_MAX) return "more than " + RECIPIENTS_MAX + " recipients";
    if (subject == null || subject.isBlank()) return "no subject";
    if (textBody == null) return "no body";
    if (textBody.length() > BODY_CHARS_MAX) return "body longer than " + BODY_CHARS_MAX + " characters";
    if (to == null) return null;
    for (int i = 0; i < to.size(); i++) {
      if (!isAddress(to.get(i))) return "recipient " + (i + 1) + " is not an e-mail address";
    }
    return null;
  }

  private static boolean isAddress(String address) {
    if (address == null || address.length() > 254) return false;
    try {
      new InternetAddress(address, true).validate();
      return true;
    } catch (AddressException e) {
      return false;
    }
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
