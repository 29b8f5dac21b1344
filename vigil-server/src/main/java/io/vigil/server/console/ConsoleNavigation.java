package io.vigil.server.console;

import io.vigil.server.security.Permission;
import io.vigil.server.security.VigilPrincipal;
import java.util.List;

/**
 * The console's screens in the order the navigation shows them, each with the permission needed to
 * open it. An operator sees only the screens their roles allow; the route table
 * ({@code RoutePermissions}) refuses the others anyway.
 */
public final class ConsoleNavigation {
  /** One screen: its label, its path and the permission needed to open it. */
  public record Item(String label, String path, Permission permission) {}

  private static final List<Item> ITEMS = List.of(
      new Item("Dashboard", "/console/dashboard", Permission.METRICS_READ),
      new Item("Decisions", "/console/decisions", Permission.DECISIONS_READ),
      new Item("Accounts", "/console/accounts", Permission.ACCOUNTS_READ),
      new Item("Holds", "/console/holds", Permission.HOLDS_APPROVE),
      new Item("Cases", "/console/cases", Permission.CASES_READ),
      new Item("Monitoring", "/console/monitoring", Permission.MONITORING_READ),
      new Item("Rules and policy", "/console/rules", Permission.POLICY_READ),
      new Item("Changes", "/console/changes", Permission.POLICY_READ),
      new Item("Releases", "/console/releases", Permission.POLICY_READ),
      new Item("Lists", "/console/lists", Permission.LISTS_READ),
      new Item("Models", "/console/models", Permission.MODELS_READ),
      new Item("Reference data", "/console/reference", Permission.REFERENCE_READ),
      new Item("Reports", "/console/reports", Permission.REPORTS_READ),
      new Item("Screening", "/console/screening", Permission.SCREENING_READ),
      new Item("Audit trail", "/console/audit", Permission.AUDIT_READ),
      new Item("Operators", "/console/operators", Permission.OPERATORS_MANAGE),
      new Item("API keys", "/console/api-keys", Permission.API_KEYS_MANAGE));

  private ConsoleNavigation() {}

  /** Every screen, whoever may open it. */
  public static List<Item> all() {
    return ITEMS;
  }

  /** The screens this operator may open. */
  public static List<Item> visibleTo(VigilPrincipal principal) {
    return ITEMS.stream().filter(i -> principal.has(i.permission())).toList();
  }

  /** The first screen this operator may open: where signing in lands. */
  public static String home(VigilPrincipal principal) {
    List<Item> visible = visibleTo(principal);
    return visible.isEmpty() ? "/console/account" : visible.get(0).path();
  }
}
