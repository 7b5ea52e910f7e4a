// WeightOfEvidenceEncoder (kindling's own): WoE_i = ln(((pos_i + a)/(P + a·k)) / ((neg_i + a)/(N + a·k)))
// checked by hand, smoothing, the infinite case with a = 0, labels (boolean, bad values named by
// row), handleInvalid, empty DataFrame, persistence (kindling's namespace, Pipeline), local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { WeightOfEvidenceEncoder, WeightOfEvidenceEncoderModel, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('woe-encoder').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());
// a: pos 2 neg 1; b: pos 0 neg 2; c: pos 1 neg 0; d: pos 0 neg 1 → P = 3, N = 4, k = 4
const rows = [['a', 1], ['a', 1], ['a', 0], ['b', 0], ['b', 0], ['c', 1], ['d', 0], [null, 1]].map(([x, label]) => ({ x, label }));
const close = (t: { ok(v: unknown, m: string): unknown }, got: number[], want: number[]) => got.forEach((g, i) => t.ok(Math.abs(g - want[i]!) < 1e-12, `${g} ≈ ${want[i]}`));

t.test('hand computation: default smoothing 0.5 and smoothing 1', async (t) => {
  const df = spark.createDataFrame(rows);
  const e = new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w', handleInvalid: 'keep' });
  t.equal(e.getSmoothing(), 0.5);
  t.equal(e.getLabelCol(), 'label');
  const m = await e.fit(df);
  t.same(m.categoriesArray, [['a', 'b', 'c', 'd']]);
  // a = 0.5: P + a·k = 5, N + a·k = 6
  close(t, m.woeArray[0]!, [Math.log((2.5 / 5) / (1.5 / 6)), Math.log((0.5 / 5) / (2.5 / 6)), Math.log((1.5 / 5) / (0.5 / 6)), Math.log((0.5 / 5) / (1.5 / 6))]);
  close(t, m.woeArray[0]!, [Math.log(2), Math.log(0.24), Math.log(3.6), Math.log(0.4)]);
  const out = (await m.transform(df).collect()).map((r) => r.w as number);
  close(t, out, [Math.log(2), Math.log(2), Math.log(2), Math.log(0.24), Math.log(0.24), Math.log(3.6), Math.log(0.4), 0]);
  const m1 = await new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w', smoothing: 1 }).fit(df);
  // a = 1: P + k = 7, N + k = 8
  close(t, m1.woeArray[0]!, [Math.log((3 / 7) / (2 / 8)), Math.log((1 / 7) / (3 / 8)), Math.log((2 / 7) / (1 / 8)), Math.log((1 / 7) / (2 / 8))]);
});

t.test('smoothing 0: finite where both classes occur, an error naming the category otherwise', async (t) => {
  const ok = spark.createDataFrame([['a', 1], ['a', 0], ['b', 1], ['b', 0], ['b', 0]].map(([x, label]) => ({ x, label })));
  const m = await new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w', smoothing: 0 }).fit(ok);
  close(t, m.woeArray[0]!, [Math.log((1 / 2) / (1 / 3)), Math.log((1 / 2) / (2 / 3))]);
  await t.rejects(new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w', smoothing: 0 }).fit(spark.createDataFrame(rows)), /WeightOfEvidenceEncoder\.fit: category "b" of column x has 0 positive and 2 negative rows, so its weight of evidence is infinite with smoothing 0; set smoothing > 0/);
  t.throws(() => new WeightOfEvidenceEncoder({ smoothing: -1 }), /a number >= 0 for smoothing/);
});

t.test('labels: boolean accepted; null or non-binary labels named by row', async (t) => {
  const b = spark.createDataFrame([{ x: 'a', y: true }, { x: 'a', y: false }, { x: 'b', y: true }]);
  const m = await new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w', labelCol: 'y' }).fit(b);
  // a: pos 1 neg 1, b: pos 1 neg 0; P = 2, N = 1, k = 2, a = 0.5 → P + ak = 3, N + ak = 2
  close(t, m.woeArray[0]!, [Math.log((1.5 / 3) / (1.5 / 2)), Math.log((1.5 / 3) / (0.5 / 2))]);
  await t.rejects(new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w' }).fit(spark.createDataFrame([{ x: 'a', label: 1 }, { x: 'b', label: 2 }])), /WeightOfEvidenceEncoder\.fit: row 1 of column label holds 2; WeightOfEvidenceEncoder needs a binary label/);
  await t.rejects(new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w' }).fit(spark.createDataFrame([{ x: 'a', label: 1 }, { x: 'b', label: null }])), /row 1 of column label is null/);
  await t.rejects(new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w' }).fit(spark.createDataFrame([{ x: 'a', label: 'yes' }])), /label column label must be numeric or boolean \(0\/1\), but is string/);
});

t.test('handleInvalid, empty DataFrame', async (t) => {
  const m = await new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w' }).fit(spark.createDataFrame(rows));
  const test = spark.createDataFrame([{ x: 'a' }, { x: 'q' }]).repartition(1);
  await t.rejects(m.transform(test).collect(), /WeightOfEvidenceEncoder\.transform: row 1 of column x holds the unseen label "q"/);
  t.equal((await m.copy().setHandleInvalid('skip').transform(test).collect()).length, 1);
  t.same((await m.copy().setHandleInvalid('keep').transform(test).collect()).map((r) => r.w), [m.woeArray[0]![0], 0]);
  const empty = spark.createDataFrame([], new arrow.Schema([new arrow.Field('x', new arrow.Utf8(), true), new arrow.Field('label', new arrow.Float64(), true)]));
  const e = await new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w' }).fit(empty);
  t.same(e.categoriesArray, [[]]);
  t.same(await e.transform(empty).collect(), []);
});

t.test('persistence in kindling namespace, Pipeline; local vs local[2]', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(rows);
  const m = await new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w', smoothing: 1, handleInvalid: 'keep' }).fit(df);
  await m.save(join(dir, 'm'));
  t.equal(JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8')).class, 'org.kindling.ml.feature.WeightOfEvidenceEncoderModel');
  const back = await WeightOfEvidenceEncoderModel.load(join(dir, 'm'));
  t.same([back.categoriesArray, back.woeArray, back.getSmoothing()], [m.categoriesArray, m.woeArray, 1]);
  const pm = await new Pipeline({ stages: [new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w', handleInvalid: 'keep' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  const two = (await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect()).map((r) => r.w);
  await spark.stop();
  spark = await Session.builder().appName('woe-encoder-1').master('local').getOrCreate();
  const df1 = spark.createDataFrame(rows);
  t.same((await (await new WeightOfEvidenceEncoder({ inputCol: 'x', outputCol: 'w', handleInvalid: 'keep' }).fit(df1)).transform(df1).collect()).map((r) => r.w), two);
});
