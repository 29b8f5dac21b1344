package io.vigil.engine.model;

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares), for a handful of dense features: the objective is scikit-learn's
 * {@code LogisticRegression(C)}, {@code ½‖w‖² + C Σ log-loss}, with the intercept not penalised.
 * Each iteration costs O(n·d²) and solves a (d+1)² system; it stops when no coefficient moves by
 * more than {@code 1e-8} or after {@link #ITERATIONS_MAX} iterations. Used for the learned score
 * combination (three inputs) and for the evaluation's logistic-regression baseline (15 inputs).
 */
public final class LogisticRegression {
  /** Newton iterations at most (it converges in under 15 on well-posed data). */
  public static final int ITERATIONS_MAX = 50;
  /** Inputs at most: the Newton step solves a dense (d+1)² system. */
  public static final int FEATURES_MAX = 256;

  /** coefficients[0] is the intercept, coefficients[1 + j] the weight of feature j. */
  private final double[] coefficients;

  private LogisticRegression(double[] coefficients) {
    this.coefficients = coefficients;
  }

  /**
   * Fits on {@code rows × features} values (row-major) and 0/1 labels.
   *
   * @param c the inverse regularisation strength (scikit-learn's C), > 0
   */
  public static LogisticRegression fit(double[] rowMajor, boolean[] labels, int features, double c) {
    int n = labels.length, d = features + 1;
    if (features < 1 || features > FEATURES_MAX) throw new IllegalArgumentException("1-" + FEATURES_MAX + " features");
    if (rowMajor.length != (long) n * features) throw new IllegalArgumentException("matrix must be rows × features");
    if (!(c > 0)) throw new IllegalArgumentException("C must be > 0");
    if (n == 0) throw new IllegalArgumentException("no rows");
    double[] w = new double[d];
    double[] gradient = new double[d];
    double[][] hessian = new double[d][d];
    double[] x = new double[d];
    x[0] = 1;
    for (int it = 0; it < ITERATIONS_MAX; it++) {
      for (int a = 0; a < d; a++) {
        gradient[a] = a == 0 ? 0 : w[a] / c;
        java.util.Arrays.fill(hessian[a], 0);
        if (a > 0) hessian[a][a] = 1 / c;
      }
      for (int i = 0; i < n; i++) {
        System.arraycopy(rowMajor, i * features, x, 1, features);
        double z = 0;
        for (int a = 0; a < d; a++) z += w[a] * x[a];
        double p = Model.sigmoid(z);
        double r = p - (labels[i] ? 1 : 0), s = Math.max(p * (1 - p), 1e-12);
        for (int a = 0; a < d; a++) {
          gradient[a] += r * x[a];
          double sa = s * x[a];
          for (int b = 0; b <= a; b++) hessian[a][b] += sa * x[b];
        }
      }
      for (int a = 0; a < d; a++) for (int b = 0; b < a; b++) hessian[b][a] = hessian[a][b];
      double[] step = solve(hessian, gradient);
      double moved = 0;
      for (int a = 0; a < d; a++) {
        w[a] -= step[a];
        moved = Math.max(moved, Math.abs(step[a]));
      }
      if (moved < 1e-8) break;
    }
    for (double v : w) if (!Double.isFinite(v)) throw new IllegalStateException("logistic regression diverged");
    return new LogisticRegression(w);
  }

  public double intercept() {
    return coefficients[0];
  }

  public double weight(int feature) {
    return coefficients[1 + feature];
  }

  public int features() {
    return coefficients.length - 1;
  }

  /** The fitted probability of one row. */
  public double probability(double[] row) {
    if (row.length != features()) throw new IllegalArgumentException("row must have " + features() + " values");
    double z = coefficients[0];
    for (int j = 0; j < row.length; j++) z += coefficients[1 + j] * row[j];
    return Model.sigmoid(z);
  }

  /** Solves h·x = g by Gaussian elimination with partial pivoting (h is positive definite: the L2 term keeps it so). */
  private static double[] solve(double[][] h, double[] g) {
    int d = g.length;
    double[][] m = new double[d][d + 1];
    for (int a = 0; a < d; a++) {
      System.arraycopy(h[a], 0, m[a], 0, d);
      m[a][d] = g[a];
    }
    for (int col = 0; col < d; col++) {
      int pivot = col;
      for (int r = col + 1; r < d; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      double diag = m[col][col];
      if (Math.abs(diag) < 1e-300) throw new IllegalStateException("singular Newton system");
      for (int r = col + 1; r < d; r++) {
        double f = m[r][col] / diag;
        if (f == 0) continue;
        for (int k = col; k <= d; k++) m[r][k] -= f * m[col][k];
      }
    }
    double[] x = new double[d];
    for (int r = d - 1; r >= 0; r--) {
      double s = m[r][d];
      for (int k = r + 1; k < d; k++) s -= m[r][k] * x[k];
      x[r] = s / m[r][r];
    }
    return x;
  }
}
