// FMRegressor (Spark 3.x): PySpark's documented example (Spark's fit exactly with
// miniBatchFraction 1), gd's first steps against a numpy re-implementation of Spark's update,
// fitLinear = false (Spark's empty sparse linear vector), the saved layout, bad input.
import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../ts/src/index.js';
import { SparseVector, Vectors } from '../../../ts/ml/index.js';
import { FMRegressor, FMRegressionModel } from '../../../ts/ml/regression/index.js';

t.test("PySpark's FMRegressor example", async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  const dir = await mkdtemp(join(tmpdir(), 'fmr-'));
  t.teardown(async () => { await spark.stop(); await rm(dir, { recursive: true, force: true }); });
  const df = spark.createDataFrame(
    [{ label: 2.0, features: Vectors.dense(2.0) }, { label: 1.0, features: Vectors.dense(1.0) }, { label: 0.0, features: Vectors.sparse(1, [], []) }],
    'label double, features vector',
  );
  const fm = new FMRegressor({ factorSize: 2 });
  fm.setSeed(16);
  const model = await fm.fit(df);
  t.equal(model.getMaxIter(), 100);
  const test0 = spark.createDataFrame([-2.0, 0.5, 1.0, 4.0].map((v) => ({ features: Vectors.dense(v) })), 'features vector');
  const preds = (await model.transform(test0).collect()).map((r) => r.prediction as number);
  const doc = [-1.9989237712341565, 0.4956682219523814, 0.994586620589689, 3.9880970124135344];
  preds.forEach((p, i) => t.ok(Math.abs(p - doc[i]!) < 1e-12, `prediction ${i}: ${p} vs ${doc[i]}`));
  t.ok(Math.abs(model.intercept - -0.0032501766849261557) < 1e-15, 'intercept -0.0032501766849261557');
  t.ok(Math.abs(model.linear.toArray()[0]! - 0.9978) < 5e-5, 'linear DenseVector([0.9978])');
  const f = model.factors.values;
  t.ok(Math.abs(f[0]! - 0.0173) < 5e-5 && Math.abs(f[1]! - 0.0021) < 5e-5, 'factors DenseMatrix(1, 2, [0.0173, 0.0021], 1)');
  const metrics = await model.summary.metrics();
  t.ok(metrics.rootMeanSquaredError < 0.01, 'kindling addition: the training summary');
  const path = join(dir, 'fm_model');
  await model.save(path);
  const model2 = await FMRegressionModel.load(path);
  t.equal(model2.intercept, model.intercept);
  t.same(model2.linear.toArray(), model.linear.toArray());
  t.same(model2.factors.toRows(), model.factors.toRows());
  t.same((await model2.transform(test0).collect()).map((r) => r.prediction), preds);
});

t.test('gd first steps (numpy re-implementation of Spark), fitLinear = false, bad input', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  const dir = await mkdtemp(join(tmpdir(), 'fmr-'));
  t.teardown(async () => { await spark.stop(); await rm(dir, { recursive: true, force: true }); });
  const df = spark.createDataFrame(
    [{ label: 1, features: [1, 0] }, { label: 0, features: [0.5, 2] }, { label: 1, features: [0, -1] }],
    'label double, features array<double>',
  );
  // numpy (scratch): squared loss, multiplier 2(y − label), gd η_i = 0.1/√i, 3 iterations from [0.1, −0.2, 0.05, 0.3, 0, 0, 0]
  const model = await new FMRegressor({ factorSize: 2, solver: 'gd', stepSize: 0.1, maxIter: 3 }).setInitialCoefficients(Float64Array.of(0.1, -0.2, 0.05, 0.3, 0, 0, 0)).fit(df);
  const want = [0.1001551005960948, -0.1990677060669995, 0.05031051813402054, 0.2993781185537431, 0.13190669427187673, -0.12491800831354237, 0.26459029764989533];
  const got = [...model.factors.values, ...model.linear.toArray(), model.intercept];
  got.forEach((g, i) => t.ok(Math.abs(g - want[i]!) < 1e-13, `coefficient ${i}`));
  const hist = [0.667675, 0.425704650593427, 0.31388801647845305];
  model.summary.objectiveHistory.forEach((h, i) => t.ok(Math.abs(h - hist[i]!) < 1e-13, `objective ${i}`));
  // the gradient summary merges across partitions: three partitions give the same model (to rounding)
  const split = await new FMRegressor({ factorSize: 2, solver: 'gd', stepSize: 0.1, maxIter: 3 }).setInitialCoefficients(Float64Array.of(0.1, -0.2, 0.05, 0.3, 0, 0, 0)).fit(df.repartition(3));
  [...split.factors.values, ...split.linear.toArray(), split.intercept].forEach((g, i) => t.ok(Math.abs(g - want[i]!) < 1e-13, `3 partitions: coefficient ${i}`));
  // fitLinear = false: linear is Spark's empty sparse vector, saved and loaded as such
  const nl = await new FMRegressor({ factorSize: 2, fitLinear: false, fitIntercept: false, maxIter: 5 }).fit(df);
  t.ok(nl.linear instanceof SparseVector && nl.linear.size === 2 && (nl.linear as SparseVector).indices.length === 0);
  t.equal(nl.intercept, 0);
  await nl.save(join(dir, 'nl'));
  const nl2 = await FMRegressionModel.load(join(dir, 'nl'));
  t.ok(nl2.linear instanceof SparseVector);
  t.equal(nl2.predict([1, 2]), nl.predict([1, 2]));
  const bad = spark.createDataFrame([{ label: Infinity, features: [1] }], 'label double, features array<double>');
  await t.rejects(new FMRegressor().fit(bad), /row 0 of label column label is Infinity/);
  t.throws(() => new FMRegressor({ initStd: 0 }), /initStd/);
  t.throws(() => new FMRegressor({ stepSize: -1 }), /stepSize/);
});

t.test('miniBatchFraction < 1: seeded Bernoulli samples per iteration (not the JVM stream), reproducible', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const df = spark.createDataFrame(Array.from({ length: 40 }, (_, i) => ({ label: i % 3, features: [Math.sin(i), Math.cos(i)] })), 'label double, features array<double>');
  const fit = () => new FMRegressor({ factorSize: 2, miniBatchFraction: 0.5, maxIter: 5, seed: 3 }).fit(df);
  const a = await fit();
  const b = await fit();
  t.equal(a.intercept, b.intercept, 'the same samples every fit');
  const full = await new FMRegressor({ factorSize: 2, maxIter: 5, seed: 3 }).fit(df);
  t.not(a.intercept, full.intercept, 'a sample, not every row');
});
