package io.vigil.server.screening;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires screening: the service (the engine's Screener), the lists directory, and the hit writer thread. */
@Configuration
@EnableConfigurationProperties(ScreeningProperties.class)
public class ScreeningConfiguration {
  private static final Logger log = LoggerFactory.getLogger(ScreeningConfiguration.class);

  @Bean
  public ScreeningService screeningService(HikariDataSource ds, ScreeningProperties p, Clock clock) {
    ScreeningService service = new ScreeningService(new ScreeningRepository(ds), ds, p, clock);
    if (!p.listsDir().isBlank()) loadDirectory(service, Path.of(p.listsDir()));
    return service;
  }

  /** One writer thread: hits and subjects found on the decision path, and re-screening batches. */
  @Bean(destroyMethod = "shutdownNow")
  public ScheduledExecutorService screeningWriter(ScreeningService service, ScreeningProperties p) {
    ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "screening-writer");
      t.setDaemon(true);
      return t;
    });
    writer.scheduleWithFixedDelay(() -> {
      try {
        service.writeBatch();
      } catch (RuntimeException e) {
        log.warn("screening writer: {}", e.getMessage());
      }
    }, p.writerIntervalMillis(), p.writerIntervalMillis(), TimeUnit.MILLISECONDS);
    return writer;
  }

  /** Installs each list file whose name implies its format and whose content differs from the live version. */
  static void loadDirectory(ScreeningService service, Path dir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("vigil.screening.lists-dir " + dir + " cannot be read", e);
    }
    for (Path f : files) {
      String fileName = f.getFileName().toString();
      ListFormat format = ListFormat.fromFileName(fileName);
      if (format == null) continue;
      String listName = fileName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_\\-]", "_");
      try {
        service.installIfChanged(listName, format, Files.readAllBytes(f), "startup");
      } catch (IOException e) {
        throw new UncheckedIOException("screening list " + f + " cannot be read", e);
      }
    }
  }
}
