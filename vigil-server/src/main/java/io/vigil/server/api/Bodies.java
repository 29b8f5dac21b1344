package io.vigil.server.api;

import io.vigil.engine.Limits;
import io.vigil.server.security.ContentDigest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Reads request bodies with a hard size limit, before any parsing, and within the body deadline
 * ({@link Deadlines}): a body still arriving when its deadline passes is refused with {@code 408
 * body_timeout} and its connection closed. Each read waits at most the connector's read timeout,
 * so a body that trickles in holds its thread at most that much past its deadline. Large uploads
 * go to a file as they arrive ({@link #toFile}), never whole into memory. A body is checked against
 * its {@code Content-Digest} ({@link ContentDigest}) before it is returned, so before anything parses it.
 */
public final class Bodies {
  private static final int CHUNK_BYTES = 8_192;
  private static final int COPY_BUFFER_BYTES = 64 * 1024;

  private Bodies() {}

  /** A JSON body, at most {@link Limits#REQUEST_BODY_BYTES_MAX}; read already when {@link BodyPrefetch} took it in. */
  public static byte[] read(HttpServletRequest request) {
    byte[] body = request.getAttribute(BodyPrefetch.BODY_ATTRIBUTE) instanceof byte[] prefetched ? prefetched
        : read(request, Limits.REQUEST_BODY_BYTES_MAX, false);
    ContentDigest.check(request, body);
    return body;
  }

  /** A large body of at most bytesMax (list imports), within the upload deadline. */
  public static byte[] read(HttpServletRequest request, int bytesMax) {
    byte[] body = read(request, bytesMax, true);
    ContentDigest.check(request, body);
    return body;
  }

  private static byte[] read(HttpServletRequest request, int bytesMax, boolean upload) {
    long declared = request.getContentLengthLong();
    if (declared > bytesMax) throw tooLarge(bytesMax);
    ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, CHUNK_BYTES)));
    byte[] chunk = new byte[CHUNK_BYTES];
    try (InputStream in = request.getInputStream()) {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        body.write(chunk, 0, n);
        if (body.size() > bytesMax) throw tooLarge(bytesMax);
        if (Deadlines.bodyNanosLeft(request, upload) <= 0) throw timedOut(request);
      }
      return body.toByteArray();
    } catch (IOException e) {
      if (causedByTimeout(e)) throw timedOut(request);
      throw ApiException.invalid("body_unreadable", "The request body could not be read", null);
    }
  }

  /**
   * Writes the body to a new file in {@code dir} as it arrives, counting, within the upload
   * deadline, and stops at once past bytesMax; the file is deleted when anything fails. The caller
   * deletes it when done.
   */
  public static Path toFile(HttpServletRequest request, Path dir, long bytesMax) {
    long declared = request.getContentLengthLong();
    if (declared > bytesMax) throw tooLarge(bytesMax);
    Path file;
    try {
      Files.createDirectories(dir);
      file = Files.createTempFile(dir, "upload-", ".part");
    } catch (IOException e) {
      throw ApiException.unavailable("storage_unavailable", "The upload could not be stored; nothing was changed. Retry shortly");
    }
    boolean complete = false;
    MessageDigest sha256 = ContentDigest.newSha256();
    try (InputStream in = request.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      long total = 0;
      for (int n; (n = in.read(buffer)) != -1; ) {
        total += n;
        if (total > bytesMax) throw tooLarge(bytesMax);
        if (Deadlines.bodyNanosLeft(request, true) <= 0) throw timedOut(request);
        sha256.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
      ContentDigest.check(request, sha256.digest(), total);
      complete = true;
      return file;
    } catch (IOException e) {
      if (causedByTimeout(e)) throw timedOut(request);
      throw ApiException.invalid("body_unreadable", "The request body could not be read", null);
    } finally {
      if (!complete) deleteQuietly(file);
    }
  }

  /** Deletes what an earlier process left of its uploads in {@code dir} (it stopped while receiving them). */
  public static void deleteLeftovers(Path dir) {
    if (!Files.isDirectory(dir)) return;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "upload-*.part")) {
      for (Path file : leftovers) deleteQuietly(file);
    } catch (IOException ignored) {
      // nothing to clean, or not readable: the next start-up tries again
    }
  }

  /** Deletes a file if it is there; a failure is left for the next start-up's clean-up. */
  public static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the spool directory is emptied at start-up
    }
  }

  /** Refuses the body and tells the connector not to read the rest of it (the connection is closed). */
  private static ApiException timedOut(HttpServletRequest request) {
    request.setAttribute(RequestLanes.REFUSED_ATTRIBUTE, Boolean.TRUE);
    return Deadlines.bodyTimeout();
  }

  static boolean causedByTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) return true;
    }
    return false;
  }

  static ApiException tooLarge(long bytesMax) {
    return ApiException.invalid("body_too_large", "The request body is larger than " + bytesMax / 1024 + " KiB", null);
  }
}
