// MultivariateRegressor (kindling's): one LinearRegression per component of a vector label against
// numpy's multi-output lstsq (test/reference/linear-regression-reference.py, 'multi': targets
// [target, 100·bmi + 50·s5 + 0.1·target] on diabetes), array labels, persistence and errors.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../ts/src/index.js';
import { GeneralizedLinearRegression, LinearRegression, LinearRegressionModel, MultivariateRegressionModel, MultivariateRegressor, Vectors, type DenseVector } from '../../../ts/ml/index.js';
import { close, diabetes, reference } from './helpers.js';

const ref = reference('linear-regression-reference.json');
const tmp = mkdtempSync(join(tmpdir(), 'kindling-mvr-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

let spark: Session;
t.before(async () => {
  spark = await Session.builder().master('local[2]').getOrCreate();
});
t.teardown(() => spark.stop());

function targets(x: number[][], y: number[]): number[][] {
  return y.map((v, i) => [v, x[i]![2]! * 100 + x[i]![8]! * 50 + 0.1 * v]);
}

t.test('LinearRegression per target equals numpy multi-output lstsq; vector and array labels', async (t) => {
  const { x, y } = diabetes();
  const ys = targets(x, y);
  for (const kind of ['vector', 'array'] as const) {
    const df = spark.createDataFrame(
      x.map((f, i) => ({ features: Vectors.dense(f), label: kind === 'vector' ? Vectors.dense(ys[i]!) : ys[i]! })),
      `features vector, label ${kind === 'vector' ? 'vector' : 'array<double>'}`,
    );
    const mvr = new MultivariateRegressor({ regressor: new LinearRegression() });
    const model = await mvr.fit(df);
    t.equal(model.numTargets, 2);
    model.subModels.forEach((m, i) => {
      const lr = m as LinearRegressionModel;
      close(t, lr.coefficients.toArray(), ref.multi.coef[i], 1e-9, `${kind}: target ${i} coefficients`);
      close(t, [lr.intercept], [ref.multi.intercept[i]], 1e-9, `${kind}: target ${i} intercept`);
    });
    const rows = await model.transform(df).head(3);
    t.same(Object.keys(rows[0]!), ['features', 'label', 'prediction'], 'only predictionCol is appended');
    for (const [r, row] of rows.entries()) {
      const p = (row.prediction as DenseVector).toArray();
      const want = [0, 1].map((i) => x[r]!.reduce((s, v, j) => s + v * ref.multi.coef[i][j], ref.multi.intercept[i]));
      close(t, p, want, 1e-9, `${kind}: row ${r} prediction vector`);
      close(t, model.predict(x[r]!), want, 1e-9, `${kind}: predict`);
    }
  }
});

t.test('regressor params apply to every target; any regressor (GeneralizedLinearRegression)', async (t) => {
  const rows = [[1, 2], [2, 1], [3, 4], [4, 3], [5, 5], [6, 4]].map((f, i) => ({ features: f, label: [f[0]! + 2 * f[1]! + (i % 2) * 0.1, 3 - f[0]!], w: 1 + i }));
  const df = spark.createDataFrame(rows, 'features array<double>, label array<double>, w double');
  const m = await new MultivariateRegressor({ regressor: new LinearRegression({ regParam: 0.1, weightCol: 'w' }) }).fit(df);
  for (const [i, sub] of m.subModels.entries()) {
    t.equal((sub as LinearRegressionModel).getRegParam(), 0.1);
    t.equal((sub as LinearRegressionModel).getWeightCol(), 'w');
    const one = await new LinearRegression({ regParam: 0.1, weightCol: 'w' }).fit(spark.createDataFrame(rows.map((r) => ({ features: r.features, label: r.label[i]!, w: r.w })), 'features array<double>, label double, w double'));
    close(t, (sub as LinearRegressionModel).coefficients.toArray(), one.coefficients.toArray(), 1e-12, `target ${i}: as a fit of that column alone`);
  }
  const g = await new MultivariateRegressor({ regressor: new GeneralizedLinearRegression({ family: 'gaussian' }), predictionCol: 'yhat' }).fit(df);
  const out = await g.transform(df).head(1);
  t.equal((out[0]!.yhat as DenseVector).size, 2);
});

t.test('persistence: kindling class names, regressor/ and model_<i>/', async (t) => {
  const df = spark.createDataFrame([[1, 2], [2, 1], [3, 4], [4, 3]].map((f) => ({ features: f, label: [f[0]! - f[1]!, f[0]! * 2] })), 'features array<double>, label array<double>');
  const est = new MultivariateRegressor({ regressor: new LinearRegression({ maxIter: 7 }), predictionCol: 'out' });
  const ePath = join(tmp, 'est');
  await est.save(ePath);
  const md = JSON.parse(readFileSync(join(ePath, 'metadata', 'part-00000'), 'utf8'));
  t.equal(md.class, 'org.kindling.ml.regression.MultivariateRegressor');
  t.equal(md.paramMap.regressor, undefined, 'the regressor is a sub-stage, not a JSON param');
  const est2 = await MultivariateRegressor.load(ePath);
  t.equal((est2.getRegressor() as LinearRegression).getMaxIter(), 7);
  const m = await est.fit(df);
  const mPath = join(tmp, 'model');
  await m.save(mPath);
  const mmd = JSON.parse(readFileSync(join(mPath, 'metadata', 'part-00000'), 'utf8'));
  t.equal(mmd.class, 'org.kindling.ml.regression.MultivariateRegressionModel');
  t.equal(mmd.numTargets, 2);
  t.equal(JSON.parse(readFileSync(join(mPath, 'model_1', 'metadata', 'part-00000'), 'utf8')).class, 'org.apache.spark.ml.regression.LinearRegressionModel');
  const back = await MultivariateRegressionModel.load(mPath);
  t.same(await back.transform(df).collect(), await m.transform(df).collect());
});

t.test('bad input: scalar labels, labels of other sizes, null labels, no regressor', async (t) => {
  const mvr = new MultivariateRegressor({ regressor: new LinearRegression() });
  await t.rejects(mvr.fit(spark.createDataFrame([{ features: [1], label: 1 }], 'features array<double>, label double')), /column label \(labelCol\) must be a vector or an array of numbers/);
  const sizes = spark.createDataFrame([{ features: [1], label: [1, 2] }, { features: [2], label: [1, 2] }, { features: [3], label: [1, 2, 3] }], 'features array<double>, label array<double>');
  await t.rejects(mvr.fit(sizes), /row 2 of label column label .*3/);
  const nulls = spark.createDataFrame([{ features: [1], label: [1, 2] }, { features: [2], label: null }], 'features array<double>, label array<double>');
  await t.rejects(mvr.fit(nulls), /row 1 of label column label.*null/);
  await t.rejects(new MultivariateRegressor().fit(sizes), /regressor/);
  t.throws(() => new MultivariateRegressor({ regressor: 3 as never }), /regressor/);
  t.throws(() => new MultivariateRegressionModel().transform(sizes), /no models/);
});
