package io.vigil.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM under a key file of its own (created on first start, mode 600): the address seal until the shared secret box is wired. */
final class KeyFileAddressSeal implements AddressSeal {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int IV_BYTES = 12;
  private final SecretKeySpec key;

  KeyFileAddressSeal(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, Base64.getEncoder().encode(k));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(tmp, file);
      }
      key = new SecretKeySpec(Base64.getDecoder().decode(Files.readAllBytes(file)), "AES");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the audit address key " + file, e);
    }
  }

  @Override
  public String seal(String address, long seq) {
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      c.updateAAD(associated(seq));
      byte[] ct = c.doFinal(address.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + ct.length).put(iv).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  @Override
  public String open(String stored, long seq) {
    try {
      byte[] all = Base64.getDecoder().decode(stored);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
      c.updateAAD(associated(seq));
      return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  static byte[] associated(long seq) {
    return ("vigil-audit-source-ip:" + seq).getBytes(StandardCharsets.UTF_8);
  }
}
