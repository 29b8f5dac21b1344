package io.vigil.server.security.bench;

import io.vigil.client.signing.VigilSigner;
import io.vigil.server.security.ApiKeyStore;
import io.vigil.server.security.ApiKeys;
import io.vigil.server.security.ApiScope;
import io.vigil.server.security.ContentDigest;
import io.vigil.server.security.ReplayGuard;
import io.vigil.server.security.RequestSignature;
import io.vigil.server.security.SecretBox;
import io.vigil.server.security.VigilPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What checking one signed decision request costs the server, without HTTP: the key looked up in
 * the in-memory table, the timestamp checked, the HMAC-SHA256 of the signed string compared in
 * constant time, the replay guard asked, and a 600-byte body's SHA-256 compared with its
 * Content-Digest. Each invocation checks a different pre-signed request (a repeat would be a
 * replay); when they run out the replay guard starts afresh. Run (docs/performance.md):
 * <pre>
 * ./mvnw -o -q test-compile -pl vigil-server -am
 * ./mvnw -o -q dependency:build-classpath -pl vigil-server -Dmdep.outputFile=/tmp/vigil-cp.txt
 * java -cp vigil-server/target/test-classes:vigil-server/target/classes:$(cat /tmp/vigil-cp.txt) \
 *   org.openjdk.jmh.Main AuthCostBench -f 1 -wi 2 -w 2s -i 3 -r 3s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuthCostBench {
  private static final int REQUESTS = 50_000;
  private static final int BODY_BYTES = 600;
  private static final long NOW_SECONDS = 1_773_151_200L;
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW_SECONDS), ZoneOffset.UTC);
  private ApiKeys keys;
  private RequestSignature signature;
  private String keyId;
  private byte[][] bodies;
  private String[] signatures;
  private String[] digests;
  private int next;

  @Setup
  public void setUp() throws IOException, SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:authbench" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = ds.getConnection(); Statement st = c.createStatement();
        InputStream sql = AuthCostBench.class.getResourceAsStream("/db/migration/V20__api_keys.sql")) {
      for (String statement : new String(sql.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "").split(";")) {
        if (!statement.isBlank()) st.execute(statement);
      }
    }
    Path keyset = Files.createTempDirectory("authbench").resolve("secrets.keyset.json");
    keys = new ApiKeys(new ApiKeyStore(ds), SecretBox.open(keyset), clock);
    ApiKeys.Issued issued = keys.issue("bench", EnumSet.of(ApiScope.DECIDE), null, "bench");
    keyId = issued.row().keyId();
    VigilSigner signer = new VigilSigner(keyId, issued.secret(), clock);
    bodies = new byte[REQUESTS][];
    signatures = new String[REQUESTS];
    digests = new String[REQUESTS];
    for (int i = 0; i < REQUESTS; i++) {
      bodies[i] = body(i);
      Map<String, String> h = signer.headers("POST", "/v1/decisions", bodies[i]);
      signatures[i] = h.get("Vigil-Signature");
      digests[i] = h.get("Content-Digest");
    }
    freshGuard();
  }

  private void freshGuard() {
    signature = new RequestSignature(keys, new ReplayGuard(300, 8_000_000), clock, 300);
    next = 0;
  }

  /** A typical decision body of 600 bytes, its event id the only difference. */
  private static byte[] body(int i) {
    StringBuilder b = new StringBuilder("{\"event_id\":\"evt_bench_").append(i).append("\",\"type\":\"payment\",")
        .append("\"occurred_at\":\"2026-03-10T14:00:00Z\",\"account_id\":\"acct_10042\",\"merchant_id\":\"mch_42\",")
        .append("\"amount\":125000,\"currency\":\"USD\",\"channel\":\"app\",\"ip\":\"203.0.113.7\",")
        .append("\"device\":{\"id\":\"dev_a1\",\"fingerprint\":\"fp_9b8c\",\"user_agent\":\"VigilDemo/1.0\"},")
        .append("\"card\":{\"token\":\"tok_4e1d\",\"bin\":\"412345\",\"last4\":\"4242\"},")
        .append("\"auth\":{\"method\":\"password\",\"assurance_level\":1},\"attributes\":{\"note\":\"");
    while (b.length() < BODY_BYTES - 3) b.append('x');
    return b.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public VigilPrincipal verifySignedDecision() {
    if (next == REQUESTS) freshGuard();
    int i = next++;
    VigilPrincipal p = signature.verify("POST", "/v1/decisions", keyId, signatures[i], digests[i], true);
    if (!ContentDigest.matches(digests[i], bodies[i])) throw new IllegalStateException("digest");
    return p;
  }
}
