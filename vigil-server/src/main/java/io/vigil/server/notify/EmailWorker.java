package io.vigil.server.notify;

import io.vigil.server.notify.EmailDeliveries.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Sends the e-mails {@link EmailNotifier} hands over, on one thread of its own, and retries a failed
 * one with {@link Backoff} until {@code attemptsMax} tries were made. The e-mails waiting are held in
 * memory (at most {@code queueMax}; their addresses and bodies are never stored), so a restart drops
 * them: the next start records them {@code failed}. The retry schedule follows the injected
 * {@link Clock}; the thread only wakes every {@code pollInterval} to ask it.
 */
final class EmailWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmailWorker.class);
  /** E-mails sent per round at most, so one round stays short. */
  static final int ROUND_MAX = 50;

  /** An e-mail waiting for its next try. */
  record Pending(String deliveryId, String kind, List<String> to, String subject, String textBody, int attempts, long dueAtMillis) {}

  private final JavaMailSender sender;
  private final EmailDeliveries store;
  private final Clock clock;
  private final String from;
  private final int attemptsMax;
  private final int queueMax;
  private final LinkedList<Pending> queue = new LinkedList<>();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-email");
    t.setDaemon(true);
    return t;
  });

  EmailWorker(JavaMailSender sender, EmailDeliveries store, Clock clock, NotificationProperties.Mail settings) {
    this.sender = sender;
    this.store = store;
    this.clock = clock;
    this.from = settings.from();
    this.attemptsMax = settings.attemptsMax();
    this.queueMax = settings.queueMax();
  }

  /** Polls every interval until closed. */
  void start(Duration pollInterval) {
    long millis = pollInterval.toMillis();
    thread.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Takes an e-mail to send as soon as the thread gets to it; false when the queue is full. */
  boolean offer(Pending p) {
    synchronized (queue) {
      if (queue.size() >= queueMax) return false;
      queue.add(p);
    }
    try {
      thread.execute(this::runSafely);
    } catch (RejectedExecutionException closed) {
      log.warn("e-mail {} waits: the e-mail worker is stopped", p.deliveryId());
    }
    return true;
  }

  /** E-mails waiting (for tests and metrics). */
  int waiting() {
    synchronized (queue) {
      return queue.size();
    }
  }

  private void runSafely() {
    try {
      runDueOnce();
    } catch (RuntimeException e) {
      log.warn("an e-mail round failed: {}", e.getClass().getSimpleName());
    }
  }

  /** Sends the e-mails that are due by the clock; how many were tried. */
  synchronized int runDueOnce() {
    List<Pending> due = takeDue(clock.millis());
    for (Pending p : due) attempt(p);
    return due.size();
  }

  private List<Pending> takeDue(long nowMillis) {
    List<Pending> due = new ArrayList<>();
    synchronized (queue) {
      for (Iterator<Pending> it = queue.iterator(); it.hasNext() && due.size() < ROUND_MAX;) {
        Pending p = it.next();
        if (p.dueAtMillis() <= nowMillis) {
          due.add(p);
          it.remove();
        }
      }
    }
    return due;
  }

  private void attempt(Pending p) {
    int attempts = p.attempts() + 1;
    try {
      SimpleMailMessage m = new SimpleMailMessage();
      m.setFrom(from);
      m.setTo(p.to().toArray(String[]::new));
      m.setSubject(p.subject());
      m.setText(p.textBody());
      sender.send(m);
      store.attempted(p.deliveryId(), Status.SENT, attempts, null, clock.millis());
      log.info("e-mail {} ({}) sent on attempt {}", p.deliveryId(), p.kind(), attempts);
    } catch (MailException | IllegalStateException e) {
      failed(p, attempts, e);
    }
  }

  private void failed(Pending p, int attempts, RuntimeException e) {
    // The exception's text may quote an address: only its type goes to the log and the table.
    String error = e.getClass().getSimpleName();
    if (attempts >= attemptsMax) {
      store.attempted(p.deliveryId(), Status.FAILED, attempts, error, null);
      log.warn("e-mail {} ({}) failed for good after {} attempts: {}", p.deliveryId(), p.kind(), attempts, error);
      return;
    }
    long due = clock.millis() + Backoff.after(attempts).toMillis();
    store.attempted(p.deliveryId(), Status.PENDING, attempts, error, null);
    synchronized (queue) {
      queue.add(new Pending(p.deliveryId(), p.kind(), p.to(), p.subject(), p.textBody(), attempts, due));
    }
    log.warn("e-mail {} ({}) attempt {} failed: {}; next try in {}", p.deliveryId(), p.kind(), attempts, error, Backoff.after(attempts));
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) log.warn("the e-mail worker did not stop within 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
