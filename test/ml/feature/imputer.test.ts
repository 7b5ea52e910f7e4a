// Imputer: Spark's documented examples (PySpark docstring / ML guide), every strategy and param,
// output type = input type, local vs local[2], persistence (alone and in a Pipeline), bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Imputer, ImputerModel, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { Session, col, lit } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('imputer').master('local').getOrCreate();
t.teardown(() => spark.stop());

const docRows = [
  { a: 1.0, b: NaN },
  { a: 2.0, b: NaN },
  { a: NaN, b: 3.0 },
  { a: 4.0, b: 4.0 },
  { a: 5.0, b: 5.0 },
];
const same = (x: unknown[], y: unknown[]) => JSON.stringify(x.map(String)) === JSON.stringify(y.map(String));

t.test("Spark's documented example: mean (default), then median with missingValue 1.0", async (t) => {
  const df = spark.createDataFrame(docRows);
  const imputer = new Imputer({ inputCols: ['a', 'b'], outputCols: ['out_a', 'out_b'] });
  t.equal(imputer.getStrategy(), 'mean');
  t.ok(Number.isNaN(imputer.getMissingValue()));
  t.equal(imputer.getRelativeError(), 0.001);
  const model = await imputer.fit(df);
  t.same(await model.surrogateDF.collect(), [{ a: 3, b: 4 }]);
  const out = await model.transform(df).collect();
  t.ok(same(out.map((r) => r.out_a), [1, 2, 3, 4, 5]));
  t.ok(same(out.map((r) => r.out_b), [4, 4, 3, 4, 5]));
  t.same(model.transform(df).columns, ['a', 'b', 'out_a', 'out_b']);
  const med = await imputer.setStrategy('median').setMissingValue(1.0).fit(df);
  t.same(await med.surrogateDF.collect(), [{ a: 4, b: 4 }]);
  const o2 = await med.transform(df).collect();
  t.ok(same(o2.map((r) => r.out_a), [4, 2, NaN, 4, 5]), 'NaN is kept when missingValue is 1.0');
  t.ok(same(o2.map((r) => r.out_b), [NaN, NaN, 3, 4, 5]));
  // mode on the same data: every value of a and of b occurs once, so the smallest wins
  const mode = await new Imputer({ strategy: 'mode', inputCols: ['a', 'b'], outputCols: ['out_a', 'out_b'] }).fit(df);
  t.same(await mode.surrogateDF.collect(), [{ a: 1, b: 3 }]);
});

t.test('single column: inputCol/outputCol; mode picks the most frequent, the smallest of ties', async (t) => {
  const df1 = spark.createDataFrame(docRows.map((r) => ({ a: r.a })));
  const m1 = await new Imputer({ inputCol: 'a', outputCol: 'out_a' }).fit(df1);
  t.same(await m1.surrogateDF.collect(), [{ a: 3 }]);
  t.ok(same((await m1.transform(df1).collect()).map((r) => r.out_a), [1, 2, 3, 4, 5]));
  const df = spark.createDataFrame([{ x: 2.0 }, { x: 1.0 }, { x: 2.0 }, { x: 1.0 }, { x: null }, { x: 7.0 }]);
  const mode = await new Imputer({ inputCol: 'x', outputCol: 'y', strategy: 'mode' }).fit(df);
  t.same(await mode.surrogateDF.collect(), [{ x: 1 }]);
  t.same((await mode.transform(df).collect()).map((r) => r.y), [2, 1, 2, 1, 1, 7], 'null is missing too');
});

t.test('median is the approximate quantile: exact for small data (sorted[ceil(n/2) - 1]); relativeError', async (t) => {
  const df = spark.createDataFrame([10, 1, 4, 3, 100, 2].map((x) => ({ x })));
  const m = await new Imputer({ inputCol: 'x', outputCol: 'y', strategy: 'median' }).fit(df);
  t.same(await m.surrogateDF.collect(), [{ x: 3 }], 'sorted 1,2,3,4,10,100: ceil(0.5 * 6) = 3rd');
  const big = spark.createDataFrame(Array.from({ length: 1000 }, (_, i) => ({ x: i })));
  const rough = await new Imputer({ inputCol: 'x', outputCol: 'y', strategy: 'median', relativeError: 0.1 }).fit(big);
  const v = (await rough.surrogateDF.collect())[0]!.x as number;
  t.ok(Math.abs(v - 499) <= 100, `within relativeError: ${v}`);
  t.throws(() => new Imputer({ relativeError: 2 }), /expected a number in \[0, 1\] for relativeError/);
});

t.test('output type = input type: float stays float, an int column gets the surrogate truncated', async (t) => {
  const ints = spark.createDataFrame([{ i: 1 }, { i: 2 }, { i: null }, { i: 2 }]).select(col('i').cast('int').alias('i'), col('i').cast('float').alias('f'));
  const m = await new Imputer({ inputCols: ['i', 'f'], outputCols: ['oi', 'of'] }).fit(ints);
  const surr = (await m.surrogateDF.collect())[0]!;
  t.ok(Math.abs((surr.i as number) - 5 / 3) < 1e-15);
  const out = m.transform(ints);
  t.same(out.schema.fields.slice(2).map((f) => String(f.type)), ['Int32', 'Float32']);
  const rows = await out.collect();
  t.same(rows.map((r) => r.oi), [1, 2, 1, 2], 'cast(1.666… as int) = 1');
  t.same(rows.map((r) => r.of), [1, 2, Math.fround(5 / 3), 2]);
});

t.test('save/load in Spark layout, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(docRows);
  const m = await new Imputer({ inputCols: ['a', 'b'], outputCols: ['out_a', 'out_b'], strategy: 'median' }).fit(df);
  await m.save(join(dir, 'm'));
  const meta = JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.apache.spark.ml.feature.ImputerModel');
  t.same(meta.paramMap, { inputCols: ['a', 'b'], outputCols: ['out_a', 'out_b'], strategy: 'median' });
  t.same(meta.defaultParamMap.missingValue, 'NaN');
  t.equal(meta.defaultParamMap.relativeError, 0.001);
  const back = await ImputerModel.load(join(dir, 'm'));
  t.same(await back.surrogateDF.collect(), [{ a: 2, b: 4 }], 'a: 1,2,4,5 → sorted[ceil(0.5 * 4) - 1] = 2');
  t.same(await back.transform(df).collect(), await m.transform(df).collect());
  const est = new Imputer({ inputCol: 'a', outputCol: 'z', strategy: 'mode', missingValue: 2 });
  await est.save(join(dir, 'e'));
  const e2 = await Imputer.load(join(dir, 'e'));
  t.equal(e2.getStrategy(), 'mode');
  t.equal(e2.getMissingValue(), 2);
  const pm = await new Pipeline({ stages: [new Imputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'] })] }).fit(df);
  await pm.save(join(dir, 'p'));
  const p2 = await PipelineModel.load(join(dir, 'p'));
  t.same(await p2.transform(df).collect(), await pm.transform(df).collect());
});

t.test('bad input: all missing, param conflicts, non-numeric columns, existing outputs; empty DataFrame', async (t) => {
  const df = spark.createDataFrame([{ a: NaN, b: 1.0, s: 'x' }, { a: null, b: 2.0, s: 'y' }]);
  await t.rejects(new Imputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'] }).fit(df), /Imputer\.fit: surrogate cannot be computed\. All the values in a are Null, Nan or missingValue\(NaN\)/);
  await t.rejects(new Imputer({ inputCol: 'b', outputCol: 'y', missingValue: 1 }).fit(spark.createDataFrame([{ b: 1.0 }])), /All the values in b are Null, Nan or missingValue\(1\.0\)/);
  await t.rejects(new Imputer({ inputCol: 'b', inputCols: ['a'] }).fit(df), /requires exactly one of inputCol, inputCols Params to be set, but both are set/);
  await t.rejects(new Imputer({}).fit(df), /but neither is set/);
  await t.rejects(new Imputer({ inputCols: ['b'] }).fit(df), /The following Params must be defined: outputCols/);
  await t.rejects(new Imputer({ inputCols: ['b'], outputCol: 'q', outputCols: ['q'] }).fit(df), /not applicable and should not be set: outputCol\./);
  await t.rejects(new Imputer({ inputCols: ['a', 'b'], outputCols: ['q'] }).fit(df), /inputCols\(2\) and outputCols\(1\) should have the same length/);
  await t.rejects(new Imputer({ inputCols: ['s'], outputCols: ['q'] }).fit(df), /column s \(inputCols\) must be of a numeric type, but is string/);
  await t.rejects(new Imputer({ inputCols: ['b'], outputCols: ['a'] }).fit(df), /output column a already exists/);
  t.throws(() => new Imputer({ strategy: 'max' as never }), /expected one of mean, median, mode for strategy/);
  const empty = spark.createDataFrame([{ b: 1.0 }]).filter(col('b').gt(lit(5)));
  await t.rejects(new Imputer({ inputCol: 'b', outputCol: 'c' }).fit(empty), /surrogate cannot be computed\. All the values in b/);
  const m = await new Imputer({ inputCol: 'b', outputCol: 'c' }).fit(df);
  t.same(await m.transform(empty).collect(), []);
  t.throws(() => m.copy().setInputCol('a').transform(df), /the model has no surrogate for column a; it was fitted on \[b\]/);
});

// last: it stops the `local` session and starts a `local[2]` one
t.test('local and local[2] give the same surrogates', async (t) => {
  const rows = Array.from({ length: 60 }, (_, i) => ({ x: i % 7 === 0 ? null : (i * 37) % 11, y: i % 5 === 0 ? NaN : i / 3 }));
  const res: unknown[] = [];
  for (const strategy of ['mean', 'median', 'mode'] as const) {
    res.push(await (await new Imputer({ inputCols: ['x', 'y'], outputCols: ['p', 'q'], strategy }).fit(spark.createDataFrame(rows).repartition(1))).surrogateDF.collect());
  }
  await spark.stop();
  const s2 = await Session.builder().appName('imputer2').master('local[2]').getOrCreate();
  t.teardown(() => s2.stop());
  for (const [k, strategy] of (['mean', 'median', 'mode'] as const).entries()) {
    const got = await (await new Imputer({ inputCols: ['x', 'y'], outputCols: ['p', 'q'], strategy }).fit(s2.createDataFrame(rows).repartition(3))).surrogateDF.collect();
    t.same(got, res[k], strategy);
  }
});
