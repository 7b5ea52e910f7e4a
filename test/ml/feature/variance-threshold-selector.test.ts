// VarianceThresholdSelector: Spark's doctest (threshold 8.2 -> [0, 3, 5]), the default
// threshold (drops constant features), sparse stays sparse, local vs local[2], persistence
// (alone and in a Pipeline), bad input, empty DataFrame.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VarianceThresholdSelector, VarianceThresholdSelectorModel, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { onBothMasters } from './scaling-helpers.js';

const spark = await Session.builder().appName('vts').master('local').getOrCreate();
t.teardown(() => spark.stop());
const arr = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());
const docRows = [
  [6.0, 7.0, 0.0, 7.0, 6.0, 0.0],
  [0.0, 9.0, 6.0, 0.0, 5.0, 9.0],
  [0.0, 9.0, 3.0, 0.0, 5.0, 5.0],
  [0.0, 9.0, 8.0, 5.0, 6.0, 4.0],
  [8.0, 9.0, 6.0, 5.0, 4.0, 4.0],
  [8.0, 9.0, 6.0, 0.0, 0.0, 0.0],
].map((r) => ({ features: Vectors.dense(r) }));

t.test("Spark's doctest", async (t) => {
  const df = spark.createDataFrame(docRows);
  const s = new VarianceThresholdSelector({ varianceThreshold: 8.2, outputCol: 'selectedFeatures' });
  const m = await s.fit(df);
  t.equal(m.getFeaturesCol(), 'features');
  t.same(m.selectedFeatures, [0, 3, 5]);
  const first = (await m.transform(df).collect())[0]!.selectedFeatures;
  t.ok(first instanceof DenseVector);
  t.same(arr(first), [6.0, 7.0, 0.0]);
});

t.test('ML guide example: threshold 8.0 keeps feature 2 (sample variance 8.1667)', async (t) => {
  const df = spark.createDataFrame(docRows.map((r, i) => ({ id: i + 1, ...r })));
  const m = await new VarianceThresholdSelector({ varianceThreshold: 8.0, outputCol: 'selectedFeatures' }).fit(df);
  t.same(m.selectedFeatures, [0, 2, 3, 5]);
  t.same((await m.transform(df).collect()).map((r) => arr(r.selectedFeatures)), [
    [6.0, 0.0, 7.0, 0.0],
    [0.0, 6.0, 0.0, 9.0],
    [0.0, 3.0, 0.0, 5.0],
    [0.0, 8.0, 5.0, 4.0],
    [8.0, 6.0, 5.0, 4.0],
    [8.0, 6.0, 0.0, 0.0],
  ]);
});

t.test('default threshold 0 drops constant features; sparse stays sparse', async (t) => {
  const s = new VarianceThresholdSelector();
  t.equal(s.getVarianceThreshold(), 0);
  t.equal(s.getOutputCol(), `${s.uid}__output`);
  const df = spark.createDataFrame([{ features: Vectors.sparse(3, [0, 2], [1, 5]) }, { features: Vectors.dense([2, 0, 5]) }]);
  const m = await new VarianceThresholdSelector({ outputCol: 'o' }).fit(df);
  t.same(m.selectedFeatures, [0]);
  const out = (await m.transform(df).collect()).map((r) => r.o);
  t.equal(String(out[0]), '(1,[0],[1.0])');
  t.same(arr(out[1]), [2]);
  // sample variance of [1, 2] is 0.5: kept at threshold 0.49, dropped at 0.5
  t.same((await new VarianceThresholdSelector({ varianceThreshold: 0.49 }).fit(df)).selectedFeatures, [0]);
  t.same((await new VarianceThresholdSelector({ varianceThreshold: 0.5 }).fit(df)).selectedFeatures, []);
});

t.test('persistence: Spark layout, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(docRows);
  const m = await new VarianceThresholdSelector({ varianceThreshold: 8.2, outputCol: 's' }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.VarianceThresholdSelectorModel');
  t.equal(meta.paramMap.varianceThreshold, 8.2);
  const back = await VarianceThresholdSelectorModel.load(join(dir, 'm'));
  t.same(back.selectedFeatures, [0, 3, 5]);
  t.same(await back.transform(df).select('s').collect(), await m.transform(df).select('s').collect());
  const pm = await new Pipeline({ stages: [new VarianceThresholdSelector({ varianceThreshold: 8.2, outputCol: 's' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  t.same(arr((await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect())[5]!.s), [8, 0, 0]);
});

t.test('bad input and empty DataFrame', async (t) => {
  const df = spark.createDataFrame(docRows);
  await t.rejects(new VarianceThresholdSelector().fit(df.limit(0)), /VarianceThresholdSelector.fit: the DataFrame has no rows to fit on/);
  t.throws(() => new VarianceThresholdSelector({ varianceThreshold: -1 }), /expected a number >= 0 for varianceThreshold, got -1/);
  const m = await new VarianceThresholdSelector({ outputCol: 'o' }).fit(df);
  await t.rejects(m.transform(spark.createDataFrame([{ features: Vectors.dense([1, 2]) }])).collect(), /VarianceThresholdSelector\.transform: expected 6 \(the fitted size\) for vector size, got 2/);
  await t.rejects(new VarianceThresholdSelector({ featuresCol: 'nope' }).fit(df), /cannot resolve column "nope"/);
});

t.test('local and local[2] agree, 3 partitions', async (t) => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ features: Vectors.dense([i, 1, i % 2, (i * 13) % 7]) }));
  const [a, b] = await onBothMasters(spark, async (s) => (await new VarianceThresholdSelector({ varianceThreshold: 0.3 }).fit(s.createDataFrame(rows).repartition(3))).selectedFeatures);
  t.same(a, [0, 3]);
  t.same(b, a);
});
