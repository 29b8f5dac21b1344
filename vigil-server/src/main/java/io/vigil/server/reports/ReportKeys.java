package io.vigil.server.reports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Enumeration;

/**
 * The RSA key that signs report files: from a configured PKCS#12 keystore, or (none configured) a
 * 3072-bit key generated once and kept under {@code <data-dir>/reports/} (private key readable by
 * the owner only), so that a local start signs without any set-up.
 */
public final class ReportKeys {
  static final int GENERATED_KEY_BITS = 3072;

  private ReportKeys() {}

  public static KeyPair load(ReportsProperties.Signing signing, Path dataDir) {
    try {
      return signing.keystorePath().isEmpty() ? generatedUnder(dataDir.resolve("reports")) : fromKeystore(signing);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the report signing key failed", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the report signing key does not load: " + e.getMessage(), e);
    }
  }

  private static KeyPair fromKeystore(ReportsProperties.Signing s) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    char[] password = s.keystorePassword().toCharArray();
    try (InputStream in = Files.newInputStream(Path.of(s.keystorePath()))) {
      ks.load(in, password);
    }
    String alias = s.keyAlias();
    if (alias.isEmpty()) {
      for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
        String a = e.nextElement();
        if (ks.isKeyEntry(a)) {
          alias = a;
          break;
        }
      }
    }
    if (!(ks.getKey(alias, password) instanceof PrivateKey key) || !"RSA".equals(key.getAlgorithm())) {
      throw new GeneralSecurityException("the keystore holds no RSA private key under alias '" + alias + "'");
    }
    Certificate cert = ks.getCertificate(alias);
    if (cert == null) throw new GeneralSecurityException("the key under alias '" + alias + "' has no certificate");
    return new KeyPair(cert.getPublicKey(), key);
  }

  private static KeyPair generatedUnder(Path dir) throws IOException, GeneralSecurityException {
    Path privateFile = dir.resolve("signing-key.p8");
    Path publicFile = dir.resolve("signing-key.pub");
    KeyFactory kf = KeyFactory.getInstance("RSA");
    if (Files.exists(privateFile) && Files.exists(publicFile)) {
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(privateFile)));
      PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(publicFile)));
      return new KeyPair(pub, priv);
    }
    Files.createDirectories(dir);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(GENERATED_KEY_BITS);
    KeyPair pair = g.generateKeyPair();
    Path tmp = dir.resolve("signing-key.p8.tmp");
    Files.write(tmp, pair.getPrivate().getEncoded());
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the data directory's own permissions protect it
    }
    Files.write(publicFile, pair.getPublic().getEncoded());
    Files.move(tmp, privateFile);
    return pair;
  }
}
