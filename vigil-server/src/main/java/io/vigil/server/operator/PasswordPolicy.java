package io.vigil.server.operator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.passay.CharacterRule;
import org.passay.DictionaryRule;
import org.passay.EnglishCharacterData;
import org.passay.LengthRule;
import org.passay.PasswordData;
import org.passay.PasswordValidator;
import org.passay.Rule;
import org.passay.RuleResult;
import org.passay.RuleResultDetail;
import org.passay.UsernameRule;

/**
 * What an operator's password must be (Passay): at least {@code minLength} characters, at most
 * {@value #LENGTH_MAX} (and 72 bytes in UTF-8, what BCrypt reads), the configured character classes,
 * not containing the username, and not a common password ({@link CommonPasswords}).
 */
public final class PasswordPolicy {
  public static final int LENGTH_MAX = 64;
  /** BCrypt reads at most this many bytes of a password. */
  public static final int BYTES_MAX = 72;
  private final PasswordValidator validator;

  public PasswordPolicy(OperatorProperties.Password settings, CommonPasswords common) {
    if (settings.minLength() < 8 || settings.minLength() > LENGTH_MAX) throw new IllegalArgumentException("minLength out of range");
    List<Rule> rules = new ArrayList<>();
    rules.add(new LengthRule(settings.minLength(), LENGTH_MAX));
    if (settings.requireUpper()) rules.add(new CharacterRule(EnglishCharacterData.UpperCase, 1));
    if (settings.requireLower()) rules.add(new CharacterRule(EnglishCharacterData.LowerCase, 1));
    if (settings.requireDigit()) rules.add(new CharacterRule(EnglishCharacterData.Digit, 1));
    if (settings.requireSymbol()) rules.add(new CharacterRule(EnglishCharacterData.Special, 1));
    rules.add(new UsernameRule(true, true));
    DictionaryRule dictionary = new DictionaryRule(common);
    dictionary.setMatchBackwards(true);
    rules.add(dictionary);
    this.validator = new PasswordValidator(rules);
  }

  /** The reasons the password is refused (e.g. {@code too_short}, {@code common_password}); empty when it is accepted. */
  public List<String> refusals(String password, String username) {
    Set<String> reasons = new LinkedHashSet<>();
    if (password.getBytes(StandardCharsets.UTF_8).length > BYTES_MAX) reasons.add("too_long");
    RuleResult result = validator.validate(new PasswordData(username, password));
    for (RuleResultDetail d : result.getDetails()) reasons.add(reason(d.getErrorCode()));
    assert result.isValid() == result.getDetails().isEmpty();
    return List.copyOf(reasons);
  }

  private static String reason(String passayCode) {
    return switch (passayCode) {
      case LengthRule.ERROR_CODE_MIN -> "too_short";
      case LengthRule.ERROR_CODE_MAX -> "too_long";
      case "INSUFFICIENT_UPPERCASE" -> "missing_upper_case";
      case "INSUFFICIENT_LOWERCASE" -> "missing_lower_case";
      case "INSUFFICIENT_DIGIT" -> "missing_digit";
      case "INSUFFICIENT_SPECIAL" -> "missing_symbol";
      case DictionaryRule.ERROR_CODE, DictionaryRule.ERROR_CODE_REVERSED -> "common_password";
      case UsernameRule.ERROR_CODE, UsernameRule.ERROR_CODE_REVERSED -> "contains_username";
      default -> passayCode.toLowerCase(Locale.ROOT);
    };
  }
}
