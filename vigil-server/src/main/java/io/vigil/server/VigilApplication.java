package io.vigil.server;

import io.vigil.server.audit.VerifyAuditCommand;
import io.vigil.server.backup.RestoreCommand;
import io.vigil.server.journal.AnchorKeyCommand;
import io.vigil.server.journal.VerifyJournalCommand;
import io.vigil.server.logging.FatalErrors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Starts the Vigil server, or runs a command: {@code verify-journal [--data-dir DIR | --storage-url URL]
 * [--anchor-file FILE] [--anchor-keys FILE]}, {@code verify-audit [--data-dir DIR | --storage-url URL]
 * [--archived-through SEQ --archived-head-hash HASH]}, {@code restore --from FILE [--data-dir DIR]}, or
 * {@code anchor-key --out FILE}.
 */
// No framework-made user with a generated password: callers are API keys and operators (security/).
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class VigilApplication {
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("verify-journal")) {
      System.exit(VerifyJournalCommand.run(args));
    }
    if (args.length > 0 && args[0].equals("verify-audit")) {
      System.exit(VerifyAuditCommand.run(args));
    }
    if (args.length > 0 && args[0].equals("restore")) {
      System.exit(RestoreCommand.run(args));
    }
    FatalErrors.installDefaultHandler();
    if (args.length > 0 && args[0].equals("anchor-key")) {
      System.exit(AnchorKeyCommand.run(args));
    }
    SpringApplication.run(VigilApplication.class, args);
  }
}
