// QuantileDiscretizer: Spark's doctest and ML guide example, distinct splits with -Inf / Inf
// ends, numBucketsArray for several columns, handleInvalid passed to the Bucketizer, params,
// persistence (alone and in a Pipeline), bad input, empty DataFrame, local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bucketizer, QuantileDiscretizer, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { distinctSplits } from '../../../ts/ml/feature/scaling/quantile-discretizer.js';
import { onBothMasters } from './scaling-helpers.js';

const spark = await Session.builder().appName('qd').master('local').getOrCreate();
t.teardown(() => spark.stop());
const doc = () => spark.createDataFrame([0.1, 0.4, 1.2, 1.5, NaN, NaN].map((values) => ({ values })));

t.test("Spark's doctest", async (t) => {
  const q = new QuantileDiscretizer({ inputCol: 'values', outputCol: 'buckets' });
  t.equal(q.getNumBuckets(), 2);
  t.equal(q.getRelativeError(), 0.001);
  t.equal(q.getHandleInvalid(), 'error');
  q.setNumBuckets(2).setRelativeError(0.01).setHandleInvalid('error');
  const b = await q.fit(doc());
  t.ok(b instanceof Bucketizer);
  t.equal(b.uid, q.uid);
  t.same(b.getSplits(), [-Infinity, 0.4, Infinity]);
  t.equal(await (await q.setHandleInvalid('keep').fit(doc())).transform(doc()).count(), 6);
  t.equal(await (await q.setHandleInvalid('skip').fit(doc())).transform(doc()).count(), 4);
  t.equal((await b.transform(doc().limit(1)).collect())[0]!.buckets, 0);
  await t.rejects(b.transform(doc()).collect(), /encountered NaN value in column values/);
});

t.test("Spark's doctest: several columns", async (t) => {
  const inputs = [[0.1, 0.0], [0.4, 1.0], [1.2, 1.3], [1.5, 1.5], [NaN, NaN], [NaN, NaN]].map(([a, b]) => ({ input1: a, input2: b }));
  const df2 = spark.createDataFrame(inputs);
  const q = new QuantileDiscretizer({ relativeError: 0.01, handleInvalid: 'error', numBuckets: 2, inputCols: ['input1', 'input2'], outputCols: ['output1', 'output2'] });
  t.equal(q.getRelativeError(), 0.01);
  const keep = await (await q.setHandleInvalid('keep').fit(df2)).transform(df2).collect();
  t.same(keep.map((r) => [r.output1, r.output2]), [[0, 0], [1, 1], [1, 1], [1, 1], [2, 2], [2, 2]]);
  t.equal(await (await q.setHandleInvalid('skip').fit(df2)).transform(df2).count(), 4);
});

t.test('ML guide example: 3 buckets', async (t) => {
  const df = spark.createDataFrame([18.0, 19.0, 8.0, 5.0, 2.2].map((hour, id) => ({ id, hour })));
  const b = await new QuantileDiscretizer({ numBuckets: 3, inputCol: 'hour', outputCol: 'result' }).fit(df);
  t.same(b.getSplits(), [-Infinity, 5, 18, Infinity]);
  t.same((await b.transform(df).collect()).map((r) => r.result), [2, 2, 1, 1, 0]);
});

t.test('distinct splits; several columns with numBucketsArray', async (t) => {
  t.same(distinctSplits([1, -0, 0, 0, 4]), [-Infinity, 0, Infinity]);
  const df = spark.createDataFrame(Array.from({ length: 10 }, (_, i) => ({ a: i, b: i % 2 })));
  const q = new QuantileDiscretizer({ inputCols: ['a', 'b'], outputCols: ['qa', 'qb'], numBucketsArray: [4, 3], relativeError: 0 });
  const bk = await q.fit(df);
  // a: ranks ceil(10 q) for q = 1/4, 1/2, 3/4 -> 3, 5, 8 -> values 2, 4, 7; b: 0 and 1 repeat -> [-Inf, 0, 1, Inf] minus repeats
  t.same(bk.getSplitsArray(), [[-Infinity, 2, 4, 7, Infinity], [-Infinity, 0, 1, Infinity]]);
  const rows = await bk.transform(df).collect();
  t.same(rows.map((r) => r.qa), [0, 0, 1, 1, 2, 2, 2, 3, 3, 3]);
  t.same(rows.map((r) => r.qb), [1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
  const same = await new QuantileDiscretizer({ inputCols: ['a'], outputCols: ['qa'], numBuckets: 2, relativeError: 0 }).fit(df);
  t.same(same.getSplitsArray(), [[-Infinity, 4, Infinity]]);
});

t.test('bad input and empty DataFrame', async (t) => {
  t.throws(() => new QuantileDiscretizer({ numBuckets: 1 }), /expected integer >= 2 for numBuckets, got 1/);
  t.throws(() => new QuantileDiscretizer({ numBucketsArray: [2, 1] }), /expected an array of integers >= 2 for numBucketsArray/);
  await t.rejects(new QuantileDiscretizer({ inputCol: 'values', outputCol: 'b' }).fit(doc().limit(0)), /QuantileDiscretizer.fit: column values has no values to take quantiles of/);
  const one = spark.createDataFrame([{ v: 3 }, { v: 3 }]);
  t.same((await new QuantileDiscretizer({ inputCol: 'v', outputCol: 'b' }).fit(one)).getSplits(), [-Infinity, 3, Infinity], 'one value: the middle quantile stays');
  await t.rejects(new QuantileDiscretizer({ inputCol: 's', outputCol: 'b' }).fit(spark.createDataFrame([{ s: 'x' }])), /column s must be numeric, but is string/);
  await t.rejects(new QuantileDiscretizer({ inputCols: ['a'], outputCols: ['x'], numBucketsArray: [2, 3] }).fit(spark.createDataFrame([{ a: 1 }])), /one number of buckets per input column \(1\)/);
});

t.test('persistence: the estimator (metadata) and the fitted Bucketizer, in a Pipeline', async (t) => {
  const dir = t.testdir();
  const q = new QuantileDiscretizer({ inputCol: 'values', outputCol: 'b', numBuckets: 3, handleInvalid: 'keep' });
  await q.save(join(dir, 'q'));
  const meta = JSON.parse(readFileSync(join(dir, 'q', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.QuantileDiscretizer');
  t.same(meta.paramMap, { inputCol: 'values', outputCol: 'b', numBuckets: 3, handleInvalid: 'keep' });
  t.equal((await QuantileDiscretizer.load(join(dir, 'q'))).getNumBuckets(), 3);
  const pm = await new Pipeline({ stages: [q] }).fit(doc());
  await pm.save(join(dir, 'p'));
  const back = await PipelineModel.load(join(dir, 'p'));
  t.same((await back.transform(doc()).collect()).map((r) => r.b), (await pm.transform(doc()).collect()).map((r) => r.b));
  t.same((await pm.transform(doc()).collect()).map((r) => r.b), [0, 1, 2, 2, 3, 3]);
});

t.test('local and local[2] agree', async (t) => {
  const rows = Array.from({ length: 300 }, (_, i) => ({ x: (i * 37) % 101 }));
  const [a, b] = await onBothMasters(spark, async (s) => (await new QuantileDiscretizer({ inputCol: 'x', outputCol: 'b', numBuckets: 4 }).fit(s.createDataFrame(rows).repartition(3))).getSplits());
  t.same(b, a);
  t.equal(a.length, 5);
});
