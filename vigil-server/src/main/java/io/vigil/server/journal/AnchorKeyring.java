package io.vigil.server.journal;

import io.vigil.server.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public keys that may have signed anchors, by key id: a JSON-lines file, one key per line
 * ({@code key_id}, {@code algorithm}, {@code public_key} as base64 X.509, {@code added_at}). Vigil
 * adds the signing key's line when it first uses a key, so the file is also the record of key
 * rotations; an old key's line stays, and old anchors keep verifying. Keep a copy where the
 * database's administrators cannot write: a key added by someone else would let them sign anchors.
 */
public final class AnchorKeyring {
  /** Far more keys than a lifetime of rotations; a longer file is not a keyring. */
  static final int KEYS_MAX = 10_000;

  private final Path file;
  private final Map<String, PublicKey> keys;

  private AnchorKeyring(Path file, Map<String, PublicKey> keys) {
    this.file = file;
    this.keys = keys;
  }

  /** Reads the keyring; a file that does not exist is an empty keyring. A malformed line fails. */
  public static AnchorKeyring read(Path file) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    if (!Files.exists(file)) return new AnchorKeyring(file, keys);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) continue;
        if (keys.size() >= KEYS_MAX) throw new IllegalStateException("the anchor keyring " + file + " has more than " + KEYS_MAX + " keys");
        PublicKey key = parse(line, file, number);
        keys.put(AnchorKey.idOf(key), key);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the anchor keyring " + file + ": " + e.getMessage(), e);
    }
    return new AnchorKeyring(file, keys);
  }

  private static PublicKey parse(String line, Path file, int number) {
    String where = "line " + number + " of the anchor keyring " + file;
    PublicKey key;
    Object keyId;
    try {
      Map<String, Object> m = Json.readMap(line);
      key = AnchorKey.publicKey((String) m.get("public_key"));
      keyId = m.get("key_id");
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalStateException(where + " is not a public key");
    }
    if (!AnchorKey.idOf(key).equals(keyId)) throw new IllegalStateException(where + ": the key id does not match the key");
    return key;
  }

  public PublicKey find(String keyId) {
    return keys.get(keyId);
  }

  public Map<String, PublicKey> keys() {
    return Collections.unmodifiableMap(keys);
  }

  public Path file() {
    return file;
  }

  /** Adds the key's public half (fsync'd) unless it is there already; true when it was added. */
  public boolean record(AnchorKey key, long atMillis) {
    if (keys.containsKey(key.id())) return false;
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("key_id", key.id());
    line.put("algorithm", AnchorKey.ALGORITHM);
    line.put("public_key", Base64.getEncoder().encodeToString(key.publicKey().getEncoded()));
    line.put("added_at", Instant.ofEpochMilli(atMillis).toString());
    AnchorFile.appendLine(file, Json.write(line));
    keys.put(key.id(), key.publicKey());
    return true;
  }
}
