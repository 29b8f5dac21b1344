package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vigil.server.contract.ContractController;
import io.vigil.server.support.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The API contract (openapi/vigil.yaml, served at GET /v1/openapi.json) against the real server:
 * it is a valid OpenAPI document, it names exactly the routes the server maps, and its error codes
 * are those of docs/api.md's error code table, which {@link ErrorCodesDocumentedTest} checks against
 * the codes the sources return.
 */
class ApiContractTest extends SharedServerBase {
  private static final Pattern PATH_VARIABLE = Pattern.compile("\\{[^}]+}");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private String served;
  private OpenAPI contract;

  @BeforeEach
  void fetch() {
    ApiClient.Reply r = api.get("/v1/openapi.json");
    assertEquals(200, r.status(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    served = r.body();
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(served, null, options);
    assertEquals(List.of(), result.getMessages(), "the served contract does not validate");
    contract = result.getOpenAPI();
    assertNotNull(contract);
  }

  @Test
  void servesTheContractFileAsAValidDocument() throws IOException {
    assertEquals("3.0.3", contract.getOpenapi());
    assertEquals("Vigil API", contract.getInfo().getTitle());
    assertTrue(contract.getInfo().getVersion().matches("\\d+\\.\\d+\\.\\d+"), contract.getInfo().getVersion());
    assertFalse(contract.getServers().isEmpty());
    assertTrue(contract.getInfo().getDescription().contains("Idempotent-Replayed"));
    Set<String> schemas = contract.getComponents().getSchemas().keySet();
    assertTrue(schemas.containsAll(Set.of("Event", "Decision", "ErrorResponse", "ErrorDetail", "ErrorCode", "DecisionRecordPage")),
        schemas.toString());
    // The decision route is typed: an Event in, a Decision and the replay header out, errors as ErrorResponse.
    var decide = contract.getPaths().get("/v1/decisions").getPost();
    assertEquals("#/components/schemas/Event", decide.getRequestBody().getContent().get("application/json").getSchema().get$ref());
    var ok = decide.getResponses().get("200");
    assertEquals("#/components/schemas/Decision", ok.getContent().get("application/json").getSchema().get$ref());
    assertTrue(ok.getHeaders().containsKey("Idempotent-Replayed"));
    assertEquals("#/components/schemas/ErrorResponse",
        decide.getResponses().get("409").getContent().get("application/json").getSchema().get$ref());
    // What is served is the file, as JSON.
    JsonNode file;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(ContractController.RESOURCE)) {
      file = YAMLMapper.builder().build().readTree(in);
    }
    assertEquals(file, JsonMapper.builder().build().readTree(served));
  }

  /** Fails when a route is added without documenting it, or the contract names a route that does not exist. */
  @Test
  void documentsEveryRouteTheServerMapsAndNoOther() {
    Set<String> mapped = new TreeSet<>();
    List<String> withoutMethod = new ArrayList<>();
    for (var entry : mappings.getHandlerMethods().entrySet()) {
      RequestMappingInfo info = entry.getKey();
      HandlerMethod handler = entry.getValue();
      // Tomcat's error page (/error), not a route: Vigil's own (ErrorPages), or Spring Boot's were it there.
      if (!handler.getBeanType().getPackageName().startsWith("io.vigil.server") || handler.getBeanType() == ErrorPages.class) continue;
      // The console's pages are HTML for browsers, not the API the contract describes.
      if (handler.getBeanType().getPackageName().startsWith("io.vigil.server.console")) continue;
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      for (String path : info.getPatternValues()) {
        if (methods.isEmpty()) withoutMethod.add(path + " (" + handler + ")");
        for (RequestMethod method : methods) mapped.add(route(method.name(), path));
      }
    }
    assertEquals(List.of(), withoutMethod, "every route declares its HTTP method");
    Set<String> documented = new TreeSet<>();
    contract.getPaths().forEach((path, item) ->
        item.readOperationsMap().keySet().forEach(method -> documented.add(route(method.name(), path))));
    Set<String> undocumented = new TreeSet<>(mapped);
    undocumented.removeAll(documented);
    Set<String> unmapped = new TreeSet<>(documented);
    unmapped.removeAll(mapped);
    assertEquals(Set.of(), undocumented, "routes the server maps that " + ContractController.RESOURCE + " does not document");
    assertEquals(Set.of(), unmapped, "routes " + ContractController.RESOURCE + " documents that the server does not map");
    assertTrue(mapped.contains("POST /v1/decisions"), mapped.toString());
  }

  @Test
  void listsTheErrorCodesOfTheDocs() throws IOException {
    Schema<?> codes = contract.getComponents().getSchemas().get("ErrorCode");
    Set<String> inContract = new TreeSet<>();
    for (Object code : codes.getEnum()) inContract.add((String) code);
    Set<String> inDocs = ErrorCodesDocumentedTest.documentedCodes();
    Set<String> onlyInDocs = new TreeSet<>(inDocs);
    onlyInDocs.removeAll(inContract);
    Set<String> onlyInContract = new TreeSet<>(inContract);
    onlyInContract.removeAll(inDocs);
    assertEquals(Set.of(), onlyInDocs, "codes of docs/api.md's error table missing from the contract's ErrorCode");
    assertEquals(Set.of(), onlyInContract, "codes of the contract's ErrorCode missing from docs/api.md's error table");
    Schema<?> types = contract.getComponents().getSchemas().get("ErrorType");
    assertEquals(List.of("invalid_request_error", "idempotency_error", "not_found_error", "overloaded_error", "api_error",
        "authentication_error", "permission_error", "rate_limit_error"), types.getEnum());
  }

  /** "GET /v1/decisions/{}": the method and the path with its variables' names left out. */
  private static String route(String method, String path) {
    return method.toUpperCase(Locale.ROOT) + " " + PATH_VARIABLE.matcher(path).replaceAll("{}");
  }
}
