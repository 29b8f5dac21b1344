package io.vigil.server.operator;

/**
 * Seals operators' TOTP seeds for storage and opens them again; the account's username is bound to
 * the sealed value, so a sealed seed copied to another account does not open.
 */
public interface SeedBox {
  String seal(String seed, String username);

  String open(String sealed, String username);
}
