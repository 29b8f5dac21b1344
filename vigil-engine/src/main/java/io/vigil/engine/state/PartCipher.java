package io.vigil.engine.state;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Encrypts checkpoint files (the server's personal-data protection supplies one). The sealing
 * stream must be closed to finish the part; closing it must not close {@code out}. Opening reads a
 * sealed part, and a part written in plaintext (before protection was on) as it is.
 */
public interface PartCipher {
  OutputStream sealing(OutputStream out, String file) throws IOException;

  InputStream opening(InputStream in, String file) throws IOException;

  /** Parts in plaintext. */
  PartCipher NONE = new PartCipher() {
    @Override
    public OutputStream sealing(OutputStream out, String file) {
      return new FilterOutputStream(out) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }

    @Override
    public InputStream opening(InputStream in, String file) {
      return in;
    }
  };
}
