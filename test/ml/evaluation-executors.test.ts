// The evaluators and StandardScaler's fit run their partition summaries on the executors
// (evaluation/*-tasks.ts, feature/scaling/standard-scaler-tasks.ts, through evaluation/common.ts's
// aggregateRows): the same values on `local` and on `local[2]` (60,000 rows, so the pool's
// threads do the work), for 1 and 5 partitions; a bad row in a later partition is named by its
// row over the whole DataFrame, whatever order treeAggregate merges the partials in.
import t from 'tap';
import { Session } from '../../ts/src/index.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import {
  BinaryClassificationEvaluator, MulticlassClassificationEvaluator, MultilabelClassificationEvaluator, RegressionEvaluator,
  RankingEvaluator, ClusteringEvaluator, StandardScaler, Vectors, regressionStats,
} from '../../ts/ml/index.js';
import { localContext } from '../../ts/src/exec/task.js';
import { treeMerge } from '../../ts/src/exec/jobs.js';

const N = 60_000;
const frac = (i: number, m: number, k: number) => ((i * m) % k) / k;

/** 60,000 rows with every column the evaluators and the scaler read. */
function rows(): Array<Record<string, unknown>> {
  return Array.from({ length: N }, (_, i) => {
    const c = i % 3;
    const score = frac(i, 7919, 1000);
    const p = [0.2 + 0.6 * frac(i, 13, 7), 0, 0];
    p[1] = (1 - p[0]!) * frac(i, 5, 3);
    p[2] = 1 - p[0]! - p[1]!;
    return {
      prediction: Math.sin(i) * 3 + (i % 7),
      label: Math.sin(i) * 3 + (i % 7) + (((i * 37) % 11) - 5) / 10,
      w: 0.5 + (i % 4) * 0.5,
      score,
      positive: score + frac(i, 13, 10) / 2 > 0.7 ? 1 : 0,
      cls: c,
      predCls: (i * 7) % 5 === 0 ? (c + 1) % 3 : c,
      probability: Vectors.dense(p),
      predSet: [i % 5, (i * 3) % 5],
      labelSet: [i % 5, (i + 1) % 5],
      ranking: [i % 10, (i + 3) % 10, (i * 7) % 10],
      relevant: [(i * 3) % 10, (i + 1) % 10],
      // no zero vector (cosine refuses one): the third value is never 0
      features: Vectors.dense(c * 5 + frac(i, 17, 23), c + frac(i, 29, 31), 0.5 - c + frac(i, 11, 13)),
    };
  });
}

/** Every metric of one DataFrame, and StandardScaler's mean and std. */
async function metrics(df: DataFrame): Promise<number[]> {
  const out: number[] = [];
  for (const metricName of ['rmse', 'r2', 'var'] as const) out.push(await new RegressionEvaluator({ metricName, weightCol: 'w' }).evaluate(df));
  for (const metricName of ['areaUnderROC', 'areaUnderPR'] as const) {
    out.push(await new BinaryClassificationEvaluator({ rawPredictionCol: 'score', labelCol: 'positive', metricName, weightCol: 'w' }).evaluate(df));
  }
  for (const metricName of ['f1', 'accuracy', 'logLoss'] as const) {
    out.push(await new MulticlassClassificationEvaluator({ predictionCol: 'predCls', labelCol: 'cls', metricName, weightCol: 'w' }).evaluate(df));
  }
  for (const metricName of ['f1Measure', 'microF1Measure', 'hammingLoss'] as const) {
    out.push(await new MultilabelClassificationEvaluator({ predictionCol: 'predSet', labelCol: 'labelSet', metricName }).evaluate(df));
  }
  for (const metricName of ['meanAveragePrecision', 'ndcgAtK'] as const) {
    out.push(await new RankingEvaluator({ predictionCol: 'ranking', labelCol: 'relevant', metricName, k: 3 }).evaluate(df));
  }
  for (const distanceMeasure of ['squaredEuclidean', 'cosine'] as const) {
    out.push(await new ClusteringEvaluator({ predictionCol: 'cls', weightCol: 'w', distanceMeasure }).evaluate(df));
  }
  const scaler = await new StandardScaler({ inputCol: 'features', outputCol: 'scaled' }).fit(df);
  out.push(...scaler.mean.toArray(), ...scaler.std.toArray());
  return out;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

const data = rows();
let reference: number[] | null = null;

for (const master of ['local', 'local[2]']) {
  t.test(`${master}: every metric over 1 and 5 partitions equals the one-thread single-partition value`, async (t) => {
    const spark = await Session.builder().master(master).getOrCreate();
    t.teardown(() => spark.stop());
    const df = spark.createDataFrame(data);
    const before = spark.metrics.bytesFromExecutors;
    const one = await metrics(df.repartition(1).cache());
    reference ??= one;
    const five = await metrics(df.repartition(5).cache());
    t.equal(one.length, 21);
    one.forEach((v, k) => t.ok(close(v, reference![k]!), `value ${k}, 1 partition: ${v} vs ${reference![k]}`));
    five.forEach((v, k) => t.ok(close(v, reference![k]!), `value ${k}, 5 partitions: ${v} vs ${reference![k]}`));
    if (master === 'local[2]') t.ok(spark.metrics.bytesFromExecutors > before, 'the summaries came back from the pool threads');
  });
}

/** A DataFrame whose partitions are the chunks, in order (each chunk at least one partition). */
function chunked(spark: Session, chunks: Array<Array<Record<string, unknown>>>, schema: string): DataFrame {
  return chunks.map((c) => spark.createDataFrame(c, schema)).reduce((a, b) => a.union(b));
}

for (const master of ['local', 'local[2]']) {
  t.test(`${master}: a bad row in a later partition is named by its row over the whole DataFrame`, async (t) => {
    const spark = await Session.builder().master(master).getOrCreate();
    t.teardown(() => spark.stop());
    // 16 chunks of 10 rows: treeAggregate regroups 16+ partials, so the merge order is not partition order
    const reg = (bad: Set<number>) =>
      chunked(spark, Array.from({ length: 16 }, (_, c) => Array.from({ length: 10 }, (_, r) => {
        const i = c * 10 + r;
        return { prediction: i, label: bad.has(i) ? null : i + 1, w: 1 };
      })), 'prediction double, label double, w double');
    const e = new RegressionEvaluator();
    await t.rejects(e.evaluate(reg(new Set([35, 92]))), { code: 'ERR_KINDLING_INVALID_ARG', message: /^RegressionEvaluator: row 35 of column label is null; evaluators need a value in every row$/ });
    await t.rejects(e.evaluate(reg(new Set([151, 92]))), { message: /^RegressionEvaluator: row 92 of column label is null/ });
    // NaN and infinite values likewise, whichever partition and executor holds them
    const nan = (at: number, v: number) =>
      chunked(spark, Array.from({ length: 16 }, (_, c) => Array.from({ length: 10 }, (_, r) => ({ prediction: c * 10 + r === at ? v : r, label: r + 1 }))), 'prediction double, label double');
    await t.rejects(e.evaluate(nan(137, NaN)), { code: 'ERR_KINDLING_INVALID_ARG', message: /^RegressionEvaluator: row 137 of column prediction is NaN; evaluators need finite values$/ });
    const far = (at: number) => chunked(spark, Array.from({ length: 16 }, (_, c) => Array.from({ length: 10 }, (_, r) => ({ features: c * 10 + r === at ? Vectors.dense(0, 0) : Vectors.dense(r + 1, c), prediction: c % 2 }))), 'features vector, prediction double');
    await t.rejects(new ClusteringEvaluator({ distanceMeasure: 'cosine' }).evaluate(far(101)), { message: /^ClusteringEvaluator: row 101 of column features is a zero vector, for which the cosine distance is undefined$/ });
    const big = data.map((r, i) => (i === 45_123 ? { ...r, w: -2 } : r));
    await t.rejects(new BinaryClassificationEvaluator({ rawPredictionCol: 'score', labelCol: 'positive', weightCol: 'w' }).evaluate(spark.createDataFrame(big)), {
      message: /^BinaryClassificationEvaluator: row 45123 of weight column w is -2: Weights MUST NOT be Negative or Infinity$/,
    });
    const raw = chunked(spark, [[{ raw: Vectors.dense(0.4, 0.6), label: 1 }], [{ raw: Vectors.dense(0.5, 0.5), label: 0 }, { raw: Vectors.sparse(1, [0], [1]), label: 1 }]], 'raw vector, label double');
    await t.rejects(new BinaryClassificationEvaluator({ rawPredictionCol: 'raw' }).evaluate(raw), {
      message: /^BinaryClassificationEvaluator: row 2 of column raw: expected an index < the vector size 1 for vector index, got 1 \(number\)$/,
    });
    const probs = chunked(spark, [[{ p: 0, l: 0, prob: Vectors.dense(1, 0) }], [{ p: 0, l: 0, prob: Vectors.dense(1, 0) }, { p: 0, l: 2, prob: Vectors.dense(1, 0) }]], 'p double, l double, prob vector');
    await t.rejects(new MulticlassClassificationEvaluator({ predictionCol: 'p', labelCol: 'l', probabilityCol: 'prob', metricName: 'logLoss' }).evaluate(probs), {
      message: /^MulticlassClassificationEvaluator: row 2 of column prob has 2 probabilities, no entry for label 2$/,
    });
    const sets = chunked(spark, [[{ prediction: [1], label: [1] }], [{ prediction: [1], label: [2] }, { prediction: [1, null], label: [1] }]], 'prediction array<double>, label array<double>');
    await t.rejects(new MultilabelClassificationEvaluator().evaluate(sets), { message: /^MultilabelClassificationEvaluator: row 2 of column prediction has a null element at position 1$/ });
    await t.rejects(new RankingEvaluator().evaluate(sets), { message: /^RankingEvaluator: row 2 of column prediction has a null element at position 1$/ });
    // vector sizes: a change inside a partition, and between partitions
    const pts = (sizes: number[][]) => chunked(spark, sizes.map((c) => c.map((d, r) => ({ features: Vectors.sparse(d, [0], [r + 1]), prediction: r % 2 }))), 'features vector, prediction double');
    const ce = new ClusteringEvaluator();
    await t.rejects(ce.evaluate(pts([[2, 2], [2, 3]])), { message: /^ClusteringEvaluator: row 3 of column features has 3 features, but earlier rows have 2: Vector sizes must match$/ });
    await t.rejects(ce.evaluate(pts([[2, 2], [2, 2], [3, 3]])), { message: /^ClusteringEvaluator: row 4 of column features has 3 features, but earlier rows have 2: Vector sizes must match$/ });
    const nullAt = chunked(spark, [[{ features: Vectors.dense(1), prediction: 0 }], [{ features: Vectors.dense(2), prediction: 1 }, { features: null, prediction: 1 }]], 'features vector, prediction double');
    await t.rejects(ce.evaluate(nullAt), { message: /^ClusteringEvaluator: row 2 of column features is null: Vectors MUST NOT be Null$/ });
    const arrays = chunked(spark, [[{ features: [1, 2], prediction: 0 }], [{ features: [1, 2, 3], prediction: 1 }]], 'features array<double>, prediction double');
    await t.rejects(ce.evaluate(arrays), { message: /^ClusteringEvaluator: row 1 of column features has 3 features, but earlier rows have 2$/ });
    const ss = new StandardScaler({ inputCol: 'features', outputCol: 's' });
    await t.rejects(ss.fit(pts([[2, 2], [2, 2], [3, 3]])), { message: /^StandardScaler\.fit: row 4 of the features column has size 3, but earlier rows have size 2$/ });
    await t.rejects(ss.fit(pts([[2, 2], [2, 3]])), { message: /^StandardScaler\.fit: row 3 of the features column has size 3, but earlier rows have size 2$/ });
    await t.rejects(ss.fit(nullAt), { message: /^StandardScaler\.fit: row 2 of the features column is null$/ });
  });
}

t.test('a partial keeps the bad row of the lowest partition, whatever the merge order', async (t) => {
  const spark = await Session.builder().master('local').getOrCreate();
  t.teardown(() => spark.stop());
  const b = { predictionCol: 'prediction', labelCol: 'label', weightCol: null };
  const batch = async (bad: number | null) =>
    (await spark.createDataFrame(Array.from({ length: 4 }, (_, r) => ({ prediction: r, label: r === bad ? null : r + 0.5 })), 'prediction double, label double').toArrow()).batches[0]!;
  const good = await batch(null);
  const partials = await Promise.all(Array.from({ length: 16 }, async (_, p) => regressionStats.add(regressionStats.zero(b), p === 3 || p === 9 ? await batch(p === 3 ? 2 : 0) : good, b, localContext(p))));
  t.same(partials[3]!.bad, { row: 2, what: 'column label', why: 'is null; evaluators need a value in every row', partition: 3 });
  t.same(partials[3]!.parts, [3, 4, -1]);
  const merged = treeMerge(partials, (x, y) => regressionStats.merge(x, y), () => regressionStats.zero(b));
  t.equal(merged.bad?.partition, 3, 'the lowest partition wins although partition 9 merges first');
  t.equal(merged.parts.length, 16 * 3, 'every partition reports its rows');
  const clean = treeMerge(partials.map((_, p) => regressionStats.add(regressionStats.zero(b), good, b, localContext(p))), (x, y) => regressionStats.merge(x, y), () => regressionStats.zero(b));
  t.equal(clean.bad, null);
  t.equal(clean.value.rows, 64);
  t.same(regressionStats.merge(regressionStats.zero(b), clean).value, clean.value, 'merge(zero, s) = s');
});
