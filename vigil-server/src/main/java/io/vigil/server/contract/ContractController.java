package io.vigil.server.contract;

import io.vigil.server.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Serves the API contract, the hand-written OpenAPI document {@value #RESOURCE}, as JSON. The file
 * is the source of truth for clients; the server's tests check that it names every route the
 * server maps and nothing else.
 */
@RestController
public class ContractController {
  /** The contract on the classpath (vigil-server/src/main/resources). */
  public static final String RESOURCE = "openapi/vigil.yaml";

  private final byte[] json;

  public ContractController() {
    this.json = Json.MAPPER.writeValueAsBytes(read());
  }

  @GetMapping(path = "/v1/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<byte[]> contract() {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
  }

  private static JsonNode read() {
    try (InputStream in = ContractController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      return YAMLMapper.builder().build().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
