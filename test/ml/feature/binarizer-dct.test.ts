// Binarizer and DCT: Spark's documented examples (PySpark doctests, the ML guide), vectors by
// hand (Spark's compressed form, negative thresholds), single vs multi-column params, the
// BinaryAttribute on a number output, the orthonormal DCT-II against its definition and its
// inverse, persistence, local vs local[2], and bad input.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../../ts/src/index.js';
import { Binarizer, BinaryAttribute, DCT, DenseVector, Pipeline, PipelineModel, SparseVector, Vectors, attributeOf, type Vector } from '../../../ts/ml/index.js';

const spark = await Session.builder().appName('binarizer-dct').master('local').getOrCreate();
t.teardown(() => spark.stop());
const tmp = mkdtempSync(join(tmpdir(), 'kindling-bin-'));
const arr = (v: unknown) => Array.from((v as Vector).toArray());

t.test("Binarizer: PySpark's doctests and the ML guide", async (t) => {
  const df = spark.createDataFrame([{ values: 0.5 }]);
  const b = new Binarizer({ threshold: 1.0, inputCol: 'values', outputCol: 'features' });
  t.same(await b.transform(df).collect(), [{ values: 0.5, features: 0 }]);
  b.setThreshold(-0.5);
  t.same((await b.transform(df).collect())[0]!.features, 1);
  const two = spark.createDataFrame([{ values1: 0.5, values2: 0.3 }]);
  const multi = new Binarizer({ thresholds: [-0.5, 1.0], inputCols: ['values1', 'values2'], outputCols: ['output1', 'output2'] });
  t.same(await multi.transform(two).collect(), [{ values1: 0.5, values2: 0.3, output1: 1, output2: 0 }]);
  const guide = spark.createDataFrame([{ id: 0, feature: 0.1 }, { id: 1, feature: 0.8 }, { id: 2, feature: 0.2 }]);
  const out = new Binarizer({ inputCol: 'feature', outputCol: 'binarized_feature', threshold: 0.5 }).transform(guide);
  t.same((await out.collect()).map((r) => r.binarized_feature), [0, 1, 0]);
  const attr = attributeOf(out.schema.fields.find((f) => f.name === 'binarized_feature')!);
  t.ok(attr instanceof BinaryAttribute);
  t.equal(attr.name, 'binarized_feature');
});

t.test('Binarizer: threshold applies to every column without thresholds; nulls stay null, NaN is 0', async (t) => {
  const df = spark.createDataFrame([{ a: 2, b: -1.5 }, { a: null, b: Number.NaN }]);
  const rows = await new Binarizer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], threshold: 0 }).transform(df).collect();
  t.same(rows.map((r) => [r.x, r.y]), [[1, 0], [null, 0]]);
});

t.test("Binarizer: vectors in Spark's compressed form; a negative threshold densifies", async (t) => {
  const df = spark.createDataFrame([
    { v: Vectors.dense([0.1, 0.9, 0, 0, 0.7]) },
    { v: Vectors.sparse(5, [1, 3], [2.0, -1.0]) },
    { v: Vectors.dense([1, 1, 1, 1, 1]) },
  ]);
  const pos = (await new Binarizer({ inputCol: 'v', outputCol: 'o', threshold: 0.5 }).transform(df).collect()).map((r) => r.o as Vector);
  t.ok(pos[0] instanceof SparseVector, 'two of five set: 1.5 * (2 + 1) = 4.5 < 5, so sparse');
  t.same(arr(pos[0]), [0, 1, 0, 0, 1]);
  t.ok(pos[1] instanceof SparseVector, 'one of 5 set: sparse');
  t.same(Array.from((pos[1] as SparseVector).indices), [1]);
  t.same(arr(pos[2]), [1, 1, 1, 1, 1]);
  const neg = (await new Binarizer({ inputCol: 'v', outputCol: 'o', threshold: -0.5 }).transform(df).collect()).map((r) => arr(r.o));
  t.same(neg, [[1, 1, 1, 1, 1], [1, 1, 1, 0, 1], [1, 1, 1, 1, 1]], 'unstored entries (0) are above a negative threshold');
});

t.test('Binarizer: params, persistence and bad input', async (t) => {
  const df = spark.createDataFrame([{ a: 1.5, s: 'x' }]);
  t.throws(() => new Binarizer({ inputCol: 'a', outputCol: 'o', thresholds: [1] }).transform(df), /Binarizer: expected not set for a single-column transform \(use threshold\) for thresholds/);
  t.throws(() => new Binarizer({ inputCols: ['a'], outputCols: ['o'], thresholds: [1], threshold: 2 }).transform(df), /only one of them set for a multi-column transform/);
  t.throws(() => new Binarizer({ inputCols: ['a'], outputCols: ['o', 'p'] }).transform(df), /as many columns as inputCols \(1\)/);
  t.throws(() => new Binarizer({ inputCol: 's', outputCol: 'o' }).transform(df), /Binarizer: column s must be numeric or a vector, but is string/);
  t.throws(() => new Binarizer({ inputCol: 'a', outputCol: 'a' }).transform(df), /Output column a already exists/);
  await t.rejects(new Binarizer({ inputCol: 'v', outputCol: 'o' }).transform(spark.createDataFrame([{ v: Vectors.dense([1]) }, { v: null }])).collect(), /row 1 of column v is null/);
  t.throws(() => new Binarizer({ threshold: Number.NaN }), /expected a number for threshold/);
  const b = new Binarizer({ inputCols: ['a'], outputCols: ['o'], thresholds: [1.0] });
  const dir = join(tmp, 'binarizer');
  await b.save(dir);
  const back = await Binarizer.load(dir);
  t.same(back.getThresholds(), [1]);
  t.same(await back.transform(df).select('o').collect(), [{ o: 1 }]);
});

/** The orthonormal DCT-II by its definition. */
function dct2(x: number[]): number[] {
  const n = x.length;
  return x.map((_, k) => (k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n)) * x.reduce((s, xj, j) => s + xj * Math.cos((Math.PI * (2 * j + 1) * k) / (2 * n)), 0));
}

t.test("DCT: the ML guide's example, the definition, the inverse round trip", async (t) => {
  const df = spark.createDataFrame([{ features: Vectors.dense([0.0, 1.0, -2.0, 3.0]) }, { features: Vectors.dense([-1.0, 2.0, 4.0, -7.0]) }, { features: Vectors.dense([14.0, -2.0, -5.0, 1.0]) }]);
  const dct = new DCT({ inverse: false, inputCol: 'features', outputCol: 'featuresDCT' });
  const rows = (await dct.transform(df).collect()).map((r) => arr(r.featuresDCT));
  const spark35 = [[1.0, -1.1480502970952693, 2.0000000000000004, -2.7716385975338604], [-1.0, 3.378492794482933, -7.000000000000001, 2.9301512653149677], [4.0, 9.304453421915744, 11.000000000000002, 1.5579302036357163]];
  rows.forEach((r, i) => r.forEach((v, k) => t.ok(Math.abs(v - spark35[i]![k]!) < 1e-12, `row ${i} [${k}] ${v} ~ Spark's ${spark35[i]![k]}`)));
  const inputs = [[0, 1, -2, 3], [-1, 2, 4, -7], [14, -2, -5, 1]];
  rows.forEach((r, i) => r.forEach((v, k) => t.ok(Math.abs(v - dct2(inputs[i]!)[k]!) < 1e-12, `row ${i} [${k}] = the definition`)));
  const inv = new DCT({ inverse: true, inputCol: 'featuresDCT', outputCol: 'back' });
  const back = (await inv.transform(dct.transform(df)).collect()).map((r) => arr(r.back));
  inputs.forEach((x, i) => x.forEach((v, k) => t.ok(Math.abs(back[i]![k]! - v) < 1e-12, `inverse row ${i}`)));
  t.equal(dct.transform(df).schema.fields.at(-1)!.type.toString(), 'FixedSizeList[4]<Float64>', 'a dense input of known size gives a dense column');
  const sparse = (await dct.transform(spark.createDataFrame([{ features: Vectors.sparse(4, [1], [1.0]) }])).collect())[0]!.featuresDCT;
  t.ok(sparse instanceof DenseVector, 'always dense, as Spark');
  arr(sparse).forEach((v, k) => t.ok(Math.abs(v - dct2([0, 1, 0, 0])[k]!) < 1e-12));
});

t.test('DCT: persistence, in a Pipeline, bad input', async (t) => {
  const df = spark.createDataFrame([{ f: Vectors.dense([1, 2, 3]) }, { f: Vectors.dense([3, 2, 1]) }]);
  const model = await new Pipeline({ stages: [new DCT({ inputCol: 'f', outputCol: 'g', inverse: true })] }).fit(df);
  const dir = join(tmp, 'dct');
  await model.save(dir);
  const loaded = await PipelineModel.load(dir);
  t.same(await loaded.transform(df).collect(), await model.transform(df).collect());
  const got = (await new DCT({ inputCol: 'f', outputCol: 'g' }).transform(df).collect()).map((r) => arr(r.g));
  [[1, 2, 3], [3, 2, 1]].forEach((x, i) => dct2(x).forEach((v, k) => t.ok(Math.abs(got[i]![k]! - v) < 1e-12)));
  t.throws(() => new DCT({ inputCol: 'x', outputCol: 'g' }).transform(spark.createDataFrame([{ x: 'a' }])), /DCT: column x \(inputCol\) must be a vector column, but is string/);
  await t.rejects(new DCT({ inputCol: 'f', outputCol: 'g' }).transform(spark.createDataFrame([{ f: Vectors.dense([1]) }, { f: null }])).collect(), /row 1 of column f is null/);
  t.throws(() => new DCT({ inverse: 'yes' as never }), /expected a boolean for inverse/);
});
