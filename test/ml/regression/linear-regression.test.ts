// LinearRegression (Spark's ml.regression.LinearRegression): PySpark's docstring example, the
// normal and l-bfgs solvers against the exact optimum of Spark's objective on diabetes and iris
// (test/reference/linear-regression-reference.py → .json: numpy lstsq for OLS and its standard
// errors / t / p, closed-form ridge, coordinate-descent elastic net, scipy L-BFGS-B for Huber),
// the summary, persistence in Spark's layout, and the errors.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, type DataFrame } from '../../../ts/src/index.js';
import { LinearRegression, LinearRegressionModel, Vectors, readData } from '../../../ts/ml/index.js';
import { close, diabetes, irisPetalWidth, reference } from './helpers.js';

const ref = reference('linear-regression-reference.json');
const tmp = mkdtempSync(join(tmpdir(), 'kindling-linreg-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

let spark: Session;
t.before(async () => {
  spark = await Session.builder().master('local[2]').getOrCreate();
});
t.teardown(() => spark.stop());

function frame(x: number[][], y: number[]): DataFrame {
  return spark.createDataFrame(x.map((f, i) => ({ features: f, label: y[i]!, w: 1 + (i % 3) })), 'features array<double>, label double, w double');
}

async function quietly<T>(f: () => Promise<T>): Promise<{ value: T; warnings: Array<Error & { code?: string }> }> {
  const warnings: Error[] = [];
  const on = (w: Error) => warnings.push(w);
  process.on('warning', on);
  try {
    const value = await f();
    await new Promise((r) => setImmediate(r));
    return { value, warnings };
  } finally {
    process.off('warning', on);
  }
}

t.test("PySpark's docstring example", async (t) => {
  const df = spark.createDataFrame(
    [
      { label: 1.0, weight: 2.0, features: Vectors.dense(1.0) },
      { label: 0.0, weight: 2.0, features: Vectors.sparse(1, [], []) },
    ],
    'label double, weight double, features vector',
  );
  const lr = new LinearRegression({ regParam: 0.0, solver: 'normal', weightCol: 'weight' });
  lr.setMaxIter(5);
  t.equal(lr.getMaxIter(), 5);
  lr.setRegParam(0.1);
  t.equal(lr.getRegParam(), 0.1);
  lr.setRegParam(0.0);
  const model = await lr.fit(df);
  model.setFeaturesCol('features');
  model.setPredictionCol('newPrediction');
  t.equal(model.getMaxIter(), 5);
  t.equal(model.getMaxBlockSizeInMB(), 0.0);
  const test0 = spark.createDataFrame([{ features: Vectors.dense(-1.0) }], 'features vector');
  t.ok(Math.abs(model.predict(Vectors.dense(-1.0)) - -1.0) < 0.001);
  t.ok(Math.abs(((await model.transform(test0).first())!.newPrediction as number) - -1.0) < 0.001);
  t.ok(Math.abs(model.coefficients.toArray()[0]! - 1.0) < 0.001);
  t.ok(Math.abs(model.intercept - 0.0) < 0.001);
  const test1 = spark.createDataFrame([{ features: Vectors.sparse(1, [0], [1.0]) }], 'features vector');
  t.ok(Math.abs(((await model.transform(test1).first())!.newPrediction as number) - 1.0) < 0.001);
  lr.setFeaturesCol('vector');
  const path = join(tmp, 'lr');
  await lr.save(path);
  const lr2 = await LinearRegression.load(path);
  t.equal(lr2.getMaxIter(), 5);
  const modelPath = join(tmp, 'lr_model');
  await model.save(modelPath);
  const model2 = await LinearRegressionModel.load(modelPath);
  t.same(model.coefficients.toArray()[0], model2.coefficients.toArray()[0]);
  t.equal(model.intercept, model2.intercept);
  t.same(await model.transform(test0).head(1), await model2.transform(test0).head(1));
  t.equal(model.numFeatures, 1);
  t.equal(model.scale, 1.0);
  t.equal(model.getLoss(), 'squaredError');
});

t.test('OLS on diabetes: both solvers against numpy lstsq; the normal summary against the OLS formulas', async (t) => {
  const { x, y } = diabetes();
  const df = frame(x, y);
  const o = ref.ols;
  const normal = await new LinearRegression({ solver: 'normal' }).fit(df);
  close(t, normal.coefficients.toArray(), o.coef, 1e-9, 'normal coefficients');
  close(t, [normal.intercept], [o.intercept], 1e-9, 'normal intercept');
  const auto = await new LinearRegression().fit(df);
  close(t, auto.coefficients.toArray(), o.coef, 1e-9, "'auto' takes the normal solver (10 features <= 4096)");
  const lbfgs = await new LinearRegression({ solver: 'l-bfgs', tol: 1e-10 }).fit(df);
  close(t, lbfgs.coefficients.toArray(), o.coef, 1e-5, 'l-bfgs coefficients');
  close(t, [lbfgs.intercept], [o.intercept], 1e-5, 'l-bfgs intercept');
  t.ok(lbfgs.summary.totalIterations > 0);
  t.equal(lbfgs.summary.converged, true);
  const short = await quietly(() => new LinearRegression({ solver: 'l-bfgs', maxIter: 2 }).fit(df));
  t.equal(short.value.summary.converged, false, 'maxIter reached: the summary says so');
  t.ok(short.warnings.some((w) => w.code === 'KINDLING_LINEAR_REGRESSION_NOT_CONVERGED'));
  t.equal(lbfgs.summary.objectiveHistory.length, lbfgs.summary.totalIterations + 1);
  t.throws(() => lbfgs.summary.coefficientStandardErrors, /No Std\. Error of coefficients available/);
  t.throws(() => lbfgs.summary.pValues, /No p-value available/);

  const s = normal.summary;
  t.same(s.objectiveHistory, [0]);
  t.equal(s.totalIterations, 0);
  t.equal(s.numInstances, 442);
  t.equal(s.degreesOfFreedom, o.dof);
  close(t, s.coefficientStandardErrors, o.se, 1e-8, 'standard errors (coefficients, then intercept)');
  close(t, s.tValues, o.t, 1e-8, 't values');
  // Spark's 2(1 − F(|t|)) is exact to ~1e-16 absolute, not relative
  close(t, s.pValues.slice(0, 10), o.p.slice(0, 10), 1e-6, 'p values', 1e-8);
  t.ok(s.pValues[10]! < 1e-15, 'the intercept p-value: 2(1 − F(|t|)) rounds to 0 as in Spark');
  close(t, [s.r2, s.r2adj, s.meanSquaredError, s.rootMeanSquaredError, s.meanAbsoluteError, s.explainedVariance], [o.r2, o.r2adj, o.mse, Math.sqrt(o.mse), o.mae, o.ev], 1e-9, 'metrics');
  close(t, s.devianceResiduals, o.devres, 1e-8, 'devianceResiduals');
  const res = await s.residuals.collect();
  t.equal(res.length, 442);
  t.ok(Math.abs((res[0]!.residuals as number) - (y[0]! - normal.predict(x[0]!))) < 1e-9);
  const ev = await normal.evaluate(df);
  close(t, [ev.r2, ev.meanSquaredError], [o.r2, o.mse], 1e-9, 'evaluate(df) gives the same metrics');
  t.throws(() => ev.coefficientStandardErrors, /No Std\. Error/, 'evaluate has no standard errors (Spark)');
});

t.test('weighted OLS: coefficients, standard errors and weighted residuals', async (t) => {
  const { x, y } = diabetes();
  const df = frame(x, y);
  const m = await new LinearRegression({ weightCol: 'w' }).fit(df);
  close(t, m.coefficients.toArray(), ref.wols.coef, 1e-9, 'coefficients');
  close(t, [m.intercept], [ref.wols.intercept], 1e-9, 'intercept');
  close(t, m.summary.coefficientStandardErrors, ref.wols.se, 1e-8, 'standard errors');
  close(t, m.summary.devianceResiduals, ref.wols.devres, 1e-8, 'devianceResiduals: residual·√w');
  const l = await new LinearRegression({ weightCol: 'w', solver: 'l-bfgs', tol: 1e-10 }).fit(df);
  close(t, l.coefficients.toArray(), ref.wols.coef, 1e-5, 'l-bfgs, weighted');
});

t.test("regularised fits equal the optimum of Spark's objective (both solvers, standardization on/off, weights)", async (t) => {
  const { x, y } = diabetes();
  const df = frame(x, y);
  const cases: Array<[string, Record<string, unknown>]> = [
    ['ridge', { regParam: 0.5 }],
    ['ridgeNoStd', { regParam: 0.5, standardization: false }],
    ['enet', { regParam: 0.3, elasticNetParam: 0.5 }],
    ['enetNoStd', { regParam: 0.3, elasticNetParam: 0.5, standardization: false }],
    ['lassoW', { regParam: 1.0, elasticNetParam: 1.0, weightCol: 'w' }],
    ['ridgeNoIntercept', { regParam: 0.5, fitIntercept: false }],
  ];
  for (const [name, opts] of cases) {
    for (const solver of ['normal', 'l-bfgs'] as const) {
      const want = ref.cases[`${name}_${solver === 'normal' ? 'normal' : 'lbfgs'}`];
      const m = await new LinearRegression({ ...opts, solver, tol: 1e-12, maxIter: 500 }).fit(df);
      // exact zeros of the L1 fits: compare with an absolute floor
      close(t, m.coefficients.toArray(), want.coef, 1e-4, `${name}, ${solver}: coefficients`, 1e-2);
      close(t, [m.intercept], [want.intercept], 1e-6, `${name}, ${solver}: intercept`);
    }
  }
});

t.test('iris (petal width): OLS, elastic net with l-bfgs, ridge with the normal solver', async (t) => {
  const { x, y } = irisPetalWidth();
  const df = frame(x, y);
  const ols = await new LinearRegression().fit(df);
  close(t, ols.coefficients.toArray(), ref.iris_ols.coef, 1e-9, 'OLS');
  close(t, [ols.intercept], [ref.iris_ols.intercept], 1e-9, 'OLS intercept');
  const en = await new LinearRegression({ regParam: 0.2, elasticNetParam: 0.3, solver: 'l-bfgs', tol: 1e-12 }).fit(df);
  close(t, en.coefficients.toArray(), ref.iris_enet_lbfgs.coef, 1e-4, 'elastic net, l-bfgs', 1e-3);
  close(t, [en.intercept], [ref.iris_enet_lbfgs.intercept], 1e-4, 'elastic net intercept');
  for (const solver of ['normal', 'l-bfgs'] as const) {
    const m0 = await new LinearRegression({ fitIntercept: false, solver, tol: 1e-12 }).fit(df);
    close(t, m0.coefficients.toArray(), ref.iris_ols0.coef, solver === "normal" ? 1e-9 : 1e-6, `${solver}: through the origin (uncentered features)`);
  }
  const ridge = await new LinearRegression({ regParam: 0.2, solver: 'normal' }).fit(df);
  close(t, ridge.coefficients.toArray(), ref.iris_ridge_normal.coef, 1e-9, 'ridge, normal');
});

t.test('no intercept: OLS through the origin, r2 through the origin', async (t) => {
  const { x, y } = diabetes();
  const m = await new LinearRegression({ fitIntercept: false }).fit(frame(x, y));
  close(t, m.coefficients.toArray(), ref.ols0.coef, 1e-8, 'coefficients');
  t.equal(m.intercept, 0);
  t.equal(m.summary.degreesOfFreedom, 442 - 10);
  t.equal(m.summary.coefficientStandardErrors.length, 10, 'no intercept entry');
  const pred = x.map((r) => r.reduce((s, v, j) => s + v * ref.ols0.coef[j], 0));
  const r2 = 1 - y.reduce((s, v, i) => s + (v - pred[i]!) ** 2, 0) / y.reduce((s, v) => s + v * v, 0);
  t.ok(Math.abs(m.summary.r2 - r2) < 1e-9, 'r2 = 1 − RSS/Σy² (RegressionMetrics throughOrigin, as Spark)');
});

t.test('Huber loss against the optimum of HuberAggregator (L-BFGS-B over β, intercept, σ)', async (t) => {
  const { x, y } = diabetes();
  const df = frame(x, y);
  // the pure Huber objective is flat along the coefficients: its value matches to ~1e-9, the coefficients to 1e-3
  const cases: Array<[string, Record<string, unknown>, number]> = [
    ['huber', {}, 1e-3],
    ['huberRidge', { regParam: 0.1 }, 1e-3],
    ['huberRidgeNoStdW', { regParam: 0.1, standardization: false, weightCol: 'w' }, 1e-4],
  ];
  for (const [name, opts, tol] of cases) {
    const m = await new LinearRegression({ ...opts, loss: 'huber', tol: 1e-12, maxIter: 1000 }).fit(df);
    const want = ref[name];
    close(t, m.coefficients.toArray(), want.coef, tol, `${name}: coefficients`);
    close(t, [m.intercept, m.scale], [want.intercept, want.scale], tol, `${name}: intercept and scale`);
  }
  await t.rejects(new LinearRegression({ loss: 'huber', solver: 'normal' }).fit(df), /huber loss doesn't support normal solver/);
  await t.rejects(new LinearRegression({ loss: 'huber', elasticNetParam: 0.5 }).fit(df), /huber loss only supports L2 regularization, but got elasticNetParam = 0\.5/);
  t.throws(() => new LinearRegression({ epsilon: 1.0 }), /epsilon/);
});

t.test("a constant label: coefficients 0, intercept = the mean, Spark's warning; no intercept with regularisation is an error", async (t) => {
  const x = [[1, 2], [2, 1], [3, 5], [4, 0]];
  const df = frame(x, [7, 7, 7, 7]);
  for (const solver of ['normal', 'l-bfgs'] as const) {
    const { value: m, warnings } = await quietly(() => new LinearRegression({ solver }).fit(df));
    t.same(m.coefficients.toArray(), [0, 0], solver);
    t.equal(m.intercept, 7);
    t.ok(warnings.some((w) => /The standard deviation of the label is zero, so the coefficients will be zeros/.test(w.message)), `${solver}: warns`);
  }
  await t.rejects(new LinearRegression({ solver: 'l-bfgs', fitIntercept: false, regParam: 0.1 }).fit(df), /The standard deviation of the label is zero\. Model cannot be regularized/);
  await t.rejects(new LinearRegression({ solver: 'normal', fitIntercept: false, regParam: 0.1 }).fit(df), /Model cannot be regularized with standardization=true/);
});

t.test('collinear features: Cholesky fails and Spark\'s WeightedLeastSquares (solver Auto, for normal too) retries with quasi-Newton', async (t) => {
  const x = [[1, 2], [2, 4], [3, 6], [4, 8], [5, 10]];
  const df = frame(x, [1, 3, 2, 5, 4]);
  for (const solver of ['normal', 'auto'] as const) {
    const { value: m, warnings } = await quietly(() => new LinearRegression({ solver }).fit(df));
    t.ok(warnings.some((w) => /Cholesky solver failed due to singular covariance matrix\. Retrying with Quasi-Newton solver/.test(w.message)), solver);
    // the minimum-norm direction in the standardised space: both columns share the slope (x1 = 2·x0)
    close(t, m.coefficients.toArray(), [0.4, 0.2], 1e-6, `${solver}: coefficients`);
    for (const r of x) t.ok(Math.abs(m.predict(r) - (0.6 + 0.8 * r[0]!)) < 1e-6, 'the OLS fit on x0 alone (slope 0.8, intercept 0.6)');
    t.throws(() => m.summary.coefficientStandardErrors, /No Std\. Error/);
  }
});

t.test('bad input: NaN and null labels, negative weights, vector sizes, empty DataFrame, params', async (t) => {
  const mk = (rows: Array<{ features: number[]; label: number | null; w?: number }>) => spark.createDataFrame(rows.map((r) => ({ w: 1, ...r })), 'features array<double>, label double, w double');
  await t.rejects(new LinearRegression().fit(mk([{ features: [1], label: 1 }, { features: [2], label: NaN }])), /row 1 of label column label is NaN/);
  await t.rejects(new LinearRegression().fit(mk([{ features: [1], label: 1 }, { features: [2], label: null }])), /row 1.*null/);
  await t.rejects(new LinearRegression({ weightCol: 'w' }).fit(mk([{ features: [1], label: 1 }, { features: [2], label: 2, w: -1 }])), /row 1.*w.*-1/);
  await t.rejects(new LinearRegression().fit(mk([{ features: [1], label: 1 }, { features: [2, 3], label: 2 }])), /row 1.*2 features, but earlier rows have 1/);
  await t.rejects(new LinearRegression().fit(mk([])), /no rows/);
  await t.rejects(new LinearRegression().fit(mk([{ features: [1], label: 1 }]).select('features')), /label/);
  t.throws(() => new LinearRegression({ elasticNetParam: 1.5 }), /elasticNetParam/);
  t.throws(() => new LinearRegression({ solver: 'sgd' as never }), /one of auto, normal, l-bfgs for solver/);
  const m = await new LinearRegression().fit(mk([{ features: [1, 2], label: 1 }, { features: [2, 1], label: 3 }, { features: [0, 0], label: 0 }]));
  await t.rejects(m.transform(spark.createDataFrame([{ features: [1, 2, 3] }], 'features array<double>')).collect(), /3 features|size/);
  t.throws(() => new LinearRegressionModel().predict([1]), /no coefficients/);
});

t.test("persistence: Spark's layout (metadata class, data/ with intercept, coefficients, scale)", async (t) => {
  const { x, y } = irisPetalWidth();
  const m = await new LinearRegression({ loss: 'huber', regParam: 0.01 }).fit(frame(x, y));
  const dir = join(tmp, 'huber-model');
  await m.save(dir);
  const md = JSON.parse(readFileSync(join(dir, 'metadata', 'part-00000'), 'utf8'));
  t.equal(md.class, 'org.apache.spark.ml.regression.LinearRegressionModel');
  t.equal(md.paramMap.loss, 'huber');
  t.equal(md.defaultParamMap.epsilon, 1.35);
  t.equal(md.defaultParamMap.solver, 'auto');
  const data = await readData(dir);
  t.same(data.schema.fields.map((f) => f.name), ['intercept', 'coefficients', 'scale']);
  const back = await LinearRegressionModel.load(dir);
  t.same(back.coefficients.toArray(), m.coefficients.toArray());
  t.equal(back.intercept, m.intercept);
  t.equal(back.scale, m.scale);
  t.equal(back.hasSummary, false);
  t.throws(() => back.summary, /No training summary/);
  const rows = await back.transform(frame(x, y)).collect();
  t.ok(Math.abs((rows[3]!.prediction as number) - m.predict(x[3]!)) < 1e-12);
  const byCtor = new LinearRegressionModel({ coefficients: [1, 2], intercept: 3 });
  t.equal(byCtor.predict([1, 1]), 6);
});
