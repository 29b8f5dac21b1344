package io.vigil.server.list;

import io.vigil.engine.event.CardNumbers;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the entries of an import file, all or none. An entry is identified by its list, entity and
 * normalized value, so importing a file again changes nothing: an entry already on the list is
 * kept as stored, and reported when the file gives it another reason, source or expiry. A row that
 * breaks a rule of {@code POST /v1/lists/entries} refuses the whole file, naming the row and field.
 * New entries are journaled like entries added one by one (operation {@code create}, the importer
 * as actor) and are in force for the next decision once the call returns. The file is checked
 * first; looking up its values, counting the room left and writing run under the lock of
 * {@link ListService#writing}, so concurrent imports and entries cannot overfill a list.
 */
public final class ListImport {
  /** Kept entries listed in a result; the count covers them all. */
  static final int KEPT_SHOWN_MAX = 100;
  private final ListRepository repository;
  private final ListIndex index;
  private final ListService lists;
  private final Clock clock;

  public ListImport(ListRepository repository, ListIndex index, ListService lists, Clock clock) {
    this.repository = repository;
    this.index = index;
    this.lists = lists;
    this.clock = clock;
  }

  /** What an import did: rows read, entries created, rows already on their list as given, and rows whose entry was kept. */
  public record Result(int rows, int created, int unchanged, int kept, List<Kept> keptShown) {}

  /** A row whose value was already on its list with other details: the stored entry stays as it is. */
  public record Kept(String row, String entryId, List<String> fields) {}

  private record Key(ListKind kind, ListEntity entity, String value) {}

  private record Checked(ImportRow row, NewEntry entry) {}

  /** Entries given as objects (a bulk change request), imported as a file's rows are; errors name {@code prefix[i]}. */
  public Result runEntries(List<Map<String, Object>> entries, String prefix, String actor) {
    return run(rows(entries, prefix), actor);
  }

  /** Checks entries given as objects as {@link #runEntries} would, writing nothing. */
  public void checkEntries(List<Map<String, Object>> entries, String prefix) {
    long now = clock.millis();
    for (ImportRow row : rows(entries, prefix)) check(row, now);
  }

  private static List<ImportRow> rows(List<Map<String, Object>> entries, String prefix) {
    List<ImportRow> rows = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) rows.add(new ImportRow(prefix + "[" + i + "]", entries.get(i)));
    return rows;
  }

  public Result run(List<ImportRow> rows, String actor) {
    long now = clock.millis();
    Map<Key, Checked> byKey = new LinkedHashMap<>();
    for (ImportRow row : rows) {
      NewEntry entry = check(row, now);
      Checked earlier = byKey.putIfAbsent(new Key(entry.kind(), entry.entity(), entry.value()), new Checked(row, entry));
      if (earlier != null) {
        throw ApiException.invalid("duplicate_entry", row.path() + " repeats the list, entity and value of " + earlier.row().path(),
            row.path() + ".value");
      }
    }
    return lists.writing(() -> add(byKey, rows.size(), actor, now));
  }

  /** Creates the entries not yet on their list; the caller holds the list write lock. */
  private Result add(Map<Key, Checked> byKey, int rowCount, String actor, long now) {
    List<ListEntry> created = new ArrayList<>();
    List<Kept> kept = new ArrayList<>();
    int unchanged = 0;
    for (Map.Entry<ListKind, Map<ListEntity, List<Checked>>> byKind : grouped(byKey).entrySet()) {
      for (Map.Entry<ListEntity, List<Checked>> group : byKind.getValue().entrySet()) {
        List<Checked> checked = group.getValue();
        Map<String, ListEntry> stored = repository.findValues(byKind.getKey(), group.getKey(),
            checked.stream().map(c -> c.entry().value()).toList());
        int room = index.room(byKind.getKey(), group.getKey());
        for (Checked c : checked) {
          ListEntry existing = stored.get(c.entry().value());
          if (existing == null) {
            if (room-- <= 0) throw ListService.listFull(c.row().path() + ".list");
            created.add(c.entry().toEntry(actor, now));
            continue;
          }
          List<String> differs = c.entry().differencesFrom(existing);
          if (differs.isEmpty()) {
            unchanged++;
          } else {
            kept.add(new Kept(c.row().path(), existing.id(), differs));
          }
        }
      }
    }
    store(created, actor, now);
    return new Result(rowCount, created.size(), unchanged, kept.size(), kept.subList(0, Math.min(kept.size(), KEPT_SHOWN_MAX)));
  }

  private void store(List<ListEntry> created, String actor, long now) {
    if (created.isEmpty()) return;
    try {
      repository.insertAll(created, actor, e -> Json.write(ListService.json(e, now)));
    } catch (ListRepository.DuplicateEntry e) {
      throw ApiException.conflict("invalid_request_error", "list_entry_exists",
          "An entry of the file was added by another request during the import; nothing was imported. Send the file again", null);
    }
    for (ListEntry e : created) index.put(e);
  }

  /** The row as a new entry, or the entry API's error with the row's place in front of its field. */
  private static NewEntry check(ImportRow row, long now) {
    CardNumbers.refuse(row.fields(), row.path(), NewEntry.CARD_NUMBER_EXEMPTION); // its param has the row's place already
    try {
      return NewEntry.parse(row.fields(), now);
    } catch (ApiException e) {
      throw new ApiException(e.status(), e.type(), e.code(), row.path() + ": " + e.getMessage(), row.path() + "." + e.param());
    } catch (ValidationException e) {
      throw ApiException.invalid(e.code(), row.path() + ": " + e.getMessage(), row.path() + "." + e.param());
    }
  }

  private static Map<ListKind, Map<ListEntity, List<Checked>>> grouped(Map<Key, Checked> byKey) {
    Map<ListKind, Map<ListEntity, List<Checked>>> groups = new LinkedHashMap<>();
    for (Checked c : byKey.values()) {
      groups.computeIfAbsent(c.entry().kind(), k -> new HashMap<>()).computeIfAbsent(c.entry().entity(), k -> new ArrayList<>()).add(c);
    }
    return groups;
  }
}
