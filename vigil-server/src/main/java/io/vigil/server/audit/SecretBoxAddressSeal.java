package io.vigil.server.audit;

import io.vigil.server.security.SecretBox;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The source address sealed with the server's {@link SecretBox} (Tink AES-256-GCM), bound to its row's sequence; stored as Base64. */
public final class SecretBoxAddressSeal implements AddressSeal {
  private final SecretBox box;

  public SecretBoxAddressSeal(SecretBox box) {
    this.box = box;
  }

  @Override
  public String seal(String address, long seq) {
    return Base64.getEncoder().encodeToString(box.seal(address.getBytes(StandardCharsets.UTF_8), associated(seq)));
  }

  @Override
  public String open(String stored, long seq) {
    try {
      return new String(box.open(Base64.getDecoder().decode(stored), associated(seq)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | IllegalStateException doesNotOpen) {
      return null;
    }
  }

  static byte[] associated(long seq) {
    return ("vigil-audit-source-ip:" + seq).getBytes(StandardCharsets.UTF_8);
  }
}
