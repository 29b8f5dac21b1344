package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TimeCursorTest {
  @Test
  void aCursorComesBackAsItWasAndNeedsNoEscapingInAQuery() {
    // Label ids may hold : / + = @, which a query string would otherwise need escaped.
    TimeCursor cursor = new TimeCursor(1_773_151_200_123L, "cb-2026/11:0042+x=y@z");
    String encoded = cursor.encode();
    assertTrue(encoded.matches("[A-Za-z0-9_-]+"), encoded);
    assertEquals(cursor, TimeCursor.decode(encoded));
    assertNull(TimeCursor.decode(null));
  }

  @Test
  void anythingElseIsRefusedAsTheStartingAfterParameter() {
    for (String bad : new String[] {"not a cursor", "", b64("1773151200123"), b64(":le_1"), b64("1773151200123:"), b64("soon:le_1"),
        b64("1773151200123:" + "x".repeat(300))}) { // a well-formed cursor, but longer than any the server makes
      ApiException e = assertThrows(ApiException.class, () -> TimeCursor.decode(bad), bad);
      assertEquals("invalid_parameter", e.code());
      assertEquals("starting_after", e.param());
      assertEquals(400, e.status());
    }
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
