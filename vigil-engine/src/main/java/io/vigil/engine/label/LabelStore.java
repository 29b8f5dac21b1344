package io.vigil.engine.label;

import io.vigil.engine.event.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Outcomes of decided events, kept point in time, and the label-aware streaming features built on
 * them.
 *
 * <h2>Point in time</h2>
 * Every question is asked "as of" a time t, and a label answers it only when {@code knownAtMillis ≤ t}.
 * When an event has several labels with verdicts (a reviewer says fraud, then an appeal says
 * legitimate), the one known last as of t holds; ties in known time go to the one ingested last.
 * Each stored label keeps the known time of the label that supersedes it, so that a window count
 * needs no second pass: a label counts as of t iff {@code knownAt ≤ t < supersededAt}.
 *
 * <h2>One door</h2>
 * {@link #ingest(Label)} is the only way in: the feedback API and the replay tool call the same
 * method. It is idempotent on the label id: the same label again is a {@link Ingest#DUPLICATE}; a
 * different label under a used id is refused ({@code label_id_conflict}).
 *
 * <h2>Memory</h2>
 * Labels of events older than {@code clock - retentionMillis} are dropped by {@link #sweep(long)};
 * later labels for such events are refused as {@link Ingest#EXPIRED}, which the caller may still
 * persist. At most {@code labelsMax} labels are held (then ingestion is refused with
 * {@code label_store_full}), at most {@link #LABELS_PER_EVENT_MAX} per event, and a window key
 * keeps at most {@link #LABELS_PER_KEY_MAX} (the oldest go first). A label costs about 250 bytes.
 *
 * <h2>Threads</h2>
 * All methods synchronize on the store: the feedback door writes, the decision thread reads.
 */
public final class LabelStore {
  /** Labels one event may collect (verdict, chargeback, appeal, …). */
  public static final int LABELS_PER_EVENT_MAX = 16;
  /** Labels one account or merchant keeps for its windows. */
  public static final int LABELS_PER_KEY_MAX = 200_000;
  /** Windows in one {@link #windowCounts} call. */
  public static final int WINDOWS_MAX = 8;

  /** Result of one ingestion. */
  public enum Ingest { ACCEPTED, DUPLICATE, EXPIRED }

  /** Labelled (with a verdict) and fraud counts. */
  public record Counts(long labeled, long fraud) {}

  private static final class Entry {
    final Label label;
    final long sequence;
    long supersededAtMillis = Long.MAX_VALUE;

    Entry(Label label, long sequence) {
      this.label = label;
      this.sequence = sequence;
    }

    boolean visibleAt(long asOfMillis) {
      return label.knownAtMillis() <= asOfMillis && asOfMillis < supersededAtMillis;
    }
  }

  private final long retentionMillis;
  private final int labelsMax;
  private final Map<String, Entry> byLabelId = new HashMap<>();
  private final Map<String, Entry[]> byEvent = new HashMap<>();
  private final Map<LabelScope, Map<String, List<Entry>>> byKey = new EnumMap<>(LabelScope.class);
  private long sequence;
  private long sweptUpToMillis = Long.MIN_VALUE;

  /**
   * @param retentionMillis how long after an event its labels stay (longer than the longest window
   *     plus the longest expected label delay)
   * @param labelsMax labels held at most
   */
  public LabelStore(long retentionMillis, int labelsMax) {
    if (retentionMillis <= 0 || retentionMillis > Label.DELAY_MILLIS_MAX * 2) {
      throw new IllegalArgumentException("label retention must be between 1 ms and 1460 days");
    }
    if (labelsMax < 1 || labelsMax > 100_000_000) throw new IllegalArgumentException("labelsMax must be 1-100,000,000");
    this.retentionMillis = retentionMillis;
    this.labelsMax = labelsMax;
    for (LabelScope s : LabelScope.values()) byKey.put(s, new HashMap<>());
  }

  /**
   * What {@link #ingest} would do with this label, changing nothing: DUPLICATE, EXPIRED or ACCEPTED,
   * or the ValidationException it would throw. A caller that stores labels elsewhere asks first, so
   * that a label this store refuses is not written there either.
   */
  public synchronized Ingest admission(Label label) {
    Objects.requireNonNull(label, "label");
    Entry existing = byLabelId.get(label.labelId());
    if (existing != null) {
      if (existing.label.equals(label)) return Ingest.DUPLICATE;
      throw new ValidationException("label_id_conflict", "label_id", "label_id was already used for a different label");
    }
    if (sweptUpToMillis != Long.MIN_VALUE && label.eventAtMillis() < sweptUpToMillis - retentionMillis) return Ingest.EXPIRED;
    Entry[] forEvent = byEvent.get(label.eventId());
    if (forEvent != null) checkSameEvent(forEvent[0].label, label, forEvent.length);
    if (byLabelId.size() >= labelsMax) {
      throw new ValidationException("label_store_full", "label_id", "the label store holds its maximum of " + labelsMax);
    }
    return Ingest.ACCEPTED;
  }

  /** Stores one label (validated by its constructor). */
  public synchronized Ingest ingest(Label label) {
    Ingest admission = admission(label);
    if (admission != Ingest.ACCEPTED) return admission;
    Entry[] forEvent = byEvent.get(label.eventId());
    Entry entry = new Entry(label, sequence++);
    byLabelId.put(label.labelId(), entry);
    Entry[] grown = forEvent == null ? new Entry[] {entry} : append(forEvent, entry);
    byEvent.put(label.eventId(), grown);
    if (label.hasVerdict()) {
      linkSupersession(grown);
      for (LabelScope scope : LabelScope.values()) addToKey(scope, entry);
    }
    return Ingest.ACCEPTED;
  }

  private static void checkSameEvent(Label first, Label next, int count) {
    if (count >= LABELS_PER_EVENT_MAX) {
      throw new ValidationException("too_many_labels", "event_id", "an event holds at most " + LABELS_PER_EVENT_MAX + " labels");
    }
    if (first.eventAtMillis() != next.eventAtMillis() || !Objects.equals(first.accountId(), next.accountId())
        || !Objects.equals(first.merchantId(), next.merchantId())) {
      throw new ValidationException("event_mismatch", "event_id",
          "event_at, account_id and merchant_id must match the event's earlier labels");
    }
  }

  private static Entry[] append(Entry[] entries, Entry entry) {
    Entry[] out = Arrays.copyOf(entries, entries.length + 1);
    out[entries.length] = entry;
    return out;
  }

  /** Orders the event's verdicts by known time and lets each one end where the next begins. */
  private static void linkSupersession(Entry[] forEvent) {
    List<Entry> verdicts = new ArrayList<>(forEvent.length);
    for (Entry e : forEvent) if (e.label.hasVerdict()) verdicts.add(e);
    verdicts.sort((a, b) -> a.label.knownAtMillis() != b.label.knownAtMillis()
        ? Long.compare(a.label.knownAtMillis(), b.label.knownAtMillis()) : Long.compare(a.sequence, b.sequence));
    for (int i = 0; i < verdicts.size(); i++) {
      verdicts.get(i).supersededAtMillis = i + 1 < verdicts.size() ? verdicts.get(i + 1).label.knownAtMillis() : Long.MAX_VALUE;
    }
  }

  private void addToKey(LabelScope scope, Entry entry) {
    String key = scope.keyOf(entry.label);
    if (key == null) return;
    List<Entry> list = byKey.get(scope).computeIfAbsent(key, k -> new ArrayList<>());
    if (list.size() >= LABELS_PER_KEY_MAX) list.subList(0, Math.max(1, LABELS_PER_KEY_MAX / 64)).clear();
    int at = list.size();
    long t = entry.label.eventAtMillis();
    while (at > 0 && list.get(at - 1).label.eventAtMillis() > t) at--;
    list.add(at, entry);
  }

  /** The verdict that holds for an event as of a time; null when no verdict is known then. */
  public synchronized Verdict verdict(String eventId, long asOfMillis) {
    Entry[] entries = byEvent.get(eventId);
    if (entries == null) return null;
    for (Entry e : entries) if (e.label.hasVerdict() && e.visibleAt(asOfMillis)) return e.label.verdict();
    return null;
  }

  /** The labels of an event known as of a time, in ingestion order. */
  public synchronized List<Label> labels(String eventId, long asOfMillis) {
    Entry[] entries = byEvent.get(eventId);
    if (entries == null) return List.of();
    List<Label> out = new ArrayList<>(entries.length);
    for (Entry e : entries) if (e.label.knownAtMillis() <= asOfMillis) out.add(e.label);
    return out;
  }

  /**
   * Verdicts of one key's events with time in (eventAfterMillis, eventUpToMillis], as known at asOfMillis.
   */
  public synchronized Counts counts(LabelScope scope, String key, long eventAfterMillis, long eventUpToMillis,
      long asOfMillis) {
    FraudSpan span = fraudSpan(scope, key, eventAfterMillis, eventUpToMillis, asOfMillis);
    return new Counts(span.labeled(), span.fraud());
  }


  /** Labelled and fraud counts of a window, with the event times of its oldest and newest fraud (0 when none). */
  public record FraudSpan(long labeled, long fraud, long firstFraudAtMillis, long lastFraudAtMillis) {}

  /**
   * Like {@link #counts}, with the event times of the oldest and newest fraud among the events with
   * time in (eventAfterMillis, eventUpToMillis] whose fraud verdict is known at asOfMillis: how long a
   * key's known fraud has been going on, and how recent it is.
   */
  public synchronized FraudSpan fraudSpan(LabelScope scope, String key, long eventAfterMillis, long eventUpToMillis,
      long asOfMillis) {
    List<Entry> list = key == null ? null : byKey.get(scope).get(key);
    if (list == null) return new FraudSpan(0, 0, 0, 0);
    long labeled = 0, fraud = 0, first = 0, last = 0;
    for (int i = list.size() - 1; i >= 0; i--) {
      Entry e = list.get(i);
      long t = e.label.eventAtMillis();
      if (t <= eventAfterMillis) break;
      if (t > eventUpToMillis || !e.visibleAt(asOfMillis)) continue;
      labeled++;
      if (e.label.verdict() == Verdict.FRAUD) {
        if (fraud == 0) last = t;
        first = t;
        fraud++;
      }
    }
    return new FraudSpan(labeled, fraud, first, last);
  }

  /**
   * Label windows for a feature vector, in one backward scan: for window w (ascending lengths), the
   * events with time in {@code (asOf - lag - w, asOf - lag]} whose verdict is known at asOf.
   * {@code out[2w]} receives the labelled count and {@code out[2w + 1]} the fraud count. The lag
   * lets a window look only where labels have had time to arrive (the handbook's 7-day delay).
   */
  public synchronized void windowCounts(LabelScope scope, String key, long asOfMillis, long lagMillis,
      long[] windowsMillis, long[] out) {
    if (windowsMillis.length > WINDOWS_MAX || out.length < 2 * windowsMillis.length) {
      throw new IllegalArgumentException("at most " + WINDOWS_MAX + " windows and 2 slots each");
    }
    Arrays.fill(out, 0, 2 * windowsMillis.length, 0);
    List<Entry> list = key == null ? null : byKey.get(scope).get(key);
    if (list == null || windowsMillis.length == 0) return;
    long upTo = asOfMillis - lagMillis;
    long oldest = upTo - windowsMillis[windowsMillis.length - 1];
    for (int i = list.size() - 1; i >= 0; i--) {
      Entry e = list.get(i);
      long t = e.label.eventAtMillis();
      if (t <= oldest) break;
      if (t > upTo || !e.visibleAt(asOfMillis)) continue;
      boolean isFraud = e.label.verdict() == Verdict.FRAUD;
      for (int w = 0; w < windowsMillis.length; w++) {
        if (t <= upTo - windowsMillis[w]) continue;
        out[2 * w]++;
        if (isFraud) out[2 * w + 1]++;
      }
    }
  }

  /** Drops the labels of events older than {@code clock - retention}. */
  public synchronized void sweep(long clockMillis) {
    if (clockMillis <= sweptUpToMillis) return;
    sweptUpToMillis = clockMillis;
    long cutoff = clockMillis - retentionMillis;
    Iterator<Entry[]> it = byEvent.values().iterator();
    while (it.hasNext()) {
      Entry[] entries = it.next();
      if (entries[0].label.eventAtMillis() >= cutoff) continue;
      for (Entry e : entries) byLabelId.remove(e.label.labelId());
      it.remove();
    }
    for (Map<String, List<Entry>> keys : byKey.values()) {
      Iterator<List<Entry>> lists = keys.values().iterator();
      while (lists.hasNext()) {
        List<Entry> list = lists.next();
        int n = 0;
        while (n < list.size() && list.get(n).label.eventAtMillis() < cutoff) n++;
        if (n == list.size()) lists.remove();
        else if (n > 0) list.subList(0, n).clear();
      }
    }
  }

  public synchronized int labelCount() {
    return byLabelId.size();
  }

  public synchronized int eventCount() {
    return byEvent.size();
  }
}
