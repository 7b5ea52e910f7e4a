// HashingTF: the PySpark doctest, every entry of ../shared/fixtures/spark-test-vectors/hashing.json
// (Spark 3 and Spark 2 legacy string hashes, through transform and indexOf), counts and binary,
// null tokens, errors, persistence (alone, in a Pipeline, the Spark 2.4.4 HashingTF that must hash
// the legacy way), local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashingTF, Tokenizer, Pipeline, PipelineModel, SparseVector, loadStage } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('hashingtf').master('local').getOrCreate();
t.teardown(() => spark.stop());
const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures');
const vectors = JSON.parse(readFileSync(join(SHARED, 'spark-test-vectors', 'hashing.json'), 'utf8')) as {
  documented: Array<{ source: string; input: { words?: string[] }; numFeatures: number; binary?: boolean; expected: { indices: number[]; values: number[] } }>;
  derived: { strings: Array<Record<string, number | string>> };
};
const sparse = (v: unknown) => {
  t.ok(v instanceof SparseVector);
  const s = v as SparseVector;
  return { size: s.size, indices: Array.from(s.indices), values: Array.from(s.values) };
};

t.test("PySpark's HashingTF doctests (hashing.json 'documented')", async (t) => {
  const docs = vectors.documented.filter((d) => d.source.includes('HashingTF'));
  t.equal(docs.length, 2);
  for (const d of docs) {
    const df = spark.createDataFrame([{ words: d.input.words! }]);
    const h = new HashingTF({ inputCol: 'words', outputCol: 'features', numFeatures: d.numFeatures, binary: d.binary ?? false });
    const row = (await h.transform(df).collect())[0]!;
    t.same(sparse(row.features), { size: d.numFeatures, indices: d.expected.indices, values: d.expected.values }, d.source);
  }
  const h = new HashingTF({ numFeatures: 10, inputCol: 'words', outputCol: 'features' });
  t.equal(h.indexOf('a'), 7);
  t.equal(h.indexOf('b'), 5);
  t.equal(h.indexOf('c'), 8);
});

t.test("every derived string of hashing.json: Spark 3 and Spark 2 indices at 262144, 1000 and 10", async (t) => {
  const strs = vectors.derived.strings;
  t.ok(strs.length >= 20);
  const df = spark.createDataFrame(strs.map((s) => ({ w: [s.term as string] })));
  for (const [nf, key] of [[262144, 'spark3_index_262144'], [1000, 'spark3_index_1000'], [10, 'spark3_index_10']] as const) {
    const rows = await new HashingTF({ inputCol: 'w', outputCol: 'f', numFeatures: nf }).transform(df).collect();
    t.same(rows.map((r) => sparse(r.f).indices[0]), strs.map((s) => s[key]), `transform, numFeatures ${nf}`);
    const h = new HashingTF({ numFeatures: nf });
    t.same(strs.map((s) => h.indexOf(s.term as string)), strs.map((s) => s[key]), `indexOf, numFeatures ${nf}`);
  }
  for (const [nf, key] of [[262144, 'spark2_legacy_index_262144'], [10, 'spark2_legacy_index_10']] as const) {
    const h = new HashingTF({ inputCol: 'w', outputCol: 'f', numFeatures: nf });
    h.legacyHash = true;
    const rows = await h.transform(df).collect();
    t.same(rows.map((r) => sparse(r.f).indices[0]), strs.map((s) => s[key]), `legacy transform, numFeatures ${nf}`);
    t.same(strs.map((s) => h.indexOf(s.term as string)), strs.map((s) => s[key]), `legacy indexOf, numFeatures ${nf}`);
  }
});

t.test('defaults, counts, binary, null tokens, empty lists', async (t) => {
  const h = new HashingTF();
  t.equal(h.getNumFeatures(), 262144);
  t.equal(h.getBinary(), false);
  t.equal(new HashingTF(undefined, 'HashingTF_000000000001').getOutputCol(), 'HashingTF_000000000001__output');
  const df = spark.createDataFrame([{ w: ['a', 'b', 'a', 'c', 'a'] }, { w: [] }, { w: ['b', null] }], 'w array<string>');
  const counts = (await new HashingTF({ inputCol: 'w', outputCol: 'f', numFeatures: 10 }).transform(df).collect()).map((r) => sparse(r.f));
  // a -> 7, b -> 5, c -> 8; a null token hashes to the seed 42 -> 42 % 10 = 2 (Spark's murmur3Hash(null))
  t.same(counts, [
    { size: 10, indices: [5, 7, 8], values: [1, 3, 1] },
    { size: 10, indices: [], values: [] },
    { size: 10, indices: [2, 5], values: [1, 1] },
  ]);
  const bin = (await new HashingTF({ inputCol: 'w', outputCol: 'f', numFeatures: 10, binary: true }).transform(df).collect()).map((r) => sparse(r.f));
  t.same(bin[0]!.values, [1, 1, 1]);
  const one = (await new HashingTF({ inputCol: 'w', outputCol: 'f', numFeatures: 1 }).transform(df).collect()).map((r) => sparse(r.f));
  t.same(one[0], { size: 1, indices: [0], values: [5] }, 'numFeatures 1: every term in index 0');
});

t.test('errors: params, input type, existing output, null list, indexOf', async (t) => {
  t.throws(() => new HashingTF({ numFeatures: 0 }), /HashingTF: expected integer in \[1, 2147483647\] for numFeatures, got 0/);
  t.throws(() => new HashingTF({ numFeatures: 2 ** 31 }), /for numFeatures, got 2147483648/);
  t.throws(() => new HashingTF({ binary: 1 as never }), /expected a boolean for binary/);
  const df = spark.createDataFrame([{ s: 'a b', w: ['a'] }]);
  t.throws(() => new HashingTF({ inputCol: 's', outputCol: 'f' }).transform(df), /HashingTF: column s \(inputCol\) must be an array \(of strings, numbers or booleans\), but is string/);
  t.throws(() => new HashingTF({ inputCol: 'w', outputCol: 's' }).transform(df), /HashingTF: Output column s already exists\./);
  const nulls = spark.createDataFrame([{ w: ['a'] }, { w: null }], 'w array<string>');
  await t.rejects(new HashingTF({ inputCol: 'w', outputCol: 'f' }).transform(nulls).collect(), /HashingTF\.transform: row 1 of column w is null/);
  t.throws(() => new HashingTF().indexOf({} as never), /HashingTF\.indexOf: expected a string, number, bigint, boolean or null for term, got Object/);
  t.equal(new HashingTF({ numFeatures: 10 }).indexOf(null), 2);
});

t.test("non-string terms hash as Spark's murmur3Hash (hashing.json typedValues)", async (t) => {
  const typed = (vectors as unknown as { derived: { typedValues: Array<{ javaType: string; value: unknown; index_10: number }> } }).derived.typedValues;
  const idx = (javaType: string, value: unknown) => typed.find((v) => v.javaType === javaType && v.value === value)!.index_10;
  const h = new HashingTF({ inputCol: 'w', outputCol: 'f', numFeatures: 10 });
  const first = async (df: ReturnType<typeof spark.createDataFrame>) => sparse((await h.transform(df).collect())[0]!.f);
  // int: 1 -> 3, -1 -> 3, 0 -> 1
  t.same(await first(spark.createDataFrame([{ w: [1, -1, 0] }], 'w array<int>')), { size: 10, indices: [idx('Int', 0), idx('Int', 1)], values: [1, 2] });
  // JS integers infer array<bigint> (a Long, as PySpark's ints): 1 -> 9
  t.same(await first(spark.createDataFrame([{ w: [1] }])), { size: 10, indices: [idx('Long', '1')], values: [1] });
  // double: 1.0 -> 8, 2.0 -> 3
  t.same(await first(spark.createDataFrame([{ w: [1, 2] }], 'w array<double>')), { size: 10, indices: [idx('Double', 2), idx('Double', 1)].sort((a, b) => a - b), values: [1, 1] });
  // boolean: true -> 3, false -> 1; null -> 42 % 10 = 2
  t.same(await first(spark.createDataFrame([{ w: [true, false, null] }], 'w array<boolean>')), { size: 10, indices: [1, 2, 3], values: [1, 1, 1] });
  // indexOf: a 32-bit integer is an Int, a bigint a Long, booleans and null as in a column
  t.same([h.indexOf(1), h.indexOf(-1), h.indexOf(1n), h.indexOf(true), h.indexOf(false), h.indexOf(null)], [idx('Int', 1), idx('Int', -1), idx('Long', '1'), idx('Boolean', true), idx('Boolean', false), 2]);
  t.throws(() => h.transform(spark.createDataFrame([{ w: [[1]] }], 'w array<array<int>>')), /must be an array \(of strings, numbers or booleans\), but is array<array<int>>/);
});

t.test('empty DataFrame', async (t) => {
  const out = new HashingTF({ inputCol: 'w', outputCol: 'f' }).transform(spark.createDataFrame([{ w: ['a'] }]).limit(0));
  t.same(out.columns, ['w', 'f']);
  t.same(await out.collect(), []);
});

t.test('persistence: Spark layout, in a Pipeline, and the Spark 2.4.4 HashingTF hashes as Spark 2', async (t) => {
  const dir = t.testdir();
  const h = new HashingTF({ inputCol: 'w', outputCol: 'f', numFeatures: 64, binary: true });
  await h.save(join(dir, 'h'));
  const meta = JSON.parse(readFileSync(join(dir, 'h', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.HashingTF');
  t.same(meta.paramMap, { inputCol: 'w', outputCol: 'f', numFeatures: 64, binary: true });
  t.equal(meta.defaultParamMap.numFeatures, 262144);
  const back = await HashingTF.load(join(dir, 'h'));
  t.equal(back.getNumFeatures(), 64);
  t.equal(back.legacyHash, false);
  const sentences = spark.createDataFrame([{ s: 'a b a' }, { s: 'c' }]);
  const pm = await new Pipeline({ stages: [new Tokenizer({ inputCol: 's', outputCol: 'w' }), h] }).fit(sentences);
  await pm.save(join(dir, 'pm'));
  const got = (await (await PipelineModel.load(join(dir, 'pm'))).transform(sentences).collect()).map((r) => sparse(r.f));
  t.same(got, (await pm.transform(sentences).collect()).map((r) => sparse(r.f)));
  const spk = (await loadStage(join(SHARED, 'spark-models', 'apache-spark-ml-models-metadata-only', 'hashingTF-2.4.4'), { api: 'test', session: null })) as HashingTF;
  t.ok(spk instanceof HashingTF);
  t.equal(spk.legacyHash, true, 'sparkVersion 2.4.4: the legacy hash');
  t.equal(spk.getNumFeatures(), 100);
  t.equal(spk.getBinary(), true);
  const strs = vectors.derived.strings;
  const legacyA = Number(strs.find((s) => s.term === 'a')!.spark2_legacy_murmur3_seed42);
  const legacyB = Number(strs.find((s) => s.term === 'b')!.spark2_legacy_murmur3_seed42);
  const mod = (x: number) => ((x % 100) + 100) % 100;
  const row = (await spk.transform(spark.createDataFrame([{ words: ['a', 'b', 'a'] }])).collect())[0]!;
  t.same(sparse(row.features), { size: 100, indices: [mod(legacyA), mod(legacyB)].sort((x, y) => x - y), values: [1, 1] });
  t.equal(spk.copy().legacyHash, true, 'copy keeps the hash version');
});

t.test('local and local[2]: the same vectors', async (t) => {
  const docs = Array.from({ length: 60 }, (_, i) => ({ w: Array.from({ length: i % 9 }, (_, k) => `t${(k * i) % 13}`) }));
  const stage = new HashingTF({ inputCol: 'w', outputCol: 'f', numFeatures: 32 });
  const local = (await stage.transform(spark.createDataFrame(docs, 'w array<string>')).collect()).map((r) => sparse(r.f));
  await spark.stop();
  spark = await Session.builder().appName('hashingtf2').master('local[2]').getOrCreate();
  t.same((await stage.transform(spark.createDataFrame(docs, 'w array<string>')).collect()).map((r) => sparse(r.f)), local);
});
