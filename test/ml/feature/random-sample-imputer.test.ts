// RandomSampleImputer (kindling, beyond Spark): draws come from the observed values with their
// frequencies, are deterministic for a seed and partitioning (local and local[2] alike), the
// type is kept; persistence under kindling's class names (alone and in a Pipeline); bad input.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RandomSampleImputer, RandomSampleImputerModel, Pipeline, PipelineModel } from '../../../ts/ml/index.js';
import { sampleUniform } from '../../../ts/ml/feature/imputation/imputer-tasks.js';
import { Session, col } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('rsi').master('local').getOrCreate();
t.teardown(() => spark.stop());
const rows = Array.from({ length: 400 }, (_, i) => ({ a: i % 2 === 0 ? null : i % 4 === 1 ? 1.0 : i % 8 === 3 ? 5.0 : 9.0, b: i % 5 === 0 ? NaN : 2.5 }));

t.test('missing values are drawn from the observed values, in proportion to their counts', async (t) => {
  const df = spark.createDataFrame(rows).repartition(2);
  const m = await new RandomSampleImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], seed: 7 }).fit(df);
  t.same(Array.from(m.observed.get('a')!.values), [1, 5, 9]);
  t.same(Array.from(m.observed.get('a')!.counts), [100, 50, 50]);
  t.same(Array.from(m.observed.get('b')!.values), [2.5]);
  const out = await m.transform(df).collect();
  const filled = out.filter((r) => r.a === null).map((r) => r.x as number);
  t.equal(filled.length, 200);
  t.ok(filled.every((v) => v === 1 || v === 5 || v === 9));
  const ones = filled.filter((v) => v === 1).length;
  t.ok(ones > 70 && ones < 130, `about half are 1.0: ${ones}`);
  t.ok(out.every((r) => r.y === 2.5), 'NaN is missing by default; the only observed b is 2.5');
  t.ok(out.filter((r) => r.a !== null).every((r) => r.x === r.a), 'observed values are kept');
  const again = await m.transform(df).collect();
  t.same(again, out, 'deterministic for a seed and partitioning');
  const other = await m.copy().setSeed(8).transform(df).collect();
  t.not(JSON.stringify(other.map((r) => r.x)), JSON.stringify(out.map((r) => r.x)), 'another seed, other draws');
});

t.test('sampleUniform: in [0, 1), spread out', async (t) => {
  const u = Array.from({ length: 1000 }, (_, i) => sampleUniform(42, 0, 0, i));
  t.ok(u.every((x) => x >= 0 && x < 1));
  const mean = u.reduce((s, x) => s + x, 0) / u.length;
  t.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  t.not(sampleUniform(42, 0, 0, 1), sampleUniform(42, 1, 0, 1));
  t.not(sampleUniform(42, 0, 0, 1), sampleUniform(42, 0, 1, 1));
});

t.test('the type is kept; missingValue; defaults; errors', async (t) => {
  const ints = spark.createDataFrame([{ i: 3 }, { i: null }, { i: -1 }]).select(col('i').cast('int').alias('i'));
  const est = new RandomSampleImputer({ inputCol: 'i', outputCol: 'o', missingValue: -1 });
  t.equal(typeof est.getSeed(), 'number');
  const m = await est.fit(ints);
  const out = m.transform(ints);
  t.equal(String(out.schema.fields[1]!.type), 'Int32');
  t.same((await out.collect()).map((r) => r.o), [3, 3, 3], 'the only observed value is 3 (-1 is missing)');
  await t.rejects(new RandomSampleImputer({ inputCol: 'a', outputCol: 'x' }).fit(spark.createDataFrame([{ a: NaN }, { a: null }])), /RandomSampleImputer\.fit: no value to sample from\. All the values in a are Null, Nan or missingValue\(NaN\)/);
  await t.rejects(new RandomSampleImputer({ inputCol: 'a', outputCol: 'x' }).fit(spark.createDataFrame([{ a: 1 }]).limit(0)), /no value to sample from/);
  t.same(await m.transform(ints.limit(0)).collect(), [], 'empty DataFrame');
  t.throws(() => m.copy().setInputCol('j').transform(ints.withColumnRenamed('i', 'j')), /the model has no observed values for column j; it was fitted on \[i\]/);
});

t.test('persistence under kindling class names, alone and in a Pipeline', async (t) => {
  const dir = t.testdir();
  const df = spark.createDataFrame(rows.slice(0, 40));
  const m = await new RandomSampleImputer({ inputCols: ['a', 'b'], outputCols: ['x', 'y'], seed: 3 }).fit(df);
  await m.save(join(dir, 'm'));
  t.equal(JSON.parse(readFileSync(join(dir, 'm', 'metadata', 'part-00000'), 'utf8')).class, 'org.kindling.ml.feature.RandomSampleImputerModel');
  const back = await RandomSampleImputerModel.load(join(dir, 'm'));
  t.same(Array.from(back.observed.get('a')!.counts), Array.from(m.observed.get('a')!.counts));
  t.same(await back.transform(df).collect(), await m.transform(df).collect());
  const pm = await new Pipeline({ stages: [new RandomSampleImputer({ inputCol: 'a', outputCol: 'x' })] }).fit(df);
  await pm.save(join(dir, 'p'));
  t.same(await (await PipelineModel.load(join(dir, 'p'))).transform(df).collect(), await pm.transform(df).collect());
});

// last: it stops the `local` session and starts a `local[2]` one
t.test('local and local[2]: the same draws for the same partitioning', async (t) => {
  const run = async (s: Session) => {
    const df = s.createDataFrame(rows).repartition(3);
    const m = await new RandomSampleImputer({ inputCol: 'a', outputCol: 'x', seed: 11 }).fit(df);
    return (await m.transform(df).collect()).map((r) => r.x);
  };
  const one = await run(spark);
  await spark.stop();
  const s2 = await Session.builder().appName('rsi2').master('local[2]').getOrCreate();
  t.teardown(() => s2.stop());
  t.same(await run(s2), one);
});
