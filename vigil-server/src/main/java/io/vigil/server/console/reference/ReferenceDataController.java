package io.vigil.server.console.reference;

import io.vigil.server.reference.ReferenceController;
import io.vigil.server.reference.ReferenceService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Reference data: the live set and the sets loaded before it (the reference service's bounded
 * history), a reload through the API, and a lookup of what the live set says about one IP, phone,
 * BIN, e-mail domain or currency ({@code GET /v1/reference/lookup}, called by the page's script).
 */
@Controller
public class ReferenceDataController {
  /** Versions listed, newest first. */
  static final int VERSIONS_ROWS = 20;

  private final ReferenceService reference;

  public ReferenceDataController(ReferenceService reference) {
    this.reference = reference;
  }

  @GetMapping("/console/reference")
  public String reference(Model model) {
    model.addAttribute("live", ReferenceController.describe(reference.currentRecord()));
    model.addAttribute("directory", reference.directory().toAbsolutePath().toString());
    model.addAttribute("versions", reference.history(null, VERSIONS_ROWS).stream().map(ReferenceController::describe).toList());
    return "console/reference/reference";
  }
}
