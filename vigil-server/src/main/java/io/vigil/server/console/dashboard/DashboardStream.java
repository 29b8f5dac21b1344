package io.vigil.server.console.dashboard;

import io.vigil.server.operator.Operator;
import io.vigil.server.operator.OperatorRepository;
import io.vigil.server.security.Permission;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * The dashboard's live stat cards: each open stream is sent the rendered stat fragment (event
 * {@code stats}) at once and then every {@link #TICK_SECONDS} s, and is closed after
 * {@link #STREAM_MILLIS_MAX} (htmx's SSE extension reconnects).
 *
 * <p>One scheduler thread runs one task, the tick: it computes the stats of each range that has
 * streams once, renders them once, and sends the same fragment to every stream of that range; a
 * rendered fragment is reused for {@link #FRESH_NANOS} (a stream opening between ticks gets the
 * last one). So the store is read once per range per tick, whatever the number of streams. On each
 * tick each stream's viewer is checked: the session must still be open and its operator still
 * enabled and holding {@code metrics.read}; otherwise the stream ends. At most {@link #STREAMS_MAX}
 * streams are open at once; one more is refused at once, without rendering, and told to reconnect
 * after {@link #REFUSED_RETRY_MILLIS}.
 */
@Component
public class DashboardStream implements InitializingBean, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(DashboardStream.class);
  static final int TICK_SECONDS = 3;
  /** A rendered fragment serves every stream of its range for this long, a little under a tick. */
  static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(TICK_SECONDS) - TimeUnit.MILLISECONDS.toNanos(500);
  /** A stream's life: the browser reconnects after it. */
  static final long STREAM_MILLIS_MAX = TimeUnit.MINUTES.toMillis(10);
  /** Open streams at once (each costs a send every tick; the stats are computed once per range). */
  static final int STREAMS_MAX = 32;
  /** The reconnection delay told to a refused stream's browser. */
  static final long REFUSED_RETRY_MILLIS = TimeUnit.SECONDS.toMillis(30);
  static final String EVENT = "stats";
  static final String FRAGMENT_TEMPLATE = "console/dashboard/stats";

  static {
    if (FRESH_NANOS <= 0 || FRESH_NANOS >= TimeUnit.SECONDS.toNanos(TICK_SECONDS)) throw new AssertionError("fresh for under a tick");
  }

  /**
   * Who watches a stream: the operator, and whether the session the stream was opened in is still
   * open and still this operator's (false once signed out, expired or invalidated).
   */
  record Viewer(String operatorId, BooleanSupplier sessionOpen) {}

  private record Stream(SseEmitter emitter, DashboardRange range, long closeAtMillis, Viewer viewer) {}

  private record Rendered(long atNanos, String html) {}

  private final DashboardStats stats;
  private final ITemplateEngine templates;
  private final Clock clock;
  /** Whether an operator may still see the dashboard (enabled, not locked, holds metrics.read): one read per operator per tick. */
  private final Function<String, Boolean> mayRead;
  private final Semaphore open = new Semaphore(STREAMS_MAX);
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  /** The last fragment of each range; each range's entry is computed under its own lock so that it is rendered once. */
  private final Map<DashboardRange, Rendered> rendered = new ConcurrentHashMap<>();
  private final Map<DashboardRange, Object> renderLocks = new EnumMap<>(DashboardRange.class);
  private final ScheduledThreadPoolExecutor ticks;
  private final LongSupplier nanos;
  /** Renders done (for tests: one per range per tick). */
  private final AtomicLong renders = new AtomicLong();

  @Autowired
  public DashboardStream(DashboardStats stats, ITemplateEngine templates, OperatorRepository operators, Clock clock) {
    this(stats, templates, clock, id -> mayRead(operators.find(id), clock.millis()), System::nanoTime);
  }

  /** {@code nanos}: the monotonic time a rendered fragment's age is measured on. */
  DashboardStream(DashboardStats stats, ITemplateEngine templates, Clock clock, Function<String, Boolean> mayRead, LongSupplier nanos) {
    this.stats = stats;
    this.nanos = nanos;
    this.templates = templates;
    this.clock = clock;
    this.mayRead = mayRead;
    for (DashboardRange r : DashboardRange.values()) renderLocks.put(r, new Object());
    this.ticks = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "vigil-dashboard-stream");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
  }

  /** Starts the ticks: the executor's queue holds this one periodic task and nothing else. */
  @Override
  public void afterPropertiesSet() {
    ticks.scheduleWithFixedDelay(this::tick, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
    assert ticks.getQueue().size() == 1 : ticks.getQueue().size();
  }

  static boolean mayRead(Optional<Operator> operator, long nowMillis) {
    return operator.isPresent() && operator.get().status() != Operator.Status.DISABLED && !operator.get().lockedAt(nowMillis)
        && operator.get().permissions().contains(Permission.METRICS_READ);
  }

  /** The stat fragment of this range: the one rendered within {@link #FRESH_NANOS}, or rendered now. */
  String fragment(DashboardRange range) {
    Rendered r = rendered.get(range);
    if (r != null && nanos.getAsLong() - r.atNanos() < FRESH_NANOS) return r.html();
    synchronized (renderLocks.get(range)) {
      r = rendered.get(range);
      if (r != null && nanos.getAsLong() - r.atNanos() < FRESH_NANOS) return r.html();
      long at = nanos.getAsLong();
      String html = render(range);
      rendered.put(range, new Rendered(at, html));
      renders.incrementAndGet();
      return html;
    }
  }

  /** The stat fragment of this range, rendered (the page includes the same fragment). */
  String render(DashboardRange range) {
    Context context = new Context(Locale.ROOT, Map.of("s", stats.stats(range)));
    // One line: an event's data ends at a blank line, and the fragment's newlines are only layout.
    return templates.process(FRAGMENT_TEMPLATE, Set.of(EVENT), context).replace('\r', ' ').replace('\n', ' ');
  }

  SseEmitter open(DashboardRange range, Viewer viewer) {
    SseEmitter emitter = new SseEmitter(STREAM_MILLIS_MAX + TimeUnit.SECONDS.toMillis(30));
    if (!open.tryAcquire()) {
      try {
        emitter.send(SseEmitter.event().reconnectTime(REFUSED_RETRY_MILLIS).comment("too many dashboard streams"));
      } catch (IOException | IllegalStateException e) {
        // The browser is gone already.
      }
      emitter.complete();
      return emitter;
    }
    Stream s = new Stream(emitter, range, clock.millis() + STREAM_MILLIS_MAX, viewer);
    streams.add(s);
    emitter.onCompletion(() -> close(s));
    emitter.onTimeout(() -> close(s));
    emitter.onError(e -> close(s));
    String html;
    try {
      html = fragment(range);
    } catch (RuntimeException e) {
      log.warn("rendering the dashboard's stat cards failed", e);
      end(s);
      return emitter;
    }
    if (!send(s, html)) end(s);
    return emitter;
  }

  /** Open streams (for tests). */
  int streams() {
    return streams.size();
  }

  long renders() {
    return renders.get();
  }

  /** One tick: each stream still allowed gets its range's fragment, rendered once per range. */
  void tick() {
    try {
      if (streams.isEmpty()) return;
      long now = clock.millis();
      Map<String, Boolean> allowed = new HashMap<>();
      Map<DashboardRange, List<Stream>> byRange = new EnumMap<>(DashboardRange.class);
      for (Stream s : streams) {
        if (now >= s.closeAtMillis() || !s.viewer().sessionOpen().getAsBoolean()
            || !allowed.computeIfAbsent(s.viewer().operatorId(), mayRead)) {
          end(s);
          continue;
        }
        byRange.computeIfAbsent(s.range(), r -> new ArrayList<>()).add(s);
      }
      for (Map.Entry<DashboardRange, List<Stream>> e : byRange.entrySet()) {
        String html = fragment(e.getKey());
        for (Stream s : e.getValue()) {
          if (!send(s, html)) end(s);
        }
      }
    } catch (RuntimeException e) {
      // A failing tick must not cancel the periodic task; the next tick tries again.
      log.warn("updating the dashboard's streams failed", e);
    }
  }

  /** Sends one update; false when the browser is gone. */
  private boolean send(Stream s, String html) {
    try {
      s.emitter().send(SseEmitter.event().name(EVENT).data(html));
      return true;
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }

  private void end(Stream s) {
    close(s);
    s.emitter().complete();
  }

  /** Forgets a stream and frees its place, once (the emitter's callbacks may call it too). */
  private void close(Stream s) {
    if (streams.remove(s)) open.release();
  }

  @Override
  public void destroy() {
    ticks.shutdownNow();
  }
}
