// VectorAssembler against Spark's documented examples (the ml-features guide and the PySpark
// doctests, including handleInvalid keep/skip), hand-assembled rows, Spark's defaults as a
// Spark 3.5.5 pipeline saved them, and the schema errors.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Session } from '../../ts/src/index.js';
import { Types } from '../../ts/src/dataframe/types.js';
import { ParamMap } from '../../ts/ml/param/params.js';
import { VectorAssembler, Vectors, DenseVector, SparseVector, denseVectorValues } from '../../ts/ml/index.js';

const SHARED = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const spark = await Session.builder().appName('vector-assembler-test').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

const strings = (rows: Array<Record<string, unknown>>, c: string) => rows.map((r) => (r[c] === null ? null : String(r[c])));

t.test("Spark's ml-features guide example: hour, mobile, userFeatures → [18.0,1.0,0.0,10.0,0.5]", async (t) => {
  const df = spark.createDataFrame([{ id: 0, hour: 18, mobile: 1.0, userFeatures: Vectors.dense([0.0, 10.0, 0.5]), clicked: 1.0 }]);
  const assembler = new VectorAssembler({ inputCols: ['hour', 'mobile', 'userFeatures'], outputCol: 'features' });
  const out = assembler.transform(df);
  t.same(out.columns, ['id', 'hour', 'mobile', 'userFeatures', 'clicked', 'features']);
  t.equal(String(out.schema.fields[5]!.type), String(Types.vector(5)), 'all inputs dense → FixedSizeList[5]');
  const rows = await out.collect();
  t.ok(rows[0]!.features instanceof DenseVector);
  t.equal(String(rows[0]!.features), '[18.0,1.0,0.0,10.0,0.5]');
});

t.test('PySpark doctest: (1, 0, 3) → [1.0,0.0,3.0]; handleInvalid keep and skip on nulls and NaN', async (t) => {
  const df = spark.createDataFrame([[1, 0, 3]], 'a double, b double, c double');
  const va = new VectorAssembler({ inputCols: ['a', 'b', 'c'], outputCol: 'features' });
  t.same(strings(await va.transform(df).collect(), 'features'), ['[1.0,0.0,3.0]']);
  const withInvalid = spark.createDataFrame([[1.0, 2.0, null], [3.0, NaN, 4.0], [5.0, 6.0, 7.0]], 'a double, b double, c double');
  const keep = new VectorAssembler({ inputCols: ['a', 'b', 'c'], outputCol: 'features', handleInvalid: 'keep' });
  t.equal(
    await keep.transform(withInvalid).showString(),
    [
      '+---+---+----+-------------+',
      '|  a|  b|   c|     features|',
      '+---+---+----+-------------+',
      '|1.0|2.0|null|[1.0,2.0,NaN]|',
      '|3.0|NaN| 4.0|[3.0,NaN,4.0]|',
      '|5.0|6.0| 7.0|[5.0,6.0,7.0]|',
      '+---+---+----+-------------+',
      '',
    ].join('\n'),
    'the PySpark doctest table',
  );
  const skip = keep.copy().setHandleInvalid('skip');
  t.equal(
    await skip.transform(withInvalid).showString(),
    ['+---+---+---+-------------+', '|  a|  b|  c|     features|', '+---+---+---+-------------+', '|5.0|6.0|7.0|[5.0,6.0,7.0]|', '+---+---+---+-------------+', ''].join('\n'),
  );
  const error = keep.copy(ParamMap.of([keep.handleInvalid, 'error']));
  t.equal(error.getHandleInvalid(), 'error', 'copy(extra) applies the extra value');
  t.equal(keep.getHandleInvalid(), 'keep', 'and leaves the original alone');
  const lazy = error.transform(withInvalid);
  await t.rejects(lazy.collect(), { code: 'ERR_KINDLING_INVALID_ARG', message: /VectorAssembler: row 0 of column c is null; handleInvalid = "error" fails on nulls and NaN/ });
});

t.test('handleInvalid "error" names the column and the row over all partitions; NaN inside a vector passes (as Spark)', async (t) => {
  const df = spark.createDataFrame([[1.0, 1], [2.0, 2], [3.0, 3], [NaN, 4]], 'x double, k bigint');
  t.ok((await df.partitions()).length > 1);
  const va = new VectorAssembler({ inputCols: ['x', 'k'], outputCol: 'f' });
  await t.rejects(va.transform(df).collect(), /VectorAssembler: row 3 of column x is NaN; handleInvalid = "error"/);
  const nullVec = spark.createDataFrame([{ v: Vectors.dense(1, 2) }, { v: Vectors.dense(3, 4) }, { v: Vectors.dense(5, 6) }, { v: null }]);
  await t.rejects(new VectorAssembler({ inputCols: ['v'], outputCol: 'f' }).transform(nullVec).collect(), /row 3 of column v is null/);
  const nanInside = spark.createDataFrame([{ v: Vectors.dense(NaN, 1), x: 2 }]);
  t.same(strings(await new VectorAssembler({ inputCols: ['v', 'x'], outputCol: 'f' }).transform(nanInside).collect(), 'f'), ['[NaN,1.0,2.0]']);
  t.same(strings(await new VectorAssembler({ inputCols: ['v', 'x'], outputCol: 'f', handleInvalid: 'skip' }).transform(nanInside).collect(), 'f'), ['[NaN,1.0,2.0]'], 'skip does not look inside vectors (na.drop)');
});

t.test('skip drops rows with a null or NaN input only; keep turns a null dense vector into size NaNs', async (t) => {
  const df = spark.createDataFrame([
    { a: 1, v: Vectors.dense(1, 2), other: null },
    { a: null, v: Vectors.dense(3, 4), other: 1 },
    { a: 3, v: null, other: 2 },
    { a: 4, v: Vectors.dense(7, 8), other: NaN },
  ]);
  const skip = new VectorAssembler({ inputCols: ['a', 'v'], outputCol: 'f', handleInvalid: 'skip' });
  const kept = await skip.transform(df).collect();
  t.same(kept.map((r) => r.a), [1, 4], 'rows 1 and 2 dropped; nulls and NaN in other columns do not matter');
  t.same(strings(kept, 'f'), ['[1.0,1.0,2.0]', '[4.0,7.0,8.0]']);
  t.same(strings(kept, 'v'), ['[1.0,2.0]', '[7.0,8.0]'], 'the other columns are filtered with the rows');
  const keep = new VectorAssembler({ inputCols: ['a', 'v'], outputCol: 'f', handleInvalid: 'keep' });
  t.same(strings(await keep.transform(df).collect(), 'f'), ['[1.0,1.0,2.0]', '[NaN,3.0,4.0]', '[3.0,NaN,NaN]', '[4.0,7.0,8.0]']);
  const structCol = spark.createDataFrame([{ s: Vectors.sparse(3, [1], [1]) }]);
  t.throws(() => new VectorAssembler({ inputCols: ['s'], outputCol: 'f', handleInvalid: 'keep' }).transform(structCol), /Can not infer column lengths with handleInvalid = "keep" for the VectorUDT struct column\(s\) \[s\]/);
});

t.test('types: booleans → 1.0/0.0, int/bigint/float cast to double; sparse inputs give Spark-compressed struct rows', async (t) => {
  const df = spark.createDataFrame([[true, 2, 3, 0.5], [false, -1, 0, 0.25]], 'b boolean, i int, l bigint, f float');
  const out = await new VectorAssembler({ inputCols: ['b', 'i', 'l', 'f'], outputCol: 'x' }).transform(df).collect();
  t.same(strings(out, 'x'), ['[1.0,2.0,3.0,0.5]', '[0.0,-1.0,0.0,0.25]']);
  const sp = spark.createDataFrame([
    { a: 1, b: 0, v: Vectors.sparse(10, [1], [2]) },
    { a: 0, b: 0, v: Vectors.dense([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]) },
    { a: 0, b: 5, v: Vectors.sparse(10, [], []) },
  ]);
  const t2 = new VectorAssembler({ inputCols: ['a', 'b', 'v'], outputCol: 'x' }).transform(sp);
  t.equal(String(t2.schema.fields[3]!.type), String(Types.vectorStruct()), 'a struct (sparse-capable) input → struct output');
  const rows = await t2.collect();
  t.same(strings(rows, 'x'), ['(12,[0,3],[1.0,2.0])', '[0.0,0.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0]', '(12,[1],[5.0])']);
  t.ok(rows[0]!.x instanceof SparseVector, '2 non-zeros of 12: 1.5 * 3 < 12 → sparse');
  t.ok(rows[1]!.x instanceof DenseVector, '10 non-zeros of 12 → dense');
});

t.test('the dense output is one contiguous buffer (what kernels read)', async (t) => {
  const df = spark.createDataFrame({ x: Float64Array.from([1, 2, 3]), y: Float64Array.from([4, 5, 6]) });
  const parts = await new VectorAssembler({ inputCols: ['x', 'y'], outputCol: 'f' }).transform(df).partitions();
  const all: number[] = [];
  for (const p of parts) {
    const view = denseVectorValues(p.getChild('f')!.data[0]! as never);
    t.equal(view.zeroCopy, true);
    all.push(...view.values);
  }
  t.same(all, [1, 4, 2, 5, 3, 6]);
});

t.test("params: Spark's names, docs and defaults (as a Spark 3.5.5 pipeline saved them), setters, schema errors", async (t) => {
  const saved = JSON.parse(readFileSync(join(SHARED, 'spark-models/pipeline-vecassembler-stdscaler-kmeans-3.5.5/stages/0_VectorAssembler_3707623a37de/metadata/part-00000'), 'utf8'));
  const va = new VectorAssembler(undefined, saved.uid);
  t.same(va.paramValues().defaultParamMap, saved.defaultParamMap, 'handleInvalid "error", outputCol "<uid>__output"');
  t.equal(va.getOutputCol(), 'VectorAssembler_3707623a37de__output');
  t.match(va.explainParam('handleInvalid'), /^handleInvalid: Param for how to handle invalid data \(NULL and NaN values\)\. Options are 'skip' .*\(default: error\)$/);
  t.equal(va.explainParam('inputCols'), 'inputCols: input column names (undefined)');
  t.equal(va.setInputCols(['a']).setOutputCol('o').setHandleInvalid('skip').getHandleInvalid(), 'skip');
  t.same(va.getInputCols(), ['a']);
  t.throws(() => va.setHandleInvalid('drop' as never), /VectorAssembler: expected one of skip, error, keep for handleInvalid, got "drop" \(string\)/);
  t.throws(() => new VectorAssembler({ inputCol: 'a' } as never), /VectorAssembler: expected param names among handleInvalid, inputCols, outputCol for options, got "inputCol"/);
  t.throws(() => va.setInputCols([]), /expected a non-empty array of strings for inputCols/);
  const df = spark.createDataFrame([{ a: 1, s: 'x', o: 2 }]);
  t.throws(() => new VectorAssembler({ inputCols: ['a', 'nope'], outputCol: 'f' }).transform(df), { code: 'ERR_KINDLING_SCHEMA', message: /VectorAssembler: cannot resolve column "nope" among \[a, s, o\]/ });
  t.throws(() => new VectorAssembler({ inputCols: ['a', 's'], outputCol: 'f' }).transform(df), /VectorAssembler: Data type string of column s is not supported\./);
  t.throws(() => new VectorAssembler({ inputCols: ['a'], outputCol: 'o' }).transformSchema(df.schema), /VectorAssembler: Output column o already exists\./);
  t.throws(() => new VectorAssembler({ outputCol: 'f' }).transform(df), /VectorAssembler: expected a value \(the param has no default and was not set\) for inputCols/);
  const schema = new VectorAssembler({ inputCols: ['a'], outputCol: 'f' }).transformSchema(df.schema);
  t.same(schema.fields.map((f) => f.name), ['a', 's', 'o', 'f']);
  t.equal(schema.fields[3]!.nullable, true);
});
