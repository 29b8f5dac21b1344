package io.vigil.server.console.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's dashboard: decision rates, latency, interception and review rates, queues. */
@Controller
public class DashboardController {
  @GetMapping("/console/dashboard")
  public String dashboard() {
    return "console/dashboard";
  }
}
