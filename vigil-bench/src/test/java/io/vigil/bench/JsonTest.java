package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void escapesStringsAndRoundTrips() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("quote", "say \"hi\"\\ now");
    m.put("control", "line\nbreak\ttab\u0001\u001f end");
    m.put("unicode", "Dhaka ঢাকা \u2028");
    m.put("n", 42L);
    m.put("d", 1.5);
    m.put("nan", Double.NaN);
    m.put("b", true);
    m.put("nothing", null);
    m.put("list", List.of(1L, "x"));
    m.put("nested", Map.of("k", "v"));
    String json = Json.write(m);
    assertThat(json).contains("\\\"hi\\\"").contains("\\n").contains("\\u0001").contains("\\u001f").contains("\\u2028");
    Map<String, Object> back = TinyJson.parseObject(json);
    assertThat(back.get("quote")).isEqualTo(m.get("quote"));
    assertThat(back.get("control")).isEqualTo(m.get("control"));
    assertThat(back.get("unicode")).isEqualTo(m.get("unicode"));
    assertThat(back.get("n")).isEqualTo(42L);
    assertThat(back.get("d")).isEqualTo(1.5);
    assertThat(back.get("nan")).isNull();
    assertThat(back.get("b")).isEqualTo(true);
    assertThat(back).containsKey("nothing");
    assertThat(back.get("list")).isEqualTo(List.of(1L, "x"));
    assertThat(back.get("nested")).isEqualTo(Map.of("k", "v"));
  }
}
