package io.vigil.server.privacy;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import io.vigil.engine.state.PartCipher;
import io.vigil.engine.state.StateFormatException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Checkpoint part files encrypted: the in-memory windows (keyed by the phone, e-mail, IP…), the
 * signals (phone hashes, locations, the identity link graph) and the hash keys of those parts would
 * otherwise be on disk in a form a reader of the file could match guesses against. Each part gets
 * a fresh 256-bit key, stored at its head wrapped by the master keyset, and is written as Tink's
 * streaming AEAD (AES-256-GCM-HKDF, 1 MiB segments) bound to the part's file name.
 *
 * <p>Layout: the 8 bytes {@code VPDPART1}, the wrapped key's length (4 bytes) and bytes, then the
 * ciphertext. A part without the magic (written before protection was on) is read as it is. A part
 * sealed under a master key since removed does not open: that checkpoint is set aside and the state
 * is rebuilt from the journal.
 */
public final class CheckpointSealing implements PartCipher {
  private static final byte[] MAGIC = "VPDPART1".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_BYTES = 32;
  private static final int SEGMENT_BYTES = 1 << 20;
  private static final int WRAPPED_BYTES_MAX = 1_024;
  private final MasterKeys master;
  private final SecureRandom random = new SecureRandom();

  public CheckpointSealing(MasterKeys master) {
    this.master = master;
  }

  @Override
  public OutputStream sealing(OutputStream out, String file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    try {
      byte[] wrapped = master.wrap(key, associatedData(file)).ciphertext();
      DataOutputStream head = new DataOutputStream(out);
      head.write(MAGIC);
      head.writeInt(wrapped.length);
      head.write(wrapped);
      head.flush();
      OutputStream keepOpen = new FilterOutputStream(out) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
      return streaming(key).newEncryptingStream(keepOpen, associatedData(file));
    } catch (GeneralSecurityException e) {
      throw new IOException("sealing the checkpoint part " + file + " failed", e);
    }
  }

  @Override
  public InputStream opening(InputStream in, String file) throws IOException {
    if (!in.markSupported()) throw new IllegalArgumentException("the part stream must support mark");
    in.mark(MAGIC.length);
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) {
      in.reset();
      return in;
    }
    DataInputStream head = new DataInputStream(in);
    int length = head.readInt();
    if (length <= 0 || length > WRAPPED_BYTES_MAX) throw new StateFormatException(file + " has a damaged key header");
    byte[] key;
    try {
      key = master.unwrap(head.readNBytes(length), associatedData(file));
    } catch (GeneralSecurityException e) {
      throw new StateFormatException(file + " was sealed under a master key this keyset does not hold");
    }
    try {
      return streaming(key).newDecryptingStream(in, associatedData(file));
    } catch (GeneralSecurityException e) {
      throw new IOException("opening the checkpoint part " + file + " failed", e);
    }
  }

  private static AesGcmHkdfStreaming streaming(byte[] key) throws GeneralSecurityException {
    return new AesGcmHkdfStreaming(key, "HmacSha256", KEY_BYTES, SEGMENT_BYTES, 0);
  }

  private static byte[] associatedData(String file) {
    return ("vigil-checkpoint-part\n" + file).getBytes(StandardCharsets.UTF_8);
  }
}
