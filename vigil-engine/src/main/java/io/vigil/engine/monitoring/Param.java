package io.vigil.engine.monitoring;

/**
 * One parameter of a scenario: an integer with its unit in the name ({@code _minor} amounts in the
 * operator's currency, {@code _days}, {@code _hours}, {@code _percent}, counts), a default and an
 * inclusive range.
 */
public record Param(String name, long defaultValue, long min, long max, String description) {
  public Param {
    if (min > max || defaultValue < min || defaultValue > max) {
      throw new IllegalArgumentException("parameter " + name + ": default " + defaultValue + " outside [" + min + ", " + max + "]");
    }
  }
}
