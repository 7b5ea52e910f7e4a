// ConstantImputer and MissingIndicator (kindling, beyond Spark): values by hand, every param,
// local vs local[2], persistence (alone and in a Pipeline under kindling's class names), bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConstantImputer, MissingIndicator, Pipeline, PipelineModel, VectorAssembler } from '../../../ts/ml/index.js';
import { Session, col, lit } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('constant-imputer').master('local').getOrCreate();
t.teardown(() => spark.stop());
const rows = [{ a: 1.0, b: NaN }, { a: null, b: 2.0 }, { a: NaN, b: -1.0 }, { a: 4.0, b: 3.0 }];
const str = (xs: unknown[]) => xs.map(String);

t.test('ConstantImputer: one fill value for all columns, or one per column; missingValue', async (t) => {
  const df = spark.createDataFrame(rows);
  const ci = new ConstantImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'] });
  t.equal(ci.getFillValue(), 0);
  t.ok(Number.isNaN(ci.getMissingValue()));
  const out = await ci.transform(df).collect();
  t.same(out.map((r) => r.x), [1, 0, 0, 4], 'null and NaN become 0.0');
  t.same(out.map((r) => r.y), [0, 2, -1, 3]);
  const per = await new ConstantImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], fillValue: [-9, 99] }).transform(df).collect();
  t.same(per.map((r) => r.x), [1, -9, -9, 4]);
  t.same(per.map((r) => r.y), [99, 2, -1, 3]);
  const mv = await new ConstantImputer({ inputCol: 'b', outputCol: 'y', fillValue: 7, missingValue: -1 }).transform(df).collect();
  t.same(str(mv.map((r) => r.y)), ['NaN', '2', '7', '3'], 'with missingValue -1, NaN is kept and -1 is filled');
  const ints = spark.createDataFrame([{ i: 1 }, { i: null }]).select(col('i').cast('int').alias('i'));
  const io = new ConstantImputer({ inputCol: 'i', outputCol: 'o', fillValue: 2.7 }).transform(ints);
  t.equal(String(io.schema.fields[1]!.type), 'Int32', 'the input type is kept');
  t.same((await io.collect()).map((r) => r.o), [1, 2], 'fillValue cast to int');
  t.same(await ci.transform(df.limit(0)).collect(), [], 'empty DataFrame');
  t.throws(() => new ConstantImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], fillValue: [1] }).transform(df), /ConstantImputer: fillValue has 1 numbers, but there are 2 input columns/);
  t.throws(() => new ConstantImputer({ fillValue: 'x' as never }), /expected a number or a non-empty array of numbers for fillValue/);
  t.throws(() => new ConstantImputer({ inputCol: 'a' }).transform(spark.createDataFrame([{ a: 's' }])), /column a \(inputCol\) must be of a numeric type, but is string/);
});

t.test('MissingIndicator: <col>_missing 0/1 double columns, or outputCols', async (t) => {
  const df = spark.createDataFrame(rows);
  const mi = new MissingIndicator({ inputCols: ['a', 'b'] });
  const out = mi.transform(df);
  t.same(out.columns, ['a', 'b', 'a_missing', 'b_missing']);
  t.same(out.schema.fields.slice(2).map((f) => [String(f.type), f.nullable]), [['Float64', false], ['Float64', false]]);
  const r = await out.collect();
  t.same(r.map((x) => x.a_missing), [0, 1, 1, 0]);
  t.same(r.map((x) => x.b_missing), [1, 0, 0, 0]);
  const named = await new MissingIndicator({ inputCols: ['b'], outputCols: ['bm'], missingValue: -1 }).transform(df).collect();
  t.same(named.map((x) => x.bm), [0, 0, 1, 0], 'with missingValue -1 only -1 (and null) count');
  const single = await new MissingIndicator({ inputCol: 'a' }).transform(df).collect();
  t.same(single.map((x) => x.a_missing), [0, 1, 1, 0]);
  const assembled = await new VectorAssembler({ inputCols: ['a_missing', 'b_missing'], outputCol: 'v' }).transform(out).select('v').collect();
  t.equal(assembled.length, 4, 'the indicators assemble into features');
  t.throws(() => new MissingIndicator({ inputCols: ['a'] }).transform(df.withColumn('a_missing', lit(1))), /output column a_missing already exists/);
  t.throws(() => new MissingIndicator({}).transform(df), /requires exactly one of inputCol, inputCols Params to be set, but neither is set/);
});

t.test('persistence under kindling class names, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(rows);
  const ci = new ConstantImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], fillValue: [1.5, 2] });
  await ci.save(join(dir, 'ci'));
  const meta = JSON.parse(readFileSync(join(dir, 'ci', 'metadata', 'part-00000'), 'utf8'));
  t.equal(meta.class, 'org.kindling.ml.feature.ConstantImputer');
  t.same((await ConstantImputer.load(join(dir, 'ci'))).getFillValue(), [1.5, 2]);
  const mi = new MissingIndicator({ inputCols: ['a'], missingValue: 3 });
  await mi.save(join(dir, 'mi'));
  t.equal(JSON.parse(readFileSync(join(dir, 'mi', 'metadata', 'part-00000'), 'utf8')).class, 'org.kindling.ml.feature.MissingIndicator');
  t.equal((await MissingIndicator.load(join(dir, 'mi'))).getMissingValue(), 3);
  const pm = await new Pipeline({ stages: [new MissingIndicator({ inputCols: ['a', 'b'] }), ci] }).fit(df);
  await pm.save(join(dir, 'p'));
  t.same(await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect(), await pm.transform(df).collect());
});

// last: it stops the `local` session and starts a `local[2]` one
t.test('local and local[2] give the same rows', async (t) => {
  const many = Array.from({ length: 100 }, (_, i) => ({ a: i % 4 === 0 ? null : i % 7 === 0 ? NaN : i }));
  const run = async (s: Session) => (await new MissingIndicator({ inputCol: 'a' }).transform(new ConstantImputer({ inputCol: 'a', outputCol: 'f', fillValue: -1 }).transform(s.createDataFrame(many).repartition(3))).collect()).map((r) => [r.f, r.a_missing]);
  const one = await run(spark);
  await spark.stop();
  const s2 = await Session.builder().appName('constant-imputer-2').master('local[2]').getOrCreate();
  t.teardown(() => s2.stop());
  t.same(await run(s2), one);
});
