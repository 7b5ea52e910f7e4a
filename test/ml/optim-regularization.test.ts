// Spark's penalty of the linear models in the standardised space (ts/ml/optim/regularization.ts),
// checked by hand: L2 with and without standardization, OWL-QN's L1 weights, std-0 features.
import t from 'tap';
import { addL2, l1Weights, scaleGradient, unscaleCoefficients } from '../../ts/ml/optim/regularization.js';

t.test('L2 on standardised coefficients, or on original-scale ones (divided by std²)', async (t) => {
  const featuresStd = new Float64Array([2, 0, 0.5]);
  const x = new Float64Array([1, 3, -2, 0.7]); // 3 coefficients + intercept
  const g = new Float64Array(4);
  // standardization: ½ · 0.5 · (1 − 0.2) · (1 + 9 + 4) = 2.8; gradient 0.4 · β; the intercept untouched
  t.ok(Math.abs(addL2(x, g, { regParam: 0.5, elasticNetParam: 0.2, standardization: true, featuresStd, k: 1 }) - 2.8) < 1e-15);
  t.same([...g].map((v) => +v.toFixed(12)), [0.4, 1.2, -0.8, 0]);
  const g2 = new Float64Array(4);
  // no standardization: Σ β²/std² over std ≠ 0 = 1/4 + 4/0.25 = 16.25; ½ · 0.4 · 16.25 = 3.25
  t.ok(Math.abs(addL2(x, g2, { regParam: 0.5, elasticNetParam: 0.2, standardization: false, featuresStd, k: 1 }) - 3.25) < 1e-15);
  t.same([...g2].map((v) => +v.toFixed(12)), [0.1, 0, -3.2, 0]);
  t.equal(addL2(x, new Float64Array(4), { regParam: 0.5, elasticNetParam: 1, standardization: true, featuresStd, k: 1 }), 0, 'pure L1: no L2 term');
});

t.test("OWL-QN's L1 weights: regParam·α (÷ std without standardization), none on intercepts", async (t) => {
  const featuresStd = new Float64Array([2, 0]);
  t.same([...(l1Weights({ regParam: 1, elasticNetParam: 0.5, standardization: true, featuresStd, k: 2 }, true) as Float64Array)], [0.5, 0.5, 0.5, 0.5, 0, 0]);
  t.same([...(l1Weights({ regParam: 1, elasticNetParam: 0.5, standardization: false, featuresStd, k: 1 }, false) as Float64Array)], [0.25, 0]);
  t.equal(l1Weights({ regParam: 1, elasticNetParam: 0, standardization: true, featuresStd, k: 1 }, true), 0);
});

t.test('effective coefficients and the gradient chain rule', async (t) => {
  const std = new Float64Array([2, 0]);
  t.same([...unscaleCoefficients(new Float64Array([4, 5, 6, 7]), std, 2)], [2, 0, 3, 0]);
  const g = new Float64Array([4, 5, 6]);
  scaleGradient(g, std, 1);
  t.same([...g], [2, 0, 6], 'the intercept gradient is left as it is');
});
