package io.vigil.engine.list;

import com.google.common.net.InetAddresses;
import io.vigil.engine.Limits;
import io.vigil.engine.event.Event;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory lists the engine consults on every decision. Exact values are hash lookups; IP
 * ranges are a copy-on-write array scanned linearly (thousands of ranges cost microseconds).
 *
 * <p>Thread-safe: the API thread changes entries, the decision thread reads them. A change is
 * visible to the next decision that starts after {@link #put} or {@link #remove} returns.
 */
public final class ListIndex {
  /** Per value, every entry holding it (usually one), as an immutable list replaced on change. */
  private final Map<ListKind, Map<ListEntity, Map<String, List<ListEntry>>>> exact = new EnumMap<>(ListKind.class);
  private final Map<String, ListEntry> byId = new ConcurrentHashMap<>();
  private volatile List<Range> ranges = List.of();
  /** Entries per (kind, entity), IP ranges included; guarded by this. */
  private final int[][] sizes = new int[ListKind.values().length][ListEntity.values().length];

  private record Range(ListEntry entry, byte[] network, int prefixBits) {}

  public ListIndex() {
    for (ListKind k : ListKind.values()) {
      Map<ListEntity, Map<String, List<ListEntry>>> m = new EnumMap<>(ListEntity.class);
      for (ListEntity e : ListEntity.values()) m.put(e, new ConcurrentHashMap<>());
      exact.put(k, m);
    }
  }

  /** Adds or replaces an entry; the value must already be normalized by {@link ListValues}. */
  public synchronized void put(ListEntry entry) {
    Map<String, List<ListEntry>> values = exact.get(entry.kind()).get(entry.entity());
    ListEntry previous = byId.get(entry.id());
    if (previous != null) remove(previous.id());
    if (!hasRoomFor(entry)) {
      throw new IllegalStateException("list " + entry.kind().wireName() + "/" + entry.entity().wireName() + " is full");
    }
    byId.put(entry.id(), entry);
    sizes[entry.kind().ordinal()][entry.entity().ordinal()]++;
    if (entry.entity() == ListEntity.IP && entry.value().indexOf('/') >= 0) {
      List<Range> copy = new ArrayList<>(ranges);
      String v = entry.value();
      int slash = v.indexOf('/');
      copy.add(new Range(entry, InetAddresses.forString(v.substring(0, slash)).getAddress(), Integer.parseInt(v.substring(slash + 1))));
      ranges = List.copyOf(copy);
    } else {
      values.merge(entry.value(), List.of(entry), (held, added) -> {
        List<ListEntry> all = new ArrayList<>(held);
        all.addAll(added);
        return List.copyOf(all);
      });
    }
  }

  /** True when {@link #put} would accept the entry (its list, IP ranges included, is not full). */
  public synchronized boolean hasRoomFor(ListEntry entry) {
    return listSize(entry.kind(), entry.entity()) < Limits.LIST_ENTRIES_PER_LIST_MAX;
  }

  /** How many more entries the list of this kind and entity takes, IP ranges included. */
  public synchronized int room(ListKind kind, ListEntity entity) {
    return Limits.LIST_ENTRIES_PER_LIST_MAX - listSize(kind, entity);
  }

  private int listSize(ListKind kind, ListEntity entity) {
    return sizes[kind.ordinal()][entity.ordinal()];
  }

  public synchronized ListEntry remove(String id) {
    ListEntry entry = byId.remove(id);
    if (entry == null) return null;
    sizes[entry.kind().ordinal()][entry.entity().ordinal()]--;
    Map<String, List<ListEntry>> values = exact.get(entry.kind()).get(entry.entity());
    values.computeIfPresent(entry.value(), (value, held) -> {
      List<ListEntry> rest = held.stream().filter(e -> e != entry).toList();
      return rest.isEmpty() ? null : rest;
    });
    if (entry.entity() == ListEntity.IP) {
      List<Range> copy = new ArrayList<>(ranges);
      copy.removeIf(r -> r.entry().id().equals(id));
      ranges = List.copyOf(copy);
    }
    return entry;
  }

  public ListEntry get(String id) {
    return byId.get(id);
  }

  public int size() {
    return byId.size();
  }

  /** The active entry of this kind matching the event's entity value, or null. */
  public ListEntry match(ListKind kind, ListEntity entity, Event event, long nowMillis) {
    return matchValue(kind, entity, entity.valueOf(event), nowMillis);
  }

  /** The active entry of this kind matching a normalized value of the entity, or null. */
  public ListEntry matchValue(ListKind kind, ListEntity entity, String value, long nowMillis) {
    if (value == null) return null;
    List<ListEntry> held = exact.get(kind).get(entity).get(value);
    if (held != null) {
      for (ListEntry hit : held) if (hit.activeAt(nowMillis)) return hit;
    }
    if (entity == ListEntity.IP) return matchRange(kind, value, nowMillis);
    return null;
  }

  private ListEntry matchRange(ListKind kind, String ip, long nowMillis) {
    List<Range> snapshot = ranges;
    if (snapshot.isEmpty()) return null;
    byte[] address = InetAddresses.forString(ip).getAddress();
    for (Range r : snapshot) {
      if (r.entry().kind() == kind && r.entry().activeAt(nowMillis) && inRange(address, r.network(), r.prefixBits())) {
        return r.entry();
      }
    }
    return null;
  }

  static boolean inRange(byte[] address, byte[] network, int prefixBits) {
    if (address.length != network.length) return false;
    int fullBytes = prefixBits / 8;
    for (int i = 0; i < fullBytes; i++) if (address[i] != network[i]) return false;
    int rest = prefixBits % 8;
    if (rest == 0) return true;
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (address[fullBytes] & mask) == (network[fullBytes] & mask);
  }
}
