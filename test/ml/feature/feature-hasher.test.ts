// FeatureHasher: every FeatureHasher entry of shared/fixtures/spark-test-vectors/hashing.json
// (PySpark's doctest with and without categoricalCols; the stale scaladoc table, which is the
// Spark 2 legacy string hash), collisions summed, nulls skipped, numFeatures, int vs double
// rendering, the output AttributeGroup, bad input, persistence, local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { FeatureHasher, Pipeline, PipelineModel, SparseVector } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { murmur3BatchJs, murmur3String, nonNegativeMod, packStrings } from '../../../ts/src/kernels/hash.js';

const vectorsFile = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-test-vectors', 'hashing.json');
type Entry = { source: string; input: Record<string, unknown> | Array<Record<string, unknown>>; numFeatures: number; expected: { indices: number[]; values: number[] } | Array<{ indices: number[]; values: number[] }> };
const entries = (JSON.parse(readFileSync(vectorsFile, 'utf8')).documented as Entry[]).filter((e) => e.source.includes('FeatureHasher'));

let spark = await Session.builder().appName('feature-hasher').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

const sv = (v: unknown) => {
  const s = v as SparseVector;
  return { size: s.size, indices: Array.from(s.indices), values: Array.from(s.values) };
};
const cols = ['real', 'bool', 'stringNum', 'string'];
// the doctest's frame: real is a double column (2.0), as in PySpark
const schema = new arrow.Schema([new arrow.Field('real', new arrow.Float64(), true), new arrow.Field('bool', new arrow.Bool(), true), new arrow.Field('stringNum', new arrow.Utf8(), true), new arrow.Field('string', new arrow.Utf8(), true)]);

t.test('hashing.json: the PySpark doctest entries (with and without categoricalCols)', async (t) => {
  const docs = entries.filter((e) => !e.source.includes('STALE'));
  t.equal(docs.length, 2);
  for (const e of docs) {
    const df = spark.createDataFrame([e.input as Record<string, unknown>], schema);
    const h = new FeatureHasher({ inputCols: cols, outputCol: 'features', numFeatures: e.numFeatures });
    if (e.source.includes('setCategoricalCols')) h.setCategoricalCols(['real']);
    const out = sv((await h.transform(df).first())!.features);
    const want = e.expected as { indices: number[]; values: number[] };
    t.same(out, { size: e.numFeatures, indices: want.indices, values: want.values }, e.source);
  }
});

t.test('hashing.json: the stale scaladoc table is the legacy Spark 2 hash; current Spark (and kindling) differ', async (t) => {
  const stale = entries.find((e) => e.source.includes('STALE'))!;
  const rows = stale.input as Array<Record<string, unknown>>;
  const df = spark.createDataFrame(rows, schema);
  const got = (await new FeatureHasher({ inputCols: cols, outputCol: 'f' }).transform(df).collect()).map((r) => sv(r.f));
  const n = stale.numFeatures;
  rows.forEach((row, i) => {
    const want = (stale.expected as Array<{ indices: number[]; values: number[] }>)[i]!;
    // the scaladoc's numbers: the string terms through the legacy hash (numeric `real` has a 4-byte name: same in both)
    const terms = [`bool=${row.bool}`, `stringNum=${row.stringNum}`, `string=${row.string}`];
    const legacy = Array.from(murmur3BatchJs(packStrings(terms), 42, true), (h) => nonNegativeMod(h, n));
    const legacyEntries = new Map<number, number>([[nonNegativeMod(murmur3String('real'), n), Number(row.real)], ...legacy.map((j): [number, number] => [j, 1])]);
    t.same([...legacyEntries.keys()].sort((a, b) => a - b), want.indices, `row ${i}: the scaladoc indices are the legacy hash`);
    // kindling: the current hash (hashUnsafeBytes2 = standard murmur3), computed here by the JS twin
    const current = new Map<number, number>([[nonNegativeMod(murmur3String('real'), n), Number(row.real)], ...terms.map((s): [number, number] => [nonNegativeMod(murmur3String(s), n), 1])]);
    const idx = [...current.keys()].sort((a, b) => a - b);
    t.same(got[i], { size: n, indices: idx, values: idx.map((j) => current.get(j)!) }, `row ${i}: kindling uses the current hash`);
    t.not(JSON.stringify(got[i]!.indices), JSON.stringify(want.indices));
  });
  t.same(got[0]!.indices, [174475, 247670, 257907, 262126], 'row 0 is the doctest row');
});

t.test("the ML guide's FeatureHasher example (Extracting, transforming and selecting features)", async (t) => {
  const rows = [[2.2, true, '1', 'foo'], [3.3, false, '2', 'bar'], [4.4, false, '3', 'baz'], [5.5, false, '4', 'foo']].map(([real, bool, stringNum, string]) => ({ real, bool, stringNum, string }));
  const out = (await new FeatureHasher({ inputCols: cols, outputCol: 'features' }).transform(spark.createDataFrame(rows, schema)).collect()).map((r) => sv(r.features));
  t.same(out, [
    { size: 262144, indices: [174475, 247670, 257907, 262126], values: [2.2, 1, 1, 1] },
    { size: 262144, indices: [70644, 89673, 173866, 174475], values: [1, 1, 1, 3.3] },
    { size: 262144, indices: [22406, 70644, 174475, 187923], values: [1, 1, 4.4, 1] },
    { size: 262144, indices: [70644, 101499, 174475, 257907], values: [1, 1, 5.5, 1] },
  ]);
});

t.test('defaults, numFeatures, collisions summed, nulls skipped, int rendering, metadata', async (t) => {
  const h = new FeatureHasher();
  t.equal(h.getNumFeatures(), 262144);
  t.equal(h.getCategoricalCols(), undefined);
  t.equal(h.getOutputCol(), `${h.uid}__output`);
  const df = spark.createDataFrame([{ a: 1.5, b: 2, s: 'x' }, { a: null, b: null, s: null }, { a: 0, b: 3, s: 'y' }], new arrow.Schema([new arrow.Field('a', new arrow.Float64(), true), new arrow.Field('b', new arrow.Int32(), true), new arrow.Field('s', new arrow.Utf8(), true)]));
  // numFeatures 1: every entry collides at index 0 and is summed
  const one = (await new FeatureHasher({ inputCols: ['a', 'b', 's'], outputCol: 'f', numFeatures: 1 }).transform(df).collect()).map((r) => sv(r.f));
  t.same(one, [{ size: 1, indices: [0], values: [1.5 + 2 + 1] }, { size: 1, indices: [], values: [] }, { size: 1, indices: [0], values: [0 + 3 + 1] }]);
  // an int column listed as categorical renders as "2" (Java's Integer.toString), a double as "1.5"
  const n = 1000;
  const cat = (await new FeatureHasher({ inputCols: ['a', 'b'], outputCol: 'f', numFeatures: n, categoricalCols: ['b', 'zzz'] }).transform(df).first())!;
  const idx = [nonNegativeMod(murmur3String('a'), n), nonNegativeMod(murmur3String('b=2'), n)];
  const m = new Map([[idx[0]!, 1.5], [idx[1]!, 1]]);
  const keys = [...m.keys()].sort((x, y) => x - y);
  t.same(sv(cat.f), { size: n, indices: keys, values: keys.map((k) => m.get(k)) });
  const out = new FeatureHasher({ inputCols: ['a'], outputCol: 'f', numFeatures: 16 }).transform(df);
  t.same(JSON.parse(out.schema.fields.find((f) => f.name === 'f')!.metadata.get('ml_attr')!), { num_attrs: 16 });
});

t.test('bad input', async (t) => {
  const df = spark.createDataFrame([{ v: [1, 2], s: 'a' }]);
  t.throws(() => new FeatureHasher({ inputCols: ['v'], outputCol: 'f' }).transform(df), /FeatureHasher requires columns to be of NumericType, BooleanType or StringType\. Column v was array/);
  t.throws(() => new FeatureHasher({ inputCols: ['s'], outputCol: 's' }).transform(df), /Output column s already exists/);
  t.throws(() => new FeatureHasher({ inputCols: ['nope'], outputCol: 'f' }).transform(df), /nope/);
  t.throws(() => new FeatureHasher({ numFeatures: 0 }), /an integer > 0 for numFeatures/);
  t.throws(() => new FeatureHasher({ numFeatures: 1.5 }), /numFeatures/);
  const empty = spark.createDataFrame([], new arrow.Schema([new arrow.Field('s', new arrow.Utf8(), true)]));
  t.same(await new FeatureHasher({ inputCols: ['s'], outputCol: 'f' }).transform(empty).collect(), []);
});

t.test('persistence (metadata only, in a Pipeline) and local vs local[2]', async (t) => {
  const dir = t.testdir();
  const h = new FeatureHasher({ inputCols: cols, outputCol: 'features', categoricalCols: ['real'], numFeatures: 1024 });
  await h.save(join(dir, 'h'));
  const meta = JSON.parse(readFileSync(join(dir, 'h', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.FeatureHasher');
  t.same(meta.paramMap, { inputCols: cols, outputCol: 'features', categoricalCols: ['real'], numFeatures: 1024 });
  const back = await FeatureHasher.load(join(dir, 'h'));
  t.same(back.getCategoricalCols(), ['real']);
  const rows = Array.from({ length: 30 }, (_, i) => ({ real: i / 2, bool: i % 2 === 0, stringNum: String(i % 4), string: `s${i % 5}` }));
  const pm = await new Pipeline({ stages: [h] }).fit(spark.createDataFrame(rows, schema));
  await pm.save(join(dir, 'p'));
  const pb = await PipelineModel.load(join(dir, 'p'));
  const two = (await pb.transform(spark.createDataFrame(rows, schema)).collect()).map((r) => sv(r.features));
  await spark.stop();
  spark = await Session.builder().appName('feature-hasher-1').master('local').getOrCreate();
  const one = (await h.transform(spark.createDataFrame(rows, schema)).collect()).map((r) => sv(r.features));
  t.same(one, two);
});
