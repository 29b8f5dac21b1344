package io.vigil.server.list;

import io.vigil.engine.Limits;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.list.ListValues;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.TimeCursor;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * List changes: stored with an audit record first, then applied to the in-memory index, so a
 * change is in force for the very next decision once the API call returns. Every change (an entry
 * created or deleted, a file imported) runs under one lock, so a list's room checked before a
 * write still holds when the write is made.
 */
public final class ListService {
  private final ListRepository repository;
  private final ListIndex index;
  private final Clock clock;
  private final Object writeLock = new Object();

  public ListService(ListRepository repository, ListIndex index, Clock clock) {
    this.repository = repository;
    this.index = index;
    this.clock = clock;
    for (ListEntry e : repository.all()) index.put(e);
  }

  public ListEntry create(Map<String, Object> body, String actor) {
    long now = clock.millis();
    ListEntry entry = NewEntry.parse(body, now).toEntry(actor, now);
    return writing(() -> {
      if (!index.hasRoomFor(entry)) throw listFull("list");
      try {
        repository.insert(entry, actor, Json.write(json(entry, now)));
      } catch (ListRepository.DuplicateEntry e) {
        throw ApiException.conflict("invalid_request_error", "list_entry_exists",
            "This value is already on the " + entry.kind().wireName() + " list; delete it first to change it", "value");
      }
      index.put(entry);
      return entry;
    });
  }

  /**
   * Checks an entry's fields as {@link #create} does, and that its list has room, writing nothing:
   * for a change that adds entries later (a case verdict) and must refuse a bad one before it
   * commits anything. The answer is the entry as it would be stored (value normalized).
   */
  public ListEntry check(Map<String, Object> body, String actor) {
    long now = clock.millis();
    ListEntry entry = NewEntry.parse(body, now).toEntry(actor, now);
    if (!index.hasRoomFor(entry)) throw listFull("list");
    return entry;
  }

  /** The entry of this list, entity and (normalized) value, if the list holds it. */
  public Optional<ListEntry> find(ListKind kind, ListEntity entity, String normalizedValue) {
    return repository.page(kind, entity, normalizedValue, null, 1).stream().findFirst();
  }

  /** Runs a change of the lists under the lock every list change takes (see {@link ListImport}). */
  <T> T writing(Supplier<T> change) {
    synchronized (writeLock) {
      return change.get();
    }
  }

  static ApiException listFull(String param) {
    return ApiException.invalid("list_full", "This list holds its maximum of " + Limits.LIST_ENTRIES_PER_LIST_MAX
        + " entries; delete some first", param);
  }

  public ListEntry delete(String id, String actor) {
    return writing(() -> {
      ListEntry entry = index.get(id);
      long now = clock.millis();
      if (entry == null || !repository.delete(id, actor, now, Json.write(json(entry, now)))) {
        throw ApiException.notFound("list_entry_not_found", "No list entry with this id", "id");
      }
      index.remove(id);
      return entry;
    });
  }

  public ListEntry get(String id) {
    ListEntry entry = index.get(id);
    if (entry == null) throw ApiException.notFound("list_entry_not_found", "No list entry with this id", "id");
    return entry;
  }

  /** A page of entries, newest first; value is normalized like a new entry's when the entity is given. */
  public List<ListEntry> page(ListKind kind, ListEntity entity, String value, TimeCursor after, int rows) {
    String normalized = value == null || entity == null ? value : ListValues.normalize(entity, value);
    return repository.page(kind, entity, normalized, after, rows);
  }

  public List<ListRepository.Change> changes(String entryId, Long afterChangeId, int rows) {
    return repository.changes(entryId, afterChangeId, rows);
  }

  public static Map<String, Object> json(ListEntry e, long nowMillis) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("list", e.kind().wireName());
    m.put("entity", e.entity().wireName());
    m.put("value", e.value());
    m.put("reason", e.reason());
    m.put("source", e.source());
    m.put("created_by", e.createdBy());
    m.put("created_at", Instant.ofEpochMilli(e.createdAtMillis()).toString());
    m.put("expires_at", NewEntry.expiresAt(e));
    m.put("active", e.activeAt(nowMillis));
    return m;
  }
}
