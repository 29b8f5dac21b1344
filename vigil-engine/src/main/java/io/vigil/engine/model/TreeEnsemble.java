package io.vigil.engine.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LightGBM model's trees compiled into flat arrays and walked in Java: the hot-path margin without
 * a JNI call, LightGBM's configuration parsing or its predictor lock. It reproduces LightGBM's
 * numerical decision exactly ({@code Tree::NumericalDecision}: missing type none/zero/NaN, default
 * direction, {@code value ≤ threshold} goes left) and sums the trees in LightGBM's order, so its
 * margin equals LightGBM's raw score ({@code TreeEnsembleTest} compares them row by row).
 *
 * <p>Only what Vigil trains is compiled: one class, numerical splits, constant leaves, summed
 * output. {@link #compile} returns null for anything else (categorical splits, linear trees,
 * random-forest averaging, multi-class), and the caller keeps LightGBM's own predictor.
 */
final class TreeEnsemble {
  /** LightGBM's {@code kZeroThreshold}: |x| ≤ this counts as zero for the zero-as-missing test. */
  private static final double ZERO_THRESHOLD = 1e-35f;
  private static final int MISSING_NONE = 0, MISSING_ZERO = 1, MISSING_NAN = 2;
  /** Trees and nodes at most: bounds the arrays a model text can make us allocate. */
  static final int TREES_MAX = 100_000;
  static final int NODES_MAX = 50_000_000;

  private final int featureCount;
  /** Per tree: the index of its root node in the node arrays, or ~leaf for a single-leaf tree. */
  private final int[] root;
  /** Per node (all trees): split feature, threshold, missing type, default-left, children (≥ 0 node, < 0 ~leaf). */
  private final int[] feature;
  private final double[] threshold;
  private final byte[] missingType;
  private final boolean[] defaultLeft;
  private final int[] left;
  private final int[] right;
  /** Per leaf (all trees). */
  private final double[] leafValue;
  /** Per node (all trees): the node's expected output (LightGBM's {@code internal_value}), for path contributions. */
  private final double[] internalValue;

  private TreeEnsemble(int featureCount, int[] root, int[] feature, double[] threshold, byte[] missingType,
      boolean[] defaultLeft, int[] left, int[] right, double[] leafValue, double[] internalValue) {
    this.internalValue = internalValue;
    this.featureCount = featureCount;
    this.root = root;
    this.feature = feature;
    this.threshold = threshold;
    this.missingType = missingType;
    this.defaultLeft = defaultLeft;
    this.left = left;
    this.right = right;
    this.leafValue = leafValue;
  }

  int trees() {
    return root.length;
  }

  /** The raw score (log-odds for a binary model): the sum of one leaf per tree. */
  double margin(double[] x) {
    assert x.length == featureCount : "vector length checked by the caller";
    x = zeroTiny(x);
    double sum = 0;
    for (int t = 0; t < root.length; t++) {
      int node = root[t];
      while (node >= 0) node = next(node, x[feature[node]]);
      sum += leafValue[~node];
    }
    return sum;
  }

  /**
   * Path contributions (Saabas; "treeinterpreter"): along each tree's path, the change of the
   * expected output at every split is credited to the split's feature. They sum with the bias (the
   * trees' root values) to {@link #margin} exactly, and cost one walk, like a prediction; tree SHAP
   * (LightGBM's {@code predict_contrib}) spreads credit more fairly but costs about a hundred walks.
   *
   * @param contributions receives one value per feature (overwritten)
   * @return the bias and the margin (the same walk's leaves: equal to {@link #margin})
   */
  double[] pathContributions(double[] x, double[] contributions) {
    assert x.length == featureCount && contributions.length == featureCount;
    x = zeroTiny(x);
    java.util.Arrays.fill(contributions, 0);
    double bias = 0, margin = 0;
    for (int t = 0; t < root.length; t++) {
      int node = root[t];
      if (node < 0) {
        bias += leafValue[~node];
        margin += leafValue[~node];
        continue;
      }
      bias += internalValue[node];
      while (node >= 0) {
        int child = next(node, x[feature[node]]);
        double childValue = child >= 0 ? internalValue[child] : leafValue[~child];
        contributions[feature[node]] += childValue - internalValue[node];
        node = child;
      }
      margin += leafValue[~node];
    }
    return new double[] {bias, margin};
  }

  /** LightGBM's row reader keeps only values with |v| > kZeroThreshold (or NaN): anything smaller is 0. */
  private static double[] zeroTiny(double[] x) {
    boolean tiny = false;
    for (double v : x) tiny |= v != 0 && Math.abs(v) <= ZERO_THRESHOLD;
    if (!tiny) return x;
    double[] copy = x.clone();
    for (int i = 0; i < copy.length; i++) if (Math.abs(copy[i]) <= ZERO_THRESHOLD) copy[i] = 0.0;
    return copy;
  }

  private int next(int node, double value) {
    int missing = missingType[node];
    if (Double.isNaN(value) && missing != MISSING_NAN) value = 0.0;
    if ((missing == MISSING_ZERO && value >= -ZERO_THRESHOLD && value <= ZERO_THRESHOLD)
        || (missing == MISSING_NAN && Double.isNaN(value))) {
      return defaultLeft[node] ? left[node] : right[node];
    }
    return value <= threshold[node] ? left[node] : right[node];
  }

  /**
   * Compiles LightGBM's text format, or returns null when the model uses something this evaluator
   * does not reproduce. Throws {@link IllegalArgumentException} on a malformed text.
   */
  static TreeEnsemble compile(String modelText, int featureCount) {
    String[] lines = modelText.split("\n", -1);
    int i = 0;
    Map<String, String> header = new HashMap<>();
    for (; i < lines.length && !lines[i].startsWith("Tree="); i++) {
      if (lines[i].strip().equals("end of trees")) break;
      int eq = lines[i].indexOf('=');
      if (eq > 0) header.put(lines[i].substring(0, eq).strip(), lines[i].substring(eq + 1).strip());
    }
    if (!"1".equals(header.get("num_class")) || !"1".equals(header.getOrDefault("num_tree_per_iteration", "1"))) return null;
    if (header.containsKey("average_output")) return null;
    for (String line : lines) if (line.strip().equals("average_output")) return null;
    if (!header.getOrDefault("objective", "").startsWith("binary")) return null;

    List<Map<String, String>> trees = new ArrayList<>();
    Map<String, String> tree = null;
    for (; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.equals("end of trees")) break;
      if (line.startsWith("Tree=")) {
        if (trees.size() == TREES_MAX) throw new IllegalArgumentException("more than " + TREES_MAX + " trees");
        tree = new HashMap<>();
        trees.add(tree);
        continue;
      }
      int eq = line.indexOf('=');
      if (tree != null && eq > 0) tree.put(line.substring(0, eq), line.substring(eq + 1));
    }
    if (trees.isEmpty()) throw new IllegalArgumentException("the model text has no trees");

    int nodes = 0, leaves = 0;
    for (Map<String, String> t : trees) {
      if (!"0".equals(t.getOrDefault("num_cat", "0")) || !"0".equals(t.getOrDefault("is_linear", "0"))) return null;
      int n = positiveInt(t.get("num_leaves"), "num_leaves");
      nodes += n - 1;
      leaves += n;
      if (nodes > NODES_MAX) throw new IllegalArgumentException("more than " + NODES_MAX + " nodes");
    }
    int[] root = new int[trees.size()];
    int[] feature = new int[nodes], left = new int[nodes], right = new int[nodes];
    double[] threshold = new double[nodes], leafValue = new double[leaves], internalValue = new double[nodes];
    byte[] missingType = new byte[nodes];
    boolean[] defaultLeft = new boolean[nodes];
    int nodeBase = 0, leafBase = 0;
    for (int t = 0; t < trees.size(); t++) {
      Map<String, String> tr = trees.get(t);
      int numLeaves = positiveInt(tr.get("num_leaves"), "num_leaves");
      double[] values = doubles(tr.get("leaf_value"), numLeaves, "leaf_value");
      System.arraycopy(values, 0, leafValue, leafBase, numLeaves);
      if (numLeaves == 1) {
        root[t] = ~leafBase;
      } else {
        int splits = numLeaves - 1;
        int[] f = ints(tr.get("split_feature"), splits, "split_feature");
        double[] th = doubles(tr.get("threshold"), splits, "threshold");
        int[] dt = ints(tr.get("decision_type"), splits, "decision_type");
        int[] l = ints(tr.get("left_child"), splits, "left_child");
        int[] r = ints(tr.get("right_child"), splits, "right_child");
        if (tr.get("internal_value") == null) return null; // no node values to explain with: LightGBM scores it
        double[] iv = doubles(tr.get("internal_value"), splits, "internal_value");
        for (int k = 0; k < splits; k++) {
          if (f[k] < 0 || f[k] >= featureCount) throw new IllegalArgumentException("split feature " + f[k] + " out of range");
          if ((dt[k] & 1) != 0) return null; // categorical
          feature[nodeBase + k] = f[k];
          threshold[nodeBase + k] = th[k];
          defaultLeft[nodeBase + k] = (dt[k] & 2) != 0;
          missingType[nodeBase + k] = (byte) ((dt[k] >> 2) & 3);
          internalValue[nodeBase + k] = iv[k];
          left[nodeBase + k] = child(l[k], nodeBase, leafBase, splits, numLeaves);
          right[nodeBase + k] = child(r[k], nodeBase, leafBase, splits, numLeaves);
        }
        root[t] = nodeBase;
        nodeBase += splits;
      }
      leafBase += numLeaves;
    }
    assert nodeBase == nodes && leafBase == leaves;
    return new TreeEnsemble(featureCount, root, feature, threshold, missingType, defaultLeft, left, right, leafValue, internalValue);
  }

  /** A child in global numbering: a node index (≥ 0), or ~leaf index; LightGBM writes leaves as ~leaf too. */
  private static int child(int c, int nodeBase, int leafBase, int splits, int numLeaves) {
    if (c >= 0) {
      if (c >= splits) throw new IllegalArgumentException("child node " + c + " out of range");
      return nodeBase + c;
    }
    int leaf = ~c;
    if (leaf >= numLeaves) throw new IllegalArgumentException("child leaf " + leaf + " out of range");
    return ~(leafBase + leaf);
  }

  private static int positiveInt(String s, String name) {
    if (s == null) throw new IllegalArgumentException("a tree has no " + name);
    int n = Integer.parseInt(s.strip());
    if (n < 1) throw new IllegalArgumentException(name + " must be positive");
    return n;
  }

  private static String[] fields(String s, int count, String name) {
    if (s == null) throw new IllegalArgumentException("a tree has no " + name);
    String[] parts = s.strip().split(" ");
    if (parts.length != count) throw new IllegalArgumentException(name + " has " + parts.length + " values, expected " + count);
    return parts;
  }

  private static int[] ints(String s, int count, String name) {
    String[] parts = fields(s, count, name);
    int[] out = new int[count];
    for (int k = 0; k < count; k++) out[k] = Integer.parseInt(parts[k]);
    return out;
  }

  private static double[] doubles(String s, int count, String name) {
    String[] parts = fields(s, count, name);
    double[] out = new double[count];
    for (int k = 0; k < count; k++) out[k] = parseDouble(parts[k]);
    return out;
  }

  /** LightGBM writes infinities as "inf"/"-inf" (thresholds of splits on unbounded bins). */
  private static double parseDouble(String s) {
    return switch (s) {
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan", "-nan" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }
}
