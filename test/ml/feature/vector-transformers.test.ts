// PolynomialExpansion, ElementwiseProduct, VectorSlicer, VectorSizeHint, Interaction against the
// PySpark docstrings and the ml-features guide, hand computations, every param, local vs
// local[2], persistence (alone and in a Pipeline), bad input and empty DataFrames.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Session } from '../../../ts/src/index.js';
import {
  PolynomialExpansion, ElementwiseProduct, VectorSlicer, VectorSizeHint, Interaction, VectorAssembler, Pipeline, PipelineModel,
  Vectors, DenseVector, SparseVector,
} from '../../../ts/ml/index.js';

const spark = await Session.builder().appName('vector-transformers').master('local').getOrCreate();
const spark2 = await Session.builder().appName('vector-transformers-2').master('local[2]').getOrCreate();
t.teardown(async () => {
  await spark.stop();
  await spark2.stop();
});

const col = async (df: { collect(): Promise<Array<Record<string, unknown>>> }, c: string) => (await df.collect()).map((r) => r[c]);
const arrays = (vs: unknown[]) => vs.map((v) => Array.from((v as DenseVector).toArray()));

t.test('PolynomialExpansion: PySpark doctest [0.5, 2.0] → [0.5, 0.25, 2.0, 1.0, 4.0]; degree 3 guide example; sparse stays sparse', async (t) => {
  const df = spark.createDataFrame([{ dense: Vectors.dense([0.5, 2.0]) }]);
  const px = new PolynomialExpansion({ degree: 2, inputCol: 'dense', outputCol: 'expanded' });
  const [e] = await col(px.transform(df), 'expanded');
  t.ok(e instanceof DenseVector);
  t.same(Array.from((e as DenseVector).toArray()), [0.5, 0.25, 2.0, 1.0, 4.0]);
  t.equal(px.getDegree(), 2);
  t.equal(new PolynomialExpansion().getDegree(), 2, 'default degree 2');
  t.match(new PolynomialExpansion().getOutputCol(), /^PolynomialExpansion_[0-9a-f]{12}__output$/);
  // ml-features guide: degree 3 over (2,1), (0,0), (3,-1)
  const g = spark.createDataFrame([{ features: Vectors.dense([2.0, 1.0]) }, { features: Vectors.dense([0.0, 0.0]) }, { features: Vectors.dense([3.0, -1.0]) }]);
  const out = arrays(await col(new PolynomialExpansion({ inputCol: 'features', outputCol: 'polyFeatures', degree: 3 }).transform(g), 'polyFeatures'));
  t.same(out, [
    [2.0, 4.0, 8.0, 1.0, 2.0, 4.0, 1.0, 2.0, 1.0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0],
    [3.0, 9.0, 27.0, -1.0, -3.0, -9.0, 1.0, 3.0, -1.0],
  ]);
  // sparse (3, {0: 2, 2: 3}) degree 2: dense expansion of [2, 0, 3] is
  // [x0, x0², x1, x0x1, x1², x2, x0x2, x1x2, x2²] → by hand: [2,4,0,0,0,3,6,0,9]
  const s = spark.createDataFrame([{ v: Vectors.sparse(3, [0, 2], [2, 3]) }, { v: Vectors.dense([2, 0, 3]) }]);
  const [sp, dn] = await col(new PolynomialExpansion({ inputCol: 'v', outputCol: 'p' }).transform(s), 'p');
  t.ok(sp instanceof SparseVector);
  t.same(Array.from((sp as SparseVector).toArray()), [2, 4, 0, 0, 0, 3, 6, 0, 9]);
  t.same(Array.from((dn as DenseVector).toArray()), [2, 4, 0, 0, 0, 3, 6, 0, 9]);
  t.same(Array.from((sp as SparseVector).indices), [0, 1, 5, 6, 8]);
  t.throws(() => new PolynomialExpansion({ inputCol: 'v', outputCol: 'p', degree: 12 }).transform(spark.createDataFrame([{ v: Vectors.dense(new Array(200).fill(1)) }])), {
    code: 'ERR_KINDLING_INVALID_ARG', message: /PolynomialExpansion: expected at most 2147483647 \(C\(200 \+ 12, 12\) - 1 for 200 features at degree 12\) for expanded size/,
  });
  t.throws(() => new PolynomialExpansion({ degree: 0 }), /degree/);
  t.throws(() => new PolynomialExpansion({ degree: 1.5 }), /degree/);
});

t.test('ElementwiseProduct: PySpark doctest [2,1,3] ∘ [1,2,3] = [2,2,9]; sparse keeps indices; size mismatch names both sizes', async (t) => {
  const df = spark.createDataFrame([{ values: Vectors.dense([2.0, 1.0, 3.0]) }]);
  const ep = new ElementwiseProduct({ scalingVec: Vectors.dense([1.0, 2.0, 3.0]), inputCol: 'values', outputCol: 'eprod' });
  t.same(arrays(await col(ep.transform(df), 'eprod')), [[2.0, 2.0, 9.0]]);
  ep.setScalingVec(Vectors.dense([4.0, 5.0, 6.0]));
  t.same(arrays(await col(ep.transform(df), 'eprod')), [[8.0, 5.0, 18.0]]);
  // the ml-features guide: transformingVector [0, 1, 2]
  const guide = spark.createDataFrame([{ id: 'a', vector: Vectors.dense([1.0, 2.0, 3.0]) }, { id: 'b', vector: Vectors.dense([4.0, 5.0, 6.0]) }]);
  const transformer = new ElementwiseProduct({ scalingVec: Vectors.dense([0.0, 1.0, 2.0]), inputCol: 'vector', outputCol: 'transformedVector' });
  t.same(arrays(await col(transformer.transform(guide), 'transformedVector')), [[0.0, 2.0, 6.0], [0.0, 5.0, 12.0]]);
  const sp = spark.createDataFrame([{ values: Vectors.sparse(3, [1], [2]) }]);
  const [s] = await col(ep.transform(sp), 'eprod');
  t.ok(s instanceof SparseVector);
  t.same(Array.from((s as SparseVector).indices), [1]);
  t.same(Array.from((s as SparseVector).values), [10]);
  // a dense column's size is in its type: refused before any row moves
  t.throws(() => ep.transform(spark.createDataFrame([{ values: Vectors.dense([1, 2]) }])), { code: 'ERR_KINDLING_SCHEMA', message: /ElementwiseProduct: vector sizes do not match: Expected 3 \(scalingVec\) but found 2 \(column values\)/ });
  // Spark's VectorUDT column: per row
  const bad = spark.createDataFrame([{ values: Vectors.sparse(3, [0], [1]) }, { values: Vectors.dense([1, 2]) }]);
  await t.rejects(ep.transform(bad).collect(), { code: 'ERR_KINDLING_INVALID_ARG', message: /ElementwiseProduct\.transform: row 1 of column values has size 2: vector sizes do not match: Expected 3 but found 2/ });
  t.throws(() => new ElementwiseProduct({ inputCol: 'values' }).transform(df), { code: 'ERR_KINDLING_INVALID_ARG', message: /scalingVec must be set/ });
  // PySpark's setParams(scalingVec=[4.0, 5.0, 6.0]): a plain array is a DenseVector
  t.same(arrays(await col(new ElementwiseProduct({ scalingVec: [4.0, 5.0, 6.0], inputCol: 'values', outputCol: 'eprod' }).transform(df), 'eprod')), [[8.0, 5.0, 18.0]]);
  t.ok(ep.copy().setScalingVec([1, 1, 1]).getScalingVec() instanceof DenseVector);
  t.throws(() => new ElementwiseProduct({ scalingVec: 'x' as never }), /scalingVec/);
});

t.test('VectorSlicer: PySpark doctest indices [1, 4]; names from ml_attr; sparse; every check', async (t) => {
  const df = spark.createDataFrame([
    { features: Vectors.dense([-2.0, 2.3, 0.0, 0.0, 1.0]) },
    { features: Vectors.dense([0.0, 0.0, 0.0, 0.0, 0.0]) },
    { features: Vectors.dense([0.6, -1.1, -3.0, 4.5, 3.3]) },
  ]);
  const vs = new VectorSlicer({ inputCol: 'features', outputCol: 'sliced', indices: [1, 4] });
  t.same(arrays(await col(vs.transform(df), 'sliced')), [[2.3, 1.0], [0.0, 0.0], [-1.1, 3.3]]);
  t.same(new VectorSlicer().getIndices(), []);
  t.same(new VectorSlicer().getNames(), []);
  // names: the ml-features guide's userFeatures with attributes f1, f2, f3; indices [1] + names ['f3'] → [x1, x2]
  const attrs = JSON.stringify({ attrs: { numeric: [{ idx: 0, name: 'f1' }, { idx: 1, name: 'f2' }, { idx: 2, name: 'f3' }] }, num_attrs: 3 });
  const base = spark.createDataFrame([{ userFeatures: Vectors.sparse(3, [0, 1], [-2.0, 2.3]) }, { userFeatures: Vectors.dense([-2.0, 2.3, 0.0]) }]);
  const f = base.schema.fields[0]!;
  const named = new VectorSlicer({ inputCol: 'userFeatures', outputCol: 'features' }).setIndices([1]).setNames(['f3']);
  const field = new arrow.Field(f.name, f.type, true, new Map([['ml_attr', attrs]]));
  const schema = named.transformSchema(new arrow.Schema([field]));
  t.equal(schema.fields[1]!.name, 'features');
  t.same(JSON.parse(schema.fields[1]!.metadata.get('ml_attr')!), { attrs: { numeric: [{ idx: 0, name: 'f2' }, { idx: 1, name: 'f3' }] }, num_attrs: 2 }, "the selected features' attributes, re-indexed");
  // the ml-features guide, end to end: a DataFrame whose column carries the attributes
  const table = await base.toArrow();
  const withAttrs = new arrow.Schema([field]);
  const df2 = spark.createDataFrame(new arrow.Table(withAttrs, table.batches.map((b) => new arrow.RecordBatch(withAttrs, b.data))));
  t.equal(
    await named.transform(df2).showString(20, false),
    ['+--------------------+-------------+', '|userFeatures        |features     |', '+--------------------+-------------+', '|(3,[0,1],[-2.0,2.3])|(2,[0],[2.3])|', '|[-2.0,2.3,0.0]      |[2.3,0.0]    |', '+--------------------+-------------+', ''].join('\n'),
    "the guide's table",
  );
  t.throws(() => new VectorSlicer({ inputCol: 'userFeatures', outputCol: 'o', names: ['f9'] }).transformSchema(new arrow.Schema([field])), { code: 'ERR_KINDLING_SCHEMA', message: /no feature with name f9/ });
  t.throws(() => new VectorSlicer({ inputCol: 'userFeatures', outputCol: 'o', indices: [2], names: ['f3'] }).transformSchema(new arrow.Schema([field])), /duplicate indices/);
  t.throws(() => new VectorSlicer({ inputCol: 'userFeatures', outputCol: 'o', indices: [3] }).transformSchema(new arrow.Schema([field])), /Selected feature index 3 invalid for only 3 input features/);
  const [s0, d1] = await col(new VectorSlicer({ inputCol: 'userFeatures', outputCol: 'features', indices: [1, 2] }).transform(base), 'features');
  t.ok(s0 instanceof SparseVector);
  t.same(Array.from((s0 as SparseVector).toArray()), [2.3, 0.0]);
  t.same(Array.from((d1 as DenseVector).toArray()), [2.3, 0.0]);
  t.throws(() => new VectorSlicer({ inputCol: 'features', outputCol: 'o' }).transform(df), /at least one feature be selected/);
  t.throws(() => new VectorSlicer({ indices: [1, 1] }), /distinct integers/);
  t.throws(() => new VectorSlicer({ indices: [-1] }), /distinct integers/);
  await t.rejects(new VectorSlicer({ inputCol: 'userFeatures', outputCol: 'o', indices: [5] }).transform(base).collect(), /row 0 of column userFeatures has size 3: Selected feature index 5 invalid for only 3 input features/);
});

t.test('Interaction: PySpark doctest a*b; guide example with vectors; nominal one-hot; nulls', async (t) => {
  const df = spark.createDataFrame([[0.0, 1.0], [2.0, 3.0]], 'a double, b double');
  const it = new Interaction({ outputCol: 'ab' }).setInputCols(['a', 'b']);
  t.same(arrays(await col(it.transform(df), 'ab')), [[0.0], [6.0]]);
  const g = spark.createDataFrame([
    { id1: 1, vec1: Vectors.dense([1.0, 2.0, 3.0]), vec2: Vectors.dense([8.0, 4.0, 5.0]) },
    { id1: 2, vec1: Vectors.dense([4.0, 3.0, 8.0]), vec2: Vectors.dense([7.0, 9.0, 8.0]) },
  ]);
  const out = await col(new Interaction({ inputCols: ['id1', 'vec1', 'vec2'], outputCol: 'interactedCol' }).transform(g), 'interactedCol');
  t.same(arrays(out), [
    [8.0, 4.0, 5.0, 16.0, 8.0, 10.0, 24.0, 12.0, 15.0],
    [56.0, 72.0, 64.0, 42.0, 54.0, 48.0, 112.0, 144.0, 128.0],
  ], 'the ml-features guide rows');
  // sparse output when compressed is smaller: a (5 zeros) x b
  const sp = spark.createDataFrame([{ v: Vectors.sparse(10, [3], [2]), b: 4.0 }]);
  const [o] = await col(new Interaction({ inputCols: ['v', 'b'], outputCol: 'o' }).transform(sp), 'o');
  t.ok(o instanceof SparseVector);
  t.same(Array.from((o as SparseVector).indices), [3]);
  t.same(Array.from((o as SparseVector).values), [8]);
  const nulls = spark.createDataFrame([[1.0, null]], 'a double, b double');
  await t.rejects(new Interaction({ inputCols: ['a', 'b'], outputCol: 'o' }).transform(nulls).collect(), /row 0 of column b is null: Values to interact cannot be null/);
  t.throws(() => new Interaction({ inputCols: ['a', 's'], outputCol: 'o' }).transform(spark.createDataFrame([{ a: 1, s: 'x' }])), /must be numeric, boolean or a vector, but is string/);
});

t.test('VectorSizeHint: PySpark doctest (skip) then VectorAssembler; error and optimistic', async (t) => {
  const df = spark.createDataFrame([
    { vector: Vectors.dense([0.0, 10.0, 0.5]), float: 1.0 },
    { vector: Vectors.dense([1.0, 11.0, 0.5, 0.6]), float: 2.0 },
  ]);
  const sizeHint = new VectorSizeHint({ inputCol: 'vector', size: 3, handleInvalid: 'skip' });
  const va = new VectorAssembler({ inputCols: ['vector', 'float'], outputCol: 'assembled' });
  const pm = await new Pipeline({ stages: [sizeHint, va] }).fit(df);
  t.same(arrays(await col(pm.transform(df), 'assembled')), [[0.0, 10.0, 0.5, 1.0]]);
  t.equal(new VectorSizeHint().getHandleInvalid(), 'error');
  const err = new VectorSizeHint({ inputCol: 'vector', size: 3 });
  await t.rejects(err.transform(df).collect(), { code: 'ERR_KINDLING_INVALID_ARG', message: /VectorSizeHint\.transform: row 1 of column vector has size 4: VectorSizeHint Expecting a vector of size 3 but got 4/ });
  t.equal((await new VectorSizeHint({ inputCol: 'vector', size: 3, handleInvalid: 'optimistic' }).transform(df).collect()).length, 2);
  const md = err.transformSchema(df.schema).fields[0]!.metadata.get('ml_attr');
  t.same(JSON.parse(md!), { num_attrs: 3 });
  t.throws(() => new VectorSizeHint({ inputCol: 'vector' }).transform(df), /size param to be set/);
  const withNull = spark.createDataFrame([{ vector: Vectors.dense([1, 2, 3]) }, { vector: null }], 'vector vector');
  await t.rejects(err.transform(withNull).collect(), /row 1 of column vector is null: Got null vector in VectorSizeHint/);
  t.equal((await sizeHint.transform(withNull).collect()).length, 1);
});

t.test('local vs local[2]: same rows; empty DataFrames give empty outputs; null rows are errors', async (t) => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ v: Vectors.dense([i, i - 3, 0.5 * i]), w: i * 1.5 }));
  const stages = [
    new PolynomialExpansion({ inputCol: 'v', outputCol: 'p', degree: 3 }),
    new ElementwiseProduct({ inputCol: 'v', outputCol: 'e', scalingVec: Vectors.dense([1, -1, 2]) }),
    new VectorSlicer({ inputCol: 'v', outputCol: 's', indices: [2, 0] }),
    new Interaction({ inputCols: ['w', 'v'], outputCol: 'i' }),
  ];
  const pm = await new Pipeline({ stages }).fit(spark.createDataFrame(rows));
  const a = await pm.transform(spark.createDataFrame(rows)).collect();
  const b = await pm.transform(spark2.createDataFrame(rows).repartition(3)).collect();
  t.same(b.map(String), a.map(String));
  t.same(Array.from((a[4]!.s as DenseVector).toArray()), [2, 4]);
  const empty = spark.createDataFrame([], 'v vector, w double');
  t.same(await pm.transform(empty).collect(), []);
  const nul = spark.createDataFrame([{ v: null }], 'v vector');
  await t.rejects(stages[0]!.transform(nul).collect(), /PolynomialExpansion\.transform: row 0 of column v is null/);
});

t.test('persistence: Spark layout, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const ep = new ElementwiseProduct({ scalingVec: Vectors.dense([1.0, 2.0, 3.0]), inputCol: 'values', outputCol: 'eprod' });
  await ep.save(join(dir, 'ep'));
  const meta = JSON.parse(readFileSync(join(dir, 'ep', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.ElementwiseProduct');
  t.same(meta.paramMap.scalingVec, { type: 1, values: [1, 2, 3] });
  t.match(readFileSync(join(dir, 'ep', 'metadata', 'part-00000'), 'utf8'), /"scalingVec":\{"type":1,"values":\[1\.0,2\.0,3\.0\]\}/);
  const back = await ElementwiseProduct.load(join(dir, 'ep'));
  t.same(Array.from(back.getScalingVec().toArray()), [1, 2, 3]);
  t.equal(back.uid, ep.uid);
  const px = new PolynomialExpansion({ inputCol: 'v', outputCol: 'p', degree: 3 });
  const vs = new VectorSlicer({ inputCol: 'v', outputCol: 's', indices: [1, 0] });
  const it = new Interaction({ inputCols: ['v', 'v'], outputCol: 'i' });
  const sh = new VectorSizeHint({ inputCol: 'v', size: 2, handleInvalid: 'skip' });
  const pm = await new Pipeline({ stages: [sh, px, vs, it] }).fit(spark.createDataFrame([{ v: Vectors.dense([1, 2]) }]));
  await pm.save(join(dir, 'pm'));
  const pmeta = JSON.parse(readFileSync(join(dir, 'pm', 'stages', `1_${px.uid}`, 'metadata', 'part-00000'), 'utf8'));
  t.equal(pmeta.class, 'org.apache.spark.ml.feature.PolynomialExpansion');
  t.same(pmeta.paramMap, { inputCol: 'v', outputCol: 'p', degree: 3 });
  const pm2 = await PipelineModel.load(join(dir, 'pm'));
  const df = spark.createDataFrame([{ v: Vectors.dense([1, 2]) }, { v: Vectors.dense([1, 2, 3]) }]);
  t.same((await pm2.transform(df).collect()).map(String), (await pm.transform(df).collect()).map(String));
  t.equal((await pm2.transform(df).collect()).length, 1);
});
