package io.vigil.server.journal;

import java.nio.file.Path;

/** Where the anchoring files live when their settings are empty: {@code <data-dir>/anchor/}. */
public final class AnchorPaths {
  private AnchorPaths() {}

  public static Path anchorFile(String dataDir) {
    return Path.of(dataDir, "anchor", "anchors.jsonl");
  }

  public static Path keyringFile(String dataDir) {
    return Path.of(dataDir, "anchor", "public-keys.jsonl");
  }

  public static Path keyFile(String dataDir) {
    return Path.of(dataDir, "anchor", "signing.key");
  }
}
