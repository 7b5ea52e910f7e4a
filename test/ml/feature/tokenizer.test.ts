// Tokenizer and RegexTokenizer: Spark's documented examples (PySpark docstrings and the ML guide
// "Extracting, transforming and selecting features"), Java's String.split rules, every param,
// local vs local[2], persistence (alone, in a Pipeline, the Spark 3.1.2 RegexTokenizer), errors.
import t from 'tap';
import { join } from 'node:path';
import { Tokenizer, RegexTokenizer, Pipeline, PipelineModel, loadStage } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('tokenizer').master('local').getOrCreate();
t.teardown(() => spark.stop());
const SPARK_MODELS = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models');

const sentences = () =>
  spark.createDataFrame([
    { id: 0, sentence: 'Hi I heard about Spark' },
    { id: 1, sentence: 'I wish Java could use case classes' },
    { id: 2, sentence: 'Logistic,regression,models,are,neat' },
  ]);

t.test('PySpark docstrings: Tokenizer and RegexTokenizer on "a b c" / "A B  c"', async (t) => {
  const tok = new Tokenizer({ outputCol: 'words' }).setInputCol('text');
  t.same(await tok.transform(spark.createDataFrame([{ text: 'a b c' }])).collect(), [{ text: 'a b c', words: ['a', 'b', 'c'] }]);
  t.same((await tok.setOutputCol('tokens').transform(spark.createDataFrame([{ text: 'a b c' }])).collect())[0]!.tokens, ['a', 'b', 'c']);
  const rt = new RegexTokenizer({ outputCol: 'words' }).setInputCol('text');
  t.same((await rt.transform(spark.createDataFrame([{ text: 'A B  c' }])).collect())[0]!.words, ['a', 'b', 'c']);
  t.equal(rt.getMinTokenLength(), 1);
  t.equal(rt.getGaps(), true);
  t.equal(rt.getPattern(), '\\s+');
  t.equal(rt.getToLowercase(), true);
  t.match(tok.getOutputCol(), 'tokens');
  const u = new Tokenizer(undefined, 'Tokenizer_0123456789ab');
  t.equal(u.getOutputCol(), 'Tokenizer_0123456789ab__output', 'default outputCol is <uid>__output');
});

t.test('ML guide: Tokenizer, RegexTokenizer(pattern \\W), RegexTokenizer(\\w+, gaps=false)', async (t) => {
  const words = (rows: Record<string, unknown>[]) => rows.map((r) => r.words);
  t.same(words(await new Tokenizer({ inputCol: 'sentence', outputCol: 'words' }).transform(sentences()).collect()), [
    ['hi', 'i', 'heard', 'about', 'spark'],
    ['i', 'wish', 'java', 'could', 'use', 'case', 'classes'],
    ['logistic,regression,models,are,neat'],
  ]);
  const byW = words(await new RegexTokenizer({ inputCol: 'sentence', outputCol: 'words', pattern: '\\W' }).transform(sentences()).collect());
  t.same(byW[2], ['logistic', 'regression', 'models', 'are', 'neat']);
  t.same(byW[0], ['hi', 'i', 'heard', 'about', 'spark']);
  const matched = words(await new RegexTokenizer({ inputCol: 'sentence', outputCol: 'words', pattern: '\\w+', gaps: false }).transform(sentences()).collect());
  t.same(matched, byW, 'matching tokens with \\w+ gives what splitting on \\W gives here');
});

t.test("Java's split: leading empty token kept, trailing removed, empty text, ASCII-only \\s", async (t) => {
  const df = spark.createDataFrame([{ s: ' a  B\t' }, { s: '' }, { s: '   ' }, { s: 'x\u00a0y' }]);
  const rows = await new Tokenizer({ inputCol: 's', outputCol: 'w' }).transform(df).collect();
  // Java: " a  b\t".split("\\s") = ["", "a", "", "b"]; "".split = [""]; "   ".split = []; NBSP is not \s
  t.same(rows.map((r) => r.w), [['', 'a', '', 'b'], [''], [], ['x\u00a0y']]);
  const rt = await new RegexTokenizer({ inputCol: 's', outputCol: 'w' }).transform(df).collect();
  // "\\s+" split, then minTokenLength 1 drops the empty tokens
  t.same(rt.map((r) => r.w), [['a', 'b'], [], [], ['x\u00a0y']]);
});

t.test('every RegexTokenizer param: minTokenLength, gaps, pattern, toLowercase; inline (?i)', async (t) => {
  const df = spark.createDataFrame([{ s: 'The quick BROWN fox, a cat' }]);
  const go = async (o: ConstructorParameters<typeof RegexTokenizer>[0]) => (await new RegexTokenizer({ inputCol: 's', outputCol: 'w', ...o }).transform(df).collect())[0]!.w;
  t.same(await go({ minTokenLength: 4 }), ['quick', 'brown', 'fox,']);
  t.same(await go({ minTokenLength: 0 }), ['the', 'quick', 'brown', 'fox,', 'a', 'cat']);
  t.same(await go({ toLowercase: false }), ['The', 'quick', 'BROWN', 'fox,', 'a', 'cat']);
  t.same(await go({ pattern: '[a-z]+', gaps: false, toLowercase: false }), ['he', 'quick', 'fox', 'a', 'cat']);
  t.same(await go({ pattern: '(?i)[a-z]+', gaps: false, toLowercase: false }), ['The', 'quick', 'BROWN', 'fox', 'a', 'cat']);
  t.same(await go({ pattern: '', gaps: true }), ['t', 'h', 'e', ' ', 'q', 'u', 'i', 'c', 'k', ' ', 'b', 'r', 'o', 'w', 'n', ' ', 'f', 'o', 'x', ',', ' ', 'a', ' ', 'c', 'a', 't'], 'Java "…".split("") gives every character');
});

t.test('errors: input type, null row, existing output, bad params and patterns', async (t) => {
  t.throws(() => new Tokenizer({ inputCol: 'n', outputCol: 'w' }).transform(spark.createDataFrame([{ n: 1 }])), /Tokenizer: column n \(inputCol\) must be of type string, but is (int|bigint|double)/);
  t.throws(() => new Tokenizer({ inputCol: 's', outputCol: 's' }).transform(spark.createDataFrame([{ s: 'a' }])), /Tokenizer: Output column s already exists\./);
  t.throws(() => new Tokenizer({ inputCol: 'x', outputCol: 'w' }).transform(spark.createDataFrame([{ s: 'a' }])), /cannot resolve column "x"/);
  const nulls = spark.createDataFrame([{ s: 'a' }, { s: 'b' }, { s: null }], 's string');
  await t.rejects(new Tokenizer({ inputCol: 's', outputCol: 'w' }).transform(nulls).collect(), { code: 'ERR_KINDLING_INVALID_ARG', message: /Tokenizer\.transform: row 2 of column s is null/ });
  await t.rejects(new RegexTokenizer({ inputCol: 's', outputCol: 'w' }).transform(nulls).collect(), /RegexTokenizer\.transform: row 2 of column s is null/);
  t.throws(() => new RegexTokenizer({ minTokenLength: -1 }), /RegexTokenizer: expected integer >= 0 for minTokenLength, got -1/);
  t.throws(() => new RegexTokenizer({ gaps: 'yes' as never }), /expected a boolean for gaps/);
  t.throws(() => new RegexTokenizer({ inputCol: 's', outputCol: 'w', pattern: '(' }).transform(spark.createDataFrame([{ s: 'a' }])), /RegexTokenizer: expected a valid regex .* for pattern, got "\(" \(string\)/);
  t.throws(() => new RegexTokenizer({ inputCol: 's', outputCol: 'w', pattern: 'a++' }).transform(spark.createDataFrame([{ s: 'a' }])), /no JavaScript equivalent/);
});

t.test('empty DataFrame gives an empty result with the output column', async (t) => {
  const empty = spark.createDataFrame([{ s: 'a' }]).limit(0);
  const out = new Tokenizer({ inputCol: 's', outputCol: 'w' }).transform(empty);
  t.same(out.columns, ['s', 'w']);
  t.same(await out.collect(), []);
  t.same(await new RegexTokenizer({ inputCol: 's', outputCol: 'w' }).transform(empty).collect(), []);
});

t.test('persistence: Spark layout, in a Pipeline, and the Spark 3.1.2 RegexTokenizer', async (t) => {
  const dir = t.testdir();
  const rt = new RegexTokenizer({ inputCol: 'sentence', outputCol: 'words', pattern: '\\W', minTokenLength: 2 });
  await rt.save(join(dir, 'rt'));
  const back = await RegexTokenizer.load(join(dir, 'rt'));
  t.equal(back.uid, rt.uid);
  t.equal(back.getPattern(), '\\W');
  t.equal(back.getMinTokenLength(), 2);
  const pm = await new Pipeline({ stages: [new Tokenizer({ inputCol: 'sentence', outputCol: 'toks' }), rt] }).fit(sentences());
  await pm.save(join(dir, 'pm'));
  const pm2 = await PipelineModel.load(join(dir, 'pm'));
  t.same(await pm2.transform(sentences()).collect(), await pm.transform(sentences()).collect());
  const spk = (await loadStage(join(SPARK_MODELS, 'pipeline-text-naivebayes-3.1.2', 'stages', '0_RegexTokenizer_1f6a6089f0dc'), { api: 'test', session: null })) as RegexTokenizer;
  t.ok(spk instanceof RegexTokenizer);
  t.equal(spk.getPattern(), '\\W');
  t.equal(spk.getInputCol(), 'description');
  t.equal(spk.getOutputCol(), 'words');
  t.equal(spk.getGaps(), true);
  const rows = await spk.transform(spark.createDataFrame([{ description: 'Hello, World! it_is 42' }])).collect();
  t.same(rows[0]!.words, ['hello', 'world', 'it_is', '42']);
});

t.test('local and local[2]: the same tokens; a null row is named over the whole DataFrame', async (t) => {
  const docs = Array.from({ length: 50 }, (_, i) => ({ s: `Doc ${i} has  ${'w'.repeat(i % 5)} words` }));
  const local = await new Tokenizer({ inputCol: 's', outputCol: 'w' }).transform(spark.createDataFrame(docs)).collect();
  await spark.stop();
  spark = await Session.builder().appName('tokenizer2').master('local[2]').getOrCreate();
  const df2 = spark.createDataFrame(docs);
  t.same(await new Tokenizer({ inputCol: 's', outputCol: 'w' }).transform(df2).collect(), local);
  const withNull = spark.createDataFrame([...docs, { s: null }], 's string');
  await t.rejects(new Tokenizer({ inputCol: 's', outputCol: 'w' }).transform(withNull).collect(), /Tokenizer\.transform: row 50 of column s is null/);
});

t.test("Tokenizer's byte path (ASCII documents) gives the tokens of the string path", async (t) => {
  const { tokenize } = await import('../../../ts/ml/feature/text/text-tokens.js');
  const parts = ['a', 'B', 'Ünï', ' ', '  ', '\t', '\n', '\r\n', '\f', '\x0B', 'x\u00a0y', 'İ', 'Hello', ''];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const docs = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(next() * 8) }, () => parts[Math.floor(next() * parts.length)]!).join(''));
  const rows = await new Tokenizer({ inputCol: 's', outputCol: 'w' }).transform(spark.createDataFrame(docs.map((s) => ({ s })))).collect();
  t.same(rows.map((r) => r.w), docs.map(tokenize));
});
