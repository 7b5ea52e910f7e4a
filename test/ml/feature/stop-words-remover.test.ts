// StopWordsRemover: the PySpark docstrings and ML guide example, Spark's English list, every
// param (stopWords, caseSensitive, locale, inputCols/outputCols), errors, persistence (alone,
// in a Pipeline, the Spark 3.1.2 and 2.3.2 stages), local vs local[2].
import t from 'tap';
import { join } from 'node:path';
import { StopWordsRemover, Pipeline, PipelineModel, loadStage, readMetadata, getAndSetParams } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('stopwords').master('local').getOrCreate();
t.teardown(() => spark.stop());
const SPARK_MODELS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models');

t.test('PySpark docstrings: one column and inputCols/outputCols', async (t) => {
  const df = spark.createDataFrame([{ text: ['a', 'b', 'c'] }]);
  const r = new StopWordsRemover({ stopWords: ['b'] }).setInputCol('text').setOutputCol('words');
  t.same((await r.transform(df).collect())[0]!.words, ['a', 'c']);
  const df2 = spark.createDataFrame([{ text1: ['a', 'b', 'c'], text2: ['a'] }]);
  const m = new StopWordsRemover({ inputCols: ['text1', 'text2'], outputCols: ['words1', 'words2'], stopWords: ['b'] });
  const row = (await m.transform(df2).collect())[0]!;
  t.same([row.words1, row.words2], [['a', 'c'], ['a']]);
});

t.test('ML guide: default English stop words, case-insensitive', async (t) => {
  const df = spark.createDataFrame([
    { id: 0, raw: ['I', 'saw', 'the', 'red', 'balloon'] },
    { id: 1, raw: ['Mary', 'had', 'a', 'little', 'lamb'] },
  ]);
  const rows = await new StopWordsRemover({ inputCol: 'raw', outputCol: 'filtered' }).transform(df).collect();
  t.same(rows.map((r) => r.filtered), [['saw', 'red', 'balloon'], ['Mary', 'little', 'lamb']]);
});

t.test("defaults: Spark's English list (181 words, in its order), caseSensitive false, locale en_US", async (t) => {
  const r = new StopWordsRemover();
  const words = r.getStopWords();
  t.equal(words.length, 181);
  t.same(words.slice(0, 5), ['i', 'me', 'my', 'myself', 'we']);
  t.same(words.slice(-3), ["who's", "why's", 'would']);
  t.same(StopWordsRemover.loadDefaultStopWords('english'), words);
  words.push('mutated');
  t.equal(r.getStopWords().length, 181, 'getStopWords returns a copy');
  t.equal(r.getCaseSensitive(), false);
  t.equal(r.getLocale(), 'en_US');
  t.throws(() => StopWordsRemover.loadDefaultStopWords('klingon'), /StopWordsRemover\.loadDefaultStopWords: expected one of danish, dutch, english, .*, turkish for language, got "klingon"/);
  // the other lists Spark ships: sizes and first / last words of Spark's files
  const sizes: Record<string, [number, string, string]> = {
    danish: [94, 'og', 'sådan'], dutch: [101, 'de', 'andere'], finnish: [235, 'olla', 'itse'], french: [155, 'au', 'eussent'],
    german: [231, 'aber', 'zwischen'], hungarian: [199, 'a', 'volna'], italian: [279, 'ad', 'stando'], norwegian: [176, 'og', 'vart'],
    portuguese: [203, 'de', 'teriam'], russian: [151, 'и', 'между'], spanish: [313, 'de', 'tened'], swedish: [114, 'och', 'vilkas'], turkish: [53, 'acaba', 'yani'],
  };
  for (const [lang, [n, first, last]] of Object.entries(sizes)) {
    const w = StopWordsRemover.loadDefaultStopWords(lang);
    t.same([w.length, w[0], w[w.length - 1]], [n, first, last], lang);
  }
  const fr = spark.createDataFrame([{ w: ['Je', 'suis', 'là', 'avec', 'Été'] }]);
  t.same((await new StopWordsRemover({ inputCol: 'w', outputCol: 'o', stopWords: StopWordsRemover.loadDefaultStopWords('french') }).transform(fr).collect())[0]!.o, ['là']);
});

t.test('caseSensitive and locale; null tokens are kept', async (t) => {
  const df = spark.createDataFrame([{ w: ['The', 'the', 'THE', 'Istanbul', 'ISTANBUL', null] }], 'w array<string>');
  const go = async (o: ConstructorParameters<typeof StopWordsRemover>[0]) => (await new StopWordsRemover({ inputCol: 'w', outputCol: 'o', ...o }).transform(df).collect())[0]!.o;
  t.same(await go({ stopWords: ['the'] }), ['Istanbul', 'ISTANBUL', null]);
  t.same(await go({ stopWords: ['the'], caseSensitive: true }), ['The', 'THE', 'Istanbul', 'ISTANBUL', null]);
  t.same(await go({ stopWords: ['istanbul'] }), ['The', 'the', 'THE', null], 'en_US: I lower-cases to i');
  // tr: "I" lower-cases to dotless "ı", so ISTANBUL is not "istanbul" (Java's toLowerCase(Locale("tr")) too)
  t.same(await go({ stopWords: ['istanbul'], locale: 'tr' }), ['The', 'the', 'THE', 'Istanbul', 'ISTANBUL', null]);
  // Spark's new Locale("tr_TR") has language "tr_tr": no Turkish rules, as the root locale
  t.same(await go({ stopWords: ['istanbul'], locale: 'tr_TR' }), ['The', 'the', 'THE', null]);
  t.throws(() => new StopWordsRemover({ locale: 'english' }), /expected a locale such as en_US for locale, got "english"/);
});

t.test('errors: column types, single vs multi columns, existing output, null row', async (t) => {
  const df = spark.createDataFrame([{ w: ['a'], s: 'a' }]);
  t.throws(() => new StopWordsRemover({ inputCol: 's', outputCol: 'o' }).transform(df), /StopWordsRemover: column s \(inputCol\) must be of type array<string>, but is string/);
  t.throws(() => new StopWordsRemover({ inputCol: 'w', inputCols: ['w'], outputCol: 'o' }).transform(df), /StopWordsRemover: requires exactly one of inputCol, inputCols Params to be set, but both are set\./);
  t.throws(() => new StopWordsRemover({ inputCols: ['w'], outputCols: ['o', 'p'] }).transform(df), /inputCols has 1 columns, outputCols has 2/);
  t.throws(() => new StopWordsRemover({ inputCols: ['w'] }).transform(df), /inputCols is set, so outputCols must be set too/);
  t.throws(() => new StopWordsRemover({ inputCol: 'w', outputCol: 's' }).transform(df), /StopWordsRemover: Output column s already exists\./);
  t.throws(() => new StopWordsRemover({ stopWords: [1] as never }), /expected an array of strings for stopWords/);
  const nulls = spark.createDataFrame([{ w: ['a'] }, { w: null }], 'w array<string>');
  await t.rejects(new StopWordsRemover({ inputCol: 'w', outputCol: 'o' }).transform(nulls).collect(), /StopWordsRemover\.transform: row 1 of column w is null/);
});

t.test('empty DataFrame', async (t) => {
  const out = new StopWordsRemover({ inputCol: 'w', outputCol: 'o' }).transform(spark.createDataFrame([{ w: ['a'] }]).limit(0));
  t.same(out.columns, ['w', 'o']);
  t.same(await out.collect(), []);
});

t.test('persistence: Spark layout, in a Pipeline, Spark 3.1.2 and 2.3.2 stages', async (t) => {
  const dir = t.testdir();
  const r = new StopWordsRemover({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], stopWords: ['q'], caseSensitive: true });
  await r.save(join(dir, 'r'));
  const back = await StopWordsRemover.load(join(dir, 'r'));
  t.same(back.getInputCols(), ['a', 'b']);
  t.same(back.getStopWords(), ['q']);
  t.equal(back.getCaseSensitive(), true);
  const df = spark.createDataFrame([{ a: ['q', 'r'], b: ['Q'] }]);
  const pm = await new Pipeline({ stages: [r] }).fit(df);
  await pm.save(join(dir, 'pm'));
  t.same(await (await PipelineModel.load(join(dir, 'pm'))).transform(df).collect(), [{ a: ['q', 'r'], b: ['Q'], x: ['r'], y: ['Q'] }]);
  const spk = (await loadStage(join(SPARK_MODELS, 'pipeline-text-naivebayes-3.1.2', 'stages', '1_StopWordsRemover_2aa70fa7a850'), { api: 'test', session: null })) as StopWordsRemover;
  t.same(spk.getStopWords(), ['http', 'https', 'amp', 'rt', 't', 'c', 'the']);
  t.same(await spk.transform(spark.createDataFrame([{ words: ['rt', 'the', 'news', 'http', 'x'] }])).select('filtered').collect(), [{ filtered: ['news', 'x'] }]);
  const md = await readMetadata(join(SPARK_MODELS, 'pipeline-text-idf-logreg-2.3.2-metadata-only', 'stages', '0_StopWordsRemover_423599bec5871e3ffed4'));
  const old = new StopWordsRemover(undefined, md.uid);
  getAndSetParams(old, md);
  t.equal(old.getStopWords().length, 181);
  t.equal(old.getLocale(), 'en_US', 'Spark 2.3.2 wrote no locale: the default');
  t.equal(old.getCaseSensitive(), false);
  t.equal(old.getInputCol(), 'tokens');
});

t.test('local and local[2]: the same result', async (t) => {
  const docs = Array.from({ length: 40 }, (_, i) => ({ w: ['the', `w${i}`, 'and', i % 2 ? 'a' : 'B'] }));
  const stage = new StopWordsRemover({ inputCol: 'w', outputCol: 'o', stopWords: ['the', 'b'] });
  const local = await stage.transform(spark.createDataFrame(docs)).collect();
  await spark.stop();
  spark = await Session.builder().appName('stopwords2').master('local[2]').getOrCreate();
  t.same(await stage.transform(spark.createDataFrame(docs)).collect(), local);
  t.same(local[1]!.o, ['w1', 'and', 'a']);
});
