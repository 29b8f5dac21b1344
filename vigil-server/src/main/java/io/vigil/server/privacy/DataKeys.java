package io.vigil.server.privacy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every person's data keys: AES-256-GCM keys (Tink AEAD), one live key per subject, created on the
 * subject's first sealed value and stored wrapped by the {@link MasterKeys} no later than the first
 * row it seals (so no committed ciphertext can outlive its key's row). Unwrapped keys are cached, up
 * to a bound. An erased key is gone from the table and the caches: what it sealed is unreadable.
 *
 * <p>A key made for a journal row ({@link #liveForJournal}) is stored by the decision committer in
 * the same transaction as the rows (see {@link #unstored()} and {@link #storedWith}), not in a
 * transaction of its own on the request's thread: with many new people, one commit per new person
 * cost more than the decisions did. Any other caller ({@link #live}) stores a new key at once.
 */
public final class DataKeys {
  /** A data key ready to seal and open. */
  public record DataKey(String keyId, Aead aead) {}

  private static final int KEY_BYTES = 32;
  private static final int KEY_ID_BYTES = 12;
  private final DataKeyRepository repository;
  private final MasterKeys master;
  private final Clock clock;
  private final int cacheEntriesMax;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, DataKey> liveBySubject = new ConcurrentHashMap<>();
  /** By key id; an empty Optional is an erased key. */
  private final ConcurrentHashMap<String, Optional<DataKey>> byKeyId = new ConcurrentHashMap<>();
  /** Keys made for journal rows and not yet committed with them, by key id. */
  private final ConcurrentHashMap<String, DataKeyRepository.Row> unstored = new ConcurrentHashMap<>();
  /**
   * Loading a key into a cache (read) against erasing (write): a key read from the table before an
   * erasure cannot land in a cache after the erasure has emptied it.
   */
  private final ReentrantReadWriteLock erasing = new ReentrantReadWriteLock();

  DataKeys(DataKeyRepository repository, MasterKeys master, Clock clock, int cacheEntriesMax) {
    this.repository = repository;
    this.master = master;
    this.clock = clock;
    this.cacheEntriesMax = cacheEntriesMax;
  }

  /** The subject's live key, created and stored when it has none; stored now if a journal row's key is not yet. */
  public DataKey live(String subject) {
    DataKey key = liveForJournal(subject);
    DataKeyRepository.Row row = unstored.get(key.keyId());
    if (row != null) store(row);
    return key;
  }

  /**
   * The subject's live key for sealing a journal row; a new key is stored by the committer with the
   * row ({@link #unstored()}), so the caller must seal nothing else with it.
   */
  public DataKey liveForJournal(String subject) {
    DataKey cached = liveBySubject.get(subject);
    if (cached != null) return cached;
    bound();
    erasing.readLock().lock();
    try {
      return liveBySubject.computeIfAbsent(subject, s -> repository.active(s).map(this::unwrap).orElseGet(() -> create(s)));
    } finally {
      erasing.readLock().unlock();
    }
  }

  /**
   * The keys made for journal rows and not yet stored. The committer takes them after its batch's
   * rows were sealed (so every key those rows use is among them), stores them in the batch's
   * transaction ({@link DataKeyRepository#insertIfAbsent}) and reports them with {@link #storedWith}
   * after the commit.
   * On a rollback they stay here for the next batch.
   */
  public List<DataKeyRepository.Row> unstored() {
    return unstored.isEmpty() ? List.of() : List.copyOf(unstored.values());
  }

  /** Stores every key still waiting for its rows' transaction, each in a transaction of its own. */
  void storeUnstored() {
    for (DataKeyRepository.Row r : unstored.values()) store(r);
  }

  /** Stores one waiting key in a transaction of its own. */
  private void store(DataKeyRepository.Row r) {
    repository.insertIfAbsent(r);
    unstored.remove(r.keyId());
  }

  /** These keys were committed: they no longer wait for a transaction. */
  public void storedWith(List<DataKeyRepository.Row> rows) {
    for (DataKeyRepository.Row r : rows) unstored.remove(r.keyId());
  }

  /** The key of this id, empty when it was erased; throws {@link IllegalStateException} for an unknown id. */
  public Optional<DataKey> byId(String keyId) {
    Optional<DataKey> cached = byKeyId.get(keyId);
    if (cached != null) return cached;
    bound();
    erasing.readLock().lock();
    try {
      return byKeyId.computeIfAbsent(keyId, id -> {
        DataKeyRepository.Row row = repository.find(id)
            .orElseThrow(() -> new IllegalStateException("no data key " + id + " is stored"));
        return row.wrappedKey() == null ? Optional.empty() : Optional.of(unwrap(row));
      });
    } finally {
      erasing.readLock().unlock();
    }
  }

  /** Destroys the subject's keys and records it; returns the number of keys destroyed. */
  int erase(String erasureId, String subject, String reason, String actor) {
    erasing.writeLock().lock();
    try {
      storeUnstored(); // a key still waiting for its journal row is destroyed with the others
      int destroyed = repository.erase(erasureId, subject, reason, actor, clock.millis());
      liveBySubject.remove(subject);
      byKeyId.clear(); // the erased keys' ids are not known here: forget every unwrapped key (erasures are rare)
      return destroyed;
    } finally {
      erasing.writeLock().unlock();
    }
  }

  /** Forgets every unwrapped key (after a rotation, or in tests). */
  void clearCache() {
    liveBySubject.clear();
    byKeyId.clear();
  }

  DataKeyRepository repository() {
    return repository;
  }

  MasterKeys master() {
    return master;
  }

  /** Re-wraps a stored key under the current primary master key; false when it was erased meanwhile. */
  boolean rewrap(DataKeyRepository.Row row) {
    byte[] key = unwrapBytes(row);
    try {
      MasterKeys.Wrapped w = master.wrap(key, associatedData(row.keyId(), row.subject()));
      return repository.rewrap(row.keyId(), Base64.getEncoder().encodeToString(w.ciphertext()), w.masterKeyId());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private void bound() {
    if (liveBySubject.size() >= cacheEntriesMax) liveBySubject.clear();
    if (byKeyId.size() >= cacheEntriesMax) byKeyId.clear();
  }

  private DataKey create(String subject) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    byte[] id = new byte[KEY_ID_BYTES];
    random.nextBytes(id);
    String keyId = HexFormat.of().formatHex(id);
    MasterKeys.Wrapped w = master.wrap(key, associatedData(keyId, subject));
    unstored.put(keyId, new DataKeyRepository.Row(keyId, subject, Base64.getEncoder().encodeToString(w.ciphertext()),
        w.masterKeyId(), clock.millis(), 0));
    DataKey created = new DataKey(keyId, aead(key));
    byKeyId.put(keyId, Optional.of(created));
    return created;
  }

  private DataKey unwrap(DataKeyRepository.Row row) {
    byte[] key = unwrapBytes(row);
    try {
      return new DataKey(row.keyId(), aead(key));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private byte[] unwrapBytes(DataKeyRepository.Row row) {
    try {
      return master.unwrap(Base64.getDecoder().decode(row.wrappedKey()), associatedData(row.keyId(), row.subject()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the data key " + row.keyId() + " does not open under the master keyset "
          + master.file() + " (a key of the set missing?)", e);
    }
  }

  private static byte[] associatedData(String keyId, String subject) {
    return ("vigil-personal-data-key\n" + keyId + "\n" + subject).getBytes(StandardCharsets.UTF_8);
  }

  private static Aead aead(byte[] key) {
    try {
      return new AesGcmJce(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable", e);
    }
  }
}
