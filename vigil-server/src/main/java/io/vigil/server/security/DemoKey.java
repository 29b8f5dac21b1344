package io.vigil.server.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The key a new installation starts with, so that a first decision can be signed at once: created
 * on first start when the store holds no key, its secret printed once to standard output (never to
 * the log) and written to {@code <data-dir>/demo-api-key} (mode 600). With both
 * {@code vigil.security.demo-api-key.id} and {@code .secret} set (automation, tests), that key is
 * made to exist with that secret on every start.
 */
public final class DemoKey {
  static final String FILE_NAME = "demo-api-key";
  private static final String ACTOR = "system";

  private DemoKey() {}

  public static void ensure(ApiKeys keys, SecuritySettings.DemoApiKey demo, Path dataDir) {
    if (!demo.enabled()) return;
    Set<ApiScope> scopes = scopes(demo);
    boolean configured = !demo.id().isEmpty() && !demo.secret().isEmpty();
    if (configured) {
      ApiKeys.Key existing = keys.find(demo.id());
      if (existing == null) {
        keys.issue(demo.id(), demo.secret(), "demo", scopes, null, ACTOR);
      } else if (!existing.revoked() && !keys.hasSecret(demo.id(), demo.secret())) {
        keys.replaceSecret(demo.id(), demo.secret(), ACTOR);
      }
      return;
    }
    if (keys.store().count() > 0) return;
    String id = demo.id().isEmpty() ? null : demo.id();
    String secret = demo.secret().isEmpty() ? ApiKeys.newSecret() : demo.secret();
    ApiKeys.Issued issued = id == null ? keys.issue("demo", scopes, null, ACTOR) : keys.issue(id, secret, "demo", scopes, null, ACTOR);
    if (id == null) secret = issued.secret();
    Path file = dataDir.resolve(FILE_NAME);
    write(file, "key_id=" + issued.row().keyId() + "\nsecret=" + secret + "\n");
    if (demo.secret().isEmpty()) {
      // Standard output, once, on purpose: this is how the operator of a new installation learns the secret.
      System.out.println("Vigil demo API key (shown once; also in " + file + "): key_id=" + issued.row().keyId() + " secret=" + secret);
    }
  }

  private static Set<ApiScope> scopes(SecuritySettings.DemoApiKey demo) {
    EnumSet<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
    for (String code : demo.scopes()) {
      ApiScope s = ApiScope.ofCode(code);
      if (s == null) throw new IllegalStateException("vigil.security.demo-api-key.scopes: unknown scope " + code);
      scopes.add(s);
    }
    if (scopes.isEmpty()) throw new IllegalStateException("vigil.security.demo-api-key.scopes: at least one scope");
    return scopes;
  }

  private static void write(Path file, String text) {
    Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("the demo API key could not be written to " + file, e);
    }
  }
}
