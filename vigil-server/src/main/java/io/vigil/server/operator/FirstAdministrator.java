package io.vigil.server.operator;

import io.vigil.server.security.Role;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a store without operators, creates the administrator {@code admin} with a one-time password,
 * printed once to standard output and written to {@code <data-dir>/initial-admin-password} (mode
 * 600). The first sign-in must change it and enrol a second factor.
 */
public final class FirstAdministrator {
  private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);
  public static final String USERNAME = "admin";
  public static final String PASSWORD_FILE = "initial-admin-password";

  private FirstAdministrator() {}

  /** Creates the administrator if the store has no operator; whether it did. */
  public static boolean createIfEmpty(OperatorRepository repository, OperatorService operators, Path dataDir, PrintStream out) {
    if (repository.count() > 0) return false;
    OperatorService.Created created;
    try {
      created = operators.create(USERNAME, "Administrator", Set.of(Role.ADMINISTRATOR));
    } catch (RuntimeException e) {
      if (repository.count() > 0) return false; // another server sharing the store created it first
      throw e;
    }
    Path file = dataDir.resolve(PASSWORD_FILE);
    write(file, created.oneTimePassword());
    out.println();
    out.println("Vigil created the administrator '" + USERNAME + "' with this one-time password (also in " + file + "):");
    out.println();
    out.println("    " + created.oneTimePassword());
    out.println();
    out.println("Sign in with it in the console (/console, e.g. http://127.0.0.1:8080/console) or by API (POST /v1/auth/login);");
    out.println("you will choose a new password and enrol a second factor.");
    out.println();
    out.flush();
    log.info("created the first administrator '{}'; its one-time password is in {}", USERNAME, file);
    return true;
  }

  private static void write(Path file, String password) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("cannot write " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file + " failed", e);
    }
  }
}
