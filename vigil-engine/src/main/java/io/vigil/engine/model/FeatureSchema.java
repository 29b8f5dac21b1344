package io.vigil.engine.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A named, versioned list of model features. A model is trained against one schema and scores only
 * vectors of that schema (same names, same order); {@link #id()} is what artifacts and decisions record.
 */
public record FeatureSchema(String name, int version, List<String> featureNames) {
  /** Features in one vector. */
  public static final int FEATURES_MAX = 256;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]{0,63}");

  public FeatureSchema {
    if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("schema name must match " + NAME);
    if (version < 1) throw new IllegalArgumentException("schema version must be ≥ 1");
    featureNames = List.copyOf(featureNames);
    if (featureNames.isEmpty() || featureNames.size() > FEATURES_MAX) {
      throw new IllegalArgumentException("a schema has 1-" + FEATURES_MAX + " features");
    }
    if (featureNames.stream().distinct().count() != featureNames.size()) throw new IllegalArgumentException("feature names must be unique");
    for (String f : featureNames) {
      if (!NAME.matcher(f).matches()) throw new IllegalArgumentException("feature name '" + f + "' must match " + NAME);
    }
  }

  /** {@code name@version}, e.g. {@code vigil.payment@1}. */
  public String id() {
    return name + "@" + version;
  }

  public int size() {
    return featureNames.size();
  }

  /** Index of a feature; -1 when absent. */
  public int indexOf(String feature) {
    return featureNames.indexOf(feature);
  }

  /** A feature vector as a name → value map (for storage next to a decision, or for display). */
  public Map<String, Double> asMap(double[] vector) {
    if (vector.length != size()) throw new IllegalArgumentException("vector has " + vector.length + " values, schema " + size());
    Map<String, Double> out = new HashMap<>();
    for (int i = 0; i < vector.length; i++) out.put(featureNames.get(i), vector[i]);
    return out;
  }

  /** Parses {@code name@version} with the given names. */
  public static FeatureSchema of(String id, List<String> names) {
    int at = id.lastIndexOf('@');
    if (at <= 0) throw new IllegalArgumentException("schema id must be name@version");
    return new FeatureSchema(id.substring(0, at), Integer.parseInt(id.substring(at + 1)), names);
  }
}
