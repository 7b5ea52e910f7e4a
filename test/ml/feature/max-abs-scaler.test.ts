// MaxAbsScaler: Spark's doctest and ML guide example, sparse stays sparse, a zero feature is
// left as is, local vs local[2], persistence (alone and in a Pipeline), bad input, empty DataFrame.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MaxAbsScaler, MaxAbsScalerModel, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { onBothMasters } from './scaling-helpers.js';

const spark = await Session.builder().appName('maxabs').master('local').getOrCreate();
t.teardown(() => spark.stop());
const arr = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());

t.test("Spark's doctest and ML guide example", async (t) => {
  const df = spark.createDataFrame([{ a: Vectors.dense([1.0]) }, { a: Vectors.dense([2.0]) }]);
  const m = await new MaxAbsScaler({ outputCol: 'scaled' }).setInputCol('a').fit(df);
  t.same(arr(m.maxAbs), [2]);
  t.same((await m.transform(df).collect()).map((r) => arr(r.scaled)), [[0.5], [1]]);
  const g = spark.createDataFrame([
    { id: 0, features: Vectors.dense([1.0, 0.1, -8.0]) },
    { id: 1, features: Vectors.dense([2.0, 1.0, -4.0]) },
    { id: 2, features: Vectors.dense([4.0, 10.0, 8.0]) },
  ]);
  const gm = await new MaxAbsScaler({ inputCol: 'features', outputCol: 'scaledFeatures' }).fit(g);
  t.same(arr(gm.maxAbs), [4, 10, 8]);
  // Spark multiplies by 1 / maxAbs (its guide prints 0.1 * 0.1 rounded as 0.01)
  t.same((await gm.transform(g).collect()).map((r) => arr(r.scaledFeatures)), [[0.25, 0.1 * (1 / 10), -1], [0.5, 0.1, -0.5], [1, 1, 1]]);
});

t.test('defaults; sparse stays sparse; an all-zero feature is unchanged', async (t) => {
  const s = new MaxAbsScaler();
  t.equal(s.getOutputCol(), `${s.uid}__output`);
  const df = spark.createDataFrame([{ f: Vectors.sparse(3, [0], [-4]) }, { f: Vectors.dense([2, 0, 1]) }]);
  const m = await new MaxAbsScaler({ inputCol: 'f', outputCol: 'o' }).fit(df);
  t.same(arr(m.maxAbs), [4, 0, 1]);
  const out = (await m.transform(df).collect()).map((r) => r.o);
  t.ok(out[0] instanceof SparseVector);
  t.equal(String(out[0]), '(3,[0],[-1.0])');
  t.ok(out[1] instanceof DenseVector);
  t.same(arr(out[1]), [0.5, 0, 1]);
});

t.test("the model keeps maxAbs in Spark's compressed form, also through save/load", async (t) => {
  const df = spark.createDataFrame([{ f: Vectors.dense([0, 0, 0, 4]) }, { f: Vectors.dense([0, 0, 0, -8]) }]);
  const m = await new MaxAbsScaler({ inputCol: 'f', outputCol: 'o' }).fit(df);
  t.ok(m.maxAbs instanceof SparseVector);
  t.equal(String(m.maxAbs), '(4,[3],[8.0])');
  const dir = t.testdir();
  await m.save(join(dir, 'm'));
  const back = await MaxAbsScalerModel.load(join(dir, 'm'));
  t.equal(String(back.maxAbs), '(4,[3],[8.0])');
  t.same((await back.transform(df).collect()).map((r) => arr(r.o)), [[0, 0, 0, 0.5], [0, 0, 0, -1]]);
});

t.test('persistence: Spark layout, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame([{ f: Vectors.dense([1, -2]) }, { f: Vectors.dense([3, 6]) }]);
  const m = await new MaxAbsScaler({ inputCol: 'f', outputCol: 's' }).fit(df);
  await m.save(join(dir, 'm'));
  t.equal(JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8')).class, 'org.apache.spark.ml.feature.MaxAbsScalerModel');
  const back = await MaxAbsScalerModel.load(join(dir, 'm'));
  t.same(arr(back.maxAbs), [3, 6]);
  t.same(await back.transform(df).select('s').collect(), await m.transform(df).select('s').collect());
  const pm = await new Pipeline({ stages: [new MaxAbsScaler({ inputCol: 'f', outputCol: 's' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  t.same((await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect()).map((r) => arr(r.s)), [[1 / 3, -1 / 3], [1, 1]]);
});

t.test('bad input and empty DataFrame', async (t) => {
  const df = spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([3]) }]);
  await t.rejects(new MaxAbsScaler({ inputCol: 'f' }).fit(df), /MaxAbsScaler.fit: row 1 of the input vector column has size 1, but earlier rows have size 2/);
  await t.rejects(new MaxAbsScaler({ inputCol: 'f' }).fit(df.limit(0)), /MaxAbsScaler.fit: the DataFrame has no rows to fit on/);
  t.throws(() => new MaxAbsScaler({ inputCol: 'f', outputCol: 'f' }).transformSchema(df.schema), /MaxAbsScaler: Output column f already exists/);
  await t.rejects(new MaxAbsScaler({ inputCol: 'x' }).fit(spark.createDataFrame([{ x: 'a' }])), /must be a vector column, but is string/);
});

t.test('local and local[2] agree, 3 partitions', async (t) => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ f: Vectors.dense([i - 20, i % 7, 0]) }));
  const [a, b] = await onBothMasters(spark, async (s) => {
    const df = s.createDataFrame(rows).repartition(3);
    const m = await new MaxAbsScaler({ inputCol: 'f', outputCol: 'o' }).fit(df);
    return { maxAbs: arr(m.maxAbs), out: (await m.transform(df).collect()).map((r) => arr(r.o)) };
  });
  t.same(a.maxAbs, [20, 6, 0]);
  t.same(b, a);
});
