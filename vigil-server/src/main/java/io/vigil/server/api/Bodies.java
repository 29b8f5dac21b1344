package io.vigil.server.api;

import io.vigil.engine.Limits;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads request bodies with a hard size limit, before any parsing. */
public final class Bodies {
  private static final int COPY_BUFFER_BYTES = 64 * 1024;

  private Bodies() {}

  public static byte[] read(HttpServletRequest request) {
    return read(request, Limits.REQUEST_BODY_BYTES_MAX);
  }

  /** A body of at most bytesMax (model uploads are larger than JSON requests). */
  public static byte[] read(HttpServletRequest request, int bytesMax) {
    long declared = request.getContentLengthLong();
    if (declared > bytesMax) throw tooLarge(bytesMax);
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(bytesMax + 1);
      if (body.length > bytesMax) throw tooLarge(bytesMax);
      return body;
    } catch (IOException e) {
      throw ApiException.invalid("body_unreadable", "The request body could not be read", null);
    }
  }

  /**
   * Writes the body to a new file in {@code dir} as it arrives, counting, and stops at once past
   * bytesMax; the file is deleted when anything fails. The caller deletes it when done.
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
    try (InputStream in = request.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      long total = 0;
      for (int n; (n = in.read(buffer)) != -1; ) {
        total += n;
        if (total > bytesMax) throw tooLarge(bytesMax);
        out.write(buffer, 0, n);
      }
      complete = true;
      return file;
    } catch (IOException e) {
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

  private static ApiException tooLarge(long bytesMax) {
    return ApiException.invalid("body_too_large", "The request body is larger than " + bytesMax / 1024 + " KiB", null);
  }
}
