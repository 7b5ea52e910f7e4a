// Feature stages together, as a Spark ML script chains them: ML attributes flow from
// StringIndexer / OneHotEncoder / VectorSizeHint through VectorAssembler (Spark's names) to
// VectorSlicer's names; sparse vectors stay sparse through HashingTF -> IDF -> Normalizer ->
// VectorAssembler; CountVectorizer feeds LDA; the whole chain saves and loads as a Pipeline.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, col } from '../../../ts/src/index.js';
import {
  AttributeGroup, BinaryAttribute, CountVectorizer, DenseVector, HashingTF, IDF, LDA, NominalAttribute, Normalizer, OneHotEncoder, UnresolvedAttribute, attributeOf,
  Pipeline, PipelineModel, SparseVector, StringIndexer, Tokenizer, VectorAssembler, VectorSizeHint, VectorSlicer, Vectors,
} from '../../../ts/ml/index.js';

const spark = await Session.builder().appName('feature-pipelines').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

const rows = [
  { hour: 18, mobile: 1.0, colour: 'red', user: Vectors.dense([0.0, 10.0, 0.5]) },
  { hour: 9, mobile: 0.0, colour: 'blue', user: Vectors.dense([1.0, 11.0, 0.0]) },
  { hour: 12, mobile: 1.0, colour: 'red', user: Vectors.dense([2.0, 12.0, 0.25]) },
];

t.test("VectorAssembler names its attributes as Spark: <col>, <col>_<i>, <col>_<name>, nominal and binary kept", async (t) => {
  const df = spark.createDataFrame(rows);
  const indexed = await new StringIndexer({ inputCol: 'colour', outputCol: 'colourIdx' }).fit(df);
  const ohe = await new OneHotEncoder({ inputCols: ['colourIdx'], outputCols: ['colourVec'], dropLast: false }).fit(indexed.transform(df));
  const withVecs = ohe.transform(indexed.transform(df));
  const assembled = new VectorAssembler({ inputCols: ['hour', 'mobile', 'colourIdx', 'user', 'colourVec'], outputCol: 'features' }).transform(withVecs);
  const group = AttributeGroup.fromField(assembled.schema.fields.find((f) => f.name === 'features')!);
  t.equal(group.size, 1 + 1 + 1 + 3 + 2);
  t.same(group.attributes!.map((a) => a.name), ['hour', 'mobile', 'colourIdx', 'user_0', 'user_1', 'user_2', 'colourVec_red', 'colourVec_blue']);
  t.same(group.attributes!.map((a) => a.attrType), ['numeric', 'numeric', 'nominal', 'numeric', 'numeric', 'numeric', 'binary', 'binary']);
  t.same((group.getAttr(2) as NominalAttribute).values, ['red', 'blue'], 'StringIndexer labels, frequency order');
  t.ok(group.getAttr(6) instanceof BinaryAttribute);
  t.same(group.attributes!.map((a) => a.index), [0, 1, 2, 3, 4, 5, 6, 7]);
  // The metadata survives select and Parquet, so a later stage (VectorSlicer by name) sees it.
  const dir = join(mkdtempSync(join(tmpdir(), 'kindling-attrs-')), 'assembled.parquet');
  await assembled.select('features').write.parquet(dir);
  const back = await spark.read.parquet(dir);
  const sliced = new VectorSlicer({ inputCol: 'features', outputCol: 'picked', names: ['user_1', 'mobile'] }).transform(back);
  const picked = (await sliced.select('picked').collect()).map((r) => Array.from((r.picked as DenseVector | SparseVector).toArray()));
  t.same(picked.sort((a, b) => a[0]! - b[0]!), [[10, 1], [11, 0], [12, 1]]);
  const out = AttributeGroup.fromField(sliced.schema.fields.find((f) => f.name === 'picked')!);
  t.same(out.attributes!.map((a) => a.name), ['user_1', 'mobile']);
});

t.test("VectorAssembler with handleInvalid 'keep' takes a struct column's size from VectorSizeHint", async (t) => {
  const df = spark.createDataFrame([{ a: 1.5, v: Vectors.sparse(3, [1], [2]) }, { a: null, v: null }]);
  const bare = new VectorAssembler({ inputCols: ['a', 'v'], outputCol: 'f', handleInvalid: 'keep' });
  t.throws(() => bare.transform(df), /Can not infer column lengths with handleInvalid = "keep" for the VectorUDT struct column\(s\) \[v\]/);
  const hinted = new VectorSizeHint({ inputCol: 'v', size: 3, handleInvalid: 'optimistic' }).transform(df);
  const out = (await bare.transform(hinted).collect()).map((r) => Array.from((r.f as DenseVector | SparseVector).toArray()));
  t.same(out[0], [1.5, 0, 2, 0]);
  t.ok(out[1]!.every((x) => Number.isNaN(x)), 'a null number and a null vector of size 3 become 4 NaNs');
  t.equal(AttributeGroup.fromField(bare.transform(hinted).schema.fields.at(-1)!).size, 4);
});

t.test('sparse vectors stay sparse through HashingTF -> IDF -> Normalizer -> VectorAssembler', async (t) => {
  const docs = spark.createDataFrame([
    { id: 0, text: 'spark is fast and spark is fun' },
    { id: 1, text: 'kindling runs spark ml in typescript' },
    { id: 2, text: 'fast columnar kernels' },
  ]);
  const pipeline = new Pipeline({
    stages: [
      new Tokenizer({ inputCol: 'text', outputCol: 'words' }),
      new HashingTF({ inputCol: 'words', outputCol: 'tf', numFeatures: 1 << 10 }),
      new IDF({ inputCol: 'tf', outputCol: 'tfidf' }),
      new Normalizer({ inputCol: 'tfidf', outputCol: 'unit', p: 2 }),
      new VectorAssembler({ inputCols: ['id', 'unit'], outputCol: 'features' }),
    ],
  });
  const model = await pipeline.fit(docs);
  const out = await model.transform(docs).orderBy('id').select('id', 'tf', 'tfidf', 'unit', 'features').collect();
  for (const r of out) {
    for (const c of ['tf', 'tfidf', 'unit', 'features'] as const) t.ok(r[c] instanceof SparseVector, `${c} is sparse`);
    const unit = r.unit as SparseVector;
    const norm = Math.sqrt(Array.from(unit.values).reduce((s, v) => s + v * v, 0));
    t.ok(Math.abs(norm - 1) < 1e-12, 'unit norm');
    const f = r.features as SparseVector;
    t.equal(f.size, 1 + (1 << 10));
    // VectorAssembler keeps the non-zeros (IDF keeps a term's stored entry even when its idf is 0).
    const nonZero = Array.from(unit.indices).filter((_, k) => unit.values[k] !== 0).map((i) => i + 1);
    t.same(Array.from(f.indices), r.id === 0 ? nonZero : [0, ...nonZero], 'features = [id, unit...]');
  }
  // idf = ln((m + 1) / (df + 1)): "fast" is in 2 of 3 documents.
  const fast = new HashingTF({ numFeatures: 1 << 10 }).indexOf('fast');
  const idf = (model.stages[2] as unknown as { idf: DenseVector }).idf;
  t.ok(Math.abs(idf.toArray()[fast]! - Math.log(4 / 3)) < 1e-12);
  const dir = join(mkdtempSync(join(tmpdir(), 'kindling-textpipe-')), 'model');
  await model.save(dir);
  const loaded = await PipelineModel.load(dir);
  t.same(await loaded.transform(docs).orderBy('id').select('features').collect(), out.map((r) => ({ features: r.features })));
});

t.test('CountVectorizer output feeds LDA (topic extraction)', async (t) => {
  const corpus = spark.createDataFrame([
    { words: ['spark', 'ml', 'spark', 'pipeline'] },
    { words: ['cat', 'dog', 'cat', 'pet'] },
    { words: ['spark', 'pipeline', 'ml'] },
    { words: ['dog', 'pet', 'cat'] },
  ]);
  const cv = await new CountVectorizer({ inputCol: 'words', outputCol: 'features' }).fit(corpus);
  t.same(cv.vocabulary.slice(0, 3), ['cat', 'spark', 'dog'], 'by term frequency, ties by term');
  const lda = await new LDA({ k: 2, maxIter: 10, seed: 1 }).fit(cv.transform(corpus));
  t.equal(lda.vocabSize(), cv.vocabulary.length);
  const topics = await lda.describeTopics(3).collect();
  t.equal(topics.length, 2);
  for (const r of topics) t.ok((r.termIndices as number[]).every((i) => i >= 0 && i < cv.vocabulary.length));
});

t.test("a column reference keeps StringIndexer's nominal attribute; an expression over it has none", async (t) => {
  const df = spark.createDataFrame(rows);
  const indexed = (await new StringIndexer({ inputCol: 'colour', outputCol: 'ci' }).fit(df)).transform(df);
  const kept = attributeOf(indexed.select('ci').schema.fields[0]!);
  t.ok(kept instanceof NominalAttribute);
  t.same((kept as NominalAttribute).values, ['red', 'blue']);
  t.ok(attributeOf(indexed.select(col('ci').plus(1).alias('x')).schema.fields[0]!) instanceof UnresolvedAttribute);
});
