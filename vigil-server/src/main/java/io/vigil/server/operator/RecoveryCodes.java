package io.vigil.server.operator;

import io.vigil.server.storage.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * One-time recovery codes of an operator's second factor: {@value #CODES} random codes of 80 bits
 * (16 base-32 characters shown as four groups of four), stored as SHA-256 hashes, each accepted once.
 * A new set replaces the old one.
 */
public final class RecoveryCodes {
  public static final int CODES = 10;
  private static final int CHARS = 16;
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private final DataSource dataSource;
  private final SecureRandom random = new SecureRandom();

  public RecoveryCodes(DataSource dataSource) {
    this.dataSource = dataSource;
    assert ALPHABET.length() == 32;
  }

  /** A new set for this operator, replacing any earlier one; the plain codes, to be shown once. */
  public List<String> issue(String username) {
    Sql.update(dataSource, "DELETE FROM operator_recovery_codes WHERE username = ?", ps -> ps.setString(1, username),
        "replacing recovery codes failed");
    List<String> codes = new ArrayList<>(CODES);
    for (int i = 0; i < CODES; i++) {
      String code = draw();
      codes.add(code);
      Sql.update(dataSource, "INSERT INTO operator_recovery_codes (username, code_hash, used_at_millis) VALUES (?,?,0)", ps -> {
        ps.setString(1, username);
        ps.setString(2, hash(code));
      }, "storing recovery codes failed");
    }
    return codes;
  }

  /** Marks the code used if it is one of the operator's unused codes; whether it was. */
  public boolean use(String username, String code, long nowMillis) {
    if (code == null || code.length() > 64) return false;
    String hash = hash(normalized(code));
    int rows = Sql.update(dataSource,
        "UPDATE operator_recovery_codes SET used_at_millis = ? WHERE username = ? AND code_hash = ? AND used_at_millis = 0", ps -> {
          ps.setLong(1, Math.max(1, nowMillis));
          ps.setString(2, username);
          ps.setString(3, hash);
        }, "using a recovery code failed");
    return rows == 1;
  }

  public long unused(String username) {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM operator_recovery_codes WHERE username = ? AND used_at_millis = 0",
        ps -> ps.setString(1, username), "counting recovery codes failed");
  }

  private String draw() {
    StringBuilder s = new StringBuilder(CHARS + 3);
    for (int i = 0; i < CHARS; i++) {
      if (i > 0 && i % 4 == 0) s.append('-');
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  /** The code as typed, without spaces or dashes, in lower case. */
  static String normalized(String code) {
    String plain = code.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    StringBuilder s = new StringBuilder(CHARS + 3);
    for (int i = 0; i < plain.length(); i++) {
      if (i > 0 && i % 4 == 0) s.append('-');
      s.append(plain.charAt(i));
    }
    return s.toString();
  }

  private static String hash(String code) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(code.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
