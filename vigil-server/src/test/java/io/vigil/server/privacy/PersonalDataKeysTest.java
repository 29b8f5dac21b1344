package io.vigil.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListKind;
import io.vigil.server.api.Json;
import io.vigil.server.list.ListRepository;
import io.vigil.server.list.ListService;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keys, sealing and opening, erasure and rotation, on a real (embedded) store and real keyset files. */
class PersonalDataKeysTest {
  private Path dir;
  private HikariDataSource ds;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory("vigil-pd-keys-");
    ds = TestDatabases.h2().open();
  }

  @AfterEach
  void tearDown() {
    ds.close();
  }

  private JournalSealing sealing(MasterKeys master) {
    DataKeys keys = new DataKeys(new DataKeyRepository(ds), master, TestClock.INSTANCE, 1_000);
    return new JournalSealing(new SealedValues(keys), LookupHashes.open(dir.resolve("keys/lookup.json")));
  }

  private static Map<String, Object> event(String eventId, String account, String phone) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", eventId);
    m.put("type", "payment");
    m.put("occurred_at", TestClock.now().toString());
    m.put("account_id", account);
    m.put("amount", 500);
    m.put("currency", "USD");
    m.put("phone", phone);
    m.put("ip", "198.51.100.23");
    m.put("device", new LinkedHashMap<>(Map.of("id", "dev-gen-77", "user_agent", "GenAgent/1")));
    return m;
  }

  /** Seals an event and then stores its new key as the decision committer does, in the row's transaction. */
  private String seal(JournalSealing s, Map<String, Object> tree) {
    Event e = EventParser.parse(tree);
    String stored = s.sealEvent(tree, Json.canonical(tree), e);
    commitKeys(s);
    return stored;
  }

  private void commitKeys(JournalSealing s) {
    List<DataKeyRepository.Row> keys = s.unstoredKeys();
    storeKeys(s, keys, true);
    s.keysStored(keys);
  }

  /** The committer's part: the keys stored in a transaction that commits, or rolls back as a refused batch does. */
  private void storeKeys(JournalSealing s, List<DataKeyRepository.Row> keys, boolean commit) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      s.storeKeys(c, keys);
      if (commit) c.commit();
      else c.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private long storedKeys(String subject) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM personal_data_keys WHERE subject = ?")) {
      ps.setString(1, subject);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNewPersonsKeyIsStoredWithTheJournalRowsNotBeforeAndNotTwice() {
    JournalSealing s = sealing(MasterKeys.open(dir.resolve("keys/d.json")));
    Map<String, Object> tree = event("evt-d1", "acct-d1", "+15550100011");
    String stored = s.sealEvent(tree, Json.canonical(tree), EventParser.parse(tree));
    assertThat(storedKeys("account:acct-d1")).as("no transaction of its own on the request's thread").isZero();
    assertThat(s.unstoredKeys()).hasSize(1).first().extracting(DataKeyRepository.Row::subject).isEqualTo("account:acct-d1");
    assertThat(s.openEvent(stored, JournalPrivacy.Reading.DISPLAY)).as("it opens before the commit").containsEntry("phone", "+15550100011");

    storeKeys(s, s.unstoredKeys(), false);
    assertThat(storedKeys("account:acct-d1")).as("rolled back with the rows").isZero();
    assertThat(s.unstoredKeys()).as("still waiting for the next batch").hasSize(1);

    commitKeys(s);
    commitKeys(s); // a second batch taking the same keys list stores nothing twice
    assertThat(storedKeys("account:acct-d1")).isEqualTo(1);
    assertThat(s.unstoredKeys()).isEmpty();
    seal(s, event("evt-d2", "acct-d1", "+15550100011"));
    assertThat(storedKeys("account:acct-d1")).as("the same key for the person's next event").isEqualTo(1);
  }

  @Test
  void erasingAPersonWhoseKeyWaitsForItsRowDestroysItToo() {
    MasterKeys master = MasterKeys.open(dir.resolve("keys/w.json"));
    DataKeys keys = new DataKeys(new DataKeyRepository(ds), master, TestClock.INSTANCE, 1_000);
    JournalSealing s = new JournalSealing(new SealedValues(keys), LookupHashes.open(dir.resolve("keys/l.json")));
    Map<String, Object> tree = event("evt-w1", "acct-w1", "+15550100012");
    String stored = s.sealEvent(tree, Json.canonical(tree), EventParser.parse(tree));
    assertThat(new PersonalDataErasure(keys, TestClock.INSTANCE).eraseAccount("acct-w1", "test", "tester"))
        .containsEntry("keys_destroyed", 1);
    commitKeys(s); // the committer's batch, after the erasure: the erased row must not come back
    assertThat(s.openEvent(stored, JournalPrivacy.Reading.DISPLAY)).containsEntry("phone", SealedValues.ERASED);
  }

  @Test
  void keysetFilesAreCreatedOwnerOnlyAndReadBackAtTheNextStart() throws IOException {
    Path file = dir.resolve("keys/personal-data.keyset.json");
    JournalSealing first = sealing(MasterKeys.open(file));
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    Map<String, Object> sent = event("evt-k1", "acct-k1", "+15550100001");
    String stored = seal(first, sent);
    assertThat(stored).doesNotContain("+15550100001").doesNotContain("198.51.100.23").doesNotContain("dev-gen-77")
        .contains("\"account_id\":\"acct-k1\"").contains(SealedValues.PREFIX);

    JournalSealing restarted = sealing(MasterKeys.open(file)); // the same file, nothing cached
    Map<String, Object> opened = restarted.openEvent(stored, JournalPrivacy.Reading.DISPLAY);
    assertThat(opened).containsEntry("phone", "+15550100001").containsEntry("ip", "198.51.100.23");
    assertThat(Json.canonical(opened)).as("the event as sent, exactly").isEqualTo(Json.canonical(sent));
  }

  @Test
  void aSealedPartMovedToAnotherEventDoesNotOpen() {
    JournalSealing s = sealing(MasterKeys.open(dir.resolve("keys/m.json")));
    Map<String, Object> stored = Json.readMap(seal(s, event("evt-m1", "acct-m", "+15550100002")));
    Map<String, Object> other = Json.readMap(seal(s, event("evt-m2", "acct-m", "+15550100003")));
    other.put(SealedEvent.KEY, stored.get(SealedEvent.KEY));
    assertThatThrownBy(() -> s.openEvent(Json.write(other), JournalPrivacy.Reading.DISPLAY))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not open");
  }

  @Test
  void erasureShredsOnePersonOnlyAndANewEventGetsANewKey() {
    MasterKeys master = MasterKeys.open(dir.resolve("keys/e.json"));
    DataKeys keys = new DataKeys(new DataKeyRepository(ds), master, TestClock.INSTANCE, 1_000);
    JournalSealing s = new JournalSealing(new SealedValues(keys), LookupHashes.open(dir.resolve("keys/l.json")));
    String a = seal(s, event("evt-e1", "acct-erased", "+15550100004"));
    String b = seal(s, event("evt-e2", "acct-kept", "+15550100005"));
    String response = s.sealResponse("{\"reasons\":[{\"message\":\"from +15550100004\"},{\"message\":\"plain\"}]}",
        EventParser.parse(event("evt-e1", "acct-erased", "+15550100004")));
    assertThat(response).doesNotContain("+15550100004").contains("plain");

    PersonalDataErasure erasure = new PersonalDataErasure(keys, TestClock.INSTANCE);
    assertThat(erasure.eraseAccount("acct-erased", "test", "tester")).containsEntry("keys_destroyed", 1);
    assertThat(erasure.eraseAccount("acct-erased", "again", "tester")).containsEntry("keys_destroyed", 0);

    Map<String, Object> shown = s.openEvent(a, JournalPrivacy.Reading.DISPLAY);
    assertThat(shown).containsEntry("phone", SealedValues.ERASED).containsEntry("ip", SealedValues.ERASED)
        .containsEntry("account_id", "acct-erased");
    assertThat(Json.write(shown.get("device"))).contains("\"id\":\"" + SealedValues.ERASED + "\"");
    Map<String, Object> replayed = s.openEvent(a, JournalPrivacy.Reading.REPLAY);
    assertThat(replayed).doesNotContainKeys("phone", "ip");
    assertThat(EventParser.parse(replayed).phone()).as("the replay parses without the fields").isNull();
    assertThat(s.openResponse(response, "evt-e1")).contains(SealedValues.ERASED).contains("plain");
    assertThat(s.openEvent(b, JournalPrivacy.Reading.DISPLAY)).containsEntry("phone", "+15550100005");

    String later = seal(s, event("evt-e3", "acct-erased", "+15550100006"));
    assertThat(s.openEvent(later, JournalPrivacy.Reading.DISPLAY)).containsEntry("phone", "+15550100006");
  }

  @Test
  void rotationKeepsOldDataReadableAndWrapsNewKeysUnderTheNewPrimary() throws Exception {
    Path file = dir.resolve("keys/r.json");
    MasterKeys master = MasterKeys.open(file);
    long firstPrimary = master.primaryId();
    DataKeys keys = new DataKeys(new DataKeyRepository(ds), master, TestClock.INSTANCE, 1_000);
    JournalSealing s = new JournalSealing(new SealedValues(keys), LookupHashes.open(dir.resolve("keys/l.json")));
    String before = seal(s, event("evt-r1", "acct-r1", "+15550100007"));
    CheckpointSealing parts = new CheckpointSealing(master);
    byte[] oldPart = sealPart(parts, "signals.bin", "old state");

    KeyRotation.Result kept = new KeyRotation(keys).rotate(false);
    assertThat(kept.rewrapped()).isEqualTo(1);
    assertThat(kept.keyIds()).containsExactlyInAnyOrder(firstPrimary, kept.primaryKeyId());
    assertThat(openPart(parts, "signals.bin", oldPart)).as("kept old key still opens the old part").isEqualTo("old state");

    KeyRotation.Result removed = new KeyRotation(keys).rotate(true);
    assertThat(removed.leftUnderOlderKeys()).isZero();
    assertThat(removed.keyIds()).containsExactly(removed.primaryKeyId());
    assertThat(removed.removedKeyIds()).contains(firstPrimary, kept.primaryKeyId());

    // A restart: the keyset file holds only the new primary, and the old data still opens.
    MasterKeys reopened = MasterKeys.open(file);
    assertThat(reopened.keyIds()).containsExactly(removed.primaryKeyId());
    DataKeys fresh = new DataKeys(new DataKeyRepository(ds), reopened, TestClock.INSTANCE, 1_000);
    JournalSealing s2 = new JournalSealing(new SealedValues(fresh), LookupHashes.open(dir.resolve("keys/l.json")));
    assertThat(s2.openEvent(before, JournalPrivacy.Reading.DISPLAY)).containsEntry("phone", "+15550100007");
    seal(s2, event("evt-r2", "acct-r2", "+15550100008"));
    assertThat(new DataKeyRepository(ds).active("account:acct-r2").orElseThrow().masterKeyId()).isEqualTo(removed.primaryKeyId());
    assertThat(new DataKeyRepository(ds).active("account:acct-r1").orElseThrow().masterKeyId()).isEqualTo(removed.primaryKeyId());
    assertThatThrownBy(() -> openPart(new CheckpointSealing(reopened), "signals.bin", oldPart))
        .as("a part sealed under a removed key is refused (the state is rebuilt instead)").isInstanceOf(IOException.class);
  }

  @Test
  void checkpointPartsAreSealedAndBoundToTheirNameAndPlaintextPartsStillRead() throws IOException {
    CheckpointSealing parts = new CheckpointSealing(MasterKeys.open(dir.resolve("keys/c.json")));
    String state = "windows of +15550100009 ".repeat(100_000); // several segments
    byte[] sealed = sealPart(parts, "features.bin", state);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("+15550100009");
    assertThat(openPart(parts, "features.bin", sealed)).isEqualTo(state);
    assertThatThrownBy(() -> openPart(parts, "signals.bin", sealed)).isInstanceOf(IOException.class);
    assertThat(openPart(parts, "ledger.bin", "VIGL plain part".getBytes(StandardCharsets.UTF_8))).isEqualTo("VIGL plain part");
  }

  @Test
  void listRowsStoredInPlaintextBeforeAreSealedOnceAndStillFound() throws Exception {
    ListEntry plain = new ListEntry("le_pd_plain_1", ListKind.BLOCK, ListEntity.PHONE, "+15550100010", "test", "test", "tester",
        TestClock.INSTANCE.millis(), 0);
    new ListRepository(ds).insert(plain, "tester", Json.write(ListService.json(plain, TestClock.INSTANCE.millis())));
    assertThat(rawListRows()).contains("+15550100010");

    MasterKeys master = MasterKeys.open(dir.resolve("keys/s.json"));
    DataKeys keys = new DataKeys(new DataKeyRepository(ds), master, TestClock.INSTANCE, 1_000);
    ListSealing sealing = new ListSealing(new SealedValues(keys), LookupHashes.open(dir.resolve("keys/l.json")), TestClock.INSTANCE);
    assertThat(sealing.sealStoredPlaintext(ds)).isEqualTo(2); // the entry and its audit record
    assertThat(sealing.sealStoredPlaintext(ds)).as("done once").isZero();
    assertThat(rawListRows()).doesNotContain("+15550100010");

    ListRepository sealed = new ListRepository(ds, sealing);
    assertThat(sealed.findValues(ListKind.BLOCK, ListEntity.PHONE, List.of("+15550100010"))).containsKey("+15550100010");
    assertThat(sealed.changes(null, null, 10).get(0).entryJson()).contains("+15550100010");
    ListEntry added = new ListEntry("le_pd_sealed_2", ListKind.WATCH, ListEntity.DEVICE, "dev-pd-list-77", null, null, "tester",
        TestClock.INSTANCE.millis(), 0);
    sealed.insert(added, "tester", Json.write(ListService.json(added, TestClock.INSTANCE.millis())));
    assertThat(rawListRows()).doesNotContain("dev-pd-list-77");
    assertThat(sealed.page(ListKind.WATCH, ListEntity.DEVICE, "dev-pd-list-77", null, 10)).extracting(ListEntry::id)
        .containsExactly("le_pd_sealed_2");
  }

  /** Every column of list_entries and list_changes, as stored. */
  private String rawListRows() throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      for (String table : List.of("list_entries", "list_changes")) {
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
          while (rs.next()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) out.append(rs.getString(i)).append('|');
          }
        }
      }
    }
    return out.toString();
  }

  private static byte[] sealPart(CheckpointSealing parts, String file, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = parts.sealing(bytes, file)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static String openPart(CheckpointSealing parts, String file, byte[] sealed) throws IOException {
    try (InputStream in = parts.opening(new BufferedInputStream(new ByteArrayInputStream(sealed)), file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
