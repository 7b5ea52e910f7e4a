// DataFrame.sampleBy (PySpark's DataFrame.sampleBy / stat.sampleBy): strata, fractions, seeds,
// the PySpark docstring example (its exact counts come from Spark's XORShiftRandom, which
// kindling's rand stream is not: the fraction-1.0 count is exact, the others are checked as
// kindling's own deterministic values and against their expectation) and errors.
import t from 'tap';
import { Session, functions as F } from '../../../ts/src/index.js';

const spark = await Session.builder().appName('sample-by').master('local').getOrCreate();
t.teardown(() => spark.stop());

const countsOf = async (df: ReturnType<typeof spark.range>, key: string) =>
  Object.fromEntries((await df.groupBy(key).count().orderBy(key).collect()).map((r) => [String(r[key]), Number(r.count)]));

t.test('the PySpark docstring example', async (t) => {
  const dataset = spark.range(0, 100).select(F.col('id').mod(3).alias('key'));
  const sampled = dataset.sampleBy('key', { 0: 0.1, 1: 0.2 }, 0);
  const counts = await countsOf(sampled, 'key');
  t.same(Object.keys(counts), ['0', '1'], 'stratum 2 is not in fractions: never sampled');
  // Spark prints 3 and 6 (its random stream); kindling's seed 0 gives these, every run
  t.same(counts, await countsOf(dataset.sampleBy('key', { 0: 0.1, 1: 0.2 }, 0), 'key'), 'deterministic for a seed');
  t.ok(counts['0']! >= 1 && counts['0']! <= 8 && counts['1']! >= 2 && counts['1']! <= 13, `near 3.4 and 6.6 expected: ${JSON.stringify(counts)}`);
  t.equal(await dataset.sampleBy(F.col('key'), { 2: 1.0 }, 0).count(), 33);
});

t.test('fractions 0 and 1, string strata, Maps, large samples near their expectation', async (t) => {
  const df = spark.range(0, 4000, 1, 4).select(F.col('id'), F.col('id').mod(4).alias('k'), F.when(F.col('id').mod(2).eq(0), 'even').otherwise('odd').alias('s'));
  const all = await countsOf(df.sampleBy('k', { 0: 1, 1: 0, 2: 1 }, 7), 'k');
  t.same(all, { 0: 1000, 2: 1000 });
  const half = await countsOf(df.sampleBy('s', { even: 0.5, odd: 0.25 }, 3), 's');
  t.ok(Math.abs(half.even! - 1000) < 100 && Math.abs(half.odd! - 500) < 75, JSON.stringify(half));
  const viaMap = await countsOf(df.sampleBy('k', new Map([[1, 0.5]]), 3), 'k');
  t.same(Object.keys(viaMap), ['1']);
  t.ok(Math.abs(viaMap['1']! - 500) < 75);
  const seeds = await Promise.all([1, 2].map((s) => df.sampleBy('k', { 0: 0.5 }, s).select('id').collect()));
  t.not(JSON.stringify(seeds[0]), JSON.stringify(seeds[1]), 'another seed, other rows');
  t.equal(await df.sampleBy('k', {}, 1).count(), 0, 'no strata: no rows');
});

t.test('errors', async (t) => {
  const df = spark.range(0, 10).select(F.col('id').mod(2).alias('k'));
  t.throws(() => df.sampleBy('k', { 0: 1.5 }, 1), /sampleBy: expected a number in \[0, 1\].*fractions\[0\], got 1\.5/);
  t.throws(() => df.sampleBy('k', { 0: -0.1 }, 1), /fractions\[0\]/);
  t.throws(() => df.sampleBy('nope', { 0: 0.5 }, 1), /nope/);
  t.throws(() => df.sampleBy('k', [0.5] as never, 1), /fractions/);
  t.throws(() => df.sampleBy('k', { x: 0.5 }, 1), /numeric stratum values/);
  t.throws(() => df.sampleBy('k', { 0: 0.5 }, 1.5), /seed/);
});
