package io.vigil.baselines;

import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The ceiling of the HTTP stack: reads the request body and answers a small JSON object, nothing else. */
@RestController
public class HelloController {
  private static final byte[] HELLO = "{\"action\":\"ALLOW\",\"score\":0,\"reasons\":[]}".getBytes(StandardCharsets.UTF_8);

  @PostMapping(path = "/hello", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<byte[]> hello(@RequestBody byte[] body) {
    if (body.length == 0) return ResponseEntity.badRequest().build();
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(HELLO);
  }
}
