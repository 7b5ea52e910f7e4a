// Imbalanced classes: balanced class weights against scikit-learn's compute_class_weight,
// the weight column, and seeded down- / up-sampling (exact class counts for a seed, computed by
// kindling and pinned here; their expectation checked by hand).
import t from 'tap';
import { Session } from '../../../ts/src/index.js';
import { balancedClassWeights, resample, withClassWeights, NaiveBayes, Vectors } from '../../../ts/ml/index.js';

const spark = await Session.builder().appName('class-balance').master('local').getOrCreate();
t.teardown(() => spark.stop());

const labels = (counts: number[]) => counts.flatMap((n, c) => Array.from({ length: n }, (_, i) => ({ features: Vectors.dense([c + i / 100, 1]), label: c })));
const countsOf = async (df: Awaited<ReturnType<typeof resample>>) => Object.fromEntries((await df.groupBy('label').count().orderBy('label').collect()).map((r) => [String(r.label), Number(r.count)]));

t.test("balancedClassWeights = scikit-learn's compute_class_weight('balanced')", async (t) => {
  const df = spark.createDataFrame(labels([6, 3, 1]), 'features vector, label double');
  // compute_class_weight('balanced', classes=np.unique(y), y=[0]*6 + [1]*3 + [2])
  t.same([...(await balancedClassWeights(df, 'label'))], [[0, 0.5555555555555556], [1, 1.1111111111111112], [2, 3.3333333333333335]]);
  const s = spark.createDataFrame([...Array(5).fill({ y: 'a' }), ...Array(2).fill({ y: 'b' })], 'y string');
  // compute_class_weight('balanced', classes=['a', 'b'], y=['a']*5 + ['b']*2)
  t.same([...(await balancedClassWeights(s, 'y'))], [['a', 0.7], ['b', 1.75]]);
  await t.rejects(balancedClassWeights(df, 'nope'), /nope/);
  await t.rejects(balancedClassWeights(spark.createDataFrame([{ y: 1 }, { y: null }], 'y double'), 'y'), /null labels/);
});

t.test('withClassWeights feeds a weightCol; the weighted classes then weigh alike', async (t) => {
  const df = spark.createDataFrame(labels([6, 3, 1]), 'features vector, label double');
  const weights = await balancedClassWeights(df, 'label');
  const w = withClassWeights(df, 'label', weights);
  t.same(w.columns, ['features', 'label', 'weight']);
  const rows = await w.collect();
  t.same(rows.map((r) => r.weight), [...Array(6).fill(0.5555555555555556), ...Array(3).fill(1.1111111111111112), 3.3333333333333335]);
  // NaiveBayes with those weights: equal class priors (each class weighs n / k)
  const model = await new NaiveBayes({ weightCol: 'weight', smoothing: 0 }).fit(w);
  t.ok(model.pi.toArray().every((p) => Math.abs(p - Math.log(1 / 3)) < 1e-12), 'pi = ln(1/3) for every class');
  const partial = await withClassWeights(df, 'label', { 0: 2 }, 'w').collect();
  t.same(partial.map((r) => r.w).slice(5, 7), [2, null], 'a class without a weight: null');
  t.throws(() => withClassWeights(df, 'label', weights, 'label'), /already exists/);
  t.throws(() => withClassWeights(df, 'label', { 0: -1 }), /weights\[0\]/);
  t.throws(() => withClassWeights(df, 'label', {}), /non-empty/);
});

t.test('resample: seeded undersampling and oversampling', async (t) => {
  const df = spark.createDataFrame(labels([400, 100, 40]), 'features vector, label double').repartition(2);
  const down = await resample(df, 'label', { strategy: 'undersample', seed: 42 });
  const c1 = await countsOf(down);
  t.same(c1, await countsOf(await resample(df, 'label', { strategy: 'undersample', seed: 42 })), 'a seed: the same counts');
  t.equal(c1['2'], 40, 'the smallest class is kept whole');
  // within 4 standard deviations of the expected counts: Binomial(400, 0.1) and Binomial(100, 0.4)
  const within = (c: number, mean: number, sd: number) => Math.abs(c - mean) <= 4 * sd;
  t.ok(within(c1['0']!, 40, Math.sqrt(400 * 0.1 * 0.9)) && within(c1['1']!, 40, Math.sqrt(100 * 0.4 * 0.6)), `classes sampled down to about 40: ${JSON.stringify(c1)}`);
  t.same(c1, { 0: 34, 1: 46, 2: 40 }, 'seed 42: a regression pin of kindling\'s own counts');
  const half = await countsOf(await resample(df, 'label', { strategy: 'undersample', seed: 42, ratio: 2 }));
  t.equal(half['2'], 40);
  t.ok(within(half['0']!, 80, Math.sqrt(400 * 0.2 * 0.8)) && within(half['1']!, 80, Math.sqrt(100 * 0.8 * 0.2)), JSON.stringify(half));

  const up = await resample(df, 'label', { strategy: 'oversample', seed: 7 });
  const c2 = await countsOf(up);
  t.equal(c2['0'], 400, 'the largest class is kept as is');
  // every row kept once plus Poisson replicas: the extra rows' count has variance ≈ its mean (300, 360)
  t.ok(c2['1']! >= 100 && within(c2['1']!, 400, Math.sqrt(300)) && c2['2']! >= 40 && within(c2['2']!, 400, Math.sqrt(360)), `classes replicated up to about 400: ${JSON.stringify(c2)}`);
  t.same(c2, await countsOf(await resample(df, 'label', { strategy: 'oversample', seed: 7 })), 'a seed: the same counts');
  t.same(c2, { 0: 400, 1: 402, 2: 418 }, 'seed 7: a regression pin of kindling\'s own counts');
  // every original row is still there
  t.equal(await up.filter(up.col('label').eq(2)).dropDuplicates().count(), 40);

  await t.rejects(resample(df, 'label', { strategy: 'smote' as never }), /strategy/);
  await t.rejects(resample(df, 'label', { strategy: 'undersample', ratio: 0 }), /ratio/);
  await t.rejects(resample(df, 'nope', { strategy: 'undersample' }), /nope/);
});
