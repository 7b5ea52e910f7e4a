// RareLabelEncoder (kindling's own): tolerance as a fraction of non-null rows (by hand),
// minCategories, replacement, handleInvalid, bad params, empty DataFrame, persistence (kindling's
// namespace, Pipeline), local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { RareLabelEncoder, RareLabelEncoderModel, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('rare-label').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());
// a 5/8 = 0.625, b 2/8 = 0.25, c 1/8 = 0.125 (the null row is not counted)
const rows = ['a', 'b', 'a', 'c', 'a', 'b', 'a', 'a', null].map((s) => ({ s }));

t.test('defaults; tolerance (b at exactly 0.25 is kept), minCategories, replacement', async (t) => {
  const e = new RareLabelEncoder();
  t.same([e.getTolerance(), e.getReplacement(), e.getMinCategories(), e.getHandleInvalid()], [0.05, 'Rare', 10, 'error']);
  const df = spark.createDataFrame(rows);
  const m = await new RareLabelEncoder({ inputCol: 's', outputCol: 'r', tolerance: 0.25, minCategories: 2, handleInvalid: 'keep' }).fit(df);
  t.same(m.categoriesArray, [['a', 'b', 'c']]);
  t.same(m.frequentArray, [['a', 'b']]);
  const out = m.transform(df);
  t.equal(out.schema.fields.find((f) => f.name === 'r')!.type.toString(), 'Utf8');
  t.same((await out.collect()).map((r) => r.r), ['a', 'b', 'a', 'Rare', 'a', 'b', 'a', 'a', 'Rare']);
  const strict = await new RareLabelEncoder({ inputCol: 's', outputCol: 'r', tolerance: 0.3, minCategories: 2, replacement: 'other' }).fit(df);
  t.same(strict.frequentArray, [['a']]);
  const few = await new RareLabelEncoder({ inputCol: 's', outputCol: 'r', tolerance: 0.3, minCategories: 3 }).fit(df);
  t.same(few.frequentArray, [['a', 'b', 'c']], 'at most minCategories categories: all kept');
  t.same((await strict.copy().setHandleInvalid('skip').transform(df).collect()).map((r) => r.r), ['a', 'other', 'a', 'other', 'a', 'other', 'a', 'a']);
});

t.test('handleInvalid: unseen and null; bad params; empty DataFrame', async (t) => {
  const m = await new RareLabelEncoder({ inputCol: 's', outputCol: 'r', tolerance: 0.25, minCategories: 0 }).fit(spark.createDataFrame(rows));
  const test = spark.createDataFrame([{ s: 'c' }, { s: 'new' }]).repartition(1);
  await t.rejects(m.transform(test).collect(), /RareLabelEncoder\.transform: row 1 of column s holds the unseen label "new"/);
  t.same((await m.copy().setHandleInvalid('keep').transform(test).collect()).map((r) => r.r), ['Rare', 'Rare']);
  t.throws(() => new RareLabelEncoder({ tolerance: 1.5 }), /tolerance/);
  t.throws(() => new RareLabelEncoder({ minCategories: -1 }), /minCategories/);
  const empty = spark.createDataFrame([], new arrow.Schema([new arrow.Field('s', new arrow.Utf8(), true)]));
  const e = await new RareLabelEncoder({ inputCol: 's', outputCol: 'r' }).fit(empty);
  t.same(e.frequentArray, [[]]);
  t.same(await e.transform(empty).collect(), []);
});

t.test('persistence in kindling namespace, Pipeline; local vs local[2]', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(rows);
  const m = await new RareLabelEncoder({ inputCol: 's', outputCol: 'r', tolerance: 0.25, minCategories: 2, replacement: 'X', handleInvalid: 'keep' }).fit(df);
  await m.save(join(dir, 'm'));
  t.equal(JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8')).class, 'org.kindling.ml.feature.RareLabelEncoderModel');
  const back = await RareLabelEncoderModel.load(join(dir, 'm'));
  t.same([back.categoriesArray, back.frequentArray, back.getReplacement(), back.getTolerance()], [m.categoriesArray, m.frequentArray, 'X', 0.25]);
  const stage = () => new RareLabelEncoder({ inputCol: 's', outputCol: 'r', tolerance: 0.25, minCategories: 2, handleInvalid: 'keep' });
  const pm = await new Pipeline({ stages: [stage()] }).fit(df);
  await pm.save(join(dir, 'p'));
  const two = (await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect()).map((r) => r.r);
  await spark.stop();
  spark = await Session.builder().appName('rare-label-1').master('local').getOrCreate();
  const df1 = spark.createDataFrame(rows);
  t.same((await (await stage().fit(df1)).transform(df1).collect()).map((r) => r.r), two);
});
