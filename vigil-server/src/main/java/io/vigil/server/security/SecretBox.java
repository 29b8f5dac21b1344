package io.vigil.server.security;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Seals secret material (API key secrets, TOTP seeds) with AES-256-GCM under a Tink keyset kept in a
 * file of mode 600, created on first start. The associated data binds a sealed value to what it
 * belongs to (e.g. the key id), so a sealed secret copied to another row does not open.
 */
public final class SecretBox {
  private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private final Aead aead;

  private SecretBox(Aead aead) {
    this.aead = aead;
  }

  /** The box of the keyset in {@code keysetFile}, creating the keyset (mode 600) when the file does not exist. */
  public static SecretBox open(Path keysetFile) {
    try {
      AeadConfig.register();
      if (!Files.exists(keysetFile)) create(keysetFile);
      String json = Files.readString(keysetFile, StandardCharsets.UTF_8);
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      return new SecretBox(handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the secrets keyset " + keysetFile + " is not a usable AEAD keyset", e);
    } catch (IOException e) {
      throw new UncheckedIOException("the secrets keyset " + keysetFile + " could not be read or created", e);
    }
  }

  private static void create(Path keysetFile) throws IOException, GeneralSecurityException {
    Path dir = keysetFile.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    String json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    Path tmp = dir.resolve(keysetFile.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, keysetFile, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(tmp);
    }
  }

  public byte[] seal(byte[] plaintext, byte[] associatedData) {
    Objects.requireNonNull(plaintext, "plaintext");
    try {
      return aead.encrypt(plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  /** The plaintext; fails when the ciphertext was changed, sealed under another keyset or for other associated data. */
  public byte[] open(byte[] ciphertext, byte[] associatedData) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    try {
      return aead.decrypt(ciphertext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a sealed secret does not open with this keyset", e);
    }
  }
}
