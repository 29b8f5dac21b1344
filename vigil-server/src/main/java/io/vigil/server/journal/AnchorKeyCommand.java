package io.vigil.server.journal;

import java.nio.file.Path;

/**
 * {@code vigil anchor-key --out FILE}: writes a new Ed25519 anchor signing key to FILE, which must
 * not exist (owner read/write only), and prints its key id. To rotate, point
 * {@code vigil.journal.anchor.key-file} at the new file and restart: Vigil records the new public
 * key in the keyring, and the old one stays there to verify the old anchors.
 */
public final class AnchorKeyCommand {
  private AnchorKeyCommand() {}

  public static int run(String[] args) {
    if (args.length != 3 || !args[1].equals("--out")) {
      System.err.println("usage: anchor-key --out FILE");
      return 2;
    }
    try {
      AnchorKey key = AnchorKey.generateInto(Path.of(args[2]));
      System.out.println("anchor key " + key.id() + " written to " + args[2] + " (readable by its owner only)");
      return 0;
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }
}
