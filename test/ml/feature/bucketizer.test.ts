// Bucketizer: Spark's doctest (keep / skip / error, single and multiple columns), ±Infinity
// splits, the last split inclusive, out-of-range values, null inputs, params, persistence
// (alone and in a Pipeline), bad input, empty DataFrame, local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bucketizer, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { onBothMasters } from './scaling-helpers.js';

const spark = await Session.builder().appName('bucketizer').master('local').getOrCreate();
t.teardown(() => spark.stop());
const values: Array<[number, number]> = [[0.1, 0.0], [0.4, 1.0], [1.2, 1.3], [1.5, NaN], [NaN, 1.0], [NaN, 0.0]];
const doc = () => spark.createDataFrame(values.map(([a, b]) => ({ values1: a, values2: b })));
const splits = [-Infinity, 0.5, 1.4, Infinity];

t.test("Spark's doctest: one column", async (t) => {
  const b = new Bucketizer().setSplits(splits).setInputCol('values1').setOutputCol('buckets');
  t.equal(b.getHandleInvalid(), 'error');
  const keep = await b.setHandleInvalid('keep').transform(doc().select('values1')).collect();
  t.same(keep.map((r) => r.buckets), [0, 0, 1, 2, 3, 3]);
  t.equal(await b.setHandleInvalid('skip').transform(doc()).count(), 4, 'skip drops the rows whose values1 is NaN');
  await t.rejects(b.setHandleInvalid('error').transform(doc()).collect(), /Bucketizer.transform: Bucketizer encountered NaN value in column values1 at row 4\. To handle or skip NaNs, try setting Bucketizer.handleInvalid/);
});

t.test("Spark's doctest: several columns", async (t) => {
  const b = new Bucketizer({ splitsArray: [splits, splits], inputCols: ['values1', 'values2'], outputCols: ['buckets1', 'buckets2'] });
  const keep = await b.setHandleInvalid('keep').transform(doc()).collect();
  t.same(keep.map((r) => [r.buckets1, r.buckets2]), [[0, 0], [0, 1], [1, 1], [2, 3], [3, 1], [3, 0]]);
  const skip = await b.setHandleInvalid('skip').transform(doc()).collect();
  t.same(skip.map((r) => [r.buckets1, r.buckets2]), [[0, 0], [0, 1], [1, 1]]);
});

t.test('bounds: the last split is inclusive, values outside are errors, nulls stay null', async (t) => {
  const df = spark.createDataFrame([{ x: 0 }, { x: 1 }, { x: 2 }, { x: null }], 'x double');
  const b = new Bucketizer({ splits: [0, 1, 2], inputCol: 'x', outputCol: 'b' });
  t.same((await b.transform(df).collect()).map((r) => r.b), [0, 1, 1, null]);
  await t.rejects(b.transform(spark.createDataFrame([{ x: 0.5 }, { x: 2.5 }])).collect(), /Feature value 2\.5 out of Bucketizer bounds \[0, 2\] in column x at row 1/);
  await t.rejects(b.transform(spark.createDataFrame([{ x: -1 }])).collect(), /Feature value -1 out of Bucketizer bounds/);
  const ints = spark.createDataFrame([{ x: 1 }, { x: 5 }], 'x int');
  t.same((await new Bucketizer({ splits: [-Infinity, 2, Infinity], inputCol: 'x', outputCol: 'b' }).transform(ints).collect()).map((r) => r.b), [0, 1]);
});

t.test('param checks', async (t) => {
  t.throws(() => new Bucketizer({ splits: [0, 1] }), /expected an array of at least 3 strictly increasing numbers \(no NaN\) for splits/);
  t.throws(() => new Bucketizer({ splits: [0, 2, 1] }), /strictly increasing/);
  t.throws(() => new Bucketizer({ splits: [0, NaN, 1] }), /no NaN/);
  t.throws(() => new Bucketizer({ handleInvalid: 'drop' as never }), /one of skip, error, keep/);
  t.throws(() => new Bucketizer({ inputCol: 'values1', inputCols: ['values2'], splits }).transformSchema(doc().schema), /inputCol/);
  t.throws(() => new Bucketizer({ inputCol: 'values1' }).transformSchema(doc().schema), /splits/);
  t.throws(() => new Bucketizer({ inputCols: ['values1'], outputCols: ['a', 'b'], splitsArray: [splits] }).transformSchema(doc().schema), /as many columns as inputCols/);
  t.throws(() => new Bucketizer({ inputCol: 'values1', outputCol: 'values2', splits }).transformSchema(doc().schema), /Output column values2 already exists/);
  t.throws(() => new Bucketizer({ inputCol: 's', splits }).transformSchema(spark.createDataFrame([{ s: 'a' }]).schema), /column s must be numeric, but is string/);
  t.same(await new Bucketizer({ inputCol: 'values1', outputCol: 'b', splits }).transform(doc().limit(0)).collect(), []);
});

t.test('persistence: metadata only (splits with -Inf / Inf), alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const b = new Bucketizer({ inputCol: 'values1', outputCol: 'b', splits, handleInvalid: 'keep' });
  await b.save(join(dir, 'b'));
  const text = readFileSync(join(dir, 'b', 'metadata', 'part-00000'), 'utf8');
  t.equal(JSON.parse(text).class, 'org.apache.spark.ml.feature.Bucketizer');
  t.match(text, /"splits":\["-Inf",0\.5,1\.4,"Inf"\]/);
  const back = await Bucketizer.load(join(dir, 'b'));
  t.same(back.getSplits(), splits);
  const pm = await new Pipeline({ stages: [b] }).fit(doc());
  await pm.save(join(dir, 'p'));
  t.same((await (await PipelineModel.load(join(dir, 'p'))).transform(doc()).collect()).map((r) => r.b), [0, 0, 1, 2, 3, 3]);
});

t.test('ML guide examples: one column and two columns', async (t) => {
  const data = [-999.9, -0.5, -0.3, 0.0, 0.2, 999.9].map((features) => ({ features }));
  const b = new Bucketizer({ inputCol: 'features', outputCol: 'bucketedFeatures', splits: [-Infinity, -0.5, 0.0, 0.5, Infinity] });
  t.same((await b.transform(spark.createDataFrame(data)).collect()).map((r) => r.bucketedFeatures), [0, 1, 1, 2, 2, 3]);
  const two = [[-999.9, -999.9], [-0.5, -0.2], [-0.3, -0.1], [0.0, 0.0], [0.2, 0.4], [999.9, 999.9]].map(([a, c]) => ({ features1: a, features2: c }));
  const bb = new Bucketizer({
    splitsArray: [[-Infinity, -0.5, 0.0, 0.5, Infinity], [-Infinity, -0.3, 0.0, 0.3, Infinity]],
    inputCols: ['features1', 'features2'],
    outputCols: ['bucketedFeatures1', 'bucketedFeatures2'],
  });
  const rows = await bb.transform(spark.createDataFrame(two)).collect();
  t.same(rows.map((r) => r.bucketedFeatures1), [0, 1, 1, 2, 2, 3]);
  t.same(rows.map((r) => r.bucketedFeatures2), [0, 1, 1, 2, 3, 3]);
});

t.test('local and local[2] agree', async (t) => {
  const rows = Array.from({ length: 50 }, (_, i) => ({ x: (i * 7) % 13 }));
  const [a, b] = await onBothMasters(spark, async (s) =>
    (await new Bucketizer({ inputCol: 'x', outputCol: 'b', splits: [0, 3, 6, 12] }).transform(s.createDataFrame(rows).repartition(3)).collect()).map((r) => r.b),
  );
  t.same(b, a);
  t.equal(a.length, 50);
});
