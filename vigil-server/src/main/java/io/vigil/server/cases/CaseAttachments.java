package io.vigil.server.cases;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.storage.Sql;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Files reviewers attach to a case (a customer's statement, a screenshot): bounded in size, count and
 * type, stored in the database with their SHA-256. A type with a signature (PDF, PNG, JPEG) must
 * start with it, and a text file must be UTF-8 without control bytes, so a refused type cannot come
 * in under an accepted name.
 */
public final class CaseAttachments {
  /** A file's metadata. */
  public record Attachment(String attachmentId, String caseId, String fileName, String mediaType, long sizeBytes, String sha256,
      String addedBy, long addedAtMillis) {}

  public static final int FILE_NAME_CHARS_MAX = 255;
  private static final Pattern FILE_NAME = Pattern.compile("[\\p{L}\\p{N} ._()\\-]{1,255}");
  private static final Map<String, byte[]> SIGNATURES = Map.of(
      "application/pdf", "%PDF-".getBytes(StandardCharsets.US_ASCII),
      "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
      "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
  private static final Set<String> TEXT = Set.of("text/plain", "text/csv");

  private final CaseService cases;
  private final CaseRepository repository;
  private final CasesProperties.Attachments limits;
  private final Clock clock;

  public CaseAttachments(CaseService cases, CaseRepository repository, CasesProperties.Attachments limits, Clock clock) {
    this.cases = cases;
    this.repository = repository;
    this.limits = limits;
    this.clock = clock;
  }

  public CasesProperties.Attachments limits() {
    return limits;
  }

  /** Checks and stores the file, and records it on the case's timeline, in one transaction. */
  public Attachment add(String caseId, String fileName, String mediaType, byte[] content, Reviewer by) {
    check(fileName, mediaType, content);
    Attachment a = new Attachment(Ids.random("att_"), caseId, fileName, mediaType, content.length, sha256(content), by.id(),
        clock.millis());
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("attachment_id", a.attachmentId());
    detail.put("file_name", fileName);
    detail.put("media_type", mediaType);
    detail.put("size_bytes", a.sizeBytes());
    detail.put("sha256", a.sha256());
    // In the case's transaction: the reviewer may work it, it is not closed, and the file and its
    // timeline entry commit together.
    cases.event(caseId, by, "attachment_added", detail, true, c -> {
      if (repository.find(c, caseId).orElseThrow().status().isClosed()) throw closed();
      insert(c, a, content);
      return true;
    });
    return a;
  }

  private static ApiException closed() {
    return ApiException.conflict("invalid_request_error", "case_closed", "The case is closed; it takes no more files", "case_id");
  }

  /** Stores the file, refusing one past the case's limit. */
  private void insert(Connection c, Attachment a, byte[] content) throws SQLException {
    try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM case_attachments WHERE case_id = ?")) {
      count.setString(1, a.caseId());
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        if (rs.getLong(1) >= limits.perCaseMax()) {
          throw ApiException.conflict("invalid_request_error", "too_many_attachments",
              "A case holds at most " + limits.perCaseMax() + " files", "file");
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_attachments (attachment_id, case_id, file_name, media_type,"
        + " size_bytes, sha256, content, added_by, added_at_millis) VALUES (?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, a.attachmentId());
      ps.setString(2, a.caseId());
      ps.setString(3, a.fileName());
      ps.setString(4, a.mediaType());
      ps.setLong(5, a.sizeBytes());
      ps.setString(6, a.sha256());
      ps.setBytes(7, content);
      ps.setString(8, a.addedBy());
      ps.setLong(9, a.addedAtMillis());
      ps.executeUpdate();
    }
  }

  private void check(String fileName, String mediaType, byte[] content) {
    if (fileName == null || !FILE_NAME.matcher(fileName).matches() || fileName.startsWith(".")) {
      throw ApiException.invalid("invalid_file_name",
          "The file name must be 1 to 255 letters, digits, spaces, dots, dashes, underscores or brackets", "file");
    }
    if (content.length == 0) throw ApiException.invalid("empty_file", "The file is empty", "file");
    if (content.length > limits.bytesMax()) throw tooLarge(limits.bytesMax());
    if (mediaType == null || !limits.mediaTypes().contains(mediaType)) {
      throw new ApiException(415, "invalid_request_error", "unsupported_file_type",
          "Cases take files of these types: " + String.join(", ", limits.mediaTypes()), "file");
    }
    byte[] signature = SIGNATURES.get(mediaType);
    boolean matches = signature != null ? startsWith(content, signature) : !TEXT.contains(mediaType) || isText(content);
    if (!matches) {
      throw new ApiException(415, "invalid_request_error", "file_type_mismatch",
          "The file's content is not of the type it claims (" + mediaType + ")", "file");
    }
  }

  static ApiException tooLarge(long bytesMax) {
    return new ApiException(413, "invalid_request_error", "file_too_large", "A file has at most " + bytesMax + " bytes", "file");
  }

  private static boolean startsWith(byte[] content, byte[] prefix) {
    return content.length >= prefix.length && Arrays.equals(content, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static boolean isText(byte[] content) {
    for (byte b : content) {
      if (b == 0 || (b > 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t')) return false;
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<Attachment> of(String caseId) {
    return Sql.list(repository.dataSource(), "SELECT " + META + " FROM case_attachments WHERE case_id = ? ORDER BY added_at_millis, attachment_id",
        ps -> ps.setString(1, caseId), rs -> new Attachment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getLong(5), rs.getString(6), rs.getString(7), rs.getLong(8)), "reading attachments failed");
  }

  /** The file's content, if the case has it. */
  public Optional<byte[]> content(String caseId, String attachmentId) {
    return Sql.one(repository.dataSource(), "SELECT content FROM case_attachments WHERE case_id = ? AND attachment_id = ?", ps -> {
      ps.setString(1, caseId);
      ps.setString(2, attachmentId);
    }, rs -> rs.getBytes(1), "reading an attachment failed");
  }

  private static final String META = "attachment_id, case_id, file_name, media_type, size_bytes, sha256, added_by, added_at_millis";
}
