package io.vigil.server.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** A real SMTP server (GreenMail) for a test class, on a free port of the loopback address. */
public final class TestSmtp {
  private TestSmtp() {}

  /** Starts one; the test class stops it when it is done. */
  public static GreenMail start() {
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    return smtp;
  }
}
