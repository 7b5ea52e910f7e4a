// NGram: the PySpark docstring and ML guide examples, fewer than n tokens, every param, errors,
// persistence (alone, in a Pipeline, the Spark 2.3.2 stage), local vs local[2].
import t from 'tap';
import { join } from 'node:path';
import { NGram, Pipeline, PipelineModel, readMetadata, getAndSetParams } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('ngram').master('local').getOrCreate();
t.teardown(() => spark.stop());
const SPARK_MODELS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models');

t.test('PySpark docstring: n = 2 (default) and n = 4', async (t) => {
  const df = spark.createDataFrame([{ inputTokens: ['a', 'b', 'c', 'd', 'e'] }]);
  const ngram = new NGram({ n: 2 }).setInputCol('inputTokens').setOutputCol('nGrams');
  t.same((await ngram.transform(df).collect())[0]!.nGrams, ['a b', 'b c', 'c d', 'd e']);
  t.same((await ngram.setN(4).transform(df).collect())[0]!.nGrams, ['a b c d', 'b c d e']);
  t.equal(new NGram().getN(), 2);
  t.equal(new NGram(undefined, 'NGram_000000000001').getOutputCol(), 'NGram_000000000001__output');
});

t.test('ML guide: bigrams of three sentences; fewer than n tokens gives []', async (t) => {
  const df = spark.createDataFrame([
    { id: 0, words: ['Hi', 'I', 'heard', 'about', 'Spark'] },
    { id: 1, words: ['I', 'wish', 'Java', 'could', 'use', 'case', 'classes'] },
    { id: 2, words: ['Logistic', 'regression', 'models', 'are', 'neat'] },
    { id: 3, words: ['one'] },
    { id: 4, words: [] as string[] },
  ], 'id int, words array<string>');
  const rows = await new NGram({ n: 2, inputCol: 'words', outputCol: 'ngrams' }).transform(df).collect();
  t.same(rows.map((r) => r.ngrams), [
    ['Hi I', 'I heard', 'heard about', 'about Spark'],
    ['I wish', 'wish Java', 'Java could', 'could use', 'use case', 'case classes'],
    ['Logistic regression', 'regression models', 'models are', 'are neat'],
    [],
    [],
  ]);
  t.same((await new NGram({ n: 1, inputCol: 'words', outputCol: 'g' }).transform(df).collect())[3]!.g, ['one']);
});

t.test('errors: n, input type, existing output, null row', async (t) => {
  t.throws(() => new NGram({ n: 0 }), /NGram: expected integer >= 1 for n, got 0/);
  t.throws(() => new NGram({ n: 1.5 }), /expected integer >= 1 for n, got 1\.5/);
  t.throws(() => new NGram({ inputCol: 's', outputCol: 'o' }).transform(spark.createDataFrame([{ s: 'a b' }])), /NGram: column s \(inputCol\) must be of type array<string>, but is string/);
  t.throws(() => new NGram({ inputCol: 's', outputCol: 's' }).transform(spark.createDataFrame([{ s: ['a'] }])), /NGram: Output column s already exists\./);
  const nulls = spark.createDataFrame([{ w: null }], 'w array<string>');
  await t.rejects(new NGram({ inputCol: 'w', outputCol: 'o' }).transform(nulls).collect(), /NGram\.transform: row 0 of column w is null/);
});

t.test('empty DataFrame', async (t) => {
  const out = new NGram({ inputCol: 'w', outputCol: 'o' }).transform(spark.createDataFrame([{ w: ['a'] }]).limit(0));
  t.same(out.columns, ['w', 'o']);
  t.same(await out.collect(), []);
});

t.test('persistence: Spark layout, in a Pipeline, the Spark 2.3.2 stage', async (t) => {
  const dir = t.testdir();
  const g = new NGram({ n: 3, inputCol: 'w', outputCol: 'o' });
  await g.save(join(dir, 'g'));
  t.equal((await NGram.load(join(dir, 'g'))).getN(), 3);
  const df = spark.createDataFrame([{ w: ['a', 'b', 'c', 'd'] }]);
  const pm = await new Pipeline({ stages: [g] }).fit(df);
  await pm.save(join(dir, 'pm'));
  t.same((await (await PipelineModel.load(join(dir, 'pm'))).transform(df).collect())[0]!.o, ['a b c', 'b c d']);
  const md = await readMetadata(join(SPARK_MODELS, 'pipeline-text-idf-logreg-2.3.2-metadata-only', 'stages', '1_NGram_4502beb9404a4311b4d3'));
  const old = new NGram(undefined, md.uid);
  getAndSetParams(old, md);
  t.equal(old.getN(), 2);
  t.equal(old.getInputCol(), 'stemmed');
  t.equal(old.getOutputCol(), 'bigrams');
});

t.test('local and local[2]: the same result', async (t) => {
  const docs = Array.from({ length: 30 }, (_, i) => ({ w: Array.from({ length: i % 6 }, (_, k) => `t${k}`) }));
  const stage = new NGram({ inputCol: 'w', outputCol: 'o' });
  const local = await stage.transform(spark.createDataFrame(docs, 'w array<string>')).collect();
  await spark.stop();
  spark = await Session.builder().appName('ngram2').master('local[2]').getOrCreate();
  t.same(await stage.transform(spark.createDataFrame(docs, 'w array<string>')).collect(), local);
  t.same(local[3]!.o, ['t0 t1', 't1 t2']);
});
