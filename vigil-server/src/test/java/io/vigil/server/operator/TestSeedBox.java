package io.vigil.server.operator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Placeholder until the secrets keyset lands. */
final class TestSeedBox implements SeedBox {
  static final TestSeedBox INSTANCE = new TestSeedBox();

  @Override
  public String seal(String seed, String username) {
    return Base64.getEncoder().encodeToString((username + ":" + seed).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String open(String sealed, String username) {
    String s = new String(Base64.getDecoder().decode(sealed), StandardCharsets.UTF_8);
    if (!s.startsWith(username + ":")) throw new IllegalStateException("sealed for another account");
    return s.substring(username.length() + 1);
  }
}
