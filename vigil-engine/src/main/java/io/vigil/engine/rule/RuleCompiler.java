package io.vigil.engine.rule;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.vigil.engine.Limits;
import io.vigil.engine.feature.FeatureCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles rules written in CEL, the Common Expression Language.
 *
 * <p>CEL is chosen because it is safe by construction: an expression cannot call Java, touch files
 * or the network, or loop without bound (comprehensions run over finite lists, capped here at
 * {@link Limits#RULE_COMPREHENSION_ITERATIONS_MAX} iterations). Every name is declared with a
 * type ({@link Variables}), so an expression that does not type-check, or whose result is not a
 * boolean, is refused at load with its line, column and cause.
 */
public final class RuleCompiler {
  private static final Pattern RULE_ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern DOTTED_NAME = Pattern.compile("[a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_.]*)}");
  private static final Pattern CHALLENGE_KIND = Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");

  private final Cel cel;
  private final Cel numberCel;
  private final Map<String, CelType> declarations;

  public RuleCompiler(FeatureCatalog catalog) {
    this.declarations = Variables.declarations(catalog);
    CelOptions options = CelOptions.current()
        .comprehensionMaxIterations(Limits.RULE_COMPREHENSION_ITERATIONS_MAX)
        .maxExpressionCodePointSize(Limits.RULE_EXPRESSION_CHARS_MAX)
        .build();
    this.cel = build(options, SimpleType.BOOL);
    this.numberCel = build(options, SimpleType.DOUBLE);
  }

  private Cel build(CelOptions options, CelType resultType) {
    var builder = CelFactory.standardCelBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .setResultType(resultType);
    declarations.forEach(builder::addVar);
    return builder.build();
  }

  /**
   * Compiles an expression that is not a whole rule (a scorecard check or factor), with the same
   * names, limits and error reporting as rules. The result must be a bool, or a double when
   * {@code number} is set.
   *
   * @param ownerId names the owner in errors, e.g. {@code bd_whitelist}
   * @param param names the expression in errors, e.g. {@code factors[2].expression}
   */
  public CompiledExpression compileExpression(String ownerId, String param, String expression, boolean number) {
    if (expression == null || expression.isBlank()) {
      throw new RuleCompileException(ownerId, param, List.of(new RuleCompileException.Issue(0, 0, param + " is required")));
    }
    if (expression.length() > Limits.RULE_EXPRESSION_CHARS_MAX) {
      throw new RuleCompileException(ownerId, param, List.of(new RuleCompileException.Issue(0, 0,
          param + " is longer than " + Limits.RULE_EXPRESSION_CHARS_MAX + " characters")));
    }
    CelValidationResult result = (number ? numberCel : cel).compile(expression);
    if (result.hasError()) throw compileError(ownerId, param, expression, result);
    try {
      return new CompiledExpression((number ? numberCel : cel).createProgram(result.getAst()), referencedNames(expression));
    } catch (CelValidationException | CelEvaluationException e) {
      throw new RuleCompileException(ownerId, param, List.of(new RuleCompileException.Issue(0, 0, e.getMessage())));
    }
  }

  private RuleCompileException compileError(String ownerId, String param, String expression, CelValidationResult result) {
    List<RuleCompileException.Issue> issues = new ArrayList<>();
    for (CelIssue issue : result.getErrors()) {
      int line = issue.getSourceLocation().getLine();
      int column = issue.getSourceLocation().getColumn() + 1;
      issues.add(new RuleCompileException.Issue(line, column, explain(expression, line, column, issue.getMessage())));
    }
    return new RuleCompileException(ownerId, param, issues);
  }

  /** Every declared name and its CEL type, for documentation and the API. */
  public Map<String, CelType> declarations() {
    return declarations;
  }

  public CompiledRule compile(RuleDefinition rule) {
    checkShape(rule);
    CelValidationResult result = cel.compile(rule.expression());
    if (result.hasError()) throw compileError(rule.id(), "expression", rule.expression(), result);
    try {
      var program = cel.createProgram(result.getAst());
      List<String> templateParts = parseTemplate(rule);
      return new CompiledRule(rule, program, referencedNames(rule.expression() + " " + rule.reason()), templateParts);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new RuleCompileException(rule.id(), "expression", List.of(new RuleCompileException.Issue(0, 0, e.getMessage())));
    }
  }

  /**
   * CEL names only the first segment of an unknown dotted name ("undeclared reference to
   * 'velocity'"). Name the whole of it, and the closest declared name, which is what an analyst
   * who typed count_2h for count_24h needs to see.
   */
  private String explain(String expression, int line, int column, String message) {
    if (!message.startsWith("undeclared reference to '")) return message;
    String[] lines = expression.split("\n", -1);
    if (line < 1 || line > lines.length || column < 1 || column > lines[line - 1].length()) return message;
    Matcher m = DOTTED_NAME.matcher(lines[line - 1]).region(column - 1, lines[line - 1].length());
    if (!m.lookingAt() || declarations.containsKey(m.group())) return message;
    String name = m.group();
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String declared : declarations.keySet()) {
      // A name typed short ("facts.new_devise") is compared with the declared name cut to its length too.
      String prefix = declared.substring(0, Math.min(declared.length(), name.length()));
      int d = Math.min(editDistance(name, declared), editDistance(name, prefix) + 1);
      if (d < best) {
        best = d;
        closest = declared;
      }
    }
    String hint = closest != null && best <= Math.max(2, name.length() / 4) ? "; did you mean '" + closest + "'?" : "";
    return "undeclared reference to '" + name + "'" + hint + " (docs/rules.md lists every name)";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private void checkShape(RuleDefinition rule) {
    if (rule.id() == null || !RULE_ID.matcher(rule.id()).matches()) {
      throw problem(rule, "id", "a rule id is 1 to 64 lower-case letters, digits and underscores, starting with a letter");
    }
    if (rule.expression() == null || rule.expression().isBlank()) throw problem(rule, "expression", "expression is required");
    if (rule.expression().length() > Limits.RULE_EXPRESSION_CHARS_MAX) {
      throw problem(rule, "expression", "expression is longer than " + Limits.RULE_EXPRESSION_CHARS_MAX + " characters");
    }
    if (rule.reason() == null || rule.reason().isBlank()) throw problem(rule, "reason", "reason is required");
    if (rule.reason().length() > Limits.RULE_TEXT_CHARS_MAX || (rule.description() != null
        && rule.description().length() > Limits.RULE_TEXT_CHARS_MAX)) {
      throw problem(rule, "reason", "reason and description are at most " + Limits.RULE_TEXT_CHARS_MAX + " characters");
    }
    RuleEffect effect = rule.effect();
    if (effect == null) throw problem(rule, "effect", "effect is required: points or action");
    if (!effect.forces() && (effect.points() < RuleEffect.POINTS_MIN || effect.points() > RuleEffect.POINTS_MAX || effect.points() == 0)) {
      throw problem(rule, "effect.points", "points must be between -100 and 100 and not 0");
    }
    if (effect.forcedAction() == RuleEffect.ForcedAction.CHALLENGE
        && (effect.challengeKind() == null || !CHALLENGE_KIND.matcher(effect.challengeKind()).matches())) {
      throw problem(rule, "effect.challenge", "a CHALLENGE rule names its challenge kind, e.g. sms_otp, password_and_otp, 3ds, biometric or captcha");
    }
  }

  private List<String> parseTemplate(RuleDefinition rule) {
    List<String> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(rule.reason());
    int last = 0;
    while (m.find()) {
      String name = m.group(1);
      if (!declarations.containsKey(name)) {
        throw problem(rule, "reason", "the reason names {" + name + "}, which is not a declared variable");
      }
      parts.add(rule.reason().substring(last, m.start()));
      parts.add(name);
      last = m.end();
    }
    parts.add(rule.reason().substring(last));
    return parts;
  }

  private List<String> referencedNames(String text) {
    List<String> names = new ArrayList<>();
    Matcher m = DOTTED_NAME.matcher(text);
    while (m.find()) {
      String name = m.group();
      if (declarations.containsKey(name) && !names.contains(name)) names.add(name);
    }
    return names;
  }

  private static RuleCompileException problem(RuleDefinition rule, String param, String message) {
    return new RuleCompileException(rule.id() == null ? "(no id)" : rule.id(), param,
        List.of(new RuleCompileException.Issue(0, 0, message)));
  }
}
