/**
 * ts/src/kernels/glm.ts (the data term of the linear models' losses) and ts/ml/optim/loss-tasks.ts
 * (its distributed pass). References: sklearn 1.2 `LinearModelLoss(HalfBinomialLoss() |
 * HalfMultinomialLoss(n_classes=3) | HalfSquaredError(), fit_intercept=True).loss_gradient(coef, X, y,
 * w, l2_reg_strength=0)` — unscaled weighted sums, as ours — pasted below; hinge by hand.
 */
import t from 'tap';
import { Session } from '../../ts/src/index.js';
import { glmLossGrad, glmLossGradJs, glmMargins, type GlmLossArgs } from '../../ts/src/kernels/glm.js';
import { prepareInstances } from '../../ts/ml/data/instances.js';
import { glmLossGradPass } from '../../ts/ml/optim/loss-tasks.js';
import { mulberry32 } from '../reference/rng.js';

const X = Float64Array.of(1, 2, -0.5, 0.3, 2, -1, 0.1, 0.4, 3, 1.5);
const W = Float64Array.of(1, 2, 0.5, 1.5, 1);
const base = { x: X, w: W, n: 5, d: 2 };

function close(t: Pick<typeof import("tap").default, "ok" | "equal">, got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  t.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) t.ok(Math.abs(got[i]! - want[i]!) <= tol * Math.max(1, Math.abs(want[i]!)), `${what}[${i}] = ${got[i]} vs ${want[i]}`);
}

t.test('binomial equals sklearn HalfBinomialLoss', async (t) => {
  const r = glmLossGrad({ ...base, kind: 'binomial', y: Float64Array.of(1, 0, 1, 0, 1), k: 1, coef: Float64Array.of(0.3, -0.7), intercept: Float64Array.of(0.2) });
  close(t, [r.loss], [4.245697179838159], 1e-14, 'loss');
  close(t, r.grad, [-2.74284256, -1.49338752, 0.36175927], 1e-8, 'grad');
  t.equal(r.weightSum, 6);
});

t.test('multinomial equals sklearn HalfMultinomialLoss', async (t) => {
  const r = glmLossGrad({ ...base, kind: 'multinomial', y: Float64Array.of(0, 2, 1, 2, 0), k: 3, coef: Float64Array.of(0.3, -0.7, 0.5, 0.2, -0.2, 0.9), intercept: Float64Array.of(0.1, -0.4, 0.3) });
  close(t, [r.loss], [7.928039507819435], 1e-14, 'loss');
  // sklearn's rows per class [coef..., intercept]: ours is all coefficients, then the intercepts
  close(t, r.grad, [-3.10769294, -3.28906076, 0.85215463, 1.75780572, 2.25553831, 1.53125505, -0.65704512, 0.9945174, -0.33747229], 1e-8, 'grad');
});

t.test('squared equals sklearn HalfSquaredError', async (t) => {
  const r = glmLossGrad({ ...base, kind: 'squared', y: Float64Array.of(1.5, -0.2, 0.7, 2, -1), k: 1, coef: Float64Array.of(0.3, -0.7), intercept: Float64Array.of(0.2) });
  close(t, [r.loss], [6.744725], 1e-14, 'loss');
  close(t, r.grad, [1.2025, -4.831, -3.945], 1e-12, 'grad');
});

t.test('hinge by hand (Spark HingeBlockAggregator)', async (t) => {
  // margins 0.3-1.4+0.2 = -0.9, -0.15-0.21+0.2 = -0.16, 0.6+0.7+0.2 = 1.5, 0.03-0.28+0.2 = -0.05, 0.9-1.05+0.2 = 0.05
  // labels 1,0,1,0,1 -> s = 1,-1,1,-1,1; 1 - s m = 1.9, 0.84, -0.5 (0), 0.95, 0.95
  const r = glmLossGrad({ ...base, kind: 'hinge', y: Float64Array.of(1, 0, 1, 0, 1), k: 1, coef: Float64Array.of(0.3, -0.7), intercept: Float64Array.of(0.2) });
  close(t, [r.loss], [1 * 1.9 + 2 * 0.84 + 1.5 * 0.95 + 1 * 0.95], 1e-14, 'loss');
  // grad = Σ w (-s) x over the active rows 0, 1, 3, 4
  close(t, r.grad, [-1 * 1 + 2 * -0.5 + 1.5 * 0.1 - 3, -2 + 2 * 0.3 + 1.5 * 0.4 - 1.5, -1 + 2 + 1.5 - 1], 1e-14, 'grad');
});

t.test('binomial is stable for huge margins (MLUtils.log1pExp)', async (t) => {
  const r = glmLossGrad({ kind: 'binomial', x: Float64Array.of(1, 1), y: Float64Array.of(0, 1), w: null, n: 2, d: 1, k: 1, coef: Float64Array.of(800), intercept: Float64Array.of(0) });
  t.equal(r.loss, 800, 'log(1+e^800) - 0 = 800; log(1+e^800) - 800 = 0');
  t.same(Array.from(r.grad), [1, 1]);
  const m = glmLossGrad({ kind: 'multinomial', x: Float64Array.of(1), y: Float64Array.of(1), w: null, n: 1, d: 1, k: 2, coef: Float64Array.of(900, -900), intercept: new Float64Array(2) });
  t.equal(m.loss, 1800);
});

t.test('glmMargins and argument checks', async (t) => {
  const m = glmMargins(X, 5, 2, Float64Array.of(0.3, -0.7, 1, 1), Float64Array.of(0.2, 0), 2);
  close(t, m, [-0.9, 3, -0.16, -0.2, 1.5, 1, -0.05, 0.5, 0.05, 4.5], 1e-14, 'margins');
  const ok: GlmLossArgs = { ...base, kind: 'binomial', y: Float64Array.of(1, 0, 1, 0, 1), k: 1, coef: new Float64Array(2), intercept: new Float64Array(1) };
  t.throws(() => glmLossGrad({ ...ok, kind: 'poisson' as never }), /kind/);
  t.throws(() => glmLossGrad({ ...ok, coef: new Float64Array(3) }), /coef/);
  t.throws(() => glmLossGrad({ ...ok, y: Float64Array.of(1, 0, 2, 0, 1) }), /row 2.*label 2/);
  t.throws(() => glmLossGrad({ ...ok, w: Float64Array.of(1, 1, -1, 1, 1) }), /row 2.*weight -1/);
  t.throws(() => glmLossGrad({ ...ok, kind: 'multinomial', k: 2, coef: new Float64Array(4), intercept: new Float64Array(2), y: Float64Array.of(0, 1, 2, 0, 0) }), /label 2/);
  t.throws(() => glmMargins(X, 5, 2, new Float64Array(2), new Float64Array(1), 1, new Float64Array(3)), /out/);
});

for (const master of ['local', 'local[2]']) {
  t.test(`${master}: glmLossGradPass equals the JS twin over the whole data`, async (t) => {
    const spark = await Session.builder().master(master).getOrCreate();
    t.teardown(() => spark.stop());
    const n = 203;
    const d = 3;
    const rnd = mulberry32(7);
    const rows = Array.from({ length: n }, (_, i) => ({ features: [rnd() - 0.5, rnd() * 2, rnd() - 0.2], label: i % 3, w: 0.5 + rnd() }));
    const df = spark.createDataFrame(rows, 'features array<double>, label double, w double').repartition(3);
    const data = await prepareInstances('Test', df, { featuresCol: 'features', labelCol: 'label', label: { kind: 'classification' }, weightCol: 'w', emptyMessage: 'x' });
    t.teardown(() => data.release());
    // the rows in partition order, as the blocks hold them
    const got = await df.collect();
    const x = Float64Array.from(got.flatMap((r) => r.features as number[]));
    const y = Float64Array.from(got, (r) => r.label as number);
    const w = Float64Array.from(got, (r) => r.w as number);
    const coef = Float64Array.of(0.4, -0.3, 0.8, -0.1, 0.2, 0.05, 0.3, 0.3, -0.6);
    const intercept = Float64Array.of(0.1, -0.2, 0.05);
    const want = new Float64Array(3 * d + 3);
    const ref = glmLossGradJs({ kind: 'multinomial', x, y, w, n, d, k: 3, coef, intercept }, want);
    const r = await glmLossGradPass(data, 'multinomial', 3, coef, intercept);
    close(t, [r.loss, r.weightSum], [ref.loss, ref.weightSum], 1e-12, 'loss, weightSum');
    close(t, r.grad, want, 1e-12, 'grad');
    const wantB = new Float64Array(d + 1);
    const refB = glmLossGradJs({ kind: 'squared', x, y, w, n, d, k: 1, coef: coef.subarray(0, d), intercept: intercept.subarray(0, 1) }, wantB);
    const rb = await glmLossGradPass(data, 'squared', 1, coef.slice(0, d), intercept.slice(0, 1), 3);
    close(t, [rb.loss], [refB.loss], 1e-12, 'squared loss');
    close(t, rb.grad, wantB, 1e-12, 'squared grad');
    await t.rejects(glmLossGradPass(data, 'binomial', 1, new Float64Array(2), new Float64Array(1)), /coef/);
  });
}
