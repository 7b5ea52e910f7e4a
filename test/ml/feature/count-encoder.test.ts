// CountEncoder (kindling's own): counts and frequencies by hand, numeric input cast to string,
// handleInvalid, multi-column, bad input, empty DataFrame, persistence (kindling's class
// namespace, in a Pipeline), local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { CountEncoder, CountEncoderModel, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('count-encoder').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());
// a ×3, b ×1, c ×1 and a null: 5 non-null rows
const rows = ['a', 'b', 'a', 'c', 'a', null].map((s, i) => ({ s, n: i % 2 === 0 ? 1.5 : 2.0 }));

t.test('counts, frequencies (normalize), numbers read as strings, defaults', async (t) => {
  const df = spark.createDataFrame(rows);
  const e = new CountEncoder({ inputCols: ['s', 'n'], outputCols: ['sc', 'nc'], handleInvalid: 'keep' });
  t.equal(new CountEncoder().getNormalize(), false);
  t.equal(new CountEncoder().getHandleInvalid(), 'error');
  const m = await e.fit(df);
  t.same(m.categoriesArray, [['a', 'b', 'c'], ['1.5', '2.0']]);
  t.same(m.countsArray, [[3, 1, 1], [3, 3]]);
  t.same((await m.transform(df).collect()).map((r) => [r.sc, r.nc]), [[3, 3], [1, 3], [3, 3], [1, 3], [3, 3], [0, 3]]);
  const f = await new CountEncoder({ inputCol: 's', outputCol: 'f', normalize: true, handleInvalid: 'skip' }).fit(df);
  t.same((await f.transform(df).collect()).map((r) => r.f), [3 / 5, 1 / 5, 3 / 5, 1 / 5, 3 / 5]);
});

t.test('handleInvalid: error names the value, column and row; skip drops; keep gives 0', async (t) => {
  const m = await new CountEncoder({ inputCol: 's', outputCol: 'c' }).fit(spark.createDataFrame(rows));
  const test = spark.createDataFrame([{ s: 'a' }, { s: 'zz' }]).repartition(1);
  await t.rejects(m.transform(test).collect(), /CountEncoder\.transform: row 1 of column s holds the unseen label "zz"/);
  await t.rejects(m.transform(spark.createDataFrame([{ s: null }, { s: 'a' }], new arrow.Schema([new arrow.Field('s', new arrow.Utf8(), true)])).repartition(1)).collect(), /row 0 of column s is null/);
  t.same((await m.copy().setHandleInvalid('skip').transform(test).collect()).map((r) => r.c), [3]);
  t.same((await m.copy().setHandleInvalid('keep').transform(test).collect()).map((r) => r.c), [3, 0]);
});

t.test('bad input and empty DataFrame', async (t) => {
  const df = spark.createDataFrame([{ s: 'a', v: [1] }]);
  await t.rejects(new CountEncoder({ inputCol: 'v', outputCol: 'c' }).fit(df), /input column v must be of string, numeric or boolean type/);
  await t.rejects(new CountEncoder({ inputCol: 's', outputCol: 's' }).fit(df), /Output column s already exists/);
  await t.rejects(new CountEncoder({ inputCol: 's', inputCols: ['s'] }).fit(df), /requires exactly one of inputCol, inputCols/);
  t.throws(() => new CountEncoder({ normalize: 1 as never }), /expected a boolean for normalize/);
  const empty = spark.createDataFrame([], new arrow.Schema([new arrow.Field('s', new arrow.Utf8(), true)]));
  const m = await new CountEncoder({ inputCol: 's', outputCol: 'c' }).fit(empty);
  t.same(m.categoriesArray, [[]]);
  t.same(await m.transform(empty).collect(), []);
});

t.test('persistence in kindling namespace, Pipeline; local vs local[2]', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(rows);
  const m = await new CountEncoder({ inputCol: 's', outputCol: 'c', normalize: true, handleInvalid: 'keep' }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.kindling.ml.feature.CountEncoderModel');
  const back = await CountEncoderModel.load(join(dir, 'm'));
  t.same([back.categoriesArray, back.countsArray, back.getNormalize()], [m.categoriesArray, m.countsArray, true]);
  const pm = await new Pipeline({ stages: [new CountEncoder({ inputCol: 's', outputCol: 'c', handleInvalid: 'keep' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  const two = (await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect()).map((r) => r.c);
  await spark.stop();
  spark = await Session.builder().appName('count-encoder-1').master('local').getOrCreate();
  const df1 = spark.createDataFrame(rows);
  t.same((await (await new CountEncoder({ inputCol: 's', outputCol: 'c', handleInvalid: 'keep' }).fit(df1)).transform(df1).collect()).map((r) => r.c), two);
});
