// CountVectorizer / CountVectorizerModel: the PySpark docstring and ML guide examples,
// from_vocabulary, every param by hand (vocabSize, minDF/maxDF as counts and fractions, minTF as
// a count and a fraction, binary), the vocabulary order, the summary algebra, errors, empty
// input, persistence (alone, in a Pipeline, the Spark 3.1.2 model and the 2.3.2 metadata), local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CountVectorizer, CountVectorizerModel, Pipeline, PipelineModel, SparseVector, loadStage, readMetadata, getAndSetParams, RegexTokenizer, StopWordsRemover } from '../../../ts/ml/index.js';
import { countTerms, termCountsMerge, termCountsSummary, selectVocabulary } from '../../../ts/ml/feature/text/count-vectorizer-tasks.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('countvectorizer').master('local').getOrCreate();
t.teardown(() => spark.stop());
const SPARK_MODELS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models');
const sv = (v: unknown) => {
  const s = v as SparseVector;
  return [s.size, Array.from(s.indices), Array.from(s.values)];
};
const abc = () => spark.createDataFrame([{ label: 0, raw: ['a', 'b', 'c'] }, { label: 1, raw: ['a', 'b', 'b', 'c', 'a'] }]);

t.test('PySpark docstring and ML guide (vocabSize 3, minDF 2); from_vocabulary', async (t) => {
  const model = await new CountVectorizer().setInputCol('raw').setOutputCol('vectors').fit(abc());
  const rows = await model.transform(abc()).collect();
  t.ok(rows[0]!.vectors instanceof SparseVector);
  t.same(rows.map((r) => sv(r.vectors)), [[3, [0, 1, 2], [1, 1, 1]], [3, [0, 1, 2], [2, 2, 1]]]);
  t.same([...model.vocabulary].sort(), ['a', 'b', 'c']);
  t.same(model.vocabulary, ['a', 'b', 'c'], 'a and b tie at 3: by term');
  const guide = await new CountVectorizer({ inputCol: 'raw', outputCol: 'features', vocabSize: 3, minDF: 2 }).fit(abc());
  t.same((await guide.transform(abc()).collect()).map((r) => sv(r.features)), [[3, [0, 1, 2], [1, 1, 1]], [3, [0, 1, 2], [2, 2, 1]]]);
  const fromVocab = CountVectorizerModel.fromVocabulary(['a', 'b', 'c'], { inputCol: 'raw', outputCol: 'vectors' });
  t.same((await fromVocab.transform(abc()).collect()).map((r) => sv(r.vectors)), [[3, [0, 1, 2], [1, 1, 1]], [3, [0, 1, 2], [2, 2, 1]]]);
  t.equal(fromVocab.getMinTF(), 1);
  t.equal(fromVocab.getBinary(), false);
  t.equal(fromVocab.getVocabSize(), 3);
  t.equal(String(fromVocab), `CountVectorizerModel: uid=${fromVocab.uid}, vocabularySize=3`);
  t.equal(model.parent?.uid, model.uid);
});

t.test('defaults as Spark', async (t) => {
  const cv = new CountVectorizer();
  t.equal(cv.getVocabSize(), 262144);
  t.equal(cv.getMinDF(), 1);
  t.equal(cv.getMaxDF(), 9223372036854775807);
  t.equal(cv.getMinTF(), 1);
  t.equal(cv.getBinary(), false);
  t.equal(new CountVectorizer(undefined, 'CountVectorizer_000000000001').getOutputCol(), 'CountVectorizer_000000000001__output');
});

// docs: d0 = x x y z, d1 = x y, d2 = x w w w, d3 = v
// counts: x 4 (docs 3), w 3 (1), y 2 (2), z 1 (1), v 1 (1)
const docs = () => spark.createDataFrame([{ w: ['x', 'x', 'y', 'z'] }, { w: ['x', 'y'] }, { w: ['x', 'w', 'w', 'w'] }, { w: ['v'] }]);

t.test('vocabulary: total count descending, ties by term; vocabSize; minDF and maxDF as counts and fractions', async (t) => {
  const vocab = async (o: ConstructorParameters<typeof CountVectorizer>[0]) => (await new CountVectorizer({ inputCol: 'w', outputCol: 'f', ...o }).fit(docs())).vocabulary;
  t.same(await vocab({}), ['x', 'w', 'y', 'v', 'z']);
  t.same(await vocab({ vocabSize: 2 }), ['x', 'w']);
  t.same(await vocab({ minDF: 2 }), ['x', 'y']);
  t.same(await vocab({ minDF: 0.5 }), ['x', 'y'], 'minDF 0.5 of 4 documents = 2');
  t.same(await vocab({ minDF: 0.6 }), ['x'], 'minDF 0.6 of 4 = 2.4 documents');
  t.same(await vocab({ maxDF: 1 }), ['w', 'v', 'z']);
  t.same(await vocab({ maxDF: 0.5 }), ['w', 'y', 'v', 'z'], 'maxDF 0.5 of 4 = 2 documents');
  t.same(await vocab({ minDF: 2, maxDF: 2 }), ['y']);
});

t.test('minTF as a count and as a fraction; binary; unknown terms', async (t) => {
  const m = CountVectorizerModel.fromVocabulary(['x', 'w', 'y'], { inputCol: 'w', outputCol: 'f' });
  const rows = async () => (await m.transform(docs()).collect()).map((r) => sv(r.f));
  t.same(await rows(), [[3, [0, 2], [2, 1]], [3, [0, 2], [1, 1]], [3, [0, 1], [1, 3]], [3, [], []]]);
  m.setMinTF(2);
  t.same(await rows(), [[3, [0], [2]], [3, [], []], [3, [1], [3]], [3, [], []]]);
  // a fraction of the document's token count (unknown terms count): d0 has 4 tokens, 0.5 * 4 = 2
  m.setMinTF(0.5);
  t.same(await rows(), [[3, [0], [2]], [3, [0, 2], [1, 1]], [3, [1], [3]], [3, [], []]]);
  m.setMinTF(1).setBinary(true);
  t.same(await rows(), [[3, [0, 2], [1, 1]], [3, [0, 2], [1, 1]], [3, [0, 1], [1, 1]], [3, [], []]]);
});

t.test('the summary: merge(zero, s) = s, split partitions give the same counts', async (t) => {
  const d = [['a', 'b', 'a'], ['b'], ['c', null], []] as Array<Array<string | null>>;
  const all = countTerms(d);
  const z = termCountsSummary.zero(undefined);
  t.same(termCountsMerge(z, all), all);
  const split = termCountsMerge(countTerms(d.slice(0, 2)), countTerms(d.slice(2)));
  const asMap = (s: typeof all) => Object.fromEntries(s.terms.map((w, k) => [w, [s.counts[k], s.docs[k]]]));
  t.same(asMap(split), asMap(all));
  t.same(asMap(all), { a: [2, 1], b: [2, 2], c: [1, 1] }, 'null tokens are not counted');
  t.same(selectVocabulary(all, 1, Infinity, 10), ['a', 'b', 'c']);
});

t.test('errors: minDF > maxDF, input type, existing output, null row, from_vocabulary', async (t) => {
  await t.rejects(new CountVectorizer({ inputCol: 'w', outputCol: 'f', minDF: 3, maxDF: 2 }).fit(docs()), /CountVectorizer\.fit: expected a value >= minDF \(3\): maxDF must be >= minDF\. for maxDF, got 2/);
  await t.rejects(new CountVectorizer({ inputCol: 'w', outputCol: 'f', minDF: 3, maxDF: 0.5 }).fit(docs()), /maxDF must be >= minDF/);
  t.throws(() => new CountVectorizer({ minDF: -1 }), /CountVectorizer: expected a number >= 0 for minDF, got -1/);
  t.throws(() => new CountVectorizer({ vocabSize: 0 }), /expected integer in \[1, 2147483647\] for vocabSize, got 0/);
  await t.rejects(new CountVectorizer({ inputCol: 's', outputCol: 'f' }).fit(spark.createDataFrame([{ s: 'a' }])), /CountVectorizer: column s \(inputCol\) must be of type array<string>, but is string/);
  t.throws(() => CountVectorizerModel.fromVocabulary(['a'], { inputCol: 'w', outputCol: 'w' }).transform(docs()), /CountVectorizerModel: Output column w already exists\./);
  const nulls = spark.createDataFrame([{ w: ['a'] }, { w: ['b'] }, { w: null }], 'w array<string>');
  await t.rejects(new CountVectorizer({ inputCol: 'w', outputCol: 'f' }).fit(nulls), /CountVectorizer\.fit: row 2 of column w is null/);
  await t.rejects(CountVectorizerModel.fromVocabulary(['a'], { inputCol: 'w', outputCol: 'f' }).transform(nulls).collect(), /CountVectorizerModel\.transform: row 2 of column w is null/);
  t.throws(() => CountVectorizerModel.fromVocabulary([]), /Vocabulary list cannot be empty/);
  t.throws(() => CountVectorizerModel.fromVocabulary([1] as never), /expected an array of strings for vocabulary/);
});

t.test('empty DataFrame: an empty vocabulary, an empty transform', async (t) => {
  const empty = docs().limit(0);
  const m = await new CountVectorizer({ inputCol: 'w', outputCol: 'f' }).fit(empty);
  t.same(m.vocabulary, []);
  t.same(await m.transform(empty).collect(), []);
  t.same((await m.transform(docs()).collect()).map((r) => sv(r.f))[0], [0, [], []]);
});

t.test('persistence: Spark layout, in a Pipeline, the Spark 3.1.2 model and the 2.3.2 metadata', async (t) => {
  const dir = t.testdir();
  const m = await new CountVectorizer({ inputCol: 'w', outputCol: 'f', minDF: 0.5, binary: true }).fit(docs());
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.CountVectorizerModel');
  t.same(meta.paramMap, { inputCol: 'w', outputCol: 'f', minDF: 0.5, binary: true });
  t.match(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'), /"minDF":1\.0,/, 'double params written as doubles');
  const back = await CountVectorizerModel.load(join(dir, 'm'));
  t.same(back.vocabulary, ['x', 'y']);
  t.same(await back.transform(docs()).collect(), await m.transform(docs()).collect());
  const cv = new CountVectorizer({ inputCol: 'w', outputCol: 'f', vocabSize: 2 });
  await cv.save(join(dir, 'cv'));
  t.equal((await CountVectorizer.load(join(dir, 'cv'))).getVocabSize(), 2);
  const pm = await new Pipeline({ stages: [cv] }).fit(docs());
  await pm.save(join(dir, 'pm'));
  t.same(await (await PipelineModel.load(join(dir, 'pm'))).transform(docs()).collect(), await pm.transform(docs()).collect());
  // Spark 3.1.2: RegexTokenizer -> StopWordsRemover -> CountVectorizerModel, loaded stage by stage
  const stages = join(SPARK_MODELS, 'pipeline-text-naivebayes-3.1.2', 'stages');
  const rt = (await loadStage(join(stages, '0_RegexTokenizer_1f6a6089f0dc'), { api: 'test', session: null })) as RegexTokenizer;
  const sw = (await loadStage(join(stages, '1_StopWordsRemover_2aa70fa7a850'), { api: 'test', session: null })) as StopWordsRemover;
  const spk = (await loadStage(join(stages, '2_CountVectorizer_1025f06565ad'), { api: 'test', session: null })) as CountVectorizerModel;
  t.ok(spk instanceof CountVectorizerModel);
  t.equal(spk.getVocabSize(), 10000);
  t.equal(spk.getMinDF(), 5);
  t.equal(spk.getInputCol(), 'filtered');
  t.ok(spk.vocabulary.length > 0 && spk.vocabulary.length <= 10000, `${spk.vocabulary.length} terms`);
  const w0 = spk.vocabulary[0]!;
  const text = spark.createDataFrame([{ description: `The ${w0}, ${w0}! http zzzunknownzzz` }]);
  const out = (await spk.transform(sw.transform(rt.transform(text))).collect())[0]!;
  t.same(out.filtered, [w0, w0, 'zzzunknownzzz'], 'the and http are stop words of this model');
  t.same(sv(out.features).slice(1), [[0], [2]], `the most frequent term ${w0} is index 0`);
  const md = await readMetadata(join(SPARK_MODELS, 'pipeline-text-idf-logreg-2.3.2-metadata-only', 'stages', '2_CountVectorizer_4a988db9b1e4fcfac4fe'));
  const old = new CountVectorizerModel(undefined, md.uid);
  getAndSetParams(old, md);
  t.equal(old.getMinDF(), 5);
  t.equal(old.getVocabSize(), 262144);
  t.equal(old.getInputCol(), 'bigrams');
  t.equal(old.getOutputCol(), 'rawFeatures');
});

t.test('local and local[2]: the same vocabulary and vectors', async (t) => {
  const rows = Array.from({ length: 80 }, (_, i) => ({ w: Array.from({ length: (i % 7) + 1 }, (_, k) => `t${(i * k) % 11}`) }));
  const cv = new CountVectorizer({ inputCol: 'w', outputCol: 'f', minDF: 2 });
  const m1 = await cv.fit(spark.createDataFrame(rows));
  const v1 = (await m1.transform(spark.createDataFrame(rows)).collect()).map((r) => sv(r.f));
  await spark.stop();
  spark = await Session.builder().appName('countvectorizer2').master('local[2]').getOrCreate();
  const m2 = await cv.fit(spark.createDataFrame(rows));
  t.same(m2.vocabulary, m1.vocabulary);
  t.same((await m2.transform(spark.createDataFrame(rows)).collect()).map((r) => sv(r.f)), v1);
  const withNull = spark.createDataFrame([...rows, { w: null }], 'w array<string>');
  await t.rejects(cv.fit(withNull), /CountVectorizer\.fit: row 80 of column w is null/);
});
