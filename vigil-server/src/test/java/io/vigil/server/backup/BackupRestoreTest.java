package io.vigil.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.journal.VerifyJournalCommand;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.ChildServer;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The restore drill: an online backup taken while the server decides, the data directory wiped,
 * the backup restored and the server started on it: the journal verifies, and every decision and
 * feature value from before the backup is back as it was. A restore refuses a running server's data
 * and a damaged backup.
 */
class BackupRestoreTest {
  private static final List<String> PATIENT = List.of("--vigil.decisions.admission-budget-millis=30000",
      "--vigil.decisions.reply-timeout-millis=60000");
  private static final int ACCOUNTS = 6;
  private static final int DECISIONS_PER_ACCOUNT = 10;

  private record Acknowledged(String decisionId, String action) {}

  @Test
  void backupWhileDecidingThenWipeRestoreAndStartGivesBackTheSameDecisionsAndFeatures() throws Exception {
    Path dataDir = Files.createTempDirectory("vigil-backup-");
    Path kept = Files.createTempDirectory("vigil-backup-kept-");
    List<Acknowledged> before = new ArrayList<>();
    Map<String, Object> featuresBefore = new LinkedHashMap<>();
    Path backup = kept.resolve("backup.zip");
    Instant at;
    ChildServer first = ChildServer.start(dataDir, List.of("-Xmx384m"), PATIENT);
    try {
      first.awaitHealthy();
      for (int i = 0; i < DECISIONS_PER_ACCOUNT; i++) {
        for (int a = 0; a < ACCOUNTS; a++) before.add(decide(first.api, "before-" + a + "-" + i, "acct-" + a, 1_000L * (i + 1)));
      }
      // One instant for both servers, after every event: the child's clock lags the test's by its start-up time.
      at = TestClock.now().plus(Duration.ofMinutes(10));
      for (int a = 0; a < ACCOUNTS; a++) featuresBefore.put("acct-" + a, features(first.api, "acct-" + a, at));

      // Decisions go on while the backup is written.
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService load = Executors.newSingleThreadExecutor();
      Future<Integer> during = load.submit(() -> {
        int n = 0;
        while (!stop.get() || n < 20) decide(first.api, "during-" + n, "acct-during-" + (n++ % 3), 500);
        return n;
      });
      ApiClient.Reply reply;
      try {
        reply = first.api.post("/v1/admin/backups", Map.of());
      } finally {
        stop.set(true);
      }
      assertThat(during.get(5, TimeUnit.MINUTES)).isGreaterThanOrEqualTo(20);
      load.shutdown();
      assertThat(reply.status()).as(reply.body()).isEqualTo(201);
      Path written = Path.of((String) reply.json().get("file"));
      assertThat(written).startsWith(dataDir.resolve("backups"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> entries = (List<Map<String, Object>>) reply.json().get("entries");
      assertThat(entries).extracting(e -> e.get("path")).contains(BackupArchive.DATABASE, "anchor/anchors.jsonl",
          "anchor/public-keys.jsonl", "anchor/signing.key");
      Files.copy(written, backup);

      assertThat(restore(backup, dataDir)).as("a running server's data is not replaced").isEqualTo(1);
      assertThat(first.api.get("/v1/decisions/" + before.get(0).decisionId()).status()).isEqualTo(200);
    } finally {
      first.process().destroy();
      if (!first.process().waitFor(60, TimeUnit.SECONDS)) first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    // The keysets (secrets and personal data) are never in a backup: the operator keeps them apart,
    // so an old backup cannot bring back a person's erased data. Kept aside here as that copy.
    Path keysCopy = kept.resolve("keys");
    copyTree(dataDir.resolve("keys"), keysCopy);
    deleteTree(dataDir);
    Files.createDirectories(dataDir);
    Path damaged = kept.resolve("damaged.zip");
    byte[] bytes = Files.readAllBytes(backup);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(damaged, bytes);
    assertThat(restore(damaged, dataDir)).as("a damaged backup is refused").isEqualTo(1);
    assertThat(dataDir.resolve(BackupArchive.DATABASE)).doesNotExist();

    assertThat(restore(backup, dataDir)).isZero();
    copyTree(keysCopy, dataDir.resolve("keys"));
    assertThat(VerifyJournalCommand.run(new String[] {"verify-journal", "--data-dir", dataDir.toString()}))
        .as("the restored journal verifies against the restored anchors").isZero();

    try (ChildServer second = ChildServer.start(dataDir, List.of("-Xmx384m"), PATIENT)) {
      second.awaitHealthy();
      for (Acknowledged a : before) {
        ApiClient.Reply r = second.api.get("/v1/decisions/" + a.decisionId());
        assertThat(r.status()).as("decision %s after the restore: %s", a.decisionId(), r.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> decision = (Map<String, Object>) r.json().get("decision");
        assertThat(decision.get("action")).isEqualTo(a.action());
      }
      for (int a = 0; a < ACCOUNTS; a++) {
        assertThat(features(second.api, "acct-" + a, at)).as("features of acct-%d", a).isEqualTo(featuresBefore.get("acct-" + a));
      }
      // The restored server takes decisions again, chained on the restored head.
      decide(second.api, "after-restore", "acct-0", 700);
    } finally {
      deleteTree(kept);
    }
  }

  private static int restore(Path backup, Path dataDir) {
    return RestoreCommand.run(new String[] {"restore", "--from", backup.toString(), "--data-dir", dataDir.toString()});
  }

  private static Acknowledged decide(ApiClient api, String eventId, String account, long amountMinor) {
    Map<String, Object> event = Events.payment(eventId, account, amountMinor);
    ApiClient.Reply r = api.post("/v1/decisions", event);
    // A 503 was not acknowledged; the same event id again gets the stored answer or a new decision.
    for (int attempt = 0; r.status() == 503 && attempt < 20; attempt++) r = api.post("/v1/decisions", event);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new Acknowledged((String) r.json().get("decision_id"), (String) r.json().get("action"));
  }

  /** The account's feature values at {@code at}, over the windows of an hour and longer (the minute's are empty then). */
  private static Map<String, Object> features(ApiClient api, String account, Instant at) {
    ApiClient.Reply r = api.get("/v1/features/account/" + account + "?at=" + at);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("known")).isEqualTo(true);
    @SuppressWarnings("unchecked")
    Map<String, Object> all = (Map<String, Object>) r.json().get("features");
    Map<String, Object> hourAndLonger = new TreeMap<>(all);
    hourAndLonger.keySet().removeIf(name -> name.endsWith("_1m"));
    assertThat(hourAndLonger).containsKeys("count_1h", "sum_24h");
    assertThat(hourAndLonger.get("count_1h")).as("the account's decisions are in its hour window").isEqualTo(DECISIONS_PER_ACCOUNT);
    return hourAndLonger;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
