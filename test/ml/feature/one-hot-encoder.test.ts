// OneHotEncoder / OneHotEncoderModel: PySpark's doctest and the ML guide's example, dropLast and
// handleInvalid in every combination, categorySizes from attributes, the output AttributeGroup,
// bad indices (fit and transform), persistence (Spark layout, Pipeline), local vs local[2].
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { OneHotEncoder, OneHotEncoderModel, StringIndexer, Pipeline, PipelineModel, SparseVector, AttributeGroup, BinaryAttribute, NominalAttribute, withAttribute } from '../../../ts/ml/index.js';
import { Session } from '../../../ts/src/index.js';
import { makeBatch } from '../../../ts/src/dataframe/batch.js';
import { localContext } from '../../../ts/src/exec/task.js';
import { oneHotMaxes } from '../../../ts/ml/feature/categorical/one-hot-encoder-tasks.js';

let spark = await Session.builder().appName('one-hot').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

const sv = (v: unknown) => {
  const s = v as SparseVector;
  t.ok(s instanceof SparseVector, 'a SparseVector');
  return [s.size, Array.from(s.indices), Array.from(s.values)];
};
const guide = [[0, 1], [1, 0], [2, 1], [0, 2], [0, 1], [2, 0]].map(([a, b]) => ({ categoryIndex1: a! * 1.0, categoryIndex2: b! * 1.0 }));

t.test('PySpark doctest: single and multi column; defaults', async (t) => {
  const df = spark.createDataFrame([{ input: 0.0 }, { input: 1.0 }, { input: 2.0 }]);
  const ohe = new OneHotEncoder().setInputCols(['input']).setOutputCols(['output']);
  const model = await ohe.fit(df);
  t.equal(model.getHandleInvalid(), 'error');
  t.equal(model.getDropLast(), true);
  t.same(model.categorySizes, [3]);
  t.same(sv((await model.transform(df).first())!.output), [2, [0], [1]]);
  const single = await new OneHotEncoder({ inputCol: 'input', outputCol: 'output' }).fit(df);
  t.same(sv((await single.transform(df).first())!.output), [2, [0], [1]]);
});

t.test('class doc: with 5 categories, 2.0 → [0, 0, 1, 0] and 4.0 (the dropped last) → all zeros', async (t) => {
  const df = spark.createDataFrame([0, 1, 2, 3, 4].map((x) => ({ x: x * 1.0 })));
  const out = (await (await new OneHotEncoder({ inputCol: 'x', outputCol: 'v' }).fit(df)).transform(df).collect()).map((r) => Array.from((r.v as SparseVector).toArray()));
  t.same(out[2], [0, 0, 1, 0]);
  t.same(out[4], [0, 0, 0, 0]);
});

t.test("ML guide: two columns, dropLast; output attributes named '0', '1' as Spark", async (t) => {
  const df = spark.createDataFrame(guide);
  const model = await new OneHotEncoder({ inputCols: ['categoryIndex1', 'categoryIndex2'], outputCols: ['categoryVec1', 'categoryVec2'] }).fit(df);
  const out = model.transform(df);
  const rows = await out.collect();
  t.same(rows.map((r) => sv(r.categoryVec1)), [[2, [0], [1]], [2, [1], [1]], [2, [], []], [2, [0], [1]], [2, [0], [1]], [2, [], []]]);
  t.same(rows.map((r) => sv(r.categoryVec2)), [[2, [1], [1]], [2, [0], [1]], [2, [1], [1]], [2, [], []], [2, [1], [1]], [2, [0], [1]]]);
  const f = out.schema.fields.find((x) => x.name === 'categoryVec1')!;
  t.same(JSON.parse(f.metadata.get('ml_attr')!), { attrs: { binary: [{ name: '0', idx: 0 }, { name: '1', idx: 1 }] }, num_attrs: 2 });
  const g = AttributeGroup.fromField(f);
  t.equal(g.size, 2);
  t.equal((g.getAttr(1) as BinaryAttribute).name, '1');
});

t.test('dropLast x handleInvalid: sizes and the invalid category', async (t) => {
  const train = spark.createDataFrame([{ x: 0 }, { x: 1 }, { x: 2 }]);
  const test = spark.createDataFrame([{ x: 1 }, { x: 2 }, { x: 5 }, { x: -1 }, { x: null }]).repartition(1);
  const m = await new OneHotEncoder({ inputCol: 'x', outputCol: 'v' }).fit(train);
  const run = async (dropLast: boolean, handleInvalid: 'keep' | 'error', df = test) => (await m.copy().setDropLast(dropLast).setHandleInvalid(handleInvalid).transform(df).collect()).map((r) => sv(r.v));
  t.same(await run(false, 'keep'), [[4, [1], [1]], [4, [2], [1]], [4, [3], [1]], [4, [3], [1]], [4, [3], [1]]]);
  t.same(await run(true, 'keep'), [[3, [1], [1]], [3, [2], [1]], [3, [], []], [3, [], []], [3, [], []]]);
  t.same(await run(false, 'error', train), [[3, [0], [1]], [3, [1], [1]], [3, [2], [1]]]);
  const keepField = m.copy().setDropLast(false).setHandleInvalid('keep').transform(test).schema.fields.find((f) => f.name === 'v')!;
  t.same(AttributeGroup.fromField(keepField).attributes!.map((a) => (a as BinaryAttribute).name), ['0', '1', '2', 'invalidValues']);
  await t.rejects(m.transform(test).collect(), /OneHotEncoder\.transform: row 2 of column x holds the unseen value 5\.0 \(the model knows 3 categories\); set handleInvalid to "keep"/);
  await t.rejects(m.transform(spark.createDataFrame([{ x: -1 }])).collect(), /row 0 of column x holds -1\.0: Input can't be negative/);
  await t.rejects(m.transform(spark.createDataFrame([{ x: 1.5 }])).collect(), /row 0 of column x holds 1\.5, which is not an index/);
  await t.rejects(m.transform(spark.createDataFrame([{ x: 0 }, { x: null }]).repartition(1)).collect(), /row 1 of column x is null/);
  t.throws(() => new OneHotEncoder({ handleInvalid: 'skip' as never }), /one of keep, error for handleInvalid/);
});

t.test('fit: bad indices named by row over the whole DataFrame; categorySizes from attributes', async (t) => {
  const bad = spark.createDataFrame([{ x: 0 }, { x: 1 }, { x: 2 }, { x: 2.5 }]);
  await t.rejects(new OneHotEncoder({ inputCol: 'x', outputCol: 'v' }).fit(bad), /OneHotEncoder\.fit: row 3 of column x holds 2\.5, which is not an index \(a non-negative integer\) \(Values from column x must be indices\)/);
  await t.rejects(new OneHotEncoder({ inputCol: 'x', outputCol: 'v' }).fit(spark.createDataFrame([{ x: 1 }, { x: -2 }])), /row 1 of column x holds -2\.0: Input can't be negative/);
  await t.rejects(new OneHotEncoder({ inputCol: 's', outputCol: 'v' }).fit(spark.createDataFrame([{ s: 'a' }])), /column s \(inputCol\) must be of a numeric type, but is string/);
  // StringIndexer's NominalAttribute gives the size (4 labels though only 2 show up) and the names
  const si = await new StringIndexer({ inputCol: 's', outputCol: 'i', stringOrderType: 'alphabetAsc' }).fit(spark.createDataFrame(['a', 'b', 'c', 'd'].map((s) => ({ s }))));
  const indexed = si.transform(spark.createDataFrame([{ s: 'a' }, { s: 'b' }]));
  const m = await new OneHotEncoder({ inputCol: 'i', outputCol: 'v' }).fit(indexed);
  t.same(m.categorySizes, [4]);
  const f = m.transform(indexed).schema.fields.find((x) => x.name === 'v')!;
  t.same(AttributeGroup.fromField(f).attributes!.map((a) => (a as BinaryAttribute).name), ['a', 'b', 'c']);
  // a BinaryAttribute means 2 categories; a numeric attribute is refused
  const binSchema = new arrow.Schema([withAttribute(new arrow.Field('b', new arrow.Float64(), true), new BinaryAttribute())]);
  // createDataFrame keeps no field metadata yet (the engine fix is the integrator's): set it through mapInArrow
  const withSchema = (schema: arrow.Schema) => spark.createDataFrame([{ b: 0 }]).mapInArrow((b) => makeBatch(schema, b.data.children as never, b.numRows), schema);
  const binDf = withSchema(binSchema);
  t.same((await new OneHotEncoder({ inputCol: 'b', outputCol: 'v', dropLast: false }).fit(binDf)).categorySizes, [2]);
  const nomDf = withSchema(new arrow.Schema([withAttribute(new arrow.Field('b', new arrow.Float64(), true), new NominalAttribute({ numValues: 5 }))]));
  t.same((await new OneHotEncoder({ inputCol: 'b', outputCol: 'v' }).fit(nomDf)).categorySizes, [5]);
});

t.test("empty DataFrame: categorySize 1 (Spark folds the maxima from a zero array); bad params", async (t) => {
  const empty = spark.createDataFrame([], new arrow.Schema([new arrow.Field('x', new arrow.Float64(), true)]));
  const m = await new OneHotEncoder({ inputCol: 'x', outputCol: 'v', dropLast: false }).fit(empty);
  t.same(m.categorySizes, [1]);
  t.same(await m.transform(empty).collect(), []);
  await t.rejects(new OneHotEncoder({ inputCols: ['x'], outputCols: ['a', 'b'] }).fit(empty), /inputCols has 1 columns but outputCols has 2/);
  t.throws(() => new OneHotEncoderModel({ categorySizes: [2, 3], inputCol: 'x', outputCol: 'v' }).transform(empty), /The number of input columns 1 must be the same as the number of features 2 during fitting/);
});

t.test('persistence: Spark layout round trip and within a Pipeline', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(guide);
  const m = await new OneHotEncoder({ inputCols: ['categoryIndex1', 'categoryIndex2'], outputCols: ['v1', 'v2'], handleInvalid: 'keep' }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.OneHotEncoderModel');
  t.same(meta.paramMap, { inputCols: ['categoryIndex1', 'categoryIndex2'], outputCols: ['v1', 'v2'], handleInvalid: 'keep' });
  t.same(meta.defaultParamMap, { outputCol: `${m.uid}__output`, handleInvalid: 'error', dropLast: true });
  const back = await OneHotEncoderModel.load(join(dir, 'm'));
  t.same(back.categorySizes, [3, 3]);
  t.same(await back.transform(df).collect(), await m.transform(df).collect());
  const pm = await new Pipeline({ stages: [new OneHotEncoder({ inputCol: 'categoryIndex1', outputCol: 'v' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  const pb = await PipelineModel.load(join(dir, 'p'));
  t.same((await pb.transform(df).collect()).map((r) => sv(r.v)), (await pm.transform(df).collect()).map((r) => sv(r.v)));
  await new OneHotEncoder({ inputCol: 'x', outputCol: 'y' }).save(join(dir, 'e'));
  t.equal((await OneHotEncoder.load(join(dir, 'e'))).getInputCol(), 'x');
});

t.test('the fit summary: zero is the identity of merge; partials merge to the max', async (t) => {
  const b = { api: 'OneHotEncoder.fit', inputs: ['x'] };
  const [p0, p1] = await spark.createDataFrame([{ x: 1 }, { x: 4 }, { x: 2 }, { x: 3 }]).partitions();
  const s0 = oneHotMaxes.add(oneHotMaxes.zero(b), p0!, b, localContext(0));
  const s1 = oneHotMaxes.add(oneHotMaxes.zero(b), p1!, b, localContext(1));
  t.same(oneHotMaxes.merge(oneHotMaxes.zero(b), s0).value, s0.value);
  t.same(oneHotMaxes.merge(s0, s1).value, [4]);
  t.same(oneHotMaxes.merge(s1, s0).value, [4]);
});

t.test('local and local[2] give the same categorySizes and vectors', async (t) => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ x: (i * 7) % 6 }));
  const run = async () => {
    const df = spark.createDataFrame(rows);
    const m = await new OneHotEncoder({ inputCol: 'x', outputCol: 'v' }).fit(df);
    return { sizes: m.categorySizes, v: (await m.transform(df).collect()).map((r) => sv(r.v)) };
  };
  const two = await run();
  await spark.stop();
  spark = await Session.builder().appName('one-hot-1').master('local').getOrCreate();
  t.same(await run(), two);
});

