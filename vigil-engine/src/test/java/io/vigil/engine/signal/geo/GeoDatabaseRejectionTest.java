package io.vigil.engine.signal.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.signal.ReferenceDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unusable files are refused on open with a message that names the file. */
class GeoDatabaseRejectionTest {
  @TempDir
  Path dir;

  @Test
  void anAsnDatabaseIsNotAGeoDatabase() {
    Path asn = GeoTestData.geoliteAsn();
    assertThatThrownBy(() -> GeoDatabase.open(asn))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining(asn.toString())
        .hasMessageContaining("no country data")
        .satisfies(e -> assertThat(((ReferenceDataException) e).component()).isEqualTo(GeoDatabase.COMPONENT));
  }

  @Test
  void aGeoDatabaseIsNotAnAsnDatabase() {
    Path geo = GeoTestData.countryAll();
    assertThatThrownBy(() -> AsnDatabase.open(geo))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining(geo.toString())
        .hasMessageContaining("no autonomous_system_number")
        .satisfies(e -> assertThat(((ReferenceDataException) e).component()).isEqualTo(AsnDatabase.COMPONENT));
  }

  @Test
  void aFileCutInHalfIsRefused() throws IOException {
    Path truncated = copyPrefix(GeoTestData.countryIpv4(), 0.5);
    assertRefused(truncated, "not a readable MaxMind DB");
  }

  @Test
  void aFileMissingItsLastBytesIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(GeoTestData.countryIpv4());
    Path truncated = dir.resolve("tail-cut.mmdb");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 20));
    assertRefused(truncated, truncated.toString());
  }

  @Test
  void randomBytesAreRefused() throws IOException {
    byte[] noise = new byte[1 << 20];
    new Random(20260621L).nextBytes(noise);
    Path random = dir.resolve("random.mmdb");
    Files.write(random, noise);
    assertRefused(random, "not a readable MaxMind DB");
  }

  @Test
  void aTextFileIsRefused() throws IOException {
    Path text = dir.resolve("regions.mmdb");
    Files.writeString(text, "country,region,neighbour\nBD,Dhaka Division,Chittagong\n");
    assertRefused(text, "not a readable MaxMind DB");
  }

  @Test
  void aSearchTreeOverwrittenWithGarbageIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(GeoTestData.countryIpv4());
    Arrays.fill(bytes, 0, 1 << 16, (byte) 0xFF);
    Path corrupt = dir.resolve("tree-garbage.mmdb");
    Files.write(corrupt, bytes);
    assertRefused(corrupt, corrupt.toString());
  }

  @Test
  void anEmptyMissingOrDirectoryPathIsRefused() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.mmdb"));
    assertRefused(empty, "is empty");
    assertRefused(dir.resolve("missing.mmdb"), "missing");
    assertRefused(dir, "not a regular file");
  }

  @Test
  void moreFilesThanFamiliesAreRefused() {
    Path file = GeoTestData.countryAll();
    assertThatThrownBy(() -> GeoDatabase.open(List.of(file, file, file)))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining("1 to 2 files");
    assertThatThrownBy(() -> GeoDatabase.open(List.of())).isInstanceOf(ReferenceDataException.class);
  }

  @Test
  void oneBadFileOfTwoFailsTheWholeOpen() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty-ipv6.mmdb"));
    assertThatThrownBy(() -> GeoDatabase.open(List.of(GeoTestData.countryIpv4(), empty)))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining(empty.toString());
  }

  @Test
  void aCorruptDataSectionMakesLookupsUnknownNeverThrows() throws IOException {
    byte[] bytes = Files.readAllBytes(GeoTestData.dbipCityIpv4());
    int metadataStart = lastIndexOf(bytes, "\u00ab\u00cd\u00efMaxMind.com".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(metadataStart).isPositive();
    Random noise = new Random(7);
    // The last tenth before the metadata is the end of the data section: records the checks on
    // open do not read, so the file opens and the damage shows only at lookup.
    for (int i = (int) (metadataStart * 0.9); i < metadataStart; i++) bytes[i] = (byte) noise.nextInt(256);
    Path corrupt = dir.resolve("data-garbage.mmdb");
    Files.write(corrupt, bytes);
    try (GeoDatabase db = GeoDatabase.open(corrupt)) {
      Random ips = new Random(11);
      int unknown = 0;
      for (int i = 0; i < 5_000; i++) {
        String ip = (1 + ips.nextInt(223)) + "." + ips.nextInt(256) + "." + ips.nextInt(256) + "." + ips.nextInt(256);
        if (!db.locate(ip).known()) unknown++;
      }
      assertThat(db.lookupErrorCount()).isPositive();
      assertThat((long) unknown).isGreaterThanOrEqualTo(db.lookupErrorCount());
    } catch (ReferenceDataException e) {
      throw new AssertionError("this damage is past what open checks; the file should open", e);
    }
  }

  private static int lastIndexOf(byte[] bytes, byte[] part) {
    for (int i = bytes.length - part.length; i >= 0; i--) {
      if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) return i;
    }
    return -1;
  }

  private Path copyPrefix(Path source, double fraction) throws IOException {
    byte[] bytes = Files.readAllBytes(source);
    Path copy = dir.resolve("truncated-" + source.getFileName());
    Files.write(copy, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
    return copy;
  }

  private static void assertRefused(Path file, String messagePart) {
    assertThatThrownBy(() -> GeoDatabase.open(file))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(messagePart);
    assertThatThrownBy(() -> AsnDatabase.open(file))
        .isInstanceOf(ReferenceDataException.class)
        .hasMessageContaining(file.toString());
  }
}
