package io.vigil.server.support;

import io.vigil.server.security.ApiKeys;
import io.vigil.server.security.ApiScope;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The API key every test server is given (as its demo key, through settings) and every test client
 * signs with: id and secret drawn anew for each test run, never written in the code. It holds every
 * scope, so any route a key may call at all is signed with it ({@link TestAuth}).
 */
public final class TestKeys {
  public static final String KEY_ID = "vk_test_" + UUID.randomUUID().toString().replace("-", "");
  public static final String SECRET = ApiKeys.newSecret();
  public static final String SCOPES = Arrays.stream(ApiScope.values()).map(ApiScope::code).collect(Collectors.joining(","));

  private TestKeys() {}

  /** The settings that give a server this key. */
  public static Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("vigil.security.demo-api-key.id", KEY_ID);
    p.put("vigil.security.demo-api-key.secret", SECRET);
    p.put("vigil.security.demo-api-key.scopes", SCOPES);
    return p;
  }

  /** The same settings as environment variables, for a server in a child process (not on its command line). */
  public static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("VIGIL_SECURITY_DEMOAPIKEY_ID", KEY_ID);
    env.put("VIGIL_SECURITY_DEMOAPIKEY_SECRET", SECRET);
    env.put("VIGIL_SECURITY_DEMOAPIKEY_SCOPES", SCOPES);
    return env;
  }
}
