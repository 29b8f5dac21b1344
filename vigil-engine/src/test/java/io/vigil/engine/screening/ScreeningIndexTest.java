package io.vigil.engine.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Matching on fictional entries: scripts, typos, word order, missing middle names, evidence, identifiers. */
class ScreeningIndexTest {
  private static final ScreeningEntry PETROV = new ScreeningEntry("E1", "person",
      List.of("Ivan Sergeyevich Zorkov", "Vanya Zorkov"), List.of("1971-03-14"), Set.of("RU"), Set.of("P7788123"), "TEST");
  private static final ScreeningEntry RAHMAN = new ScreeningEntry("E2", "person",
      List.of("Mohammad Karim Talukdar"), List.of("1980"), Set.of("BD"), Set.of(), "TEST");
  private static final ScreeningEntry FAROUK = new ScreeningEntry("E3", "person",
      List.of("Khalid Farouk Nabhani"), List.of(), Set.of("SY"), Set.of(), "TEST");
  private static final ScreeningEntry VESSEL = new ScreeningEntry("E4", "vessel",
      List.of("Northern Lantern"), List.of(), Set.of(), Set.of("IMO9912345"), "TEST");
  private static final ScreeningIndex INDEX = new ScreeningIndex("test", 1, 0.85, List.of(PETROV, RAHMAN, FAROUK, VESSEL));

  private static ScreeningMatch top(String name) {
    List<ScreeningMatch> m = INDEX.screen(ScreeningQuery.name(name));
    return m.isEmpty() ? null : m.get(0);
  }

  @Test
  void normalisesCaseAccentsPunctuationAndHonorifics() {
    assertThat(NameNormalizer.tokens("Dr. Ívan  ZÖRKOV-Smith")).containsExactly("ivan", "zorkov", "smith");
    assertThat(NameNormalizer.tokens("  ,,, ")).isEmpty();
    assertThat(NameNormalizer.tokens("Sean O'Brien")).containsExactly("sean", "obrien");
  }

  @Test
  void cyrillicNameMatchesLatinEntry() {
    assertThat(NameNormalizer.tokens("Иван Зорков")).containsExactly("ivan", "zorkov");
    assertThat(top("Иван Сергеевич Зорков").entry().entryId()).isEqualTo("E1");
  }

  @Test
  void arabicNameMatchesLatinEntry() {
    ScreeningMatch m = top("خالد فاروق نبهاني");
    assertThat(m).as("Arabic script: %s", NameNormalizer.tokens("خالد فاروق نبهاني")).isNotNull();
    assertThat(m.entry().entryId()).isEqualTo("E3");
  }

  @Test
  void bengaliNameMatchesLatinEntry() {
    ScreeningMatch m = top("মোহাম্মদ করিম তালুকদার");
    assertThat(m).as("Bengali script: %s", NameNormalizer.tokens("মোহাম্মদ করিম তালুকদার")).isNotNull();
    assertThat(m.entry().entryId()).isEqualTo("E2");
  }

  @Test
  void typosWordOrderAndMissingMiddleNames() {
    assertThat(top("Ivan Zorkow").entry().entryId()).isEqualTo("E1");
    assertThat(top("Zorkov, Ivan").entry().entryId()).isEqualTo("E1");
    assertThat(top("Talukdar Muhammad").entry().entryId()).isEqualTo("E2");
    assertThat(top("Mohamad Kareem Talukder").entry().entryId()).isEqualTo("E2");
    assertThat(top("Vanya Zorkov").matchedName()).isEqualTo("Vanya Zorkov");
  }

  @Test
  void differentPeopleDoNotMatch() {
    assertThat(top("Ivan Petrenko")).isNull();
    assertThat(top("Karim")).isNull(); // one common word is not a match
    assertThat(top("Northern Light Shipping")).isNull();
    assertThat(top("")).isNull();
  }

  @Test
  void dateOfBirthAndCountryMoveTheScore() {
    ScreeningMatch plain = INDEX.screen(ScreeningQuery.name("Ivan Zorkov"), 0.5).get(0);
    ScreeningMatch same = INDEX.screen(new ScreeningQuery("Ivan Zorkov", LocalDate.of(1971, 3, 14), "RU", Set.of()), 0.5).get(0);
    ScreeningMatch other = INDEX.screen(new ScreeningQuery("Ivan Zorkov", LocalDate.of(1995, 1, 1), "BD", Set.of()), 0.5).get(0);
    assertThat(same.score()).isGreaterThan(plain.score());
    assertThat(other.score()).isLessThan(plain.score());
    assertThat(same.evidence()).anyMatch(e -> e.contains("date of birth matches")).anyMatch(e -> e.contains("RU"));
    assertThat(other.evidence()).anyMatch(e -> e.contains("years from"));
    ScreeningMatch year = INDEX.screen(new ScreeningQuery("Mohammad Karim Talukdar", LocalDate.of(1980, 6, 1), null, Set.of()), 0.5).get(0);
    assertThat(year.evidence()).containsExactly("birth year matches 1980");
  }

  @Test
  void identifiersMatchExactlyWhateverTheName() {
    ScreeningMatch m = INDEX.screen(new ScreeningQuery("Someone Else", null, null, Set.of("imo 9912345"))).get(0);
    assertThat(m.entry().entryId()).isEqualTo("E4");
    assertThat(m.matchType()).isEqualTo("identifier");
    assertThat(m.score()).isEqualTo(1.0);
    assertThat(INDEX.screen(new ScreeningQuery("Someone Else", null, null, Set.of("IMO9912346")))).isEmpty();
  }

  @Test
  void contentHashChangesWithTheEntry() {
    ScreeningEntry edited = new ScreeningEntry("E1", "person", PETROV.names(), List.of("1971-03-15"), PETROV.countries(),
        PETROV.identifiers(), "TEST");
    assertThat(edited.contentHash()).isNotEqualTo(PETROV.contentHash());
    assertThat(new ScreeningEntry("E1", "person", PETROV.names(), PETROV.birthDates(), PETROV.countries(),
        PETROV.identifiers(), "OTHER").contentHash()).isEqualTo(PETROV.contentHash());
  }

  @Test
  void refusesABadThreshold() {
    assertThatThrownBy(() -> new ScreeningIndex("x", 1, 0.0, List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScreeningIndex("x", 1, 1.5, List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
