// MinMaxScaler: Spark's doctest and ML guide example (compressed output rows), a constant
// feature -> 0.5 * (max + min), NaN kept, params, local vs local[2], persistence (alone and in a
// Pipeline), bad input, empty DataFrame.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MinMaxScaler, MinMaxScalerModel, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { onBothMasters } from './scaling-helpers.js';

const spark = await Session.builder().appName('minmax').master('local').getOrCreate();
t.teardown(() => spark.stop());
const arr = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());

t.test("Spark's doctest and ML guide example", async (t) => {
  const df = spark.createDataFrame([{ a: Vectors.dense([0.0]) }, { a: Vectors.dense([2.0]) }]);
  const m = await new MinMaxScaler({ outputCol: 'scaled' }).setInputCol('a').fit(df);
  t.same(arr(m.originalMin), [0]);
  t.same(arr(m.originalMax), [2]);
  t.same((await m.transform(df).collect()).map((r) => arr(r.scaled)), [[0], [1]]);
  // ML guide: the first row scales to all zeros, which Spark's `compressed` stores sparse: (3,[],[])
  const g = spark.createDataFrame([
    { id: 0, features: Vectors.dense([1.0, 0.1, -1.0]) },
    { id: 1, features: Vectors.dense([2.0, 1.1, 1.0]) },
    { id: 2, features: Vectors.dense([3.0, 10.1, 3.0]) },
  ]);
  const gm = await new MinMaxScaler({ inputCol: 'features', outputCol: 'scaledFeatures' }).fit(g);
  const out = (await gm.transform(g).collect()).map((r) => r.scaledFeatures);
  t.ok(out[0] instanceof SparseVector);
  t.equal(String(out[0]), '(3,[],[])');
  t.ok(out[1] instanceof DenseVector);
  t.same(out.map(arr), [[0, 0, 0], [0.5, 0.1, 0.5], [1, 1, 1]]);
});

t.test('defaults; min/max params; a constant feature maps to 0.5 * (max + min); NaN stays NaN', async (t) => {
  const s = new MinMaxScaler();
  t.equal(s.getMin(), 0);
  t.equal(s.getMax(), 1);
  t.equal(s.getOutputCol(), `${s.uid}__output`);
  const df = spark.createDataFrame([{ f: Vectors.dense([1, 5, 0]) }, { f: Vectors.dense([3, 5, NaN]) }, { f: Vectors.dense([2, 5, 4]) }]);
  const m = await new MinMaxScaler({ inputCol: 'f', outputCol: 'o', min: -1, max: 3 }).fit(df);
  t.same(arr(m.originalMin), [1, 5, 0], 'min skips NaN (Spark Summarizer)');
  t.same(arr(m.originalMax), [3, 5, 4]);
  const out = (await m.transform(df).collect()).map((r) => arr(r.o));
  // (x - 1) * 4 / 2 - 1; constant: (3 + -1) / 2 = 1; (x - 0) * 4 / 4 - 1
  t.same(out, [[-1, 1, -1], [3, 1, NaN], [1, 1, 3]]);
  t.same(arr(m.scale(Vectors.sparse(3, [0], [3]))), [3, 1, -1]);
});

t.test('persistence: Spark layout, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([3, 6]) }]);
  const m = await new MinMaxScaler({ inputCol: 'f', outputCol: 's', min: 2, max: 4 }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.MinMaxScalerModel');
  t.match(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'), /"min":2\.0/);
  const back = await MinMaxScalerModel.load(join(dir, 'm'));
  t.same(arr(back.originalMax), [3, 6]);
  t.equal(back.getMin(), 2);
  t.same(await back.transform(df).select('s').collect(), await m.transform(df).select('s').collect());
  const pm = await new Pipeline({ stages: [new MinMaxScaler({ inputCol: 'f', outputCol: 's' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  const pb = await PipelineModel.load(join(dir, 'p'));
  t.same((await pb.transform(df).collect()).map((r) => arr(r.s)), [[0, 0], [1, 1]]);
});

t.test('bad input: min >= max, sizes, nulls, missing column, empty DataFrame', async (t) => {
  const df = spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([3]) }]);
  await t.rejects(new MinMaxScaler({ inputCol: 'f' }).fit(df), /row 1 of the input vector column has size 1, but earlier rows have size 2/);
  await t.rejects(new MinMaxScaler({ inputCol: 'f', min: 1, max: 1 }).fit(df), /MinMaxScaler: expected a value < max \(1\) for min, got 1/);
  t.throws(() => new MinMaxScaler({ min: NaN }), /min/);
  await t.rejects(new MinMaxScaler({ inputCol: 'g' }).fit(df), /cannot resolve column "g"/);
  const nulls = spark.createDataFrame([{ f: Vectors.dense([1]) }, { f: null }], 'f vector');
  await t.rejects(new MinMaxScaler({ inputCol: 'f' }).fit(nulls), /row 1 of the input vector column is null/);
  await t.rejects(new MinMaxScaler({ inputCol: 'f' }).fit(nulls.limit(0)), /MinMaxScaler.fit: the DataFrame has no rows to fit on/);
  const m = await new MinMaxScaler({ inputCol: 'f', outputCol: 'o' }).fit(spark.createDataFrame([{ f: Vectors.dense([1, 2]) }]));
  await t.rejects(m.transform(spark.createDataFrame([{ f: Vectors.dense([1, 2, 3]) }])).collect(), /vectors of size 3, the model was fitted on size 2/);
  t.same(await m.transform(nulls.limit(0)).collect(), []);
});

t.test('local and local[2] agree, 3 partitions; sparse input', async (t) => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ f: i % 3 === 0 ? Vectors.sparse(3, [1], [i]) : Vectors.dense([i, -i, i * i]) }));
  const [a, b] = await onBothMasters(spark, async (s) => {
    const df = s.createDataFrame(rows).repartition(3);
    const m = await new MinMaxScaler({ inputCol: 'f', outputCol: 'o' }).fit(df);
    return { min: arr(m.originalMin), max: arr(m.originalMax), out: (await m.transform(df).collect()).map((r) => arr(r.o)) };
  });
  t.same(a.min, [0, -38, 0]);
  t.same(a.max, [38, 39, 38 * 38]);
  t.same(b, a);
});
