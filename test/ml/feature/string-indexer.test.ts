// StringIndexer / StringIndexerModel / IndexToString: PySpark's documented examples (feature.py
// doctests), every stringOrderType with its tie-break, handleInvalid on unseen and null values,
// numeric input cast to string, the NominalAttribute metadata, persistence (Spark 3 layout, the
// Spark 3.5.3 fixture, a Spark 2.4.4 `labels` layout, within a Pipeline), local vs local[2].
import t from 'tap';
import { readFileSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { StringIndexer, StringIndexerModel, IndexToString, Pipeline, PipelineModel, attributeOf, NominalAttribute, writeData } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { fromValues, makeBatch } from '../../../ts/src/dataframe/batch.js';

const shared = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'spark-models');
let spark = await Session.builder().appName('string-indexer').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

const docRows = [[0, 'a'], [1, 'b'], [2, 'c'], [3, 'a'], [4, 'a'], [5, 'c']].map(([id, label]) => ({ id, label }));
const pairs = async (df: ReturnType<typeof spark.createDataFrame>, a: string, b: string) => (await df.select(a, b).collect()).map((r) => [Number(r[a]), r[b]]);

t.test("PySpark doctest: frequencyDesc, IndexToString with the model's labels, alphabetDesc, from_labels", async (t) => {
  const df = spark.createDataFrame(docRows);
  const model = await new StringIndexer({ inputCol: 'label', outputCol: 'indexed', stringOrderType: 'frequencyDesc' }).setHandleInvalid('error').fit(df);
  t.same(model.labels, ['a', 'c', 'b']);
  const td = model.transform(df);
  t.same(await pairs(td, 'id', 'indexed'), [[0, 0], [1, 2], [2, 1], [3, 0], [4, 0], [5, 1]]);
  const itd = new IndexToString({ inputCol: 'indexed', outputCol: 'label2', labels: model.labels }).transform(td);
  t.same(await pairs(itd, 'id', 'label2'), [[0, 'a'], [1, 'b'], [2, 'c'], [3, 'a'], [4, 'a'], [5, 'c']]);
  const alpha = await new StringIndexer({ inputCol: 'label', outputCol: 'indexed', stringOrderType: 'alphabetDesc' }).fit(df);
  t.same(await pairs(alpha.transform(df), 'id', 'indexed'), [[0, 2], [1, 1], [2, 0], [3, 2], [4, 2], [5, 0]]);
  const from = StringIndexerModel.fromLabels(['a', 'b', 'c'], { inputCol: 'label', outputCol: 'indexed', handleInvalid: 'error' });
  t.same(await pairs(from.transform(df), 'id', 'indexed'), [[0, 0], [1, 1], [2, 2], [3, 0], [4, 0], [5, 2]]);
  t.equal(model.uid, model.parent?.uid);
});

t.test('PySpark doctest: inputCols/outputCols, labelsArray, from_arrays_of_labels', async (t) => {
  const rows = [['a', 'e'], ['b', 'f'], ['c', 'e'], ['a', 'f'], ['a', 'f'], ['c', 'f']].map(([label1, label2], id) => ({ id, label1, label2 }));
  const df = spark.createDataFrame(rows);
  const model = await new StringIndexer({ inputCols: ['label1', 'label2'], outputCols: ['index1', 'index2'] }).fit(df);
  t.same(model.labelsArray, [['a', 'c', 'b'], ['f', 'e']]);
  const got = (await model.transform(df).select('id', 'index1', 'index2').collect()).map((r) => [r.id, r.index1, r.index2]);
  t.same(got, [[0, 0, 1], [1, 2, 0], [2, 1, 1], [3, 0, 0], [4, 0, 0], [5, 1, 0]]);
  const from = StringIndexerModel.fromArraysOfLabels([['a', 'b', 'c'], ['e', 'f']], { inputCols: ['label1', 'label2'], outputCols: ['index1', 'index2'] });
  const got2 = (await from.transform(df).select('id', 'index1', 'index2').collect()).map((r) => [r.id, r.index1, r.index2]);
  t.same(got2, [[0, 0, 0], [1, 1, 1], [2, 2, 0], [3, 0, 1], [4, 0, 1], [5, 2, 1]]);
  t.throws(() => model.labels, /labels is only available for a model of one input column; this model has 2/);
});

t.test("ML guide: StringIndexer and its handleInvalid example; IndexToString from the metadata", async (t) => {
  const df = spark.createDataFrame([[0, 'a'], [1, 'b'], [2, 'c'], [3, 'a'], [4, 'a'], [5, 'c']].map(([id, category]) => ({ id, category })));
  const m = await new StringIndexer({ inputCol: 'category', outputCol: 'categoryIndex' }).fit(df);
  const indexed = m.transform(df);
  t.same(await pairs(indexed, 'id', 'categoryIndex'), [[0, 0], [1, 2], [2, 1], [3, 0], [4, 0], [5, 1]]);
  const converted = new IndexToString({ inputCol: 'categoryIndex', outputCol: 'originalCategory' }).transform(indexed);
  t.same(await pairs(converted, 'id', 'originalCategory'), [[0, 'a'], [1, 'b'], [2, 'c'], [3, 'a'], [4, 'a'], [5, 'c']]);
  const train = spark.createDataFrame([[0, 'a'], [1, 'b'], [2, 'c']].map(([id, category]) => ({ id, category })));
  const test = spark.createDataFrame([[0, 'a'], [1, 'b'], [2, 'c'], [3, 'd'], [4, 'e']].map(([id, category]) => ({ id, category })));
  const fitted = await new StringIndexer({ inputCol: 'category', outputCol: 'categoryIndex' }).fit(train);
  t.same(await pairs(fitted.copy().setHandleInvalid('skip').transform(test), 'id', 'categoryIndex'), [[0, 0], [1, 1], [2, 2]]);
  t.same(await pairs(fitted.copy().setHandleInvalid('keep').transform(test), 'id', 'categoryIndex'), [[0, 0], [1, 1], [2, 2], [3, 3], [4, 3]]);
});

t.test('defaults, every stringOrderType with ties broken alphabetically', async (t) => {
  const si = new StringIndexer();
  t.equal(si.getHandleInvalid(), 'error');
  t.equal(si.getStringOrderType(), 'frequencyDesc');
  t.equal(si.getOutputCol(), `${si.uid}__output`);
  // counts: b 3, a 2, d 2, c 1, e 1
  const df = spark.createDataFrame(['b', 'a', 'd', 'b', 'c', 'a', 'e', 'd', 'b'].map((s) => ({ s })));
  const labels = async (o: 'frequencyDesc' | 'frequencyAsc' | 'alphabetDesc' | 'alphabetAsc') => (await new StringIndexer({ inputCol: 's', outputCol: 'i', stringOrderType: o }).fit(df)).labels;
  t.same(await labels('frequencyDesc'), ['b', 'a', 'd', 'c', 'e']);
  t.same(await labels('frequencyAsc'), ['c', 'e', 'a', 'd', 'b']);
  t.same(await labels('alphabetAsc'), ['a', 'b', 'c', 'd', 'e']);
  t.same(await labels('alphabetDesc'), ['e', 'd', 'c', 'b', 'a']);
  t.throws(() => new StringIndexer({ stringOrderType: 'random' as never }), /stringOrderType/);
});

t.test('numeric inputs are cast to string as Spark does (booleans refused, as Spark); output metadata is a NominalAttribute', async (t) => {
  const df = spark.createDataFrame([{ x: 1.0, n: 7 }, { x: 2.5, n: 8 }, { x: 1.0, n: 7 }], new arrow.Schema([new arrow.Field('x', new arrow.Float64(), true), new arrow.Field('n', new arrow.Int32(), true)]));
  const m = await new StringIndexer({ inputCols: ['x', 'n'], outputCols: ['xi', 'ni'] }).fit(df);
  t.same(m.labelsArray, [['1.0', '2.5'], ['7', '8']]);
  const out = m.transform(df);
  const field = out.schema.fields.find((f) => f.name === 'xi')!;
  t.equal(field.type.toString(), 'Float64');
  t.same(JSON.parse(field.metadata.get('ml_attr')!), { type: 'nominal', name: 'xi', vals: ['1.0', '2.5'] });
  const attr = attributeOf(field);
  t.ok(attr instanceof NominalAttribute);
  t.same((attr as NominalAttribute).values, ['1.0', '2.5']);
  t.same((await out.select('xi', 'ni').collect()).map((r) => [r.xi, r.ni]), [[0, 0], [1, 1], [0, 0]]);
  // IndexToString reads the labels from the metadata when its labels param is not set
  const back = new IndexToString({ inputCol: 'xi', outputCol: 'xs' }).transform(out);
  t.same((await back.select('xs').collect()).map((r) => r.xs), ['1.0', '2.5', '1.0']);
  // NaN is not a label (Spark counts it as null); at transform "NaN" is an unseen label
  const withNaN = spark.createDataFrame([{ x: 1.0 }, { x: NaN }, { x: NaN }]);
  const nm = await new StringIndexer({ inputCol: 'x', outputCol: 'i', handleInvalid: 'keep' }).fit(withNaN);
  t.same(nm.labels, ['1.0']);
  t.same((await nm.transform(withNaN).collect()).map((r) => r.i), [0, 1, 1]);
  await t.rejects(new StringIndexer({ inputCol: 'b', outputCol: 'o' }).fit(spark.createDataFrame([{ b: true }])), /StringIndexer: The input column b must be either string type or numeric type, but got boolean\./);
});

t.test('the model skips an input column the DataFrame lacks (a label column absent when scoring), as Spark 3', async (t) => {
  const train = spark.createDataFrame([{ f: 'u', label: 'yes' }, { f: 'v', label: 'no' }, { f: 'u', label: 'yes' }]);
  const m = await new StringIndexer({ inputCols: ['f', 'label'], outputCols: ['fi', 'li'] }).fit(train);
  const scored = m.transform(spark.createDataFrame([{ f: 'v' }, { f: 'u' }]));
  t.same(scored.schema.fields.map((x) => x.name), ['f', 'fi']);
  t.same((await scored.collect()).map((r) => r.fi), [1, 0]);
  const single = StringIndexerModel.from(['a'], { inputCol: 'label', outputCol: 'li' });
  const df = spark.createDataFrame([{ f: 'v' }]);
  t.equal(single.transform(df), df, 'nothing to index: the DataFrame as it is');
});

t.test('handleInvalid: unseen labels and nulls (error names value, column, row; skip drops; keep → numLabels)', async (t) => {
  const train = spark.createDataFrame([{ s: 'a' }, { s: 'b' }, { s: 'a' }, { s: null }]);
  const m = await new StringIndexer({ inputCol: 's', outputCol: 'i' }).fit(train);
  t.same(m.labels, ['a', 'b'], 'nulls are not labels');
  const test = spark.createDataFrame([{ s: 'a' }, { s: 'z' }, { s: null }, { s: 'b' }]).repartition(1);
  await t.rejects(m.transform(test).collect(), /StringIndexer\.transform: row 1 of column s holds the unseen label "z"/);
  await t.rejects(m.transform(spark.createDataFrame([{ s: 'a' }, { s: null }]).repartition(1)).collect(), /row 1 of column s is null/);
  // two partitions: the row is numbered over the whole DataFrame
  await t.rejects(m.transform(spark.createDataFrame(['a', 'b', 'a', 'q'].map((s) => ({ s })))).collect(), /row 3 of column s holds the unseen label "q"/);
  const skip = (await m.copy().setHandleInvalid('skip').transform(test).select('s', 'i').collect()).map((r) => [r.s, r.i]);
  t.same(skip, [['a', 0], ['b', 1]]);
  const keepModel = m.copy().setHandleInvalid('keep');
  const keep = keepModel.transform(test);
  t.same((await keep.select('s', 'i').collect()).map((r) => [r.s, r.i]), [['a', 0], ['z', 2], [null, 2], ['b', 1]]);
  t.same(JSON.parse(keep.schema.fields.find((f) => f.name === 'i')!.metadata.get('ml_attr')!).vals, ['a', 'b', '__unknown']);
  t.throws(() => new StringIndexer({ handleInvalid: 'drop' as never }), /one of skip, error, keep for handleInvalid/);
});

t.test('bad params and columns', async (t) => {
  const df = spark.createDataFrame([{ s: 'a', v: [1, 2] }]);
  await t.rejects(new StringIndexer({ inputCol: 's', inputCols: ['s'], outputCol: 'o' }).fit(df), /StringIndexer requires exactly one of inputCol, inputCols Params to be set, but both are set/);
  await t.rejects(new StringIndexer().fit(df), /but neither is set/);
  await t.rejects(new StringIndexer({ inputCols: ['s'], outputCols: ['a', 'b'] }).fit(df), /inputCols has 1 columns but outputCols has 2/);
  await t.rejects(new StringIndexer({ inputCol: 'v', outputCol: 'o' }).fit(df), /The input column v must be either string type or numeric type, but got array/);
  await t.rejects(new StringIndexer({ inputCol: 's', outputCol: 's' }).fit(df), /Output column s already exists/);
  await t.rejects(new StringIndexer({ inputCol: 'nope', outputCol: 'o' }).fit(df), /nope/);
  t.throws(() => StringIndexerModel.from('abc' as never), /expected an array of strings for labels/);
  t.throws(() => new IndexToString({ inputCol: 's', outputCol: 'o' }).transform(df), /column s \(inputCol\) must be of a numeric type/);
  const idx = spark.createDataFrame([{ i: 0 }, { i: 3 }]).repartition(1);
  await t.rejects(new IndexToString({ inputCol: 'i', outputCol: 'o', labels: ['a', 'b'] }).transform(idx).collect(), /IndexToString\.transform: row 1 of column i holds the index 3\.0, which has no label/);
  t.throws(() => new IndexToString({ inputCol: 'i', outputCol: 'o' }).transform(idx), /the labels param is not set and column i has no nominal attribute/);
});

t.test('empty DataFrame: no labels; transform of an empty frame is empty', async (t) => {
  const empty = spark.createDataFrame([], new arrow.Schema([new arrow.Field('s', new arrow.Utf8(), true)]));
  const m = await new StringIndexer({ inputCol: 's', outputCol: 'i' }).fit(empty);
  t.same(m.labels, []);
  t.same(await m.transform(empty).collect(), []);
});

t.test('persistence: Spark 3 layout round trip, within a Pipeline; the Spark 3.5.3 model; a Spark 2.4.4 `labels` model', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(docRows);
  const m = await new StringIndexer({ inputCol: 'label', outputCol: 'indexed', handleInvalid: 'keep' }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.StringIndexerModel');
  t.same(meta.paramMap, { inputCol: 'label', outputCol: 'indexed', handleInvalid: 'keep' });
  t.same(meta.defaultParamMap, { outputCol: `${m.uid}__output`, handleInvalid: 'error', stringOrderType: 'frequencyDesc' });
  const back = await StringIndexerModel.load(join(dir, 'm'));
  t.same(back.labelsArray, [['a', 'c', 'b']]);
  t.equal(back.getHandleInvalid(), 'keep');
  const pm = await new Pipeline({ stages: [new StringIndexer({ inputCol: 'label', outputCol: 'idx' }), new IndexToString({ inputCol: 'idx', outputCol: 'orig' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  const pb = await PipelineModel.load(join(dir, 'p'));
  t.same((await pb.transform(df).select('orig').collect()).map((r) => r.orig), ['a', 'b', 'c', 'a', 'a', 'c']);
  const spk = await StringIndexerModel.load(join(shared, 'stringindexer-3.5.3'));
  t.equal(spk.uid, 'StringIndexer_854bb51fb29a');
  t.equal(spk.getInputCol(), 'Payment_currency');
  t.equal(spk.getOutputCol(), 'Payment_currency_index');
  t.equal(spk.labels.length, 13);
  t.same(spk.labels.slice(0, 3), ['UK pounds', 'Euro', 'Turkish lira']);
  const pay = spark.createDataFrame([{ Payment_currency: 'Euro' }, { Payment_currency: 'Indian rupee' }]);
  t.same((await spk.transform(pay).collect()).map((r) => r.Payment_currency_index), [1, 12]);
  // the StringIndexerModel stage of the Spark 3.1.2 text pipeline: 11 labels (its NaiveBayes has 11 classes)
  const nb = await StringIndexerModel.load(join(shared, 'pipeline-text-naivebayes-3.1.2', 'stages', '3_StringIndexer_914ec6ff461c'));
  t.same([nb.getInputCol(), nb.getOutputCol(), nb.labels.length, nb.getStringOrderType()], ['category', 'label', 11, 'frequencyDesc']);
  // Spark 2.4.4: the fixture's metadata, with data in Spark 2's `labels` column
  const v2 = join(dir, 'v2');
  mkdirSync(v2);
  cpSync(join(shared, 'apache-spark-ml-models-metadata-only', 'strIndexerModel-2.4.4', 'metadata'), join(v2, 'metadata'), { recursive: true });
  const ty = new arrow.List(new arrow.Field('element', new arrow.Utf8(), true));
  const schema = new arrow.Schema([new arrow.Field('labels', ty, true)]);
  await writeData(v2, { schema, batches: [makeBatch(schema, [fromValues(ty, [['b', 'a']])], 1)] });
  const old = await StringIndexerModel.load(v2);
  t.equal(old.uid, 'myStringIndexerModel');
  t.same(old.labels, ['b', 'a']);
  t.equal(old.getHandleInvalid(), 'skip');
  t.equal(old.getInputCol(), 'myInputCol');
});

t.test('local and local[2] give the same labels and indices', async (t) => {
  const rows = Array.from({ length: 50 }, (_, i) => ({ s: String.fromCharCode(97 + ((i * 7) % 5) + (i % 3)) }));
  const run = async () => {
    const df = spark.createDataFrame(rows);
    const m = await new StringIndexer({ inputCol: 's', outputCol: 'i' }).fit(df);
    return { labels: m.labels, idx: (await m.transform(df).collect()).map((r) => r.i) };
  };
  const two = await run();
  await spark.stop();
  spark = await Session.builder().appName('string-indexer-1').master('local').getOrCreate();
  t.same(await run(), two);
});
