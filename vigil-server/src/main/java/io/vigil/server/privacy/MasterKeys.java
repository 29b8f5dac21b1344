package io.vigil.server.privacy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * The master keyset of personal data: AES-256-GCM keys (Tink AEAD) that wrap every person's data
 * key and seal the checkpoint parts. The primary key wraps; every key in the set unwraps (Tink
 * finds it by the id prefixed to each ciphertext). Rotation adds a new primary; a retired key is
 * removed only once nothing is wrapped under it any more ({@link KeyRotation}).
 */
public final class MasterKeys {
  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What a wrap produced, and the id of the master key that made it. */
  public record Wrapped(byte[] ciphertext, long masterKeyId) {}

  /** The keyset and its primitive, swapped together. */
  private record Current(KeysetHandle keyset, Aead aead, long primaryId) {}

  private final Path file;
  private volatile Current current;

  private MasterKeys(Path file, KeysetHandle keyset) {
    this.file = file;
    use(keyset);
  }

  /** The keyset in {@code file}, created with one key on first use. */
  public static MasterKeys open(Path file) {
    return new MasterKeys(file, KeysetFile.loadOrCreate(file, PredefinedAeadParameters.AES256_GCM));
  }

  private void use(KeysetHandle next) {
    try {
      this.current = new Current(next, next.getPrimitive(RegistryConfiguration.get(), Aead.class),
          Integer.toUnsignedLong(next.getPrimary().getId()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the personal-data keyset " + file + " is not an AEAD keyset", e);
    }
  }

  public Path file() {
    return file;
  }

  /** Seals with the primary key. */
  public Wrapped wrap(byte[] plaintext, byte[] associatedData) {
    Current c = current;
    try {
      return new Wrapped(c.aead().encrypt(plaintext, associatedData), c.primaryId());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("wrapping under the master key failed", e);
    }
  }

  /** Opens what any key of the set sealed; throws {@link GeneralSecurityException} when none can. */
  public byte[] unwrap(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    return current.aead().decrypt(ciphertext, associatedData);
  }

  /** The id of the key new wraps use. */
  public long primaryId() {
    return current.primaryId();
  }

  /** The ids of every key in the set, primary included. */
  public List<Long> keyIds() {
    KeysetHandle k = current.keyset();
    List<Long> ids = new ArrayList<>(k.size());
    for (int i = 0; i < k.size(); i++) ids.add(Integer.toUnsignedLong(k.getAt(i).getId()));
    return ids;
  }

  /** Adds a fresh AES-256-GCM key as the primary, writes the file, and returns the new primary's id. */
  public synchronized long addPrimary() {
    try {
      KeysetHandle next = KeysetHandle.newBuilder(current.keyset())
          .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
          .build();
      KeysetFile.write(file, next);
      use(next);
      return primaryId();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("adding a master key failed", e);
    }
  }

  /** Removes every key but the primary, writes the file, and returns the removed ids. */
  public synchronized List<Long> removeRetired() {
    try {
      KeysetHandle k = current.keyset();
      KeysetHandle.Builder b = KeysetHandle.newBuilder(k);
      List<Long> removed = new ArrayList<>();
      for (int i = k.size() - 1; i >= 0; i--) {
        if (k.getAt(i).isPrimary()) continue;
        removed.add(Integer.toUnsignedLong(k.getAt(i).getId()));
        b.deleteAt(i);
      }
      if (removed.isEmpty()) return removed;
      KeysetHandle next = b.build();
      assert next.getPrimary().getStatus() == KeyStatus.ENABLED;
      KeysetFile.write(file, next);
      use(next);
      return removed;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("removing retired master keys failed", e);
    }
  }
}
