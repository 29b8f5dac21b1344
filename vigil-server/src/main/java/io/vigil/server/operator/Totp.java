package io.vigil.server.operator;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.time.TimeProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * RFC 6238 time-based one-time codes (SHA-1, 6 digits, 30-second steps, what every authenticator
 * app reads): seeds, the {@code otpauth://} URI and its QR code, and checking a code. A code is
 * accepted for the current step and one step either side, and only for a step later than the last
 * one accepted, so a code cannot be used twice.
 */
public final class Totp {
  public static final int PERIOD_SECONDS = 30;
  public static final int DIGITS = 6;
  /** Steps either side of the current one that are still accepted (clock drift, typing time). */
  public static final int DRIFT_STEPS = 1;
  private static final Pattern CODE = Pattern.compile("[0-9]{" + DIGITS + "}");
  private static final int QR_PIXELS = 256;
  private final TimeProvider time;
  private final String issuer;
  private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);
  private final DefaultSecretGenerator seeds = new DefaultSecretGenerator(32);

  public Totp(TimeProvider time, String issuer) {
    this.time = time;
    this.issuer = issuer;
  }

  /** What an authenticator app needs to enrol. */
  public record Enrolment(String uri, String qrPngBase64) {}

  /** A new random seed: 32 base-32 characters, 160 bits. */
  public String newSeed() {
    String seed = seeds.generate();
    assert seed.length() == 32;
    return seed;
  }

  public Enrolment enrolment(String seed, String username) {
    QrData data = new QrData.Builder().label(username).secret(seed).issuer(issuer).algorithm(HashingAlgorithm.SHA1)
        .digits(DIGITS).period(PERIOD_SECONDS).build();
    ZxingPngQrGenerator png = new ZxingPngQrGenerator();
    png.setImageSize(QR_PIXELS);
    try {
      return new Enrolment(data.getUri(), Base64.getEncoder().encodeToString(png.generate(data)));
    } catch (QrGenerationException e) {
      throw new IllegalStateException("drawing the enrolment QR code failed", e);
    }
  }

  /** The current time step. */
  public long currentStep() {
    return Math.floorDiv(time.getTime(), PERIOD_SECONDS);
  }

  /**
   * The step the code belongs to, among the current one and {@value #DRIFT_STEPS} either side and
   * later than lastStep; -1 when the code matches none of them (wrong, too old, or used already).
   */
  public long matchingStep(String seed, String code, long lastStep) {
    if (code == null || !CODE.matcher(code).matches()) return -1;
    long now = currentStep();
    long found = -1;
    for (long step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
      boolean same = MessageDigest.isEqual(codeAt(seed, step).getBytes(StandardCharsets.US_ASCII),
          code.getBytes(StandardCharsets.US_ASCII));
      if (same && step > lastStep && found < 0) found = step;
    }
    return found;
  }

  /** The code of one step. */
  public String codeAt(String seed, long step) {
    try {
      return codes.generate(seed, step);
    } catch (CodeGenerationException e) {
      throw new IllegalStateException("computing a TOTP code failed", e);
    }
  }
}
