package io.vigil.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The audit trail's tamper evidence: each row's hash is SHA-256 over a version tag, the previous
 * row's hash and every stored column of the row, each length-prefixed (a null is length -1), so no
 * two different rows encode alike and changing, inserting or deleting a row breaks every hash after
 * it. The source address enters as its sealed text: verifying needs no key.
 */
public final class AuditHash {
  public static final String GENESIS = "0".repeat(64);
  private static final String VERSION = "vigil-audit-v1";

  private AuditHash() {}

  public static String of(long seq, AuditEntry e, String prevHash) {
    MessageDigest sha = sha256();
    update(sha, VERSION);
    update(sha, prevHash);
    update(sha, Long.toString(seq));
    update(sha, Long.toString(e.atMillis()));
    update(sha, e.actorKind());
    update(sha, e.actorId());
    update(sha, e.claimedId());
    update(sha, e.sourceIp());
    update(sha, e.userAgent());
    update(sha, e.method());
    update(sha, e.route());
    update(sha, e.entityType());
    update(sha, e.entityId());
    update(sha, e.pathParams());
    update(sha, e.action());
    update(sha, e.beforeJson());
    update(sha, e.afterJson());
    update(sha, Integer.toString(e.status()));
    update(sha, e.errorCode());
    return HexFormat.of().formatHex(sha.digest());
  }

  public static String of(AuditRow row) {
    return of(row.seq(), row.entry(), row.prevHash());
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
