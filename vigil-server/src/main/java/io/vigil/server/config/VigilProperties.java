package io.vigil.server.config;

import io.vigil.engine.Limits;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.Window;
import io.vigil.engine.feature.WindowDiskSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of Vigil, under the {@code vigil.} prefix. Bad values fail start-up; none is
 * silently corrected. The README's configuration table lists each with its unit, default and bounds.
 */
@Validated
@ConfigurationProperties(prefix = "vigil")
public record VigilProperties(
    /** Directory for the embedded database, and by default for the journal's anchor files. */
    @DefaultValue("./data") @NotBlank String dataDir,
    @DefaultValue @Valid Storage storage,
    @DefaultValue @Valid Decisions decisions,
    @DefaultValue @Valid Http http,
    @DefaultValue @Valid Features features,
    @DefaultValue @Valid Reference reference,
    @DefaultValue @Valid Signals signals,
    @DefaultValue @Valid Reversals reversals,
    @DefaultValue @Valid Models models,
    @DefaultValue @Valid Journal journal,
    @DefaultValue @Valid Uploads uploads,
    @DefaultValue @Valid Health health,
    @DefaultValue @Valid Checkpoints checkpoints) {

  /**
   * Checkpoints of the in-memory state, so that a start replays only the journal after the newest
   * one (docs/operations.md#checkpoints).
   *
   * @param enabled take checkpoints while deciding
   * @param load start from the newest usable checkpoint; false replays the whole journal (the
   *     checkpoints are kept, and new ones are still taken when enabled)
   * @param dir where they are written; empty means {@code <data-dir>/checkpoints}
   * @param intervalSeconds a checkpoint is taken this long after the previous one, if a decision was made since
   * @param everyDecisions ... or after this many decisions, whichever comes first
   * @param keep checkpoints kept on disk, newest first; older ones are deleted
   */
  public record Checkpoints(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("true") boolean load,
      @DefaultValue("") String dir,
      @DefaultValue("300") @Min(10) @Max(86_400) long intervalSeconds,
      @DefaultValue("1000000") @Min(1_000) @Max(1_000_000_000) long everyDecisions,
      @DefaultValue("2") @Min(1) @Max(10) int keep) {}

  /** Where checkpoints go: {@code vigil.checkpoints.dir}, or {@code <data-dir>/checkpoints}. */
  public java.nio.file.Path checkpointDir() {
    return checkpoints.dir().isEmpty() ? java.nio.file.Path.of(dataDir, "checkpoints") : java.nio.file.Path.of(checkpoints.dir());
  }

  /**
   * The idempotency horizon covers every event the engine still accepts: an event older than the
   * feature lateness is refused, and one more than the accepted clock skew ahead of the clock too,
   * so an event whose id the index has forgotten can only come back refused as too old, and is
   * then answered from the journal. A shorter horizon would let a retry of an accepted event be
   * decided again: the journal's unique index refuses it, at the cost of a state rebuild.
   */
  public VigilProperties {
    if (decisions != null && features != null) checkIdempotencyHorizon(decisions.idempotencyHorizonMillis(), features.latenessMillis());
  }

  /** Refuses a horizon shorter than the lateness plus the accepted clock skew (see the constructor). */
  static void checkIdempotencyHorizon(long horizonMillis, long latenessMillis) {
    if (horizonMillis < latenessMillis + Limits.FUTURE_SKEW_MILLIS_MAX) {
      throw new IllegalArgumentException("vigil.decisions.idempotency-horizon-millis (" + horizonMillis
          + ") must be at least vigil.features.lateness-millis (" + latenessMillis + ") plus the "
          + Limits.FUTURE_SKEW_MILLIS_MAX + " ms of clock skew accepted on occurred_at: a retry of an event still accepted must be"
          + " answered from memory");
    }
  }

  /**
   * @param onBrokenChain what start-up does when the journal's chain or its anchors are broken:
   *     {@code refuse} to start, or start {@code read-only} (decisions get 503 journal_broken, reads work)
   * @param anchor the signed heads of the journal
   * @param archivedThrough the sequence of the last journal row moved to an archive (0: none): the
   *     chain check then accepts a journal that starts right after it (docs/operations.md, "Keeping
   *     the journal for years")
   */
  public record Journal(
      @DefaultValue("refuse") @Pattern(regexp = "refuse|read-only") String onBrokenChain,
      @DefaultValue @Valid Anchoring anchor,
      @DefaultValue("0") @Min(0) long archivedThrough) {}

  /**
   * @param intervalMillis how often the committed head is signed while it moves: the window in
   *     which a database writer can change rows unnoticed
   * @param key the signing key's text (set it from the environment, {@code VIGIL_JOURNAL_ANCHOR_KEY});
   *     wins over keyFile
   * @param keyFile the signing key's file; empty means {@code <data-dir>/anchor/signing.key}, made on first start
   * @param file the anchor file; empty means {@code <data-dir>/anchor/anchors.jsonl}
   * @param keysFile the public keys of every signing key used; empty means {@code <data-dir>/anchor/public-keys.jsonl}
   */
  public record Anchoring(
      @DefaultValue("10000") @Min(100) @Max(3_600_000) long intervalMillis,
      @DefaultValue("") String key,
      @DefaultValue("") String keyFile,
      @DefaultValue("") String file,
      @DefaultValue("") String keysFile) {

    /** Never prints the key. */
    @Override
    public String toString() {
      return "Anchoring[intervalMillis=" + intervalMillis + ", key=" + (key.isEmpty() ? "" : "(set)") + ", keyFile=" + keyFile
          + ", file=" + file + ", keysFile=" + keysFile + "]";
    }
  }


  /**
   * @param modelBytesMax largest ONNX model body {@code PUT /v1/models/{id}} takes; it is written to
   *     a file under the data directory as it arrives, never held whole in memory
   * @param modelsConcurrentMax model uploads received at once; one more gets {@code 503 uploads_busy}
   * @param listImportsConcurrentMax list imports ({@code POST /v1/lists/import}, read whole, up to
   *     16 MiB) processed at once; one more gets {@code 503 uploads_busy}
   */
  public record Uploads(
      @DefaultValue("67108864") @Min(1_024) @Max(268_435_456) long modelBytesMax,
      @DefaultValue("2") @Min(1) @Max(64) int modelsConcurrentMax,
      @DefaultValue("2") @Min(1) @Max(64) int listImportsConcurrentMax) {}

  /**
   * @param storeCheckCacheMillis the store's health is checked at most once per this period
   * @param storeCheckTimeoutMillis a store check that has not answered by then is DOWN
   */
  public record Health(
      @DefaultValue("1000") @Min(0) @Max(60_000) long storeCheckCacheMillis,
      @DefaultValue("1000") @Min(100) @Max(30_000) long storeCheckTimeoutMillis) {}

  /**
   * @param retrainEveryHours train a shadow model on this period, at least 24 (0 = only on request, POST /v1/models/train)
   * @param retrainWindowDays the scheduled training's window of stored decisions, ending at the run
   * @param retrainLabelDelayDays decisions younger than this without a verdict are left out of it; shorter than the window
   */
  public record Models(
      @DefaultValue("0") @Min(0) @Max(2_160) int retrainEveryHours,
      @DefaultValue("14") @Min(1) @Max(60) int retrainWindowDays,
      @DefaultValue("7") @Min(0) @Max(59) int retrainLabelDelayDays) {}

  /**
   * @param windowMinutes how long after a payment the holder may ask to reverse it
   * @param requestsPerDayToReview from this many requests of one account within 24 h, a person decides
   */
  public record Reversals(
      @DefaultValue("10") @Min(1) @Max(10_080) int windowMinutes,
      @DefaultValue("3") @Min(1) @Max(1_000) int requestsPerDayToReview) {}

  /**
   * @param dir the reference-data directory; empty means {@code <data-dir>/reference}. Files are
   *     found by name (docs/signals.md); a file that is absent falls back to the built-in sample,
   *     or for the geo and ASN databases and the payment-code registry to "not configured".
   */
  public record Reference(@DefaultValue("") String dir) {}

  /**
   * @param homeCountry the market Vigil guards (ISO alpha-2) for the non-resident-on-local-proxy
   *     signal; empty turns it off
   * @param impossibleTravelSpeedKmh speed between located events above which travel is impossible
   * @param impossibleTravelDistanceKmMin jumps shorter than this are never impossible travel
   * @param phoneCacheEntriesMax parsed phone numbers kept in memory
   * @param linkIdentifiersPerAccountMax identifiers remembered per account in the link graph
   * @param linkAccountsPerIdentifierMax accounts remembered per identifier before it saturates
   * @param linkClusterAccountsMax accounts a cluster walk visits at most
   */
  public record Signals(
      @DefaultValue("") @Pattern(regexp = "|[A-Z]{2}") String homeCountry,
      @DefaultValue("900") @Min(1) @Max(100_000) double impossibleTravelSpeedKmh,
      @DefaultValue("300") @Min(0) @Max(20_000) double impossibleTravelDistanceKmMin,
      @DefaultValue("100000") @Min(1) @Max(10_000_000) int phoneCacheEntriesMax,
      @DefaultValue("64") @Min(6) @Max(1024) int linkIdentifiersPerAccountMax,
      @DefaultValue("256") @Min(2) @Max(65_536) int linkAccountsPerIdentifierMax,
      @DefaultValue("1000") @Min(1) @Max(100_000) int linkClusterAccountsMax) {}

  /** Where uploads are written while they arrive; emptied at start-up. */
  public java.nio.file.Path uploadDir() {
    return java.nio.file.Path.of(dataDir, ".uploads");
  }

  /** Where model artifacts are stored, one file each, named by its SHA-256. */
  public java.nio.file.Path modelDir() {
    return java.nio.file.Path.of(dataDir, "models");
  }

  /** Where the velocity windows' entries live on disk. */
  public java.nio.file.Path windowStateDir() {
    return java.nio.file.Path.of(dataDir, "state", "windows");
  }

  /** The reference-data directory, resolved. */
  public java.nio.file.Path referenceDir() {
    return reference.dir().isEmpty() ? java.nio.file.Path.of(dataDir, "reference") : java.nio.file.Path.of(reference.dir());
  }

  /**
   * @param url JDBC URL; empty means the embedded H2 database under dataDir
   * @param poolSize connections shared by the journal committer, API reads and configuration writes
   * @param durableCommits each group commit reaches stable storage before its decisions are answered
   *     (H2: one fsync per batch; PostgreSQL: synchronous_commit raised to on); false only for benchmarks
   *     or a write cache that survives power loss
   * @param backupDir where {@code POST /v1/admin/backups} writes the embedded store's backups; empty means
   *     {@code <data-dir>/backups} (copy them off the machine: a backup on the same disk dies with it)
   */
  public record Storage(
      @DefaultValue("") String url,
      @DefaultValue("") String username,
      @DefaultValue("") String password,
      @DefaultValue("8") @Min(2) @Max(64) int poolSize,
      @DefaultValue("true") boolean durableCommits,
      @DefaultValue("") String backupDir) {}

  /**
   * @param queueCapacity decisions waiting for the sequencer; beyond it requests get 503
   * @param commitBatchMax decisions written in one transaction (group commit)
   * @param replyTimeoutMillis how long a request waits for its durable decision before a 503
   * @param overloadFallbackAction the action a 503 body advises the caller to apply (fail-open
   *     ALLOW, or fail-closed DENY/REVIEW)
   * @param admissionBudgetMillis a request that has waited longer than this since its first byte
   *     arrived when the sequencer takes it is refused with 503, not decided; below the reply timeout
   * @param idempotencyHorizonMillis how long an event id is answered from memory: a retry within it
   *     gets the stored decision from the index; memory for event ids is bounded by it. At least
   *     {@code vigil.features.lateness-millis} plus the accepted clock skew (checked at start-up)
   */
  public record Decisions(
      @DefaultValue("4096") @Min(16) @Max(1_000_000) int queueCapacity,
      @DefaultValue("512") @Min(1) @Max(10_000) int commitBatchMax,
      @DefaultValue("2000") @Min(10) @Max(60_000) long replyTimeoutMillis,
      @DefaultValue("REVIEW") @Pattern(regexp = "ALLOW|REVIEW|DENY") String overloadFallbackAction,
      @DefaultValue("250") @Min(1) @Max(60_000) long admissionBudgetMillis,
      @DefaultValue("604800000") @Min(3_600_000) @Max(7_776_000_000L) long idempotencyHorizonMillis) {}

  /**
   * How many requests run at once, in two lanes, so that administrative requests can never take the
   * request threads decisions need. A request that cannot get a permit within {@code permitWaitMillis}
   * gets 503 overloaded. Their sum stays below {@code server.tomcat.threads.max} (checked at start-up).
   *
   * @param decisionConcurrencyMax {@code POST /v1/decisions} requests in progress at once
   * @param adminConcurrencyMax every other {@code /v1} request in progress at once
   * @param permitWaitMillis how long a request waits for a permit before its 503
   * @param readTimeoutMillis the longest silence of a connection before its request line, and
   *     between two reads of its headers or body (the connector's connection timeout)
   * @param headerDeadlineMillis time from a request's first byte to the end of its headers
   * @param bodyDeadlineMillis time from a request's first byte to the end of its JSON body
   * @param uploadDeadlineMillis the same for a list import or model file
   * @param clientRequestsMax requests in progress per client address (0: no limit)
   */
  public record Http(
      @DefaultValue("32") @Min(1) @Max(10_000) int decisionConcurrencyMax,
      @DefaultValue("16") @Min(1) @Max(10_000) int adminConcurrencyMax,
      @DefaultValue("50") @Min(0) @Max(1_000) long permitWaitMillis,
      @DefaultValue("5000") @Min(100) @Max(300_000) long readTimeoutMillis,
      @DefaultValue("10000") @Min(100) @Max(300_000) long headerDeadlineMillis,
      @DefaultValue("10000") @Min(100) @Max(300_000) long bodyDeadlineMillis,
      @DefaultValue("300000") @Min(100) @Max(3_600_000) long uploadDeadlineMillis,
      @DefaultValue("1024") @Min(0) @Max(100_000) int clientRequestsMax) {}

  /**
   * @param windows velocity windows such as 1m, 1h, 24h, 7d, 30d
   * @param latenessMillis how late an event may be and still be counted exactly
   * @param entriesPerKeyMax events one key keeps in its windows
   * @param devicesPerAccountMax devices remembered per account for the new-device fact
   * @param nearThresholdMinor the reporting threshold that structuring stays under (minor units)
   * @param windowCacheMb heap for the keys whose window entries are cached (the rest are on disk)
   * @param windowBlockCacheMb RocksDB's read cache for the window entries (native memory)
   * @param windowWriteBufferMb one RocksDB memtable of the window entries (native memory, at most three)
   */
  public record Features(
      @DefaultValue({"1m", "1h", "24h", "7d", "30d"}) @Size(min = 1, max = 8) List<String> windows,
      @DefaultValue("86400000") @Min(0) @Max(7_776_000_000L) long latenessMillis,
      @DefaultValue("100000") @Min(16) @Max(10_000_000) int entriesPerKeyMax,
      @DefaultValue("64") @Min(1) @Max(1024) int devicesPerAccountMax,
      @DefaultValue("50000") @Min(1) long nearThresholdMinor,
      @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String nearThresholdCurrency,
      @DefaultValue("10") @Min(1) @Max(99) int nearThresholdBandPercent,
      @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String baseCurrency,
      @DefaultValue("256") @Min(0) @Max(65_536) long windowCacheMb,
      @DefaultValue("64") @Min(1) @Max(65_536) long windowBlockCacheMb,
      @DefaultValue("16") @Min(1) @Max(1_024) long windowWriteBufferMb) {

    public WindowDiskSettings windowDiskSettings() {
      return new WindowDiskSettings(windowCacheMb * WindowDiskSettings.MB, windowBlockCacheMb * WindowDiskSettings.MB,
          windowWriteBufferMb * WindowDiskSettings.MB);
    }

    public FeatureConfig toFeatureConfig() {
      return new FeatureConfig(windows.stream().map(Window::parse).toList(), latenessMillis, entriesPerKeyMax,
          devicesPerAccountMax, nearThresholdMinor, nearThresholdCurrency, nearThresholdBandPercent, baseCurrency);
    }
  }
}
