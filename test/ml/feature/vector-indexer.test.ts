// VectorIndexer / VectorIndexerModel: PySpark's doctest (categoryMaps with 0.0 first, extra params
// at fit, skip and keep on an unseen value), maxCategories, sparse input, the output
// AttributeGroup (nominal / binary / numeric), bad input, persistence (Spark's map layout, in a
// Pipeline), empty DataFrame, local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { VectorIndexer, VectorIndexerModel, Vectors, DenseVector, SparseVector, AttributeGroup, NominalAttribute, BinaryAttribute, Pipeline, PipelineModel, ParamMap } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';

let spark = await Session.builder().appName('vector-indexer').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

const arr = (v: unknown) => Array.from((v as DenseVector | SparseVector).toArray());
const maps = (m: VectorIndexerModel) => Object.fromEntries([...m.categoryMaps].map(([j, mm]) => [j, [...mm]]));
const doc = () => spark.createDataFrame([{ a: Vectors.dense([-1.0, 0.0]) }, { a: Vectors.dense([0.0, 1.0]) }, { a: Vectors.dense([0.0, 2.0]) }]);

t.test('PySpark doctest', async (t) => {
  const df = doc();
  const indexer = new VectorIndexer({ maxCategories: 2, inputCol: 'a' }).setOutputCol('indexed');
  const model = await indexer.fit(df);
  t.equal(indexer.getHandleInvalid(), 'error');
  model.setOutputCol('output');
  t.same(arr((await model.transform(df).first())!.output), [1, 0]);
  t.equal(model.numFeatures, 2);
  t.same(maps(model), { 0: [[0, 0], [-1, 1]] });
  t.same(arr((await indexer.setOutputCol('test').fit(df).then((m) => m.transform(df).collect()))[1]!.test), [0, 1]);
  const model2 = await indexer.fit(df, ParamMap.of([indexer.maxCategories, 3], [indexer.outputCol, 'vector']));
  t.same(arr((await model2.transform(df).first())!.vector), [1, 0]);
  const invalid = spark.createDataFrame([{ a: Vectors.dense([3.0, 1.0]) }]);
  const model3 = await indexer.setHandleInvalid('skip').fit(df);
  t.equal(await model3.transform(invalid).count(), 0);
  const model4 = await indexer.setHandleInvalid('keep').setOutputCol('indexed').fit(df);
  t.same(arr((await model4.transform(invalid).first())!.indexed), [2, 1]);
});

t.test('defaults; maxCategories; metadata marks categorical features', async (t) => {
  const vi = new VectorIndexer();
  t.equal(vi.getMaxCategories(), 20);
  t.equal(vi.getHandleInvalid(), 'error');
  t.throws(() => new VectorIndexer({ maxCategories: 1 }), /an integer >= 2 for maxCategories/);
  // feature 0: {0, 5, 7} (3 values), feature 1: {1, 2} (binary), feature 2: 4 values (continuous at maxCategories 3)
  const df = spark.createDataFrame([[5, 1, 0.5], [0, 2, 1.5], [7, 1, 2.5], [0, 2, 3.5]].map((r) => ({ f: Vectors.dense(r) })));
  const m = await new VectorIndexer({ inputCol: 'f', outputCol: 'o', maxCategories: 3 }).fit(df);
  t.same(maps(m), { 0: [[0, 0], [5, 1], [7, 2]], 1: [[1, 0], [2, 1]] });
  const out = m.transform(df);
  t.same((await out.collect()).map((r) => arr(r.o)), [[1, 0, 0.5], [0, 1, 1.5], [2, 0, 2.5], [0, 1, 3.5]]);
  const field = out.schema.fields.find((f) => f.name === 'o')!;
  t.same(JSON.parse(field.metadata.get('ml_attr')!), {
    attrs: { nominal: [{ idx: 0, ord: false, vals: ['0.0', '5.0', '7.0'] }], binary: [{ idx: 1, vals: ['1.0', '2.0'] }] },
    num_attrs: 3,
  });
  const g = AttributeGroup.fromField(field);
  t.ok(g.getAttr(0) instanceof NominalAttribute);
  t.ok(g.getAttr(1) instanceof BinaryAttribute);
  const keepField = m.copy().setHandleInvalid('keep').transform(df).schema.fields.find((f) => f.name === 'o')!;
  t.same((AttributeGroup.fromField(keepField).getAttr(1) as NominalAttribute).values, ['1.0', '2.0', '__unknown']);
});

t.test('sparse vectors stay sparse; only stored entries are mapped', async (t) => {
  const df = spark.createDataFrame([{ f: Vectors.sparse(3, [0], [4]) }, { f: Vectors.sparse(3, [1], [9]) }, { f: Vectors.sparse(3, [0, 2], [3, 1]) }]);
  const m = await new VectorIndexer({ inputCol: 'f', outputCol: 'o', maxCategories: 2 }).fit(df);
  // feature 0: {4, 0, 3} → continuous at 2; feature 1: {0, 9}; feature 2: {0, 1}
  t.same(maps(m), { 1: [[0, 0], [9, 1]], 2: [[0, 0], [1, 1]] });
  const out = (await m.transform(df).collect()).map((r) => r.o);
  t.ok(out.every((v) => v instanceof SparseVector));
  t.same(out.map(arr), [[4, 0, 0], [0, 1, 0], [3, 0, 1]]);
});

t.test('handleInvalid: an unseen value, NaN, a null vector; bad input', async (t) => {
  const m = await new VectorIndexer({ inputCol: 'a', outputCol: 'o', maxCategories: 2 }).fit(doc());
  const test = spark.createDataFrame([{ a: Vectors.dense([0, 1]) }, { a: Vectors.dense([NaN, 1]) }, { a: null }, { a: Vectors.dense([4, 1]) }], new arrow.Schema([new arrow.Field('a', doc().schema.fields[0]!.type, true)])).repartition(1);
  await t.rejects(m.transform(test).collect(), /VectorIndexer\.transform: row 1 of column a holds the invalid value NaN on feature index 0/);
  await t.rejects(m.transform(spark.createDataFrame([{ a: Vectors.dense([4, 1]) }])).collect(), /row 0 of column a holds the invalid value 4\.0 on feature index 0/);
  t.same((await m.copy().setHandleInvalid('skip').transform(test).collect()).map((r) => arr(r.o)), [[0, 1]]);
  const kept = (await m.copy().setHandleInvalid('keep').transform(test).collect()).map((r) => (r.o === null ? null : arr(r.o)));
  t.same(kept, [[0, 1], [2, 1], null, [2, 1]]);
  await t.rejects(m.transform(spark.createDataFrame([{ a: Vectors.dense([0, 1, 2]) }])).collect(), /has size 3, but VectorIndexerModel expected vectors of length 2/);
  await t.rejects(new VectorIndexer({ inputCol: 'a', outputCol: 'o' }).fit(spark.createDataFrame([{ a: Vectors.sparse(2, [0], [1]) }, { a: Vectors.sparse(3, [0], [1]) }]).repartition(1)), /VectorIndexer\.fit: row 1 of the input vector column has size 3, but earlier rows have size 2/);
  await t.rejects(new VectorIndexer({ inputCol: 'a', outputCol: 'o' }).fit(spark.createDataFrame([{ a: 1 }])), /column a \(inputCol\) must be a vector column, but is bigint/);
  const empty = spark.createDataFrame([], doc().schema);
  await t.rejects(new VectorIndexer({ inputCol: 'a', outputCol: 'o' }).fit(empty), /the DataFrame has no rows to fit on/);
  t.same(await m.transform(empty).collect(), []);
  t.throws(() => new VectorIndexerModel({ numFeatures: 2, categoryMaps: new Map([[5, new Map()]]) }), /feature indices in \[0, 2\)/);
});

t.test('persistence: Spark layout (numFeatures, categoryMaps map), Pipeline; local vs local[2]', async (t) => {
  const dir = t.testdir();
  const df = doc();
  const m = await new VectorIndexer({ inputCol: 'a', outputCol: 'o', maxCategories: 3, handleInvalid: 'keep' }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.VectorIndexerModel');
  t.same(meta.paramMap, { inputCol: 'a', outputCol: 'o', maxCategories: 3, handleInvalid: 'keep' });
  const back = await VectorIndexerModel.load(join(dir, 'm'));
  t.equal(back.numFeatures, 2);
  t.same(maps(back), maps(m));
  const pm = await new Pipeline({ stages: [new VectorIndexer({ inputCol: 'a', outputCol: 'o', maxCategories: 2 })] }).fit(df);
  await pm.save(join(dir, 'p'));
  const two = (await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect()).map((r) => arr(r.o));
  await spark.stop();
  spark = await Session.builder().appName('vector-indexer-1').master('local').getOrCreate();
  const one = (await (await new VectorIndexer({ inputCol: 'a', outputCol: 'o', maxCategories: 2 }).fit(doc())).transform(doc()).collect()).map((r) => arr(r.o));
  t.same(one, two);
});
