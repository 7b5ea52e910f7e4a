// FMClassifier (Spark 3.x): the FM prediction and gradient against a hand computation, the
// solvers' first steps against a numpy re-implementation of Spark's updates, PySpark's documented
// example (miniBatchFraction 1 and java.util.Random's initial factors: Spark's fit exactly), the
// saved layout and bad input.
import t, { type Test } from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../ts/src/index.js';
import { Vectors, type DenseVector } from '../../../ts/ml/index.js';
import { FMClassifier, FMClassificationModel } from '../../../ts/ml/classification/index.js';
import { fmBlockLossGrad, fmInitialCoefficients, fmRawPrediction } from '../../../ts/ml/classification/factorization-machines.js';

const close = (t: Test, got: ArrayLike<number>, want: ArrayLike<number>, tol: number, msg: string) => {
  t.equal(got.length, want.length, `${msg}: length`);
  const bad = Array.from(want).findIndex((w, i) => !(Math.abs(got[i]! - w) <= tol * Math.max(1, Math.abs(w))));
  t.equal(bad, -1, `${msg}${bad >= 0 ? `: [${bad}] ${got[bad]} vs ${want[bad]}` : ''}`);
};

// tiny example: d = 2, k = 2, coefficients [v00, v01, v10, v11, w0, w1, b] = [0.1, −0.2, 0.05, 0.3, 0, 0, 0]
const X = Float64Array.of(1, 0, 0.5, 2, 0, -1);
const Y = Float64Array.of(1, 0, 1);
const C0 = Float64Array.of(0.1, -0.2, 0.05, 0.3, 0, 0, 0);
const shape = { d: 2, k: 2, fitIntercept: true, fitLinear: true };

t.test('FM prediction and gradient: hand computation', async (t) => {
  // row (0.5, 2): s_0 = 0.1·0.5 + 0.05·2 = 0.15, s_1 = −0.2·0.5 + 0.3·2 = 0.5;
  // y = ½[(0.15² − (0.05² + 0.1²)) + (0.5² − (0.1² + 0.6²))] = ½(0.01 − 0.12) = −0.055
  const sumVX = new Float64Array(2);
  t.ok(Math.abs(fmRawPrediction(X, 2, C0, shape, sumVX) - -0.055) < 1e-15);
  t.ok(Math.abs(sumVX[0]! - 0.15) < 1e-15 && Math.abs(sumVX[1]! - 0.5) < 1e-15);
  // squared loss: multiplier 2(y − 0) = −0.11; d y/d v_if = x_i s_f − v_if x_i² (numpy: [0.05, 0.3, 0.1, −0.2]), x_i, 1
  const grad = new Float64Array(7);
  const r = fmBlockLossGrad({ x: X.subarray(2, 4), y: Float64Array.of(0), w: null, n: 1, d: 2 }, C0, shape, 'squared', grad, null);
  t.ok(Math.abs(r.loss - 0.055 ** 2) < 1e-15);
  close(t, grad, [0.05, 0.3, 0.1, -0.2, 0.5, 2, 1].map((g) => -0.11 * g), 1e-14, 'gradient');
  // logistic loss of label 1: log(1 + e^{0.055}), multiplier σ(−0.055) − 1
  const g2 = new Float64Array(7);
  const r2 = fmBlockLossGrad({ x: X.subarray(2, 4), y: Float64Array.of(1), w: null, n: 1, d: 2 }, C0, shape, 'logistic', g2, null);
  t.ok(Math.abs(r2.loss - Math.log1p(Math.exp(0.055))) < 1e-15);
  t.ok(Math.abs(g2[6]! - (1 / (1 + Math.exp(0.055)) - 1)) < 1e-15);
});

t.test("the solvers' first steps against numpy re-implementations of Spark's updates", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame([0, 1, 2].map((i) => ({ label: Y[i], features: Vectors.dense(X[2 * i]!, X[2 * i + 1]!) })), 'label double, features vector');
  // scratch numpy: Σ over rows of Spark's per-row gradient / 3; gd: η_i = step/√i, w ← w(1 − η_i λ) − η_i g;
  // adamW: β 0.9 / 0.999, ε 1e-8, w ← w − (η m̂/(√v̂ + ε) + λ w); loss history Σ loss / 3 + ½ λ |w|² before each update
  const cases = [
    { solver: 'gd' as const, stepSize: 0.5, regParam: 0.1, coef: [0.08231653321856508, -0.22420156493414323, 0.029989173141092593, 0.2990720358405816, 0.09769259832075705, -0.469416583758465, 0.1825935383546664], hist: [0.6912315396766467, 0.5666399338705143, 0.5096099884185273] },
    { solver: 'adamW' as const, stepSize: 0.1, regParam: 0.01, coef: [0.05589819157671095, -0.4912113432429032, -0.16737831364093309, 0.5871046087351834, 0.2945176801744238, -0.2959873787893198, 0.294515692408141], hist: [0.6848190396766467, 0.6043387393930625, 0.5310362590122064] },
  ];
  for (const c of cases) {
    const fm = new FMClassifier({ factorSize: 2, maxIter: 3, solver: c.solver, stepSize: c.stepSize, regParam: c.regParam }).setInitialCoefficients(C0);
    const model = await fm.fit(df);
    close(t, model.factors.values, c.coef.slice(0, 4), 1e-12, `${c.solver} factors`);
    close(t, model.linear.toArray(), c.coef.slice(4, 6), 1e-12, `${c.solver} linear`);
    t.ok(Math.abs(model.intercept - c.coef[6]!) < 1e-12, `${c.solver} intercept`);
    close(t, model.summary.objectiveHistory, c.hist, 1e-12, `${c.solver} objective history`);
    t.equal(model.summary.totalIterations, 2, "Spark's totalIterations: the history's length − 1");
  }
});

t.test("PySpark's FMClassifier example (Spark's fit exactly: miniBatchFraction 1, java.util.Random(11)'s factors)", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  const dir = await mkdtemp(join(tmpdir(), 'fmc-'));
  t.teardown(async () => { await spark.stop(); await rm(dir, { recursive: true, force: true }); });
  const df = spark.createDataFrame([{ label: 1.0, features: Vectors.dense(1.0) }, { label: 0.0, features: Vectors.sparse(1, [], []) }], 'label double, features vector');
  const fm = new FMClassifier({ factorSize: 2 });
  fm.setSeed(11);
  const warnings: string[] = [];
  const onWarn = (w: Error & { code?: string }) => warnings.push(w.code ?? '');
  process.on('warning', onWarn);
  const model = await fm.fit(df);
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarn);
  t.same(warnings, ['KINDLING_FM_NOT_CONVERGED'], 'maxIter reached: said so');
  t.equal(model.getMaxIter(), 100);
  const test0 = spark.createDataFrame([-1.0, 0.5, 1.0, 2.0].map((v) => ({ features: Vectors.dense(v) })), 'features vector');
  const raw = model.predictRaw(Vectors.dense(-1.0)).toArray();
  t.ok(Math.abs(raw[0]! - 22.13) < 0.01 && raw[1] === -raw[0]!, 'DenseVector([22.13..., -22.13...])');
  close(t, model.predictProbability(Vectors.dense(-1.0)).toArray(), [1.0, 0.0], 1e-9, 'DenseVector([1.0, 0.0])');
  const probs = (await model.transform(test0).select('features', 'probability').collect()).map((r) => (r.probability as DenseVector).toArray());
  const doc = [
    [0.9999999997574736, 2.425264676902229e-10],
    [0.47627851732981163, 0.5237214826701884],
    [5.491554426243495e-4, 0.9994508445573757],
    [2.005766663870645e-10, 0.9999999997994233],
  ];
  probs.forEach((p, i) => close(t, p, doc[i]!, 1e-12, `probability row ${i}`));
  t.ok(Math.abs(model.intercept - -7.316665276826291) < 1e-12, 'intercept -7.316665276826291');
  close(t, model.linear.toArray(), [14.8232], 1e-4, 'linear DenseVector([14.8232])');
  t.same([model.factors.numRows, model.factors.numCols, model.factors.isTransposed], [1, 2, true], 'DenseMatrix(1, 2, …, 1)');
  close(t, model.factors.values, [0.0163, -0.0051], 0.00005 / 0.0163, 'factors [0.0163, -0.0051]');
  t.equal(model.numClasses, 2);
  t.equal(model.numFeatures, 1);
  // summary: binary metrics on the probability column, multiclass metrics, history
  t.equal(await model.summary.areaUnderROC(), 1);
  t.equal(await model.summary.accuracy(), 1);
  t.equal(model.summary.objectiveHistory.length, 100);
  // persistence: Spark's layout, then the model predicts the same
  const path = join(dir, 'fm_model');
  await model.save(path);
  const model2 = await FMClassificationModel.load(path);
  t.ok(model2 instanceof FMClassificationModel);
  t.equal(model2.intercept, model.intercept);
  t.same(model2.linear.toArray(), model.linear.toArray());
  t.same(model2.factors.toRows(), model.factors.toRows());
  t.same(await model2.transform(test0).limit(1).collect(), await model.transform(test0).limit(1).collect());
  t.throws(() => model2.summary, /No training summary/);
  await fm.save(join(dir, 'fm'));
  const fm2 = await FMClassifier.load(join(dir, 'fm'));
  t.equal(fm2.getSeed(), 11);
  t.equal(fm2.getFactorSize(), 2);
});

t.test('bad input: labels, features, params', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const rows = (labels: number[], f: number[][] = labels.map(() => [1, 2])) => spark.createDataFrame(labels.map((label, i) => ({ label, features: Vectors.dense(f[i]!) })), 'label double, features vector');
  await t.rejects(new FMClassifier().fit(rows([0, 1, 2])), /row 2 of label column label is 2: .*\[0, 2\) \(numClasses = 2, FMClassifier is a binary classifier: labels 0 and 1\)/);
  await t.rejects(new FMClassifier().fit(rows([0, 0.5])), /row 1 of label column label is 0\.5/);
  await t.rejects(new FMClassifier().fit(rows([0, 1], [[1, 2], [NaN, 1]])), /row 1 .*features/);
  await t.rejects(new FMClassifier().fit(rows([0, 1], [[1, 2], [1]])), /row 1.*has 1 features, but earlier rows have 2/);
  await t.rejects(new FMClassifier().fit(rows([])), /no rows/);
  t.throws(() => new FMClassifier({ factorSize: 0 }), /factorSize/);
  t.throws(() => new FMClassifier({ miniBatchFraction: 0 }), /miniBatchFraction/);
  t.throws(() => new FMClassifier({ solver: 'sgd' as never }), /one of gd, adamW/);
  const m = new FMClassificationModel({ intercept: 1, linear: [1, 2], factors: [[0.1, 0.2], [0.3, 0.4]] });
  t.equal(m.numFeatures, 2);
  // y = 1 + 1 + 2 + (0.1·0.3 + 0.2·0.4) = 4.11 at (1, 1)
  t.ok(Math.abs(m.predictRaw([1, 1]).toArray()[1]! - 4.11) < 1e-12);
  t.throws(() => m.predict([1, 2, 3]), /a vector of size 2/);
  await t.rejects(new FMClassificationModel().save('/tmp/never-written'), /no coefficients/);
  t.throws(() => new FMClassificationModel({ linear: [1, 2, 3], factors: [[0.1], [0.2]] }), /expected a vector of 2 values .* for linear/);
  // Spark's initCoefficients: factors from java.util.Random(seed).nextGaussian() · initStd, then zeros
  const c = fmInitialCoefficients({ d: 1, k: 2, fitIntercept: true, fitLinear: true }, 11, 1);
  t.equal(c.length, 4);
  t.same([c[2], c[3]], [0, 0]);
  t.ok(c[0] !== 0 && c[1] !== 0);
});
