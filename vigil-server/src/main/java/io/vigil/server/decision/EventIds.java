package io.vigil.server.decision;

import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToLongFunction;

/**
 * The idempotency index: event id → journal sequence for every decision recorded within the
 * idempotency horizon, in memory bounded by that horizon.
 *
 * <h2>Design</h2>
 * Ids are keyed by a keyed 64-bit hash (SipHash with a random key, so that no client can aim for
 * collisions). New ids go into an open hash table (the open bucket). When the clock enters a new
 * hour, or the open bucket reaches {@value #OPEN_IDS_MAX} ids, it is sealed: sorted into primitive
 * arrays ({@link SortedIds}, 12 B per id) and merged, on a background thread, into the one sorted
 * set of all sealed ids. Every hour of recording time keeps the highest sequence recorded in it;
 * once an hour is older than the horizon, sequences up to that one are dropped at the next merge.
 * A lookup reads the open table, the sealed sets waiting for their merge (usually none) and the
 * merged set: a few cache lines.
 *
 * <p>A hit is only a hint: the caller confirms the event id in the journal row. When it holds
 * another event id the two ids share a hash, and the newcomer is remembered exactly in a small side
 * map ({@link #put} with {@code hashTaken}). An event id the index no longer holds (recorded before
 * the horizon) is never decided twice: the engine refuses events older than the feature lateness,
 * and the horizon is at least that lateness plus the accepted clock skew, so such a retry is
 * refused as too old, and the decision service answers it from the journal; the unique index on
 * the journal's event ids is the last line.
 *
 * <h2>Checkpoints</h2>
 * {@link #snapshot} (on the sequencer, between decisions) takes the sealed and merged sets as they
 * are (immutable), copies the open table's entries and the hours, and {@link Snapshot#writeTo}
 * writes them from any thread, with the hash key. {@link #restore} puts them back: the restored
 * index holds the same open table, sealed sets and merged set, so it answers exactly as the live
 * one did, and still forgets by the horizon (the hours go with it).
 *
 * <p>Not thread-safe: the sequencer owns it (the merge thread only reads immutable sets).
 */
final class EventIds implements AutoCloseable {
  static final long MISSING = EventIdIndex.MISSING;
  /** Ids in the open bucket before it is sealed regardless of the hour: bounds its 32-64 B per id. */
  static final int OPEN_IDS_MAX = 1 << 20;
  static final long BUCKET_MILLIS = 3_600_000L;
  /** Remembered exactly after a unique violation showed them stored beyond the horizon; oldest forgotten first. */
  private static final int REMEMBERED_MAX = 10_000;

  /** A test's own hash (forced collisions), or null for {@link #sipHash}. */
  private final ToLongFunction<String> customHash;
  /** The keyed SipHash (null with a custom hash); replaced by a restore, whose ids were keyed by the checkpoint's. */
  private EventIdHash sipHash;
  private final long horizonMillis;
  private EventIdIndex open = new EventIdIndex();
  /** Sealed sets not yet in {@link #merged}, oldest first. */
  private final ArrayDeque<SortedIds> sealed = new ArrayDeque<>();
  private volatile SortedIds merged = SortedIds.EMPTY;
  /** Per hour of recording time, oldest first: {hour, highest sequence recorded in it}. */
  private final ArrayDeque<long[]> hours = new ArrayDeque<>();
  /** Sequences below it were recorded before the horizon and may be forgotten. */
  private long dropBelowSequence;
  private long mergedDropBelowSequence;
  /** Event ids whose hash was already taken by another event id: exact, and tiny in practice. */
  private final Map<String, Long> collided = new HashMap<>();
  private final Map<String, Long> remembered = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > REMEMBERED_MAX;
    }
  };
  private final ExecutorService merger = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vigil-event-id-merge");
    t.setDaemon(true);
    return t;
  });
  private CompletableFuture<SortedIds> merging;
  private int mergingSealedCount;
  private volatile int idCount;
  private volatile long bytes;

  /** {@code hash} replaces the keyed SipHash when not null (tests force collisions with it). */
  EventIds(long horizonMillis, ToLongFunction<String> hash) {
    if (horizonMillis < BUCKET_MILLIS) throw new IllegalArgumentException("the idempotency horizon is at least an hour");
    this.horizonMillis = horizonMillis;
    this.customHash = hash;
    this.sipHash = hash == null ? EventIdHash.random() : null;
  }

  long horizonMillis() {
    return horizonMillis;
  }

  /**
   * The journal sequence recorded for {@code eventId}, or {@link #MISSING}; a hash hit is only a hint
   * until checked. With {@code hashTakenByAnother} only the exact maps are read.
   */
  long sequenceOf(String eventId, boolean hashTakenByAnother) {
    installMerged();
    Long exact = collided.get(eventId);
    if (exact != null) return exact;
    exact = remembered.get(eventId);
    if (exact != null) return exact;
    if (hashTakenByAnother) return MISSING;
    long key = key(eventId);
    long found = open.get(key);
    if (found != MISSING) return found;
    for (Iterator<SortedIds> newestFirst = sealed.descendingIterator(); newestFirst.hasNext(); ) {
      found = newestFirst.next().get(key);
      if (found != MISSING) return found;
    }
    return merged.get(key);
  }

  /**
   * Adds {@code eventId}, recorded at {@code recordedAtMillis} under {@code sequence} (ascending).
   * With {@code hashTaken} it goes to the exact side map: its hash already names another event id.
   */
  void put(String eventId, long sequence, long recordedAtMillis, boolean hashTaken) {
    long hour = Math.floorDiv(recordedAtMillis, BUCKET_MILLIS);
    long[] last = hours.peekLast();
    if (last == null || hour > last[0]) {
      if (last != null && open.size() > 0 && !rebuilding) seal();
      hours.addLast(new long[] {hour, sequence});
    } else {
      last[1] = Math.max(last[1], sequence); // a clock that stepped back: counted with the newest hour
    }
    if (hashTaken) collided.put(eventId, sequence);
    else open.put(key(eventId), sequence);
    if (open.size() >= OPEN_IDS_MAX && !rebuilding) seal();
    if (!rebuilding) idCount++;
  }

  /** Remembers exactly that {@code eventId} is stored under {@code sequence} (found beyond the horizon). */
  void remember(String eventId, long sequence) {
    remembered.put(eventId, sequence);
  }

  /**
   * Forgets hours older than the horizon at {@code nowMillis}: their ids leave memory at the next
   * merge, started here when there is something to drop. Called each minute by the sweeps.
   */
  void expire(long nowMillis) {
    installMerged();
    long[] newest = hours.peekLast();
    // The open table holds the newest hour's ids only: sealed once that hour is over.
    if (newest != null && newest[0] < Math.floorDiv(nowMillis, BUCKET_MILLIS) && open.size() > 0) seal();
    long oldestKeptHour = Math.floorDiv(nowMillis - horizonMillis, BUCKET_MILLIS);
    while (!hours.isEmpty() && hours.peekFirst()[0] < oldestKeptHour) {
      dropBelowSequence = Math.max(dropBelowSequence, hours.removeFirst()[1] + 1);
    }
    collided.values().removeIf(s -> s < dropBelowSequence);
    if (dropBelowSequence > mergedDropBelowSequence) startMerge();
  }

  /** Whether an id recorded at {@code recordedAtMillis} is still inside the horizon at {@code nowMillis}. */
  boolean withinHorizon(long recordedAtMillis, long nowMillis) {
    return Math.floorDiv(recordedAtMillis, BUCKET_MILLIS) >= Math.floorDiv(nowMillis - horizonMillis, BUCKET_MILLIS);
  }

  private boolean rebuilding;

  /** Forgets everything but the remembered ids: a rebuild follows, through {@link #put}, then {@link #rebuilt}. */
  void clear() {
    awaitMerge();
    open = new EventIdIndex();
    sealed.clear();
    merged = SortedIds.EMPTY;
    hours.clear();
    collided.clear();
    dropBelowSequence = 0;
    mergedDropBelowSequence = 0;
    rebuilding = true;
    idCount = 0;
  }

  /** Ends a rebuild: the ids read so far are sorted into the merged set at once. */
  void rebuilt() {
    rebuilding = false;
    merged = SortedIds.of(open);
    open = new EventIdIndex();
    idCount = merged.size() + collided.size();
    bytes = merged.bytes() + open.bytes();
  }

  /** Ids held (open, sealed, merged and exact); read from any thread (a gauge). */
  int size() {
    return idCount;
  }

  /** Bytes of the arrays holding them; read from any thread (a gauge). */
  long bytes() {
    return bytes;
  }

  private long key(String eventId) {
    long h = customHash != null ? customHash.applyAsLong(eventId) : sipHash.applyAsLong(eventId);
    return h == 0 ? 1 : h;
  }

  private void seal() {
    sealed.addLast(SortedIds.of(open));
    open = new EventIdIndex();
    startMerge();
  }

  private void startMerge() {
    if (merging != null) return; // the next one starts when it is installed
    SortedIds base = merged;
    List<SortedIds> inputs = new ArrayList<>(sealed);
    long dropBelow = dropBelowSequence;
    mergingSealedCount = inputs.size();
    mergedDropBelowSequence = dropBelow;
    merging = CompletableFuture.supplyAsync(() -> {
      SortedIds result = base;
      if (inputs.isEmpty()) return SortedIds.merge(result, SortedIds.EMPTY, dropBelow);
      for (SortedIds s : inputs) result = SortedIds.merge(result, s, dropBelow);
      return result;
    }, merger);
  }

  /** Installs a finished merge, on the sequencer, and starts the next when more waits. */
  void installMerged() {
    if (merging == null || !merging.isDone()) return;
    finishMerge();
  }

  private void finishMerge() {
    merged = merging.join();
    for (int i = 0; i < mergingSealedCount; i++) sealed.removeFirst();
    merging = null;
    int n = merged.size() + open.size() + collided.size();
    long b = merged.bytes() + open.bytes();
    for (SortedIds s : sealed) {
      n += s.size();
      b += s.bytes();
    }
    idCount = n;
    bytes = b;
    if (!sealed.isEmpty() || dropBelowSequence > mergedDropBelowSequence) startMerge();
  }

  /** Waits for merges in progress to finish (tests, and before a rebuild). */
  void awaitMerge() {
    while (merging != null) {
      merging.join();
      finishMerge();
    }
  }

  @Override
  public void close() {
    merger.shutdownNow();
  }

  // ---- checkpoint -----------------------------------------------------------------------------

  /** Name and format version of the checkpoint part. */
  static final String PART = "event-ids";
  static final int FORMAT_VERSION = 2;

  /** The index at one sequence boundary, to be written from any thread. */
  static final class Snapshot {
    private final boolean custom;
    private final long key0;
    private final long key1;
    private final long horizonMillis;
    private final SortedIds merged;
    private final List<SortedIds> sealed;
    private final long[] openKeys;
    private final long[] openSequences;
    private final List<long[]> hours;
    private final long dropBelowSequence;
    private final Map<String, Long> collided;

    private Snapshot(EventIds ids) {
      custom = ids.customHash != null;
      key0 = custom ? 0 : ids.sipHash.key0();
      key1 = custom ? 0 : ids.sipHash.key1();
      horizonMillis = ids.horizonMillis;
      merged = ids.merged;
      sealed = new ArrayList<>(ids.sealed);
      int n = ids.open.size();
      openKeys = new long[n];
      openSequences = new long[n];
      ids.open.copyTo(openKeys, openSequences);
      hours = new ArrayList<>(ids.hours.size());
      for (long[] h : ids.hours) hours.add(h.clone());
      dropBelowSequence = ids.dropBelowSequence;
      collided = new HashMap<>(ids.collided);
    }

    void writeTo(StateWriter out) throws IOException {
      out.header(PART, FORMAT_VERSION);
      out.writeBoolean(custom);
      out.writeLong(key0);
      out.writeLong(key1);
      out.writeLong(horizonMillis);
      merged.writeTo(out);
      out.writeInt(sealed.size());
      for (SortedIds s : sealed) s.writeTo(out);
      out.writeInt(openKeys.length);
      out.writeLongs(openKeys, openKeys.length);
      out.writeLongs(openSequences, openSequences.length);
      out.writeInt(hours.size());
      for (long[] h : hours) {
        out.writeLong(h[0]);
        out.writeLong(h[1]);
      }
      out.writeLong(dropBelowSequence);
      out.writeInt(collided.size());
      for (Map.Entry<String, Long> e : collided.entrySet()) {
        out.writeString(e.getKey());
        out.writeLong(e.getValue());
      }
      out.end();
    }
  }

  /** On the sequencer, between decisions: the index as of the last sequence decided (see the class comment). */
  Snapshot snapshot() {
    installMerged();
    return new Snapshot(this);
  }

  /**
   * Replaces what this index holds (the remembered ids stay) with a checkpoint's. Refuses a part
   * keyed by a test's own hash when this index has none, or the other way round, and one written
   * under another horizon (the hours would not mean the same).
   */
  void restore(StateReader in) throws IOException {
    awaitMerge();
    in.expectHeader(PART, FORMAT_VERSION);
    boolean wasCustom = in.readBoolean();
    if (wasCustom != (customHash != null)) throw new StateFormatException("the event-id index was keyed by another hash function");
    long k0 = in.readLong();
    long k1 = in.readLong();
    long horizon = in.readLong();
    if (horizon != horizonMillis) {
      throw new StateFormatException("the event-id index was kept for a horizon of " + horizon + " ms, this one is " + horizonMillis + " ms");
    }
    SortedIds restoredMerged = SortedIds.readFrom(in);
    int sealedCount = in.readCount("sealed event-id sets", 1_000_000);
    List<SortedIds> restoredSealed = new ArrayList<>(sealedCount);
    for (int i = 0; i < sealedCount; i++) restoredSealed.add(SortedIds.readFrom(in));
    int n = in.readCount("open event ids", OPEN_IDS_MAX);
    long[] keys = new long[n];
    long[] sequences = new long[n];
    in.readLongs(keys, n);
    in.readLongs(sequences, n);
    EventIdIndex restoredOpen = new EventIdIndex();
    for (int i = 0; i < n; i++) {
      if (keys[i] == 0 || sequences[i] < 1) throw new StateFormatException("an event-id entry is empty");
      restoredOpen.put(keys[i], sequences[i]);
    }
    if (restoredOpen.size() != n) throw new StateFormatException("event ids repeat in the open table");
    int hourCount = in.readCount("hours of event ids", 10_000_000);
    ArrayDeque<long[]> restoredHours = new ArrayDeque<>(hourCount);
    for (int i = 0; i < hourCount; i++) restoredHours.addLast(new long[] {in.readLong(), in.readLong()});
    long dropBelow = in.readLong();
    int c = in.readCount("collided event ids", 10_000_000);
    Map<String, Long> restoredCollided = new HashMap<>();
    for (int i = 0; i < c; i++) restoredCollided.put(in.readString(), in.readLong());
    in.expectEnd();
    if (customHash == null) sipHash = new EventIdHash(k0, k1);
    merged = restoredMerged;
    sealed.clear();
    sealed.addAll(restoredSealed);
    open = restoredOpen;
    hours.clear();
    hours.addAll(restoredHours);
    dropBelowSequence = dropBelow;
    mergedDropBelowSequence = 0; // the merged set may hold ids below dropBelow: the next merge drops them
    collided.clear();
    collided.putAll(restoredCollided);
    rebuilding = false;
    int count = merged.size() + open.size() + collided.size();
    long b = merged.bytes() + open.bytes();
    for (SortedIds s : sealed) {
      count += s.size();
      b += s.bytes();
    }
    idCount = count;
    bytes = b;
    // A snapshot taken while the live index's dropping merge was still running holds ids below
    // dropBelow in its merged set even when no sealed set is left: merge them away here too.
    if (!sealed.isEmpty() || dropBelowSequence > 0) startMerge();
  }
}
