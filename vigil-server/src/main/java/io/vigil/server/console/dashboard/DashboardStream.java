package io.vigil.server.console.dashboard;

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * The dashboard's live stat cards: each open stream is sent the rendered stat fragment (event
 * {@code stats}) at once and then every {@link #TICK_SECONDS} s, and is closed after
 * {@link #STREAM_MILLIS_MAX} (htmx's SSE extension reconnects, so a stream's session and
 * permissions are checked again at least that often). At most {@link #STREAMS_MAX} streams are open
 * at once; one more is answered with a single update and closed. One scheduler thread renders them all.
 */
@Component
public class DashboardStream implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(DashboardStream.class);
  static final int TICK_SECONDS = 3;
  /** A stream's life: the browser reconnects after it. */
  static final long STREAM_MILLIS_MAX = TimeUnit.MINUTES.toMillis(10);
  /** Open streams at once (each costs a render every tick). */
  static final int STREAMS_MAX = 32;
  static final String EVENT = "stats";
  static final String FRAGMENT_TEMPLATE = "console/dashboard/stats";

  private final DashboardStats stats;
  private final ITemplateEngine templates;
  private final Clock clock;
  private final Semaphore open = new Semaphore(STREAMS_MAX);
  private final ScheduledThreadPoolExecutor ticks;

  public DashboardStream(DashboardStats stats, ITemplateEngine templates, Clock clock) {
    this.stats = stats;
    this.templates = templates;
    this.clock = clock;
    this.ticks = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "vigil-dashboard-stream");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
    ticks.setRemoveOnCancelPolicy(true);
  }

  /** The stat fragment of this range, rendered (the page includes the same fragment). */
  String render(DashboardRange range) {
    Context context = new Context(Locale.ROOT, Map.of("s", stats.stats(range)));
    // One line: an event's data ends at a blank line, and the fragment's newlines are only layout.
    return templates.process(FRAGMENT_TEMPLATE, Set.of(EVENT), context).replace('\r', ' ').replace('\n', ' ');
  }

  SseEmitter open(DashboardRange range) {
    SseEmitter emitter = new SseEmitter(STREAM_MILLIS_MAX + TimeUnit.SECONDS.toMillis(30));
    if (!open.tryAcquire()) {
      ticks.execute(() -> {
        send(emitter, range);
        emitter.complete();
      });
      return emitter;
    }
    long closeAtMillis = clock.millis() + STREAM_MILLIS_MAX;
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    Runnable release = () -> {
      ScheduledFuture<?> t = task.getAndSet(null);
      if (t != null) {
        t.cancel(false);
        open.release();
      }
    };
    emitter.onCompletion(release);
    emitter.onTimeout(release);
    emitter.onError(e -> release.run());
    task.set(ticks.scheduleWithFixedDelay(() -> {
      if (clock.millis() >= closeAtMillis || !send(emitter, range)) {
        emitter.complete();
        release.run();
      }
    }, 0, TICK_SECONDS, TimeUnit.SECONDS));
    return emitter;
  }

  /** Sends one update; false when the browser is gone or the render failed. */
  private boolean send(SseEmitter emitter, DashboardRange range) {
    try {
      emitter.send(SseEmitter.event().name(EVENT).data(render(range)));
      return true;
    } catch (IOException | IllegalStateException e) {
      return false;
    } catch (RuntimeException e) {
      log.warn("rendering the dashboard's stat cards failed", e);
      return false;
    }
  }

  @Override
  public void destroy() {
    ticks.shutdownNow();
  }
}
