// MeanNormalizer (kindling's mean normalisation): (x - mean) / (max - min), a constant feature
// -> 0, dense output, kindling's own class names in Spark's layout, local vs local[2], bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeanNormalizer, MeanNormalizerModel, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { onBothMasters } from './scaling-helpers.js';

const spark = await Session.builder().appName('meannorm').master('local').getOrCreate();
t.teardown(() => spark.stop());
const arr = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());

t.test('hand computation: mean [2, 5, 1], range [2, 0, 3]; sparse input gives dense output', async (t) => {
  const df = spark.createDataFrame([{ f: Vectors.dense([1, 5, 0]) }, { f: Vectors.sparse(3, [0, 1], [3, 5]) }, { f: Vectors.dense([2, 5, 3]) }]);
  const m = await new MeanNormalizer({ inputCol: 'f', outputCol: 'o' }).fit(df);
  t.same(arr(m.mean), [2, 5, 1]);
  t.same(arr(m.originalMin), [1, 5, 0]);
  t.same(arr(m.originalMax), [3, 5, 3]);
  const out = (await m.transform(df).collect()).map((r) => r.o);
  t.ok(out.every((v) => v instanceof DenseVector));
  t.same(out.map(arr), [[-0.5, 0, -1 / 3], [0.5, 0, (0 - 1) * (1 / 3)], [0, 0, 2 / 3]]);
  const s = new MeanNormalizer();
  t.equal(s.getOutputCol(), `${s.uid}__output`);
});

t.test("persistence in kindling's namespace, alone and in a Pipeline", async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame([{ f: Vectors.dense([1, 2]) }, { f: Vectors.dense([3, 6]) }]);
  const m = await new MeanNormalizer({ inputCol: 'f', outputCol: 's' }).fit(df);
  await m.save(join(dir, 'm'));
  t.equal(JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8')).class, 'org.kindling.ml.feature.MeanNormalizerModel');
  const back = await MeanNormalizerModel.load(join(dir, 'm'));
  t.same(arr(back.mean), [2, 4]);
  t.same(await back.transform(df).select('s').collect(), await m.transform(df).select('s').collect());
  const pm = await new Pipeline({ stages: [new MeanNormalizer({ inputCol: 'f', outputCol: 's' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  t.same((await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect()).map((r) => arr(r.s)), [[-0.5, -0.5], [0.5, 0.5]]);
});

t.test('bad input and empty DataFrame', async (t) => {
  const nulls = spark.createDataFrame([{ f: Vectors.dense([1]) }, { f: null }], 'f vector');
  await t.rejects(new MeanNormalizer({ inputCol: 'f' }).fit(nulls), /MeanNormalizer.fit: row 1 of the input vector column is null/);
  await t.rejects(new MeanNormalizer({ inputCol: 'f' }).fit(nulls.limit(0)), /the DataFrame has no rows to fit on/);
});

t.test('local and local[2] agree, 3 partitions', async (t) => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ f: Vectors.dense([i, (i * 7) % 11]) }));
  const [a, b] = await onBothMasters(spark, async (s) => {
    const df = s.createDataFrame(rows).repartition(3);
    const m = await new MeanNormalizer({ inputCol: 'f', outputCol: 'o' }).fit(df);
    return { mean: arr(m.mean), out: (await m.transform(df).collect()).map((r) => arr(r.o)) };
  });
  t.ok(Math.abs(a.mean[0]! - 14.5) < 1e-12);
  t.ok(a.mean.every((v, j) => Math.abs(v - b.mean[j]!) < 1e-12));
  t.ok(a.out.every((r, i) => r.every((v, j) => Math.abs(v - b.out[i]![j]!) < 1e-12)));
});
