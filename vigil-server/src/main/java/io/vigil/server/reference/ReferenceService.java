package io.vigil.server.reference;

import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads reference data from the reference directory, records each set it loads, and swaps it into
 * the engine atomically. A set that fails to load changes nothing: the previous set stays live and
 * the caller gets the loader's message (which file, which line, what is wrong).
 */
public final class ReferenceService {
  private static final Logger log = LoggerFactory.getLogger(ReferenceService.class);
  private final ReferenceRepository repository;
  private final Path dir;
  private final int phoneCacheEntriesMax;
  private final Clock clock;
  private volatile ReferenceData current;
  private volatile ReferenceRepository.Version currentRecord;
  private Consumer<ReferenceData> installer = data -> {};

  /** Loads the directory at start-up; a broken file stops start-up with the loader's message. */
  public ReferenceService(ReferenceRepository repository, Path dir, int phoneCacheEntriesMax, Clock clock) {
    this.clock = clock;
    this.repository = repository;
    this.dir = dir;
    this.phoneCacheEntriesMax = phoneCacheEntriesMax;
    try {
      load("startup");
    } catch (ReferenceDataException e) {
      throw new IllegalStateException("reference data in " + dir + " cannot be used (" + e.component() + "): " + e.getMessage(), e);
    }
  }

  public ReferenceData current() {
    return current;
  }

  public ReferenceRepository.Version currentRecord() {
    return currentRecord;
  }

  public Path directory() {
    return dir;
  }

  /** Where a newly loaded set goes (the decision pipeline). */
  public synchronized void onInstall(Consumer<ReferenceData> installer) {
    this.installer = installer;
  }

  /** Reloads every file; 422 naming the component when one is broken (the old set stays live). */
  public synchronized ReferenceData reload(String actor) {
    try {
      return load(actor);
    } catch (ReferenceDataException e) {
      log.warn("reference data reload refused; version {} stays live: {}", current.version(), e.getMessage());
      throw new ApiException(422, "invalid_request_error", "reference_data_invalid",
          "Reference data was not reloaded; version " + current.version() + " stays live. " + e.getMessage(), e.component());
    }
  }

  public List<ReferenceRepository.Version> history(Long beforeVersion, int rows) {
    return repository.history(beforeVersion, rows);
  }

  public Optional<ReferenceRepository.Version> version(long version) {
    return repository.find(version);
  }

  private synchronized ReferenceData load(String actor) throws ReferenceDataException {
    long latest = repository.latestVersion();
    ReferenceData loaded = ReferenceDataLoader.load(dir, latest + 1, phoneCacheEntriesMax);
    String components = Json.write(new TreeMap<>(loaded.components()));
    Optional<ReferenceRepository.Version> previous = latest == 0 ? Optional.empty() : repository.find(latest);
    ReferenceRepository.Version record;
    if (previous.isPresent() && previous.get().components().equals(components)) {
      // The same files as the last recorded set: keep its number, so restarts do not mint versions.
      loaded = ReferenceDataLoader.withVersion(loaded, latest);
      record = previous.get();
    } else {
      record = new ReferenceRepository.Version(latest + 1, clock.millis(), actor, components);
      repository.insert(record); // stored before it goes live: a failed insert changes nothing
    }
    currentRecord = record;
    current = loaded;
    installer.accept(loaded);
    log.info("reference data version {} live: {}", loaded.version(), components);
    if (loaded.geo() == null) {
      log.warn("geolocation is off: no geo database in {}; every IP reads as unknown. Install one with"
          + " './vigil reference install' (docs/signals.md), then POST /v1/reference/reload", dir.toAbsolutePath());
    }
    return loaded;
  }
}
