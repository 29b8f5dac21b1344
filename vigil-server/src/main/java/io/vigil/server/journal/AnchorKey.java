package io.vigil.server.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * The Ed25519 key that signs the journal's anchors (the JDK's own implementation). The key is
 * text: {@code ed25519 <PKCS#8 private key, base64> <X.509 public key, base64>} on one line, in a
 * file or an environment secret. Its id is the first 16 hex digits of SHA-256 over the public
 * key, so an anchor names the key that signed it and the public key alone identifies it.
 */
public final class AnchorKey {
  static final String ALGORITHM = "Ed25519";
  private static final String PREFIX = "ed25519";
  /** A key line is about 160 characters; anything much longer is not a key. */
  private static final int KEY_TEXT_CHARS_MAX = 1_024;

  private final String id;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private AnchorKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.id = idOf(publicKey);
  }

  public static AnchorKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      return new AnchorKey(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no Ed25519", e);
    }
  }

  /** Parses the key text; the message of a failure never quotes it. */
  public static AnchorKey parse(String text) {
    String trimmed = text.strip();
    if (trimmed.length() > KEY_TEXT_CHARS_MAX) throw new IllegalArgumentException("the anchor key is too long to be a key");
    String[] parts = trimmed.split("\\s+");
    if (parts.length != 3 || !parts[0].equals(PREFIX)) {
      throw new IllegalArgumentException("the anchor key is not of the form 'ed25519 <private key> <public key>'");
    }
    AnchorKey key;
    try {
      KeyFactory keys = KeyFactory.getInstance(ALGORITHM);
      PrivateKey privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(parts[1])));
      key = new AnchorKey(privateKey, publicKey(parts[2]));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the anchor key cannot be read as an Ed25519 key pair");
    }
    byte[] probe = "vigil anchor key check".getBytes(StandardCharsets.UTF_8);
    if (!verify(key.publicKey, probe, key.sign(probe))) {
      throw new IllegalArgumentException("the anchor key's public half does not belong to its private half");
    }
    return key;
  }

  public static AnchorKey read(Path file) {
    try {
      if (Files.size(file) > KEY_TEXT_CHARS_MAX) throw new IllegalArgumentException("the anchor key file " + file + " is too long to be a key");
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the anchor key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes a new key to a file that must not exist yet, readable by its owner only (0600 where the file system has permissions). */
  public static AnchorKey generateInto(Path file) {
    AnchorKey key = generate();
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
      FileAttribute<?>[] ownerOnly = posix
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
          : new FileAttribute<?>[0];
      Files.createFile(file, ownerOnly);
      Files.writeString(file, key.text() + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      return key;
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("the anchor key file " + file + " already exists; it is never overwritten", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the anchor key file " + file + ": " + e.getMessage(), e);
    }
  }

  public String id() {
    return id;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The key as the one line a key file or environment secret holds. */
  public String text() {
    Base64.Encoder b64 = Base64.getEncoder();
    return PREFIX + " " + b64.encodeToString(privateKey.getEncoded()) + " " + b64.encodeToString(publicKey.getEncoded());
  }

  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing an anchor failed", e);
    }
  }

  public static boolean verify(PublicKey publicKey, byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(publicKey);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** An X.509 Ed25519 public key from its base64 text. */
  public static PublicKey publicKey(String base64) throws GeneralSecurityException {
    return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  public static String idOf(PublicKey publicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
