package io.vigil.server.policy;

import io.vigil.server.api.Bodies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Draft rules before they are saved: validate (compile only), test (one pasted event), backtest
 * (the stored journal of the last days). None of them changes the policy or stores anything.
 */
@RestController
public class RuleDraftController {
  private final RuleDrafts drafts;

  public RuleDraftController(RuleDrafts drafts) {
    this.drafts = drafts;
  }

  /** 200 {"valid": true, ...} when the rule compiles; the errors of POST /v1/rules when it does not. */
  @PostMapping("/v1/rules/validate")
  public Map<String, Object> validate(HttpServletRequest request) {
    return drafts.validate(Bodies.read(request));
  }

  @PostMapping("/v1/rules/test")
  public Map<String, Object> test(HttpServletRequest request) {
    return drafts.test(Bodies.read(request));
  }

  @PostMapping("/v1/rules/backtest")
  public Map<String, Object> backtest(HttpServletRequest request) {
    return drafts.backtest(Bodies.read(request));
  }
}
