// Word2Vec / Word2VecModel (issue 14, area word2vec). Spark's random numbers are the JVM's, so
// vectors cannot equal Spark's; the tests check properties: the PySpark doctest's shape (3 words,
// synonyms of "a" without "a", best first, transform = the mean of word vectors by hand), Spark's
// defaults, determinism per seed, local = local[2] for numPartitions 1, numPartitions > 1 averaged,
// similar words nearer on a synthetic corpus, sentence chunking, persistence, bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../../../ts/src/index.js';
import { Word2Vec, Word2VecModel, Pipeline, PipelineModel, Vectors, DenseVector, SparseVector } from '../../../ts/ml/index.js';
import { w2vEncode } from '../../../ts/ml/feature/text/word2vec-tasks.js';
import { localContext } from '../../../ts/src/exec/task.js';
import { mulberry32 } from '../../reference/rng.js';

const spark = await Session.builder().appName('word2vec').master('local').getOrCreate();
const spark2 = await Session.builder().appName('word2vec-2').master('local[2]').getOrCreate();
t.teardown(async () => {
  await spark2.stop();
  await spark.stop();
});

// the PySpark doctest corpus: "a b " * 100 + "a c " * 10, split on spaces (a trailing "" word)
const sent = ('a b '.repeat(100) + 'a c '.repeat(10)).split(' ');
const docRows = [{ sentence: sent }, { sentence: sent }];

const cos = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let d = 0, nx = 0, ny = 0;
  for (let i = 0; i < x.length; i++) {
    d += x[i]! * y[i]!;
    nx += x[i]! ** 2;
    ny += y[i]! ** 2;
  }
  return d / Math.sqrt(nx * ny);
};

t.test('PySpark doctest: vectorSize 5, seed 42 — vocabulary, synonyms, transform = mean of the word vectors', async (t) => {
  const doc = spark.createDataFrame(docRows);
  const w2v = new Word2Vec({ vectorSize: 5, seed: 42, inputCol: 'sentence', outputCol: 'model' });
  const model = await w2v.fit(doc);
  t.equal(model.getMinCount(), 5);
  const vectors = await model.getVectors().collect();
  t.same(vectors.map((r) => r.word), ['a', 'b', 'c'], 'the "" word (count 2) is below minCount 5; by descending count');
  t.ok(vectors.every((r) => r.vector instanceof DenseVector && (r.vector as DenseVector).size === 5));
  const syn = model.findSynonymsArray('a', 2);
  t.same(syn.map(([w]) => w), ['b', 'c'], 'not "a" itself; best first (Spark: b 0.0159, c -0.5681)');
  t.ok(syn[0]![1] >= syn[1]![1]);
  const df = await model.findSynonyms('a', 2).collect();
  t.same(df.map((r) => [r.word, r.similarity]), syn);
  // transform: (110 a + 100 b + 10 c) / 221 words (the unknown "" counts)
  const vec = new Map(vectors.map((r) => [r.word as string, (r.vector as DenseVector).toArray()]));
  const want = Array.from({ length: 5 }, (_, e) => (110 * vec.get('a')![e]! + 100 * vec.get('b')![e]! + 10 * vec.get('c')![e]!) * (1 / 221));
  const head = (await model.transform(doc).collect())[0]!.model as DenseVector;
  t.ok(head instanceof DenseVector);
  head.toArray().forEach((x, e) => t.ok(Math.abs(x - want[e]!) < 1e-12, `component ${e}`));
  t.match(model.toString(), /^Word2VecModel: uid=Word2Vec_[0-9a-f]{12}, numWords=3, vectorSize=5$/);
  // a vector query keeps the word itself (Spark: "that word will be in the results")
  t.equal(model.findSynonymsArray(Vectors.dense(vec.get('a')!), 1)[0]![0], 'a');
  t.ok(Math.abs(model.findSynonymsArray(Vectors.dense(vec.get('a')!), 1)[0]![1] - 1) < 1e-6);
});

t.test("Spark's defaults and every param", async (t) => {
  const w = new Word2Vec();
  t.same([w.getVectorSize(), w.getWindowSize(), w.getMinCount(), w.getMaxIter(), w.getStepSize(), w.getNumPartitions(), w.getMaxSentenceLength()], [100, 5, 5, 1, 0.025, 1, 1000]);
  t.equal(w.getSeed(), -1961189076, "the class name's String.hashCode, as Spark");
  t.match(w.getOutputCol(), /^Word2Vec_[0-9a-f]{12}__output$/);
  t.throws(() => new Word2Vec({ vectorSize: 0 }), /vectorSize/);
  t.throws(() => new Word2Vec({ windowSize: 0 }), /windowSize/);
  t.throws(() => new Word2Vec({ minCount: -1 }), /minCount/);
  t.throws(() => new Word2Vec({ stepSize: 0 }), /stepSize/);
  t.throws(() => new Word2Vec({ numPartitions: 0 }), /numPartitions/);
  t.throws(() => new Word2Vec({ maxSentenceLength: 0 }), /maxSentenceLength/);
  const doc = spark.createDataFrame(docRows);
  const base = { inputCol: 'sentence', outputCol: 'v', vectorSize: 4, minCount: 1, seed: 7 };
  const fit = async (o: Record<string, unknown>) => (await new Word2Vec({ ...base, ...o }).fit(doc)).vectors;
  const ref = await fit({});
  t.equal(ref.length, 4 * 4, 'minCount 1 keeps "" too');
  for (const o of [{ windowSize: 2 }, { stepSize: 0.1 }, { maxIter: 2 }, { seed: 8 }, { maxSentenceLength: 10 }, { numPartitions: 2 }]) {
    t.notSame(Array.from(await fit(o)), Array.from(ref), `${JSON.stringify(o)} changes the vectors`);
  }
  t.same(Array.from(await fit({})), Array.from(ref), 'same seed, same vectors');
  t.same(Array.from(await fit({ maxIter: 0 })).length, 16, 'maxIter 0: the initial vectors');
});

t.test('local = local[2] for numPartitions 1; numPartitions 2 runs one task per training partition', async (t) => {
  const rand = mulberry32(3);
  const rows = Array.from({ length: 40 }, () => ({ s: Array.from({ length: 8 }, () => 'w' + Math.floor(rand() * 12)) }));
  const est = new Word2Vec({ inputCol: 's', outputCol: 'o', vectorSize: 6, minCount: 1, seed: 1 });
  const a = await est.fit(spark.createDataFrame(rows));
  const df2 = spark2.createDataFrame(rows); // local[2]: sliced into 2 partitions, order kept
  const b = await est.fit(df2);
  t.same(a.words, b.words);
  t.same(Array.from(a.vectors), Array.from(b.vectors), 'bit-identical');
  const p2 = est.copy().setNumPartitions(2);
  const c = await p2.fit(spark.createDataFrame(rows));
  const d = await p2.fit(df2);
  t.same(Array.from(c.vectors), Array.from(d.vectors), 'numPartitions 2: the same on both backends too');
  const out = await a.transform(df2).collect();
  const out1 = await a.transform(spark.createDataFrame(rows)).collect();
  t.same(out.map((r) => String(r.o)), out1.map((r) => String(r.o)));
});

t.test('similar words end up nearer: two topics that never share a sentence', async (t) => {
  const rand = mulberry32(11);
  const animals = ['cat', 'dog', 'pet', 'fur'];
  const cars = ['car', 'bus', 'road', 'wheel'];
  const rows = Array.from({ length: 300 }, (_, i) => {
    const topic = i % 2 === 0 ? animals : cars;
    return { s: Array.from({ length: 10 }, () => topic[Math.floor(rand() * topic.length)]!) };
  });
  const m = await new Word2Vec({ inputCol: 's', outputCol: 'o', vectorSize: 10, minCount: 1, seed: 5, maxIter: 3 }).fit(spark.createDataFrame(rows));
  const top = m.findSynonymsArray('cat', 3).map(([w]) => w);
  t.same(top.slice().sort(), ['dog', 'fur', 'pet'], `cat's 3 nearest are the animals (${top.join(', ')})`);
  const v = new Map((await m.getVectors().collect()).map((r) => [r.word as string, (r.vector as DenseVector).toArray()]));
  t.ok(cos(v.get('car')!, v.get('bus')!) > cos(v.get('car')!, v.get('dog')!));
});

t.test('sentences are cut at maxSentenceLength after unknown words are dropped', async (t) => {
  const df = spark.createDataFrame([{ s: ['a', 'x', 'b', 'a', 'b', 'a', 'b'] }, { s: [] as string[] }, { s: ['x'] }], 's array<string>');
  const [batch] = (await df.toArrow()).batches;
  const enc = await w2vEncode.run(batch!, { api: 't', inputCol: 's', vocab: ['a', 'b'], maxSentenceLength: 4 }, localContext());
  t.same(Array.from(enc.words), [0, 1, 0, 1, 0, 1]);
  t.same(Array.from(enc.sentOff), [0, 4, 6], 'chunks of 4 and 2; empty documents give no sentence');
});

t.test('empty documents transform to sparse zeros; unknown words count in the mean', async (t) => {
  const m = new Word2VecModel({ words: ['a', 'b'], vectors: Float32Array.of(1, 2, 3, 4), inputCol: 's', outputCol: 'o' });
  const df = spark.createDataFrame([{ s: [] as string[] }, { s: ['a', 'zz', 'b', 'b'] }], 's array<string>');
  const [e, v] = (await m.transform(df).collect()).map((r) => r.o);
  t.ok(e instanceof SparseVector);
  t.same([(e as SparseVector).size, (e as SparseVector).indices.length], [2, 0]);
  t.same(Array.from((v as DenseVector).toArray()), [(1 + 3 + 3) * 0.25, (2 + 4 + 4) * 0.25]);
  t.same(await m.transform(spark.createDataFrame([], 's array<string>')).collect(), []);
  // synonyms by hand: cos(a, b) = (3 + 8) / (sqrt(5) sqrt(25))
  const [[w, s]] = m.findSynonymsArray('a', 1);
  t.equal(w, 'b');
  t.ok(Math.abs(s - 11 / (Math.sqrt(5) * 5)) < 1e-6);
  t.same(m.findSynonymsArray('a', 5).map(([x]) => x), ['b'], 'at most the other words');
});

t.test('persistence: Spark 3 layout (word, vector array<float>), alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const doc = spark.createDataFrame(docRows);
  const model = await new Word2Vec({ vectorSize: 3, seed: 42, inputCol: 'sentence', outputCol: 'model' }).fit(doc);
  await model.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.Word2VecModel');
  t.same(meta.paramMap, { inputCol: 'sentence', outputCol: 'model', vectorSize: 3, seed: 42 });
  t.equal(meta.defaultParamMap.minCount, 5);
  const data = await spark.read.parquet(join(dir, 'm', 'data'));
  t.same(data.schema.fields.map((f) => `${f.name}:${String(f.type)}`), ['word:Utf8', 'vector:List<Float32>']);
  const back = await Word2VecModel.load(join(dir, 'm'));
  t.same(back.words, model.words);
  t.same(Array.from(back.vectors), Array.from(model.vectors));
  t.same(back.findSynonymsArray('a', 2), model.findSynonymsArray('a', 2));
  const est = new Word2Vec({ vectorSize: 3, inputCol: 'sentence', outputCol: 'model' });
  await est.save(join(dir, 'e'));
  t.equal((await Word2Vec.load(join(dir, 'e'))).getVectorSize(), 3);
  const pm = await new Pipeline({ stages: [est] }).fit(doc);
  await pm.save(join(dir, 'p'));
  const pm2 = await PipelineModel.load(join(dir, 'p'));
  t.same((await pm2.transform(doc).collect()).map((r) => String(r.model)), (await pm.transform(doc).collect()).map((r) => String(r.model)));
});

t.test('bad input: each error names the stage, column, row or value', async (t) => {
  const w = new Word2Vec({ inputCol: 's', outputCol: 'o', minCount: 1 });
  await t.rejects(w.fit(spark.createDataFrame([{ s: 'a b' }])), { code: 'ERR_KINDLING_SCHEMA', message: /Word2Vec: column s \(inputCol\) must be of type array<string>/ });
  await t.rejects(w.fit(spark.createDataFrame([{ s: ['a'] }, { s: null }], 's array<string>')), /Word2Vec\.fit: row 1 of column s is null/);
  await t.rejects(w.fit(spark.createDataFrame([{ s: ['a', null] }], 's array<string>')), /row 0 of column s holds a null word/);
  await t.rejects(new Word2Vec({ inputCol: 's', outputCol: 'o' }).fit(spark.createDataFrame([{ s: ['a', 'b'] }])), { code: 'ERR_KINDLING_SCHEMA', message: /The vocabulary size should be > 0\. You may need to check the setting of minCount \(5\)/ });
  await t.rejects(w.fit(spark.createDataFrame([], 's array<string>')), /The vocabulary size should be > 0/, 'an empty DataFrame has no vocabulary');
  const m = new Word2VecModel({ words: ['a'], vectors: Float32Array.of(1, 0), inputCol: 's', outputCol: 'o' });
  t.throws(() => m.findSynonymsArray('zz', 1), { code: 'ERR_KINDLING_NOT_FOUND', message: /zz not in vocabulary/ });
  t.throws(() => m.findSynonymsArray('a', 0), /Number of similar words should > 0/);
  t.throws(() => m.findSynonymsArray(Vectors.dense([1, 2, 3]), 1), /Word2VecModel\.findSynonyms: expected 2 \(the model's vectorSize\) for vector size, got 3/);
  await t.rejects(m.transform(spark.createDataFrame([{ s: null }], 's array<string>')).collect(), /Word2VecModel\.transform: row 0 of column s is null/);
  t.throws(() => m.transform(spark.createDataFrame([{ s: ['a'], o: 1 }])), /Output column o already exists/);
});
