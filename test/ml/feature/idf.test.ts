// IDF / IDFModel: the PySpark ml and mllib doctests (../shared/fixtures/spark-test-vectors/
// evaluators-and-features.json, full precision), minDocFreq, sparse stays sparse, mixed columns,
// the summary algebra, errors, empty input, persistence (alone, in a Pipeline with Tokenizer and
// HashingTF, the Spark 2.3.2 metadata), local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDF, IDFModel, HashingTF, Tokenizer, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector, readMetadata, getAndSetParams } from '../../../ts/ml/index.js';
import { docFreqMerge, docFreqSummary } from '../../../ts/ml/feature/text/idf-tasks.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('idf').master('local').getOrCreate();
t.teardown(() => spark.stop());
const SHARED = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures');
const features = JSON.parse(readFileSync(join(SHARED, 'spark-test-vectors', 'evaluators-and-features.json'), 'utf8')).features as Array<Record<string, any>>;
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-15) => a.length === b.length && Array.from(a).every((x, i) => Math.abs(x - b[i]!) <= tol);

t.test('PySpark ml.feature.IDF doctest: minDocFreq 3 and 1', async (t) => {
  const doc = features.find((f) => f.source === 'pyspark.ml.feature.IDF doctest')!;
  const df = spark.createDataFrame((doc.tfVectors as number[][]).map((v) => ({ tf: Vectors.dense(v) })));
  const idf = new IDF({ minDocFreq: 3 }).setInputCol('tf');
  const model = (await idf.fit(df)).setOutputCol('idf');
  t.same(Array.from(model.idf.toArray()), doc.documented['minDocFreq=3 -> idf']);
  t.same(model.docFreq, doc.documented['minDocFreq=3 -> docFreq']);
  t.equal(model.numDocs, 3);
  const first = (await model.transform(df).collect())[0]!.idf;
  t.ok(first instanceof DenseVector);
  t.same(Array.from((first as DenseVector).toArray()), [0, 0]);
  const m1 = await new IDF({ minDocFreq: 1, inputCol: 'tf', outputCol: 'vector' }).fit(df);
  const v = ((await m1.transform(df).collect())[0]!.vector as DenseVector).toArray();
  t.ok(Math.abs(v[0]! - 0.2877) < 5e-5 && v[1] === 0, `[${Array.from(v)}] ~ [0.2877, 0.0]`);
  t.equal(v[0], Math.log(4 / 3), 'ln((3 + 1) / (2 + 1))');
});

t.test('PySpark mllib IDF doctest: full-precision idf, docFreq, transform of sparse and dense', async (t) => {
  const doc = features.find((f) => f.source === 'pyspark.mllib.feature.IDF doctest')!;
  const vecs = (doc.tfVectors as Array<Record<string, any>>).map((v) => (v.sparse ? Vectors.sparse(v.sparse.size, v.sparse.indices, v.sparse.values) : Vectors.dense(v.dense)));
  const df = spark.createDataFrame(vecs.map((v) => ({ tf: v })));
  const model = await new IDF({ inputCol: 'tf', outputCol: 'out' }).fit(df);
  t.ok(close(model.idf.toArray(), doc.fullPrecision.idf), `idf ${Array.from(model.idf.toArray())}`);
  t.same(model.docFreq, doc.fullPrecision.docFreq);
  t.equal(model.numDocs, doc.fullPrecision.numDocs);
  const rows = (await model.transform(df).collect()).map((r) => r.out);
  t.ok(rows[0] instanceof SparseVector, 'sparse stays sparse');
  t.ok(rows[1] instanceof DenseVector, 'dense stays dense');
  const dense = (rows[1] as DenseVector).toArray();
  const want = doc.documented['transform(dense [0,1,2,3])'] as number[];
  t.ok(Array.from(dense).every((x, j) => Math.abs(x - want[j]!) < 5e-4), `${Array.from(dense)} ~ ${want}`);
  const sp = rows[0] as SparseVector;
  t.same(Array.from(sp.indices), [1, 3]);
  t.same(Array.from(sp.values), [0, 2 * doc.fullPrecision.idf[3]]);
  t.equal(model.scale(Vectors.dense([0, 1, 2, 3])).toArray()[2], 2 * Math.log(4 / 2));
});

t.test('all-sparse columns (HashingTF output) stay sparse with the same indices; default minDocFreq 0', async (t) => {
  t.equal(new IDF().getMinDocFreq(), 0);
  t.equal(new IDF(undefined, 'IDF_000000000001').getOutputCol(), 'IDF_000000000001__output');
  const df = spark.createDataFrame([{ f: Vectors.sparse(5, [0, 4], [2, 1]) }, { f: Vectors.sparse(5, [4], [3]) }, { f: Vectors.sparse(5, [], []) }]);
  const m = await new IDF({ inputCol: 'f', outputCol: 'o' }).fit(df);
  // m = 3: df = [1, 0, 0, 0, 2] -> idf = [ln 2, ln 4, ln 4, ln 4, ln(4/3)]
  t.same(Array.from(m.idf.toArray()), [Math.log(2), Math.log(4), Math.log(4), Math.log(4), Math.log(4 / 3)]);
  const out = (await m.transform(df).collect()).map((r) => r.o as SparseVector);
  t.same(out.map((v) => [Array.from(v.indices), Array.from(v.values)]), [[[0, 4], [2 * Math.log(2), Math.log(4 / 3)]], [[4], [3 * Math.log(4 / 3)]], [[], []]]);
});

t.test('the summary: merge(zero, s) = s; an explicit zero does not count', async (t) => {
  const a = docFreqSummary.add(docFreqSummary.zero(undefined), { n: 2, d: 3, x: Float64Array.from([1, 0, 0, 0, 0, 2]) }, undefined, undefined as never);
  t.same(docFreqMerge(docFreqSummary.zero(undefined), a), a);
  t.same(Array.from(a.df), [1, 0, 1]);
  const b = docFreqSummary.add(docFreqSummary.zero(undefined), { n: 1, d: 3, rows: { rowOffsets: Int32Array.from([0, 2]), indices: Int32Array.from([0, 1]), values: Float64Array.from([0, 5]) } }, undefined, undefined as never);
  t.same(Array.from(docFreqMerge(a, b).df), [1, 1, 1]);
  const neg = docFreqSummary.add(docFreqSummary.zero(undefined), { n: 1, d: 3, x: Float64Array.from([-2, 0.5, NaN]) }, undefined, undefined as never);
  t.same(Array.from(neg.df), [0, 1, 0], "only entries > 0 count (Spark's DocumentFrequencyAggregator)");
  t.equal(docFreqMerge(a, b).n, 3);
});

t.test('errors: empty DataFrame, null vector, sizes, input type, minDocFreq', async (t) => {
  await t.rejects(new IDF({ inputCol: 'f', outputCol: 'o' }).fit(spark.createDataFrame([{ f: Vectors.dense(1) }]).limit(0)), /IDF\.fit: Haven't seen any document yet/);
  const nulls = spark.createDataFrame([{ f: Vectors.dense(1, 2) }, { f: null }], 'f vector');
  await t.rejects(new IDF({ inputCol: 'f', outputCol: 'o' }).fit(nulls), /IDF\.fit: row 1 of the features column is null/);
  const mixed = spark.createDataFrame([{ f: Vectors.sparse(3, [0], [1]) }, { f: Vectors.dense(1, 2) }]);
  await t.rejects(new IDF({ inputCol: 'f', outputCol: 'o' }).fit(mixed), /IDF\.fit: row 1 of the features column has size 2, but earlier rows have size 3/);
  const m = new IDFModel({ idf: new DenseVector([1, 2]), docFreq: [1, 1], numDocs: 3, inputCol: 'f', outputCol: 'o' });
  await t.rejects(m.transform(spark.createDataFrame([{ f: Vectors.dense(1, 2, 3) }])).collect(), /IDFModel\.transform: expected 2 \(the size IDF was fitted on\) for the vector size of column f, got 3/);
  await t.rejects(m.transform(nulls).collect(), /IDFModel\.transform: row 1 of column f is null/);
  t.throws(() => m.transform(spark.createDataFrame([{ f: 'x' }])), /IDFModel: column f \(inputCol\) must be a vector column, but is string/);
  t.throws(() => new IDFModel({ idf: new DenseVector([1]), docFreq: [1], numDocs: 1, inputCol: 'f', outputCol: 'f' }).transform(spark.createDataFrame([{ f: Vectors.dense(1) }])), /IDFModel: Output column f already exists\./);
  t.throws(() => new IDF({ minDocFreq: -1 }), /IDF: expected integer >= 0 for minDocFreq, got -1/);
  t.throws(() => m.scale(Vectors.dense(1)), /IDFModel\.scale: expected 2 \(the size IDF was fitted on\) for vector size, got 1/);
});

t.test('empty DataFrame through a fitted model', async (t) => {
  const m = new IDFModel({ idf: new DenseVector([1, 2]), docFreq: [1, 1], numDocs: 3, inputCol: 'f', outputCol: 'o' });
  const out = m.transform(spark.createDataFrame([{ f: Vectors.dense(1, 2) }]).limit(0));
  t.same(out.columns, ['f', 'o']);
  t.same(await out.collect(), []);
});

t.test('persistence: Spark layout, in a Pipeline (Tokenizer, HashingTF, IDF), the Spark 2.3.2 metadata', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame([{ f: Vectors.dense(1, 0, 3) }, { f: Vectors.dense(0, 0, 1) }]);
  const m = await new IDF({ inputCol: 'f', outputCol: 'o', minDocFreq: 1 }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.IDFModel');
  t.same(meta.paramMap, { inputCol: 'f', outputCol: 'o', minDocFreq: 1 });
  const back = await IDFModel.load(join(dir, 'm'));
  t.same(Array.from(back.idf.toArray()), Array.from(m.idf.toArray()));
  t.same(back.docFreq, [1, 0, 2]);
  t.equal(back.numDocs, 2);
  t.same(await back.transform(df).collect(), await m.transform(df).collect());
  const idf = new IDF({ inputCol: 'tf', outputCol: 'tfidf', minDocFreq: 2 });
  await idf.save(join(dir, 'idf'));
  t.equal((await IDF.load(join(dir, 'idf'))).getMinDocFreq(), 2);
  const sentences = spark.createDataFrame([{ s: 'Hi I heard about Spark' }, { s: 'I wish Java could use case classes' }, { s: 'Logistic regression models are neat' }]);
  const pipe = new Pipeline({ stages: [new Tokenizer({ inputCol: 's', outputCol: 'w' }), new HashingTF({ inputCol: 'w', outputCol: 'tf', numFeatures: 20 }), new IDF({ inputCol: 'tf', outputCol: 'tfidf' })] });
  const pm = await pipe.fit(sentences);
  await pm.save(join(dir, 'pm'));
  const a = (await pm.transform(sentences).collect()).map((r) => r.tfidf as SparseVector);
  const b = (await (await PipelineModel.load(join(dir, 'pm'))).transform(sentences).collect()).map((r) => r.tfidf as SparseVector);
  t.same(b.map((v) => Array.from(v.values)), a.map((v) => Array.from(v.values)));
  t.ok(a.every((v) => v instanceof SparseVector && v.size === 20));
  // tfidf = tf * idf entry by entry, idf_j = ln(4 / (df_j + 1)) over the 3 documents' tf vectors
  const tfs = (await pm.transform(sentences).collect()).map((r) => r.tf as SparseVector);
  const dfj = new Array<number>(20).fill(0);
  for (const v of tfs) for (const j of v.indices) dfj[j]! += 1;
  t.same(Array.from((pm.stages[2] as IDFModel).idf.toArray()), dfj.map((f) => Math.log(4 / (f + 1))));
  t.same(a.map((v) => Array.from(v.indices)), tfs.map((v) => Array.from(v.indices)));
  t.same(a.map((v) => Array.from(v.values)), tfs.map((v) => Array.from(v.values, (x, k) => x * Math.log(4 / (dfj[v.indices[k]!]! + 1)))));
  const md = await readMetadata(join(SHARED, 'spark-models', 'pipeline-text-idf-logreg-2.3.2-metadata-only', 'stages', '3_IDF_4240bcd585ec2afbe47c'));
  const old = new IDFModel(undefined, md.uid);
  getAndSetParams(old, md);
  t.equal(old.getMinDocFreq(), 0);
  t.equal(old.getInputCol(), 'rawFeatures');
  t.equal(old.getOutputCol(), 'features');
});

t.test('local and local[2]: the same idf and output', async (t) => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ f: i % 3 === 0 ? Vectors.sparse(6, [i % 6], [i]) : Vectors.sparse(6, [0, 5], [1, (i % 4)]) }));
  const m1 = await new IDF({ inputCol: 'f', outputCol: 'o' }).fit(spark.createDataFrame(rows));
  const o1 = (await m1.transform(spark.createDataFrame(rows)).collect()).map((r) => Array.from((r.o as SparseVector).values));
  await spark.stop();
  spark = await Session.builder().appName('idf2').master('local[2]').getOrCreate();
  const m2 = await new IDF({ inputCol: 'f', outputCol: 'o' }).fit(spark.createDataFrame(rows));
  t.same(Array.from(m2.idf.toArray()), Array.from(m1.idf.toArray()));
  t.same(m2.docFreq, m1.docFreq);
  t.same((await m2.transform(spark.createDataFrame(rows)).collect()).map((r) => Array.from((r.o as SparseVector).values)), o1);
  const bad = spark.createDataFrame([...rows, { f: Vectors.sparse(7, [0], [1]) }]);
  await t.rejects(new IDF({ inputCol: 'f', outputCol: 'o' }).fit(bad), /IDF\.fit: row 40 of the features column has size 7, but earlier rows have size 6/);
});

t.test('ML guide TF-IDF example (Tokenizer, HashingTF(20), IDF): Spark 3 output, and the Spark 2 output with the legacy hash', async (t) => {
  const df = spark.createDataFrame([{ label: 0, sentence: 'Hi I heard about Spark' }, { label: 0, sentence: 'I wish Java could use case classes' }, { label: 1, sentence: 'Logistic regression models are neat' }]);
  const run = async (legacy: boolean) => {
    const h = new HashingTF({ inputCol: 'words', outputCol: 'rawFeatures', numFeatures: 20 });
    h.legacyHash = legacy;
    const f = h.transform(new Tokenizer({ inputCol: 'sentence', outputCol: 'words' }).transform(df));
    const m = await new IDF({ inputCol: 'rawFeatures', outputCol: 'features' }).fit(f);
    return (await m.transform(f).select('label', 'rawFeatures', 'features').collect()).map((r) => {
      const raw = r.rawFeatures as SparseVector;
      const v = r.features as SparseVector;
      return [v.size, Array.from(v.indices), Array.from(v.values), Array.from(raw.values)];
    });
  };
  const ln2 = 0.6931471805599453;
  const ln43 = 0.28768207245178085;
  // Spark 3.x docs (hashUnsafeBytes2)
  t.same(await run(false), [
    [20, [6, 8, 13, 16], [ln43, ln2, ln43, 0.5753641449035617], [1, 1, 1, 2]],
    [20, [0, 2, 7, 13, 15, 16], [ln2, ln2, 1.3862943611198906, ln43, ln2, ln43], [1, 1, 2, 1, 1, 1]],
    [20, [3, 4, 6, 11, 19], [ln2, ln2, ln43, ln2, ln2], [1, 1, 1, 1, 1]],
  ]);
  // Spark 2.x docs (examples/.../TfIdfExample.scala comment): the legacy string hash
  t.same(await run(true), [
    [20, [0, 5, 9, 17], [ln2, ln2, ln43, 1.3862943611198906], [1, 1, 1, 2]],
    [20, [2, 7, 9, 13, 15], [ln2, ln2, 0.8630462173553426, ln43, ln43], [1, 1, 3, 1, 1]],
    [20, [4, 6, 13, 15, 18], [ln2, ln2, ln43, ln43, ln2], [1, 1, 1, 1, 1]],
  ]);
});
