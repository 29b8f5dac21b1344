package io.vigil.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Newton's logistic regression: the optimum it reaches, and the coefficients it recovers. */
class LogisticRegressionTest {
  @Test
  void itStopsWhereTheRegularisedGradientVanishes() {
    // Small and nearly separable: the L2 term is what keeps the optimum finite.
    double[] x = {0, 0, 1, 0, 0, 1, 1, 1, 2, 1, 1, 2, 2, 2, 3, 3};
    boolean[] y = {false, false, false, true, false, true, true, true};
    double c = 1.0;
    LogisticRegression lr = LogisticRegression.fit(x, y, 2, c);
    double[] g = new double[3];
    for (int i = 0; i < y.length; i++) {
      double r = lr.probability(new double[] {x[2 * i], x[2 * i + 1]}) - (y[i] ? 1 : 0);
      g[0] += r;
      g[1] += r * x[2 * i];
      g[2] += r * x[2 * i + 1];
    }
    g[1] += lr.weight(0) / c;
    g[2] += lr.weight(1) / c;
    for (double v : g) assertThat(v).isCloseTo(0, within(1e-9));
    assertThat(lr.weight(0) + lr.weight(1)).isPositive();
  }

  @Test
  void itRecoversTheCoefficientsOfTheProcessThatMadeTheData() {
    Random r = new Random(3);
    int n = 60_000;
    double[] x = new double[n * 3];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      double a = r.nextGaussian(), b = r.nextGaussian(), noise = r.nextGaussian();
      x[3 * i] = a;
      x[3 * i + 1] = b;
      x[3 * i + 2] = noise;
      y[i] = r.nextDouble() < Model.sigmoid(-2 + 1.5 * a - 0.7 * b);
    }
    LogisticRegression lr = LogisticRegression.fit(x, y, 3, 1.0);
    assertThat(lr.intercept()).isCloseTo(-2, within(0.08));
    assertThat(lr.weight(0)).isCloseTo(1.5, within(0.08));
    assertThat(lr.weight(1)).isCloseTo(-0.7, within(0.08));
    assertThat(lr.weight(2)).isCloseTo(0, within(0.05));
  }
}
