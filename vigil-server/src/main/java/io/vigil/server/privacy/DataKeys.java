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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Every person's data keys: AES-256-GCM keys (Tink AEAD), one live key per subject, created on the
 * subject's first sealed value and stored wrapped by the {@link MasterKeys} before it is used (so
 * no committed ciphertext can outlive its key's row). Unwrapped keys are cached, up to a bound.
 * An erased key is gone from the table and the caches: what it sealed is unreadable.
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

  /** The subject's live key, created (and stored) when it has none. */
  public DataKey live(String subject) {
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
    repository.insert(new DataKeyRepository.Row(keyId, subject, Base64.getEncoder().encodeToString(w.ciphertext()),
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
