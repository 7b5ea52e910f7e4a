// OrdinalEncoder (kindling's own): a given order per column, a learned alphabetical one,
// NominalAttribute (ordinal) metadata, handleInvalid, bad params, empty DataFrame, persistence
// (kindling's class namespace, in a Pipeline), local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { OrdinalEncoder, OrdinalEncoderModel, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('ordinal-encoder').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());
const rows = [['low', 'x'], ['high', 'y'], ['mid', 'x'], ['low', 'z']].map(([size, c]) => ({ size, c }));

t.test('given order for one column, learned (alphabetical) for the other; ordinal metadata', async (t) => {
  const df = spark.createDataFrame(rows);
  const m = await new OrdinalEncoder({ inputCols: ['size', 'c'], outputCols: ['si', 'ci'], categoryOrders: [['low', 'mid', 'high'], []] }).fit(df);
  t.same(m.categoriesArray, [['low', 'mid', 'high'], ['x', 'y', 'z']]);
  const out = m.transform(df);
  t.same((await out.collect()).map((r) => [r.si, r.ci]), [[0, 0], [2, 1], [1, 0], [0, 2]]);
  t.same(JSON.parse(out.schema.fields.find((f) => f.name === 'si')!.metadata.get('ml_attr')!), { type: 'nominal', name: 'si', ord: true, vals: ['low', 'mid', 'high'] });
  const learned = await new OrdinalEncoder({ inputCol: 'size', outputCol: 'o' }).fit(df);
  t.same(learned.categoriesArray, [['high', 'low', 'mid']]);
  t.equal(new OrdinalEncoder().getHandleInvalid(), 'error');
});

t.test('handleInvalid on a category outside the order and null', async (t) => {
  const m = await new OrdinalEncoder({ inputCol: 'size', outputCol: 'o', categoryOrders: [['low', 'high']] }).fit(spark.createDataFrame(rows));
  const df = spark.createDataFrame(rows).repartition(1);
  await t.rejects(m.transform(df).collect(), /OrdinalEncoder\.transform: row 2 of column size holds the unseen label "mid" \(a category outside the order/);
  t.same((await m.copy().setHandleInvalid('skip').transform(df).collect()).map((r) => r.o), [0, 1, 0]);
  t.same((await m.copy().setHandleInvalid('keep').transform(df).collect()).map((r) => r.o), [0, 1, 2, 0]);
  const withNull = spark.createDataFrame([{ size: null }], new arrow.Schema([new arrow.Field('size', new arrow.Utf8(), true)]));
  await t.rejects(m.transform(withNull).collect(), /row 0 of column size is null/);
});

t.test('bad params, empty DataFrame', async (t) => {
  const df = spark.createDataFrame(rows);
  await t.rejects(new OrdinalEncoder({ inputCol: 'size', outputCol: 'o', categoryOrders: [['a'], ['b']] }).fit(df), /categoryOrders has 2 lists but there are 1 input columns/);
  await t.rejects(new OrdinalEncoder({ inputCol: 'size', outputCol: 'o', categoryOrders: [['a', 'a']] }).fit(df), /categoryOrders\[0\] \(column size\) lists a category twice/);
  t.throws(() => new OrdinalEncoder({ categoryOrders: ['a'] as never }), /an array of string arrays for categoryOrders/);
  t.throws(() => new OrdinalEncoderModel({ categoriesArray: [['a'], ['b']], inputCol: 'size', outputCol: 'o' }).transform(df), /the model has categories for 2 columns but 1 input columns are set/);
  const empty = spark.createDataFrame([], new arrow.Schema([new arrow.Field('s', new arrow.Utf8(), true)]));
  const m = await new OrdinalEncoder({ inputCol: 's', outputCol: 'o' }).fit(empty);
  t.same(m.categoriesArray, [[]]);
  t.same(await m.transform(empty).collect(), []);
});

t.test('persistence in kindling namespace, Pipeline; local vs local[2]', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(rows);
  const e = new OrdinalEncoder({ inputCol: 'size', outputCol: 'o', categoryOrders: [['low', 'mid', 'high']] });
  await e.save(join(dir, 'e'));
  t.same((await OrdinalEncoder.load(join(dir, 'e'))).getCategoryOrders(), [['low', 'mid', 'high']]);
  const m = await e.fit(df);
  await m.save(join(dir, 'm'));
  t.equal(JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8')).class, 'org.kindling.ml.feature.OrdinalEncoderModel');
  t.same((await OrdinalEncoderModel.load(join(dir, 'm'))).categoriesArray, [['low', 'mid', 'high']]);
  const pm = await new Pipeline({ stages: [new OrdinalEncoder({ inputCol: 'c', outputCol: 'o' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  const two = (await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect()).map((r) => r.o);
  t.same(two, [0, 1, 0, 2]);
  await spark.stop();
  spark = await Session.builder().appName('ordinal-encoder-1').master('local').getOrCreate();
  const df1 = spark.createDataFrame(rows);
  t.same((await (await new OrdinalEncoder({ inputCol: 'c', outputCol: 'o' }).fit(df1)).transform(df1).collect()).map((r) => r.o), two);
});
