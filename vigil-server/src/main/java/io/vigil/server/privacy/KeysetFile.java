package io.vigil.server.privacy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/**
 * A Tink keyset in a JSON file readable by its owner only (mode 600; its directory 700), created
 * on first use. Written to a temporary file and renamed into place, so a crash never leaves half a
 * keyset.
 */
final class KeysetFile {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private KeysetFile() {}

  /** The keyset in {@code file}, or a new one of one key with {@code parameters}, written there first. */
  static KeysetHandle loadOrCreate(Path file, Parameters parameters) {
    try {
      if (Files.exists(file)) return read(file);
      KeysetHandle fresh = KeysetHandle.generateNew(parameters);
      write(file, fresh);
      return fresh;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the keyset " + file + " cannot be read or created: " + e.getMessage(), e);
    }
  }

  static KeysetHandle read(Path file) throws GeneralSecurityException {
    try {
      return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file, StandardCharsets.UTF_8), InsecureSecretKeyAccess.get());
    } catch (IOException e) {
      throw new UncheckedIOException("reading the keyset " + file + " failed", e);
    }
  }

  static void write(Path file, KeysetHandle keyset) throws GeneralSecurityException {
    String json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        if (POSIX) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      if (POSIX) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(tmp, json, StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the keyset " + file + " failed", e);
    }
  }
}
