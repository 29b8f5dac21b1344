package io.vigil.server.decision;

import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.feature.WindowDiskSettings;
import io.vigil.engine.state.PartCipher;
import java.nio.file.Path;

/**
 * The velocity windows of the server's engine, on disk in one directory ({@code <data-dir>/state/windows}).
 * The pipeline builds a fresh engine at start-up and after a failed commit and replays the journal
 * into it, so {@link #fresh()} closes the store of the engine it replaces and starts an empty one
 * in the same directory; a start from a checkpoint opens the checkpoint's windows there instead
 * ({@link #restore}). {@link #close()} closes the last at shutdown.
 */
public final class WindowStateStores implements AutoCloseable {
  private final FeatureConfig config;
  private final Path dir;
  private final WindowDiskSettings settings;
  private final PartCipher cipher;
  private FeatureStore current;

  public WindowStateStores(FeatureConfig config, Path dir, WindowDiskSettings settings) {
    this(config, dir, settings, PartCipher.NONE);
  }

  /** {@code cipher} opens a checkpoint's sealed window state (the checkpoints' cipher). */
  public WindowStateStores(FeatureConfig config, Path dir, WindowDiskSettings settings, PartCipher cipher) {
    this.config = config;
    this.dir = dir;
    this.settings = settings;
    this.cipher = cipher;
  }

  /** An empty disk-backed store; the previous one is closed (its engine is being replaced). */
  public synchronized FeatureStore fresh() {
    if (current != null) current.close();
    current = null;
    current = FeatureStore.onDisk(config, dir, settings);
    return current;
  }

  /**
   * A disk-backed store opened from a checkpoint's features directory ({@link FeatureStore#checkpointTo}):
   * the live directory is emptied and becomes a copy of it (table files hard-linked when both are on
   * one file system); the previous store is closed. The checkpoint is left as it was.
   */
  public synchronized FeatureStore restore(Path checkpointFeaturesDir) {
    if (current != null) current.close();
    current = null;
    current = FeatureStore.fromCheckpoint(config, checkpointFeaturesDir, dir, settings, cipher);
    return current;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public synchronized void close() {
    if (current != null) current.close();
    current = null;
  }
}
