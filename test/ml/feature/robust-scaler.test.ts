// RobustScaler: Spark's doctest (median, range, transform), every param (lower, upper,
// withCentering, withScaling, relativeError), sparse kept sparse without centring, local vs
// local[2], persistence (alone and in a Pipeline), bad input, empty DataFrame.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RobustScaler, RobustScalerModel, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { onBothMasters } from './scaling-helpers.js';

const spark = await Session.builder().appName('robust').master('local').getOrCreate();
t.teardown(() => spark.stop());
const arr = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());
const doc = () => spark.createDataFrame([0, 1, 2, 3, 4].map((i) => ({ id: i, features: Vectors.dense([i, -i]) })));

t.test("Spark's doctest", async (t) => {
  const s = new RobustScaler({ outputCol: 'scaled' }).setInputCol('features');
  t.equal(s.getLower(), 0.25);
  t.equal(s.getUpper(), 0.75);
  t.equal(s.getWithCentering(), false);
  t.equal(s.getWithScaling(), true);
  t.equal(s.getRelativeError(), 0.001);
  const m = await s.fit(doc());
  t.same(arr(m.median), [2, -2]);
  t.same(arr(m.range), [2, 2]);
  t.same(arr((await m.transform(doc()).collect())[1]!.scaled), [0.5, -0.5]);
});

t.test('params: centring, bounds, no scaling; sparse stays sparse without centring', async (t) => {
  const df = doc();
  const c = await new RobustScaler({ inputCol: 'features', outputCol: 'o', withCentering: true, lower: 0.1, upper: 0.9 }).fit(df);
  // q(0.1): rank ceil(0.5) = 1 -> 0; q(0.9): rank ceil(4.5) = 5 -> 4; range 4
  t.same(arr(c.range), [4, 4]);
  t.same((await c.transform(df).collect()).map((r) => arr(r.o)), [0, 1, 2, 3, 4].map((i) => [(i - 2) / 4, (-i + 2) / 4]));
  const noScale = await new RobustScaler({ inputCol: 'features', outputCol: 'o', withCentering: true, withScaling: false }).fit(df);
  t.same(arr((await noScale.transform(df).collect())[4]!.o), [2, -2]);
  const sp = spark.createDataFrame([{ f: Vectors.sparse(2, [0], [4]) }, { f: Vectors.dense([0, 2]) }, { f: Vectors.dense([2, 0]) }, { f: Vectors.dense([8, 0]) }]);
  const m = await new RobustScaler({ inputCol: 'f', outputCol: 'o', relativeError: 0 }).fit(sp);
  // feature 0: 0 2 4 8 -> q(.25) = 0 (rank 1)... sorted [0, 2, 4, 8]: ranks ceil(1) = 1 -> 0, ceil(3) = 3 -> 4, median rank 2 -> 2
  t.same(arr(m.range), [4, 0]);
  t.same(arr(m.median), [2, 0]);
  t.ok(m.median instanceof DenseVector, 'Spark compresses: [2, 0] stays dense');
  const out = (await m.transform(sp).collect()).map((r) => r.o);
  t.equal(String(out[0]), '(2,[0],[1.0])');
  t.same(arr(out[1]), [0, 0], 'a zero range scales to 0');
  t.throws(() => new RobustScaler({ inputCol: 'f', lower: 0.8, upper: 0.7 }).transformSchema(sp.schema), /RobustScaler: expected a value < upper \(0.7\) for lower, got 0.8/);
  t.throws(() => new RobustScaler({ relativeError: 2 }), /relativeError/);
});

t.test('NaN is skipped by the quantiles; bad input; empty DataFrame', async (t) => {
  const df = spark.createDataFrame([{ f: Vectors.dense([1, NaN]) }, { f: Vectors.dense([3, NaN]) }, { f: Vectors.dense([2, 5]) }]);
  const m = await new RobustScaler({ inputCol: 'f', outputCol: 'o' }).fit(df);
  t.same(arr(m.median), [2, 5]);
  const all = spark.createDataFrame([{ f: Vectors.dense([NaN]) }]);
  await t.rejects(new RobustScaler({ inputCol: 'f' }).fit(all), /RobustScaler.fit: feature 0 of column f is NaN in every row/);
  await t.rejects(new RobustScaler({ inputCol: 'f' }).fit(df.limit(0)), /RobustScaler.fit: the DataFrame has no rows to fit on/);
  const mixed = spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([3]) }]);
  await t.rejects(new RobustScaler({ inputCol: 'f' }).fit(mixed), /row 1 of the input vector column has size 1, but earlier rows have size 2/);
});

t.test('persistence: Spark layout, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const m = await new RobustScaler({ inputCol: 'features', outputCol: 's', withCentering: true }).fit(doc());
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.RobustScalerModel');
  t.equal(meta.paramMap.withCentering, true);
  const back = await RobustScalerModel.load(join(dir, 'm'));
  t.same(arr(back.range), [2, 2]);
  t.same(await back.transform(doc()).select('s').collect(), await m.transform(doc()).select('s').collect());
  const pm = await new Pipeline({ stages: [new RobustScaler({ inputCol: 'features', outputCol: 's' })] }).fit(doc());
  await pm.save(join(dir, 'p'));
  t.same(arr((await (await PipelineModel.load(join(dir, 'p'))).transform(doc()).collect())[1]!.s), [0.5, -0.5]);
});

t.test('local and local[2] agree, 3 partitions', async (t) => {
  const rows = Array.from({ length: 200 }, (_, i) => ({ f: Vectors.dense([(i * 37) % 101, i]) }));
  const [a, b] = await onBothMasters(spark, async (s) => {
    const m = await new RobustScaler({ inputCol: 'f', outputCol: 'o' }).fit(s.createDataFrame(rows).repartition(3));
    return { median: arr(m.median), range: arr(m.range) };
  });
  t.same(a.median[1], 99);
  t.same(b, a);
});
