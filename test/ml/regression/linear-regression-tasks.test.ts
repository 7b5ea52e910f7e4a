// The regressors' partition summaries (ts/ml/regression/*-tasks.ts): the weighted normal-equation
// statistics against a hand computation, merge with zero as identity, the Huber aggregator's
// gradient against finite differences, and fits that do not depend on the partitioning.
import t from 'tap';
import { Session } from '../../../ts/src/index.js';
import { GeneralizedLinearRegression, LinearRegression } from '../../../ts/ml/index.js';
import { huberAddBlock, wlsAddBlock, wlsMerge, wlsZero } from '../../../ts/ml/regression/linear-regression-tasks.js';
import { close, diabetes } from './helpers.js';

t.test('wlsStats: the sums by hand (weights, a zero weight), merge with zero is the identity', async (t) => {
  // rows (a; b; w): ([1, 2]; 3; 2), ([0, -1]; 1; 0.5), ([4, 1]; -2; 0)
  const block = { x: Float64Array.of(1, 2, 0, -1, 4, 1), y: Float64Array.of(3, 1, -2), w: Float64Array.of(2, 0.5, 0), n: 3, d: 2 };
  const s = wlsAddBlock(wlsZero(2), block);
  t.equal(s.count, 3);
  t.equal(s.wSum, 2.5);
  t.equal(s.wwSum, 4.25);
  t.equal(s.bSum, 6.5);
  t.equal(s.bbSum, 18.5);
  t.same([...s.aSum], [2, 3.5]);
  t.same([...s.abSum], [6, 11.5]);
  // packed upper, column-major: (0,0), (0,1), (1,1)
  close(t, s.aaSum, [2, 4, 8.5], 1e-14, 'Σw·a·aᵀ (through √w-scaled rows)');
  const u = wlsAddBlock(wlsZero(2), { ...block, w: null });
  t.same([...u.aaSum], [17, 6, 6]);
  t.equal(u.wSum, 3);
  const merged = wlsMerge(wlsZero(2), wlsAddBlock(wlsZero(2), block));
  t.same({ ...merged, aSum: [...merged.aSum], abSum: [...merged.abSum], aaSum: [...merged.aaSum] }, { ...s, aSum: [...s.aSum], abSum: [...s.abSum], aaSum: [...s.aaSum] });
});

t.test("huberLossGrad: Spark's HuberAggregator loss, its gradient against central differences", async (t) => {
  const block = { x: Float64Array.of(1, 2, 0, -1, 4, 1, -2, 0.5), y: Float64Array.of(3, 1, -2, 10), w: Float64Array.of(2, 0.5, 1, 1), n: 4, d: 2 };
  const f = (c0: number, c1: number, b0: number, sigma: number) => huberAddBlock({ loss: 0, grad: new Float64Array(4), weightSum: 0 }, block, { d: 2, coef: Float64Array.of(c0, c1), intercept: b0, sigma, epsilon: 1.35 });
  const p = [0.3, -0.7, 0.2, 1.1];
  const r = f(p[0]!, p[1]!, p[2]!, p[3]!);
  // row 0: r = 3 − (0.3 − 1.4 + 0.2) = 3.9 > σε = 1.485 → ½·2·(1.1 + 2·1.35·3.9 − 1.1·1.35²)
  const row0 = 0.5 * 2 * (1.1 + 2 * 1.35 * 3.9 - 1.1 * 1.35 * 1.35);
  t.ok(r.loss > row0, 'the loss sums the rows');
  t.equal(r.weightSum, 4.5);
  const h = 1e-6;
  const num = p.map((_, i) => {
    const up = p.slice();
    const dn = p.slice();
    up[i] = up[i]! + h;
    dn[i] = dn[i]! - h;
    return (f(up[0]!, up[1]!, up[2]!, up[3]!).loss - f(dn[0]!, dn[1]!, dn[2]!, dn[3]!).loss) / (2 * h);
  });
  close(t, r.grad, num, 1e-6, 'gradient (coefficients, intercept, σ)');
});

t.test('fits do not depend on the partitioning (1 and 5 partitions)', async (t) => {
  const spark = await Session.builder().master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const { x, y } = diabetes();
  const rows = x.map((f, i) => ({ features: f, label: y[i]!, w: 1 + (i % 3) }));
  const one = spark.createDataFrame(rows, 'features array<double>, label double, w double').repartition(1);
  const five = spark.createDataFrame(rows, 'features array<double>, label double, w double').repartition(5);
  for (const est of [new LinearRegression({ weightCol: 'w' }), new LinearRegression({ solver: 'l-bfgs', regParam: 0.1, elasticNetParam: 0.5 }), new GeneralizedLinearRegression({ family: 'gamma', link: 'log', weightCol: 'w' })]) {
    const a = await est.fit(one);
    const b = await est.fit(five);
    close(t, b.coefficients.toArray(), a.coefficients.toArray(), 1e-6, `${est.constructor.name} (${est.uid}): coefficients`);
    close(t, [b.intercept], [a.intercept], 1e-6, `${est.constructor.name}: intercept`);
  }
});
