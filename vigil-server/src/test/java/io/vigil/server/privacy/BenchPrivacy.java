package io.vigil.server.privacy;

import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The journal's personal-data sealing built as the server builds it ({@link PrivacyConfiguration}),
 * for tools that write a journal outside the server (the console's journal filler): the keysets of
 * the server's data directory, data keys stored in the same table.
 */
public final class BenchPrivacy {
  /** The sealing and the data keys behind it. */
  public record Sealing(JournalSealing journal, DataKeys keys) {}

  private BenchPrivacy() {}

  /** The keysets of {@code dataDir} (created when missing, as the server's first start does). */
  public static Sealing open(DataSource ds, Path dataDir, int dataKeyCacheEntries) {
    PrivacyProperties p = new PrivacyProperties("", "", dataKeyCacheEntries);
    MasterKeys master = MasterKeys.open(p.keysetPath(dataDir.toString()));
    LookupHashes hashes = LookupHashes.open(p.lookupKeysetPath(dataDir.toString()));
    DataKeys keys = new DataKeys(new DataKeyRepository(ds), master, Clock.systemUTC(), dataKeyCacheEntries);
    return new Sealing(new JournalSealing(new SealedValues(keys), hashes), keys);
  }
}
