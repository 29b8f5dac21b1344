package io.vigil.engine.journal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The journal's tamper evidence: each row's hash is SHA-256 over the previous row's hash and the
 * row's own content, so changing, inserting or deleting any row breaks every hash after it.
 *
 * <p>Fields are length-prefixed before hashing, so no two different rows serialize alike. The
 * chain proves the journal was not edited after the fact by someone who cannot also rewrite every
 * later hash; the server closes that gap by signing the head at intervals with a key outside the
 * database (its journal anchors, docs/operations.md#anchoring).
 */
public final class HashChain {
  public static final String GENESIS = "0".repeat(64);

  private HashChain() {}

  public static String hash(String previousHash, long sequence, String decisionId, String eventId,
      long recordedAtMillis, long policyVersion, String requestHash, String eventJson, String responseJson) {
    MessageDigest sha = sha256();
    update(sha, previousHash);
    update(sha, Long.toString(sequence));
    update(sha, decisionId);
    update(sha, eventId);
    update(sha, Long.toString(recordedAtMillis));
    update(sha, Long.toString(policyVersion));
    update(sha, requestHash);
    update(sha, eventJson);
    update(sha, responseJson);
    return HexFormat.of().formatHex(sha.digest());
  }

  public static String hashOf(JournalRecord r) {
    return hash(r.previousHash(), r.sequence(), r.decisionId(), r.eventId(), r.recordedAtMillis(),
        r.policyVersion(), r.requestHash(), r.eventJson(), r.responseJson());
  }

  private static void update(MessageDigest sha, String field) {
    byte[] bytes = field == null ? new byte[0] : field.getBytes(StandardCharsets.UTF_8);
    int n = field == null ? -1 : bytes.length;
    sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
