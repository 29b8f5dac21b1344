package io.vigil.server.backup;

import io.vigil.server.api.Actor;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Online backups of the embedded store: {@code POST /v1/admin/backups} writes one and says where. */
@RestController
public class BackupController {
  private static final Logger log = LoggerFactory.getLogger(BackupController.class);
  private final OnlineBackup backups;

  public BackupController(OnlineBackup backups) {
    this.backups = backups;
  }

  @PostMapping("/v1/admin/backups")
  @ResponseStatus(HttpStatus.CREATED)
  public Map<String, Object> create(HttpServletRequest request) {
    String actor = Actor.of(request);
    OnlineBackup.Result r = backups.take();
    log.info("backup {} requested by {}", r.file().getFileName(), actor);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", r.file().toAbsolutePath().toString());
    m.put("bytes", r.bytes());
    m.put("created_at", Instant.ofEpochMilli(r.createdAtMillis()).toString());
    List<Map<String, Object>> entries = new ArrayList<>();
    for (BackupArchive.Entry e : r.entries()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("path", e.path());
      entry.put("bytes", e.bytes());
      entry.put("sha256", e.sha256());
      entries.add(entry);
    }
    m.put("entries", entries);
    return m;
  }
}
