// ml.evaluation against every evaluator example of
// shared/fixtures/spark-test-vectors/evaluators-and-features.json (Spark's documented values,
// to full precision), PySpark doctests not in the fixture (logLoss, multilabel), hand
// computations, scikit-learn where the definitions agree, partition-summary algebra, and the
// bad-input behaviour Spark has (errors, or NaN / 0 where Spark returns them).
//
// scikit-learn 1.2.1 values were computed once with /usr/bin/python3 and pasted as literals:
//   roc_auc_score(labels, scores[, sample_weight]), f1_score(y, p, average='weighted'[, sample_weight]),
//   accuracy_score, log_loss(y, probs, labels=[0,1,2]), r2_score, mean_squared_error,
//   mean_absolute_error, silhouette_score(X, labels, metric='cosine' | 'sqeuclidean').
// The synthetic data sets are generated below by the same integer formulas the script used.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Session } from '../../ts/src/index.js';
import type { DataFrame } from '../../ts/src/dataframe/dataframe.js';
import {
  BinaryClassificationEvaluator, BinaryClassificationMetrics, binaryScoreSummary,
  MulticlassClassificationEvaluator, MulticlassMetrics, MULTICLASS_METRICS, confusionSummary,
  MultilabelClassificationEvaluator, MULTILABEL_METRICS, multisetIntersect, multisetDiff,
  RegressionEvaluator, regressionSummary, RegressionMetrics,
  RankingEvaluator, RankingMetrics, RANKING_METRICS,
  ClusteringEvaluator, clusterStatsSummary, silhouetteSummary,
  Vectors, Matrices,
} from '../../ts/ml/index.js';
import { localContext, type Summary } from '../../ts/src/exec/task.js';
import { treeMerge } from '../../ts/src/exec/jobs.js';

const FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/spark-test-vectors/evaluators-and-features.json', import.meta.url));
const fx = JSON.parse(readFileSync(FIXTURE, 'utf8'));

const spark = await Session.builder().appName('evaluation-test').master('local[2]').getOrCreate();
t.teardown(() => spark.stop());

type TestLike = { ok(value: unknown, message: string): unknown; same(found: unknown, wanted: unknown, message: string): unknown };

/** |a - e| <= tol * max(1, |e|). */
function close(t: TestLike, actual: number, expected: number, msg: string, tol = 1e-12): void {
  const ok = Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  t.ok(ok, `${msg} (got ${actual}, expected ${expected})`);
}

/** A documented "0.70..." prefix: the value starts with those digits. */
function documented(t: TestLike, actual: number, doc: string, msg: string): void {
  const prefix = doc.replace(/\.\.\.$/, '');
  t.ok(String(actual).startsWith(prefix) || actual.toFixed(prefix.split('.')[1]?.length ?? 0) === prefix, `${msg}: ${actual} matches the documented ${doc}`);
}

/** Splits every array of a partition object into k contiguous chunks. */
function chunks<P extends object>(p: P, n: number, k: number): P[] {
  return Array.from({ length: k }, (_, c) => {
    const lo = Math.floor((c * n) / k);
    const hi = Math.floor(((c + 1) * n) / k);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(p as Record<string, unknown>)) {
      if (v instanceof Float64Array) out[key] = v.subarray(lo * (v.length / n), hi * (v.length / n));
      else if (Array.isArray(v)) out[key] = v.slice(lo, hi);
      else out[key] = v;
    }
    return out as P;
  });
}

/** Folds each partition by hand (as an executor does) and merges the partials in treeAggregate order. */
function foldPartitions<S, P, B>(summary: Summary<S, P, B>, partitions: readonly P[], b: B): S {
  const partials = partitions.map((p, i) => summary.add(summary.zero(b), p, b, localContext(i)));
  return treeMerge(partials, (x, y) => summary.merge(x, y), () => summary.zero(b));
}

/** merge(zero, s) = s and 1, 2, 5, 8 partitions give the same result (within 1e-12). */
function algebra<S, P extends object, B>(t: TestLike, name: string, summary: Summary<S, P, B>, whole: P, n: number, b: B, result: (s: S) => number[]): void {
  const one = foldPartitions(summary, [whole], b);
  t.same(result(summary.merge(summary.zero(b), foldPartitions(summary, [whole], b))), result(one), `${name}: merge(zero, s) = s`);
  t.same(result(summary.merge(foldPartitions(summary, [whole], b), summary.zero(b))), result(one), `${name}: merge(s, zero) = s`);
  for (const k of [2, 5, 8]) {
    const r = result(foldPartitions(summary, chunks(whole, n, k), b));
    r.forEach((v, j) => close(t, v, result(one)[j]!, `${name}: ${k} partitions, value ${j}`));
  }
}

// ------------------------------------------------------------------------------------------
// Binary classification

const bin0 = fx.binaryClassification[0];
const rawDf = () => spark.createDataFrame(bin0.scoreAndLabels.map(([s, l]: number[]) => ({ raw: Vectors.dense(1 - s!, s!), label: l })));

t.test('BinaryClassificationEvaluator: the documented 7-point example (vector rawPrediction, element 1 is the score)', async (t) => {
  const e = new BinaryClassificationEvaluator().setRawPredictionCol('raw');
  const df = rawDf();
  const roc = await e.evaluate(df);
  const pr = await e.evaluate(df, e.extractParamMap().put(e.metricName, 'areaUnderPR'));
  close(t, roc, bin0.fullPrecision.areaUnderROC, 'areaUnderROC');
  close(t, pr, bin0.fullPrecision.areaUnderPR, 'areaUnderPR');
  documented(t, roc, bin0.documented.areaUnderROC, 'areaUnderROC');
  documented(t, pr, bin0.documented.areaUnderPR, 'areaUnderPR');
  t.equal(e.getMetricName(), 'areaUnderROC', 'evaluate(df, extra) does not change the evaluator');
  const m = await e.getMetrics(df);
  const curves = bin0.curves;
  t.equal(m.roc().length, curves.roc_fpr_tpr.length);
  m.roc().forEach(([x, y], k) => {
    close(t, x, curves.roc_fpr_tpr[k][0], `roc[${k}].fpr`);
    close(t, y, curves.roc_fpr_tpr[k][1], `roc[${k}].tpr`);
  });
  t.equal(m.pr().length, curves.pr_recall_precision.length);
  m.pr().forEach(([x, y], k) => {
    close(t, x, curves.pr_recall_precision[k][0], `pr[${k}].recall`);
    close(t, y, curves.pr_recall_precision[k][1], `pr[${k}].precision`);
  });
  t.same(m.thresholds(), [0.8, 0.6, 0.4, 0.1], 'one point per distinct score, descending');
  // the same scores as a double column
  const dbl = spark.createDataFrame(bin0.scoreAndLabels.map(([s, l]: number[]) => ({ rawPrediction: s, label: l })));
  close(t, await new BinaryClassificationEvaluator().evaluate(dbl), bin0.fullPrecision.areaUnderROC, 'double rawPrediction');
  close(t, await new BinaryClassificationEvaluator({ metricName: 'areaUnderPR' }).evaluate(dbl), bin0.fullPrecision.areaUnderPR, 'double rawPrediction, PR');
  // scikit-learn roc_auc_score(l, s) = 0.7083333333333333 (ties handled the same way; PR differs: sklearn's average precision is a step sum)
  close(t, roc, 0.7083333333333333, 'sklearn roc_auc_score');
});

t.test('BinaryClassificationEvaluator: the weighted examples (mllib doctest and the ml evaluator doctest)', async (t) => {
  for (const [k, ex] of fx.binaryClassification.slice(1).entries()) {
    const df = spark.createDataFrame(ex.scoreLabelWeight.map(([s, l, w]: number[]) => ({ raw: Vectors.dense(1 - s!, s!), label: l, weight: w })));
    const e = new BinaryClassificationEvaluator({ rawPredictionCol: 'raw', weightCol: 'weight' });
    close(t, await e.evaluate(df), ex.fullPrecision.areaUnderROC, `example ${k + 1} areaUnderROC`);
    close(t, await e.setMetricName('areaUnderPR').evaluate(df), ex.fullPrecision.areaUnderPR, `example ${k + 1} areaUnderPR`);
    if (ex.documented) {
      documented(t, await e.setMetricName('areaUnderROC').evaluate(df), ex.documented.areaUnderROC, 'weighted areaUnderROC');
      documented(t, await e.setMetricName('areaUnderPR').evaluate(df), ex.documented.areaUnderPR, 'weighted areaUnderPR');
    }
  }
  // scikit-learn roc_auc_score(l, s, sample_weight=w) on the mllib weighted example = 0.7911111111111112
  const ex = fx.binaryClassification[1];
  const df = spark.createDataFrame(ex.scoreLabelWeight.map(([s, l, w]: number[]) => ({ rawPrediction: s, label: l, w })));
  close(t, await new BinaryClassificationEvaluator({ weightCol: 'w' }).evaluate(df), 0.7911111111111112, 'sklearn weighted roc_auc_score');
  close(t, await new BinaryClassificationEvaluator({ weightCol: '' }).evaluate(df), bin0.fullPrecision.areaUnderROC, 'an empty weightCol means no weights (Spark)');
});

// 200 rows: score_i = ((i * 7919) % 1000) / 1000, label_i = score_i + ((i * 13) % 10) / 20 > 0.7, weight_i = 0.5 + (i % 5) * 0.25
const N_BIN = 200;
const binScore = Float64Array.from({ length: N_BIN }, (_, i) => ((i * 7919) % 1000) / 1000);
const binLabel = Float64Array.from({ length: N_BIN }, (_, i) => (binScore[i]! + ((i * 13) % 10) / 20 > 0.7 ? 1 : 0));
const binWeight = Float64Array.from({ length: N_BIN }, (_, i) => 0.5 + (i % 5) * 0.25);

t.test('BinaryClassificationEvaluator vs scikit-learn roc_auc_score on 200 synthetic rows, and the summary algebra', async (t) => {
  const df = spark.createDataFrame({ rawPrediction: binScore, label: binLabel, weight: binWeight });
  close(t, await new BinaryClassificationEvaluator().evaluate(df), 0.9608373397435896, 'sklearn roc_auc_score');
  close(t, await new BinaryClassificationEvaluator({ weightCol: 'weight' }).evaluate(df), 0.9613428152843013, 'sklearn roc_auc_score with sample_weight');
  close(t, await new BinaryClassificationEvaluator({ weightCol: 'weight' }).evaluate(df.repartition(5)), 0.9613428152843013, 'the same over 5 partitions');
  algebra(t, 'binaryScoreSummary', binaryScoreSummary, { score: binScore, label: binLabel, weight: binWeight }, N_BIN, null, (s) => {
    const m = new BinaryClassificationMetrics(s);
    return [m.areaUnderROC(), m.areaUnderPR(), s.scores.length];
  });
});

t.test('numBins down-sampling: chunks of floor(#distinct / numBins) consecutive points keep their last score', async (t) => {
  // 25 distinct scores 0.96, 0.92, …, 0.0; label 1 for the odd positions
  const scores = Float64Array.from({ length: 25 }, (_, k) => (24 - k) * 0.04);
  const labels = Float64Array.from({ length: 25 }, (_, k) => (k % 3 === 1 || k < 4 ? 1 : 0));
  const df = spark.createDataFrame({ rawPrediction: scores, label: labels });
  const base = new BinaryClassificationEvaluator();
  const m0 = await base.copy().setNumBins(0).getMetrics(df);
  t.equal(m0.thresholds().length, 25, 'numBins 0: no down-sampling');
  t.equal((await base.getMetrics(df)).thresholds().length, 25, 'default 1000 bins: 25 / 1000 < 2, nothing merged');
  t.equal((await base.copy().setNumBins(13).getMetrics(df)).thresholds().length, 25, 'floor(25 / 13) = 1 < 2: nothing merged');
  const m = await base.copy().setNumBins(10).getMetrics(df);
  // floor(25 / 10) = 2: chunks {0,1}, {2,3}, …, {22,23}, {24}; each keeps its last (smallest) score
  const ends = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 24];
  t.same(m.thresholds(), ends.map((k) => scores[k]!));
  // hand computation: cumulative counts at the chunk ends
  const P = labels.reduce((s, l) => s + l, 0);
  const N = 25 - P;
  const cum = (k: number) => {
    let tp = 0;
    for (let j = 0; j <= k; j++) tp += labels[j]!;
    return { tp, fp: k + 1 - tp };
  };
  const roc: Array<[number, number]> = [[0, 0], ...ends.map((k) => [cum(k).fp / N, cum(k).tp / P] as [number, number]), [1, 1]];
  let auc = 0;
  for (let k = 1; k < roc.length; k++) auc += ((roc[k]![0] - roc[k - 1]![0]) * (roc[k]![1] + roc[k - 1]![1])) / 2;
  close(t, m.areaUnderROC(), auc, 'down-sampled areaUnderROC');
  const prec = (k: number) => cum(k).tp / (k + 1);
  const pr: Array<[number, number]> = [[0, prec(ends[0]!)], ...ends.map((k) => [cum(k).tp / P, prec(k)] as [number, number])];
  let apr = 0;
  for (let k = 1; k < pr.length; k++) apr += ((pr[k]![0] - pr[k - 1]![0]) * (pr[k]![1] + pr[k - 1]![1])) / 2;
  close(t, m.areaUnderPR(), apr, 'down-sampled areaUnderPR');
  t.not(m.areaUnderROC(), m0.areaUnderROC(), 'down-sampling changes the area here');
  t.same(m.precisionByThreshold()[0], [scores[1]!, prec(1)]);
  t.same(m.recallByThreshold()[12], [0, 1]);
  close(t, m.fMeasureByThreshold()[0]![1], (2 * prec(1) * (cum(1).tp / P)) / (prec(1) + cum(1).tp / P), 'F1 at the first threshold');
});

t.test('BinaryClassificationEvaluator: bad input, NaN scores, empty input, params', async (t) => {
  const e = new BinaryClassificationEvaluator();
  // a NaN or infinite score or label is refused, naming the row (issue 10; Spark sorts NaN above every score)
  const nan = spark.createDataFrame({ rawPrediction: Float64Array.from([0.2, NaN, 0.1]), label: Float64Array.from([0, 1, 0]) });
  const nanScore = { code: 'ERR_KINDLING_INVALID_ARG', message: 'BinaryClassificationEvaluator: row 1 of column rawPrediction is NaN; evaluators need finite values' };
  await t.rejects(e.evaluate(nan), nanScore);
  await t.rejects(e.getMetrics(nan), nanScore);
  await t.rejects(e.evaluate(spark.createDataFrame({ rawPrediction: Float64Array.from([0.2, -Infinity]), label: Float64Array.from([0, 1]) })), { message: 'BinaryClassificationEvaluator: row 1 of column rawPrediction is -Infinity; evaluators need finite values' });
  await t.rejects(e.evaluate(spark.createDataFrame({ rawPrediction: Float64Array.from([0.2, 0.3]), label: Float64Array.from([Infinity, 1]) })), { message: 'BinaryClassificationEvaluator: row 0 of column label is Infinity; evaluators need finite values' });
  await t.rejects(e.evaluate(spark.createDataFrame([{ rawPrediction: Vectors.dense(0.5, 0.5), label: 1 }, { rawPrediction: Vectors.dense(0, NaN), label: 0 }])), { message: 'BinaryClassificationEvaluator: row 1 of column rawPrediction is NaN; evaluators need finite values' }, 'the score read from a vector too');
  const empty = spark.createDataFrame([], 'rawPrediction double, label double');
  t.equal(await e.evaluate(empty), 0.5, 'empty: only (0,0)-(1,1) remain, as Spark');
  await t.rejects(e.copy().setMetricName('areaUnderPR').evaluate(empty), /the PR curve of an empty dataset is undefined/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ score: 0.5, label: 1 }])), { code: 'ERR_KINDLING_SCHEMA', message: /BinaryClassificationEvaluator: cannot resolve column "rawPrediction" among \[score, label\]/ });
  await t.rejects(e.evaluate(spark.createDataFrame([{ rawPrediction: 'x', label: 1 }])), /column rawPrediction \(rawPredictionCol\) must be a double or a vector, but is string/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ rawPrediction: 0.5, label: 'x' }])), /column label \(labelCol\) must be of a numeric type, but is string/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ rawPrediction: Vectors.dense(1, 2, 3), label: 1 }])), /rawPredictionCol vectors must have length=2, but column rawPrediction has vectors of size 3/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ rawPrediction: Vectors.sparse(1, [0], [1]), label: 1 }])), /row 0 of column rawPrediction: expected an index < the vector size 1/);
  await t.rejects(e.evaluate(spark.createDataFrame([[0.5, 1], [0.4, null]], 'rawPrediction double, label double')), /BinaryClassificationEvaluator: row 1 of column label is null/);
  const w = (weights: Array<number | null>) => spark.createDataFrame(weights.map((x, i) => [i / 10, i % 2, x]), 'rawPrediction double, label double, w double');
  await t.rejects(e.copy().setWeightCol('w').evaluate(w([1, -1])), /row 1 of weight column w is -1: Weights MUST NOT be Negative or Infinity/);
  await t.rejects(e.copy().setWeightCol('w').evaluate(w([1, NaN])), /row 1 of weight column w is null or NaN: Weights MUST NOT be Null or NaN/);
  await t.rejects(e.copy().setWeightCol('w').evaluate(w([null, 1])), /row 0 of weight column w is null or NaN/);
  t.throws(() => e.setMetricName('auc' as never), /BinaryClassificationEvaluator: expected one of areaUnderROC, areaUnderPR for metricName, got "auc" \(string\)/);
  t.throws(() => e.setNumBins(-1), /expected integer >= 0 for numBins, got -1/);
  t.equal(e.getNumBins(), 1000);
  t.equal(e.isLargerBetter(), true);
  t.equal(e.copy().setMetricName('areaUnderPR').isLargerBetter(), true);
  t.equal(e.explainParam('numBins'), 'numBins: Number of bins to down-sample the curves (ROC curve, PR curve) in area computation. If 0, no down-sampling will occur. Must be >= 0. (default: 1000)');
  t.equal(e.explainParam('metricName'), 'metricName: metric name in evaluation (areaUnderROC|areaUnderPR) (default: areaUnderROC)');
  t.same(e.params.map((p) => p.name), ['labelCol', 'metricName', 'numBins', 'rawPredictionCol', 'weightCol']);
  t.match(String(e), /^BinaryClassificationEvaluator: uid=BinaryClassificationEvaluator_[0-9a-f]{12}, metricName=areaUnderROC, numBins=1000$/);
  t.equal(new BinaryClassificationEvaluator({}, 'binEval_1').uid, 'binEval_1');
});

// ------------------------------------------------------------------------------------------
// Multiclass classification

const mc0 = fx.multiclassClassification[0];
const mcDf = () => spark.createDataFrame(mc0.predictionAndLabel.map(([p, l]: number[]) => [p, l]), 'prediction double, label double');

t.test('MulticlassClassificationEvaluator: the documented 9-row example, every metric', async (t) => {
  const df = mcDf();
  const e = new MulticlassClassificationEvaluator();
  const ev = (extra: Partial<{ metricName: string; metricLabel: number; beta: number }>) => {
    const c = e.copy();
    for (const [k, v] of Object.entries(extra)) c.set(k, v);
    return c.evaluate(df);
  };
  const full = mc0.fullPrecision;
  close(t, await e.evaluate(df), full.f1_weightedFMeasure, 'f1 (default)');
  close(t, await ev({ metricName: 'accuracy' }), full.accuracy, 'accuracy');
  close(t, await ev({ metricName: 'weightedPrecision' }), full.weightedPrecision, 'weightedPrecision');
  close(t, await ev({ metricName: 'weightedRecall' }), full.weightedRecall, 'weightedRecall');
  close(t, await ev({ metricName: 'weightedTruePositiveRate' }), full.weightedRecall, 'weightedTruePositiveRate = weightedRecall');
  close(t, await ev({ metricName: 'weightedFMeasure' }), full.f1_weightedFMeasure, 'weightedFMeasure (beta 1)');
  close(t, await ev({ metricName: 'weightedFMeasure', beta: 2 }), full.weightedFMeasure_beta2, 'weightedFMeasure(2.0)');
  close(t, await ev({ metricName: 'weightedFalsePositiveRate' }), full.weightedFalsePositiveRate, 'weightedFalsePositiveRate');
  close(t, await ev({ metricName: 'hammingLoss' }), full.hammingLoss, 'hammingLoss');
  const doc = mc0.documented;
  documented(t, await e.evaluate(df), doc.f1, 'f1');
  documented(t, await ev({ metricName: 'accuracy' }), doc.accuracy, 'accuracy');
  documented(t, await ev({ metricName: 'truePositiveRateByLabel', metricLabel: 1 }), doc['truePositiveRateByLabel(metricLabel=1.0)'], 'truePositiveRateByLabel(1.0)');
  documented(t, await ev({ metricName: 'hammingLoss' }), doc.hammingLoss, 'hammingLoss');
  documented(t, await ev({ metricName: 'falsePositiveRateByLabel', metricLabel: 0 }), doc['falsePositiveRate(0.0)'], 'falsePositiveRate(0.0)');
  documented(t, await ev({ metricName: 'precisionByLabel', metricLabel: 1 }), doc['precision(1.0)'], 'precision(1.0)');
  documented(t, await ev({ metricName: 'recallByLabel', metricLabel: 2 }), doc['recall(2.0)'], 'recall(2.0)');
  documented(t, await ev({ metricName: 'fMeasureByLabel', metricLabel: 0, beta: 2 }), doc['fMeasure(0.0, beta=2.0)'], 'fMeasure(0.0, 2.0)');
  documented(t, await ev({ metricName: 'weightedFalsePositiveRate' }), doc.weightedFalsePositiveRate, 'weightedFalsePositiveRate');
  documented(t, await ev({ metricName: 'weightedPrecision' }), doc.weightedPrecision, 'weightedPrecision');
  documented(t, await ev({ metricName: 'weightedRecall' }), doc.weightedRecall, 'weightedRecall');
  documented(t, await ev({ metricName: 'weightedFMeasure', beta: 2 }), doc['weightedFMeasure(2.0)'], 'weightedFMeasure(2.0)');
  // hand computations from the confusion matrix [[2,1,1],[1,3,0],[0,0,1]] (rows = label)
  t.equal(await ev({ metricName: 'truePositiveRateByLabel', metricLabel: 1 }), 3 / 4);
  t.equal(await ev({ metricName: 'falsePositiveRateByLabel', metricLabel: 0 }), 1 / 5);
  t.equal(await ev({ metricName: 'precisionByLabel', metricLabel: 1 }), 3 / 4);
  t.equal(await ev({ metricName: 'recallByLabel', metricLabel: 2 }), 1);
  close(t, await ev({ metricName: 'fMeasureByLabel', metricLabel: 0, beta: 2 }), (5 * (2 / 3) * (2 / 4)) / (4 * (2 / 3) + 2 / 4), 'F2 of label 0');
  close(t, await ev({ metricName: 'fMeasureByLabel', metricLabel: 2 }), (2 * 0.5 * 1) / 1.5, 'F1 of label 2: p = 1/2, r = 1');
  const cm = await e.confusionMatrix(df);
  t.same(cm.toRows(), doc['confusionMatrix(rows=label, cols=prediction)']);
  t.ok(cm.equals(Matrices.dense(3, 3, [2, 1, 0, 1, 3, 0, 1, 0, 1])), 'column-major as MulticlassMetrics.confusionMatrix');
  t.same((await e.getMetrics(df)).labels, [0, 1, 2]);
  // scikit-learn f1_score(labels, predictions, average='weighted') = 0.6613756613756615
  close(t, await e.evaluate(df), 0.6613756613756615, 'sklearn weighted f1_score');
  // the weighted doctest (all weights 1.0) gives the same values
  const weighted = spark.createDataFrame(mc0.predictionAndLabel.map(([p, l]: number[]) => [p, l, 1.0]), 'prediction double, label double, weight double');
  close(t, await new MulticlassClassificationEvaluator({ weightCol: 'weight' }).evaluate(weighted), full.f1_weightedFMeasure, 'weighted doctest f1');
  close(t, await new MulticlassClassificationEvaluator({ weightCol: 'weight', metricName: 'accuracy' }).evaluate(weighted), full.accuracy, 'weighted doctest accuracy');
});

// 300 rows: label_i = i % 3, prediction_i = label_i when (i * 7) % 11 < 7 else (label_i + 1 + i % 2) % 3, weight_i = 1 + (i % 4) * 0.5
const N_MC = 300;
const mcLabel = Float64Array.from({ length: N_MC }, (_, i) => i % 3);
const mcPred = Float64Array.from({ length: N_MC }, (_, i) => ((i * 7) % 11 < 7 ? mcLabel[i]! : (mcLabel[i]! + 1 + (i % 2)) % 3));
const mcWeight = Float64Array.from({ length: N_MC }, (_, i) => 1 + (i % 4) * 0.5);

t.test('MulticlassClassificationEvaluator vs scikit-learn (weighted f1, accuracy) and the summary algebra', async (t) => {
  const df = spark.createDataFrame({ prediction: mcPred, label: mcLabel, weight: mcWeight });
  close(t, await new MulticlassClassificationEvaluator().evaluate(df), 0.6366605831812462, "sklearn f1_score(average='weighted')");
  close(t, await new MulticlassClassificationEvaluator({ weightCol: 'weight' }).evaluate(df), 0.6371383964195261, "sklearn f1_score(average='weighted', sample_weight)");
  close(t, await new MulticlassClassificationEvaluator({ metricName: 'accuracy' }).evaluate(df), 0.6366666666666667, 'sklearn accuracy_score');
  close(t, await new MulticlassClassificationEvaluator({ metricName: 'hammingLoss' }).evaluate(df), 1 - 0.6366666666666667, 'hammingLoss = 1 - accuracy');
  algebra(t, 'confusionSummary', confusionSummary, { prediction: mcPred, label: mcLabel, weight: mcWeight, pLabel: null }, N_MC, { eps: 1e-15 }, (s) => {
    const metrics = new MulticlassMetrics(s);
    return [metrics.weightedFMeasure(1), metrics.accuracy, metrics.weightedFalsePositiveRate];
  });
});

t.test('logLoss: the PySpark doctest (0.9682…), eps clipping with log1p, label checks', async (t) => {
  const rows = [
    [1.0, 1.0, 1.0, [0.1, 0.8, 0.1]],
    [0.0, 2.0, 1.0, [0.9, 0.05, 0.05]],
    [0.0, 0.0, 1.0, [0.8, 0.2, 0.0]],
    [1.0, 1.0, 1.0, [0.3, 0.65, 0.05]],
  ] as const;
  const df = spark.createDataFrame(rows.map(([p, l, w, pr]) => ({ prediction: p, label: l, weight: w, probability: Vectors.dense([...pr]) })));
  const e = new MulticlassClassificationEvaluator({ probabilityCol: 'probability' }).setMetricName('logLoss');
  const v = await e.evaluate(df);
  t.ok(String(v).startsWith('0.9682'), `documented 0.9682..., got ${v}`);
  close(t, v, -(Math.log(0.8) + Math.log(0.05) + Math.log(0.8) + Math.log(0.65)) / 4, 'mean of -ln p[label]');
  // scikit-learn log_loss([1, 2, 0, 1], probabilities, labels=[0, 1, 2]) = 0.9682005730687162
  close(t, v, 0.9682005730687162, 'sklearn log_loss');
  t.equal(e.isLargerBetter(), false);
  const clip = spark.createDataFrame([
    { prediction: 0, label: 0, probability: Vectors.dense([0, 1]) },
    { prediction: 1, label: 1, probability: Vectors.dense([0, 1]) },
  ]);
  close(t, await e.evaluate(clip), (-Math.log(1e-15) + -Math.log1p(-1e-15)) / 2, 'p < eps → -ln(eps); p > 1 - eps → -log1p(-eps)');
  close(t, await e.copy().setEps(0.1).evaluate(clip), (-Math.log(0.1) + -Math.log1p(-0.1)) / 2, 'eps 0.1');
  const weighted = spark.createDataFrame([
    { prediction: 0, label: 0, w: 3, probability: Vectors.dense([0.5, 0.5]) },
    { prediction: 1, label: 1, w: 1, probability: Vectors.dense([0.2, 0.8]) },
  ]);
  close(t, await e.copy().setWeightCol('w').evaluate(weighted), (3 * -Math.log(0.5) + -Math.log(0.8)) / 4, 'weighted mean');
  await t.rejects(e.evaluate(spark.createDataFrame([{ prediction: 0, label: 1.5, probability: Vectors.dense([0.5, 0.5]) }])), /row 0 of column label holds 1.5: logLoss needs integer labels >= 0/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ prediction: 0, label: 2, probability: Vectors.dense([0.5, 0.5]) }])), /row 0 of column probability has 2 probabilities, no entry for label 2/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ prediction: 0, label: 0, p: Vectors.dense([1]) }])), /cannot resolve column "probability"/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ prediction: 0, label: 0, probability: 0.5 }])), /column probability \(probabilityCol\) must be a vector column, but is double/);
  await t.rejects(e.evaluate(spark.createDataFrame([], 'prediction double, label double, probability vector')), /no rows with probabilities to evaluate \(Spark: empty collection\)/);
});

t.test('MulticlassClassificationEvaluator: NaN predictions, unseen predictions, empty input, params', async (t) => {
  const e = new MulticlassClassificationEvaluator();
  const nan = spark.createDataFrame({ prediction: Float64Array.from([0, NaN, 1, 1]), label: Float64Array.from([0, 1, 1, 1]) });
  // refused, naming the row (issue 10), where Spark counts a NaN prediction as a wrong one
  await t.rejects(e.copy().setMetricName('accuracy').evaluate(nan), { code: 'ERR_KINDLING_INVALID_ARG', message: 'MulticlassClassificationEvaluator: row 1 of column prediction is NaN; evaluators need finite values' });
  await t.rejects(e.evaluate(spark.createDataFrame({ prediction: Float64Array.from([0, 1]), label: Float64Array.from([0, -Infinity]) })), { message: 'MulticlassClassificationEvaluator: row 1 of column label is -Infinity; evaluators need finite values' });
  const nanProb = spark.createDataFrame([{ prediction: 0, label: 0, probability: Vectors.dense(0.5, 0.5) }, { prediction: 1, label: 1, probability: Vectors.dense(0.5, NaN) }]);
  await t.rejects(new MulticlassClassificationEvaluator({ metricName: 'logLoss', probabilityCol: 'probability' }).evaluate(nanProb), { message: 'MulticlassClassificationEvaluator: row 1 of column probability has NaN for label 1; evaluators need finite values' });
  const unseen = spark.createDataFrame({ prediction: Float64Array.from([0, 5, 1]), label: Float64Array.from([0, 1, 1]) });
  t.same((await e.confusionMatrix(unseen)).toRows(), [[1, 0], [0, 1]], 'a prediction that is never a label is left out of the matrix');
  t.equal(await e.copy().setMetricName('precisionByLabel').setMetricLabel(1).evaluate(unseen), 1);
  await t.rejects(e.copy().setMetricName('recallByLabel').setMetricLabel(5).evaluate(unseen), /MulticlassMetrics.recall: expected one of the labels in the data \[0.0, 1.0\] for metricLabel, got 5/);
  const empty = spark.createDataFrame([], 'prediction double, label double');
  t.equal(await e.evaluate(empty), 0, 'empty: f1 is a sum over no labels, 0 (as Spark)');
  t.equal(await e.copy().setMetricName('weightedPrecision').evaluate(empty), 0);
  t.ok(Number.isNaN(await e.copy().setMetricName('accuracy').evaluate(empty)), 'empty: accuracy 0/0 = NaN (as Spark)');
  t.ok(Number.isNaN(await e.copy().setMetricName('hammingLoss').evaluate(empty)));
  await t.rejects(e.copy().setMetricName('precisionByLabel').evaluate(empty), /expected one of the labels in the data \[\] for metricLabel, got 0/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ label: 1 }])), /MulticlassClassificationEvaluator: cannot resolve column "prediction" among \[label\]/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ prediction: 'a', label: 1 }])), /column prediction \(predictionCol\) must be of a numeric type, but is string/);
  await t.rejects(e.evaluate(spark.createDataFrame([[1, null]], 'prediction double, label double')), /row 0 of column label is null/);
  t.throws(() => e.setMetricName('f2' as never), /MulticlassClassificationEvaluator: expected one of f1, accuracy, weightedPrecision, weightedRecall, weightedTruePositiveRate, weightedFalsePositiveRate, weightedFMeasure, truePositiveRateByLabel, falsePositiveRateByLabel, precisionByLabel, recallByLabel, fMeasureByLabel, logLoss, hammingLoss for metricName, got "f2"/);
  t.throws(() => e.setBeta(0), /expected a number > 0 for beta, got 0/);
  t.throws(() => e.setEps(0.5), /expected a number in \(0, 0.5\) for eps, got 0.5/);
  t.throws(() => e.setMetricLabel(-1), /expected a number >= 0 for metricLabel, got -1/);
  const smaller = ['weightedFalsePositiveRate', 'falsePositiveRateByLabel', 'logLoss', 'hammingLoss'];
  for (const m of MULTICLASS_METRICS) t.equal(e.copy().setMetricName(m).isLargerBetter(), !smaller.includes(m), `isLargerBetter(${m})`);
  t.same([e.getMetricName(), e.getMetricLabel(), e.getBeta(), e.getEps(), e.getProbabilityCol()], ['f1', 0, 1, 1e-15, 'probability']);
  t.equal(e.explainParam('metricLabel'), 'metricLabel: The class whose metric will be computed in (truePositiveRateByLabel|falsePositiveRateByLabel|precisionByLabel|recallByLabel|fMeasureByLabel). Must be >= 0. The default value is 0. (default: 0)');
  t.same(e.params.map((p) => p.name), ['beta', 'eps', 'labelCol', 'metricLabel', 'metricName', 'predictionCol', 'probabilityCol', 'weightCol']);
});

// ------------------------------------------------------------------------------------------
// Multilabel classification

const mlRows: Array<[number[], number[]]> = [
  [[0.0, 1.0], [0.0, 2.0]], [[0.0, 2.0], [0.0, 1.0]], [[], [0.0]], [[2.0], [2.0]], [[2.0, 0.0], [2.0, 0.0]], [[0.0, 1.0, 2.0], [0.0, 1.0]], [[1.0], [1.0, 2.0]],
];

t.test('MultilabelClassificationEvaluator: the PySpark doctests (ml: f1Measure 0.63…, accuracy 0.54…; mllib: all metrics) by hand', async (t) => {
  const df = spark.createDataFrame(mlRows, 'prediction array<double>, label array<double>');
  const e = new MultilabelClassificationEvaluator();
  const ev = (metricName: string, metricLabel = 0) => e.copy().setMetricName(metricName as never).setMetricLabel(metricLabel).evaluate(df);
  documented(t, await e.evaluate(df), '0.63...', 'f1Measure (default)');
  documented(t, await ev('accuracy'), '0.54...', 'accuracy');
  // per document: |P∩L|, |P|, |L| = (1,2,2) (1,2,2) (0,0,1) (1,1,1) (2,2,2) (2,3,2) (1,1,2)
  close(t, await ev('subsetAccuracy'), 2 / 7, 'subsetAccuracy (mllib doctest 0.28...)');
  close(t, await ev('accuracy'), (1 / 3 + 1 / 3 + 0 + 1 + 1 + 2 / 3 + 1 / 2) / 7, 'accuracy');
  close(t, await ev('hammingLoss'), 7 / (7 * 3), 'hammingLoss (0.33...)');
  close(t, await ev('precision'), (1 / 2 + 1 / 2 + 0 + 1 + 1 + 2 / 3 + 1) / 7, 'precision (0.66...)');
  close(t, await ev('recall'), (1 / 2 + 1 / 2 + 0 + 1 + 1 + 1 + 1 / 2) / 7, 'recall (0.64...)');
  close(t, await ev('f1Measure'), (1 / 2 + 1 / 2 + 0 + 1 + 1 + 4 / 5 + 2 / 3) / 7, 'f1Measure (0.63...)');
  // tp {0: 4, 1: 2, 2: 2}, fp {1: 1, 2: 2}, fn {0: 1, 1: 1, 2: 2}
  t.equal(await ev('precisionByLabel', 0), 1.0, 'precision(0.0) = 1.0 as documented');
  close(t, await ev('recallByLabel', 1), 2 / 3, 'recall(1.0) (0.66...)');
  t.equal(await ev('f1MeasureByLabel', 2), 0.5, 'f1Measure(2.0) = 0.5 as documented');
  close(t, await ev('microPrecision'), 8 / 11, 'microPrecision (0.72...)');
  close(t, await ev('microRecall'), 8 / 12, 'microRecall (0.66...)');
  close(t, await ev('microF1Measure'), 16 / 23, 'microF1Measure (0.69...)');
  for (const [metric, doc] of [['subsetAccuracy', '0.28'], ['hammingLoss', '0.33'], ['precision', '0.66'], ['recall', '0.64'], ['microPrecision', '0.72'], ['microRecall', '0.66'], ['microF1Measure', '0.69']] as const) {
    documented(t, await ev(metric), `${doc}...`, metric);
  }
  t.same((await e.getMetrics(df)).labels, [0, 1, 2]);
  const ints = spark.createDataFrame(mlRows.filter(([p]) => p.length > 0).map(([p, l]) => ({ prediction: p.map((x) => Math.round(x)), label: l.map((x) => Math.round(x)) })));
  t.same(ints.dtypes, [['prediction', 'array<bigint>'], ['label', 'array<bigint>']]);
  t.ok(Number.isFinite(await new MultilabelClassificationEvaluator().evaluate(ints)), 'integral JS arrays (array<bigint>) are read as doubles');
});

t.test('MultilabelClassificationEvaluator: Scala multiset semantics, order-sensitive subset accuracy, edge cases, params', async (t) => {
  t.same(multisetIntersect([1, 1, 2, 3], [1, 3, 3]), [1, 3]);
  t.same(multisetDiff([1, 1, 2, 3], [1, 3, 3]), [1, 2]);
  const order = spark.createDataFrame([[[0, 1], [1, 0]]], 'prediction array<double>, label array<double>');
  t.equal(await new MultilabelClassificationEvaluator({ metricName: 'subsetAccuracy' }).evaluate(order), 0, 'java.util.Arrays.equals: order matters');
  t.equal(await new MultilabelClassificationEvaluator({ metricName: 'accuracy' }).evaluate(order), 1);
  const emptyLabels = spark.createDataFrame([[[0], []]], 'prediction array<double>, label array<double>');
  t.ok(Number.isNaN(await new MultilabelClassificationEvaluator({ metricName: 'recall' }).evaluate(emptyLabels)), 'an empty label set: recall 0/0 = NaN (as Spark)');
  const none = spark.createDataFrame([], 'prediction array<double>, label array<double>');
  t.ok(Number.isNaN(await new MultilabelClassificationEvaluator().evaluate(none)), 'no documents: NaN');
  const df = spark.createDataFrame(mlRows, 'prediction array<double>, label array<double>');
  await t.rejects(new MultilabelClassificationEvaluator({ metricName: 'precisionByLabel', metricLabel: 7 }).evaluate(df), /expected a label with at least one true positive \[0.0, 1.0, 2.0\] for metricLabel, got 7/);
  await t.rejects(new MultilabelClassificationEvaluator().evaluate(spark.createDataFrame([{ prediction: 1.5, label: [1.5] }])), /column prediction \(predictionCol\) must be an array of numbers \(array<double>\), but is double/);
  await t.rejects(new MultilabelClassificationEvaluator().evaluate(spark.createDataFrame([[null, [1]]], 'prediction array<double>, label array<double>')), /row 0 of column prediction is null/);
  await t.rejects(new MultilabelClassificationEvaluator().evaluate(spark.createDataFrame([[[1, null], [1]]], 'prediction array<double>, label array<double>')), /row 0 of column prediction has a null element at position 1/);
  await t.rejects(new MultilabelClassificationEvaluator().evaluate(spark.createDataFrame([[[1], [1]], [[0], [1, NaN]]], 'prediction array<double>, label array<double>')), { code: 'ERR_KINDLING_INVALID_ARG', message: 'MultilabelClassificationEvaluator: row 1 of column label has NaN at position 1; evaluators need finite values' });
  t.throws(() => new MultilabelClassificationEvaluator({ metricName: 'f1' as never }), /expected one of subsetAccuracy, accuracy, hammingLoss, precision, recall, f1Measure, precisionByLabel, recallByLabel, f1MeasureByLabel, microPrecision, microRecall, microF1Measure for metricName, got "f1"/);
  for (const m of MULTILABEL_METRICS) t.equal(new MultilabelClassificationEvaluator({ metricName: m }).isLargerBetter(), m !== 'hammingLoss', `isLargerBetter(${m})`);
  t.equal(new MultilabelClassificationEvaluator().getMetricName(), 'f1Measure');
});

// ------------------------------------------------------------------------------------------
// Regression

t.test('RegressionEvaluator: the documented examples (ml doctest, weighted ml doctest, mllib RegressionMetrics)', async (t) => {
  const [r0, r1, r2, r3] = fx.regression;
  const df = spark.createDataFrame(r0.predictionAndLabel.map(([p, l]: number[]) => ({ raw: p, label: l })));
  const e = new RegressionEvaluator().setPredictionCol('raw');
  for (const m of ['rmse', 'mse', 'mae', 'r2', 'var'] as const) close(t, await e.copy().setMetricName(m).evaluate(df), r0.fullPrecision[m], m);
  documented(t, await e.evaluate(df), r0.documented.rmse, 'rmse');
  documented(t, await e.copy().setMetricName('r2').evaluate(df), r0.documented.r2, 'r2');
  documented(t, await e.copy().setMetricName('mae').evaluate(df), r0.documented.mae, 'mae');
  // scikit-learn r2_score = 0.9939111025985887, mean_squared_error = 8.079723295776693
  close(t, await e.copy().setMetricName('r2').evaluate(df), 0.9939111025985887, 'sklearn r2_score');
  close(t, await e.copy().setMetricName('mse').evaluate(df), 8.079723295776693, 'sklearn mean_squared_error');
  const dw = spark.createDataFrame(r1.predictionLabelWeight.map(([p, l, w]: number[]) => ({ raw: p, label: l, weight: w })));
  const ew = new RegressionEvaluator({ predictionCol: 'raw', weightCol: 'weight' });
  close(t, await ew.evaluate(dw), r1.fullPrecision.rmse, 'weighted rmse');
  documented(t, await ew.evaluate(dw), r1.documented.rmse, 'weighted rmse');
  t.equal(ew.getThroughOrigin(), false);
  const d2 = spark.createDataFrame(r2.predictionAndObservation.map(([p, l]: number[]) => ({ prediction: p, label: l })));
  const ev2 = (m: string) => new RegressionEvaluator({ metricName: m as never }).evaluate(d2);
  close(t, await ev2('var'), r2.fullPrecision.explainedVariance, 'mllib explainedVariance 8.859375');
  close(t, await ev2('mae'), r2.fullPrecision.meanAbsoluteError, 'mllib meanAbsoluteError');
  close(t, await ev2('mse'), r2.fullPrecision.meanSquaredError, 'mllib meanSquaredError');
  close(t, await ev2('rmse'), r2.fullPrecision.rootMeanSquaredError, 'mllib rootMeanSquaredError');
  close(t, await ev2('r2'), r2.fullPrecision.r2, 'mllib r2');
  for (const [k, m] of [['explainedVariance', 'var'], ['meanAbsoluteError', 'mae'], ['meanSquaredError', 'mse'], ['rootMeanSquaredError', 'rmse'], ['r2', 'r2']] as const) documented(t, await ev2(m), r2.documented[k], k);
  const d3 = spark.createDataFrame(r3.predictionObservationWeight.map(([p, l, w]: number[]) => ({ prediction: p, label: l, w })));
  close(t, await new RegressionEvaluator({ weightCol: 'w' }).evaluate(d3), r3.fullPrecision.rootMeanSquaredError, 'mllib weighted rmse');
  documented(t, await new RegressionEvaluator({ weightCol: 'w' }).evaluate(d3), r3.documented.rootMeanSquaredError, 'mllib weighted rmse');
  // throughOrigin by hand: 1 - SSerr / Σy² on the mllib example
  const y = [3, -0.5, 2, 7];
  const p = [2.5, 0, 2, 8];
  const ssErr = y.reduce((s, yi, i) => s + (yi - p[i]!) ** 2, 0);
  close(t, await new RegressionEvaluator({ metricName: 'r2', throughOrigin: true }).evaluate(d2), 1 - ssErr / y.reduce((s, v) => s + v * v, 0), 'throughOrigin r2');
});

// 150 rows: y_i = ((i * 37) % 101) / 7, p_i = y_i + (((i * 17) % 13) - 6) / 5, w_i = 0.5 + (i % 3) * 0.5
const N_REG = 150;
const regY = Float64Array.from({ length: N_REG }, (_, i) => ((i * 37) % 101) / 7);
const regP = Float64Array.from({ length: N_REG }, (_, i) => regY[i]! + (((i * 17) % 13) - 6) / 5);
const regW = Float64Array.from({ length: N_REG }, (_, i) => 0.5 + (i % 3) * 0.5);

t.test('RegressionEvaluator vs scikit-learn, weighted r2 with SStot = Σw(y - ȳ)² (SPARK_DEFINITIONS §7)', async (t) => {
  const df = spark.createDataFrame({ prediction: regP, label: regY, weight: regW, one: new Float64Array(N_REG).fill(1) });
  const ev = (m: string, w?: string) => new RegressionEvaluator({ metricName: m as never, weightCol: w }).evaluate(df);
  close(t, await ev('r2'), 0.9674765930263091, 'sklearn r2_score');
  close(t, await ev('mse'), 0.5645333333333333, 'sklearn mean_squared_error');
  close(t, await ev('mae'), 0.6493333333333333, 'sklearn mean_absolute_error');
  close(t, await ev('r2', 'one'), 0.9674765930263091, 'unit weights: sklearn r2_score(sample_weight=1)');
  close(t, await ev('mse', 'weight'), 0.5666666666666664, 'sklearn mean_squared_error(sample_weight)');
  // weighted r2 by hand: SStot = M2 = Σw(y - ȳw)²
  let W = 0;
  let W2 = 0;
  let sy = 0;
  for (let i = 0; i < N_REG; i++) {
    W += regW[i]!;
    W2 += regW[i]! ** 2;
    sy += regW[i]! * regY[i]!;
  }
  const ybar = sy / W;
  let m2 = 0;
  let ssErr = 0;
  let ssReg = 0;
  for (let i = 0; i < N_REG; i++) {
    m2 += regW[i]! * (regY[i]! - ybar) ** 2;
    ssErr += regW[i]! * (regY[i]! - regP[i]!) ** 2;
    ssReg += regW[i]! * (regP[i]! - ybar) ** 2;
  }
  const weightedR2 = 1 - ssErr / m2;
  close(t, await ev('r2', 'weight'), weightedR2, 'weighted r2 by hand');
  close(t, await ev('r2', 'weight'), 0.9674383885840945, 'sklearn r2_score(sample_weight)');
  void W2;
  close(t, await ev('var', 'weight'), ssReg / W, 'weighted explained variance Σw(p - ȳ)²/Σw');
  close(t, await ev('r2', 'weight'), await new RegressionEvaluator({ metricName: 'r2', weightCol: 'weight' }).evaluate(df.repartition(5)), 'the same over 5 partitions');
  algebra(t, 'regressionSummary', regressionSummary, { prediction: regP, label: regY, weight: regW }, N_REG, null, (s) => {
    const m = new RegressionMetrics(s);
    return [m.meanSquaredError, m.meanAbsoluteError, m.r2, m.explainedVariance];
  });
});

t.test('RegressionEvaluator: NaN, empty input, zero weights, bad columns, params', async (t) => {
  const e = new RegressionEvaluator();
  const nan = spark.createDataFrame({ prediction: Float64Array.from([1, NaN]), label: Float64Array.from([1, 2]) });
  // refused, naming the row (issue 10), where Spark returns NaN
  await t.rejects(e.evaluate(nan), { code: 'ERR_KINDLING_INVALID_ARG', message: 'RegressionEvaluator: row 1 of column prediction is NaN; evaluators need finite values' });
  await t.rejects(e.evaluate(spark.createDataFrame({ prediction: Float64Array.from([1, 2]), label: Float64Array.from([Infinity, 2]) })), { message: 'RegressionEvaluator: row 0 of column label is Infinity; evaluators need finite values' });
  await t.rejects(e.evaluate(spark.createDataFrame([], 'prediction double, label double')), /RegressionEvaluator: the DataFrame is empty; there is nothing to evaluate \(Spark: Nothing has been added to this summarizer\)/);
  await t.rejects(e.copy().setWeightCol('w').evaluate(spark.createDataFrame([[1, 2, 0]], 'prediction double, label double, w double')), /every row has weight 0/);
  const zeroRow = spark.createDataFrame([[1, 2, 1], [100, -5, 0]], 'prediction double, label double, w double');
  t.equal(await e.copy().setWeightCol('w').evaluate(zeroRow), 1, 'rows of weight 0 are skipped');
  await t.rejects(e.evaluate(spark.createDataFrame([{ prediction: 'x', label: 1 }])), /column prediction \(predictionCol\) must be of a numeric type, but is string/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ pred: 1, label: 1 }])), /RegressionEvaluator: cannot resolve column "prediction" among \[pred, label\]/);
  await t.rejects(e.evaluate(spark.createDataFrame([[null, 1]], 'prediction double, label double')), /row 0 of column prediction is null/);
  t.equal(await e.evaluate(spark.createDataFrame([[1, 3]], 'prediction int, label bigint')), 2, 'integer columns are cast to double');
  t.throws(() => e.setMetricName('rmsle' as never), /RegressionEvaluator: expected one of mse, rmse, r2, mae, var for metricName, got "rmsle"/);
  t.throws(() => e.setThroughOrigin('yes' as never), /expected a boolean for throughOrigin/);
  for (const m of ['mse', 'rmse', 'r2', 'mae', 'var'] as const) t.equal(e.copy().setMetricName(m).isLargerBetter(), m === 'r2' || m === 'var', `isLargerBetter(${m})`);
  t.equal(e.explainParam('metricName'), 'metricName: metric name in evaluation (mse|rmse|r2|mae|var) (default: rmse)');
  t.equal(e.explainParam('throughOrigin'), 'throughOrigin: Whether the regression is through the origin. (default: false)');
});

// ------------------------------------------------------------------------------------------
// Ranking

t.test('RankingEvaluator: the documented RankingMetrics example, every metric and k', async (t) => {
  const rk = fx.ranking[0];
  const df = spark.createDataFrame(rk.predictionAndLabels.map(([p, l]: number[][]) => [p, l]), 'prediction array<double>, label array<double>');
  const full = rk.fullPrecision;
  const ev = (metricName: string, k?: number) => new RankingEvaluator({ metricName: metricName as never, k }).evaluate(df);
  close(t, await new RankingEvaluator().evaluate(df), full.meanAveragePrecision, 'meanAveragePrecision (default)');
  documented(t, await new RankingEvaluator().evaluate(df), rk.documented['RankingEvaluator default (meanAveragePrecision)'], 'RankingEvaluator default');
  documented(t, await ev('precisionAtK', 2), rk.documented['RankingEvaluator precisionAtK k=2'], 'precisionAtK k=2');
  for (const k of [1, 2, 5, 15]) close(t, await ev('precisionAtK', k), full[`precisionAt(${k})`], `precisionAt(${k})`);
  for (const k of [1, 2]) close(t, await ev('meanAveragePrecisionAtK', k), full[`meanAveragePrecisionAt(${k})`], `meanAveragePrecisionAt(${k})`);
  for (const k of [3, 10]) close(t, await ev('ndcgAtK', k), full[`ndcgAt(${k})`], `ndcgAt(${k})`);
  for (const k of [1, 5, 15]) close(t, await ev('recallAtK', k), full[`recallAt(${k})`], `recallAt(${k})`);
  for (const [name, doc] of Object.entries(rk.documented as Record<string, string>)) {
    const m = /^(precisionAt|meanAveragePrecisionAt|ndcgAt|recallAt)\((\d+)\)$/.exec(name);
    if (m) {
      const metric = { precisionAt: 'precisionAtK', meanAveragePrecisionAt: 'meanAveragePrecisionAtK', ndcgAt: 'ndcgAtK', recallAt: 'recallAtK' }[m[1]!]!;
      documented(t, await ev(metric, Number(m[2])), doc, name);
    }
  }
  documented(t, await ev('meanAveragePrecision'), rk.documented.meanAveragePrecision, 'meanAveragePrecision');
  // hand computation of the first query: prediction [1,6,2,7,8,3,9,10,4,5], labels {1..5}
  const q = rk.predictionAndLabels[0];
  t.equal(RankingMetrics.precisionAt(q[0], q[1], 5), 2 / 5);
  close(t, RankingMetrics.averagePrecision(q[0], q[1]), (1 / 1 + 2 / 3 + 3 / 6 + 4 / 9 + 5 / 10) / 5, 'AP of query 1');
  t.equal(RankingMetrics.recallAt(q[0], q[1], 3), 2 / 5);
  close(t, RankingMetrics.ndcgAt(q[0], q[1], 3), (1 / Math.log2(2) + 1 / Math.log2(4)) / (1 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4)), 'NDCG@3 of query 1');
  t.equal(RankingMetrics.ndcgAt([1], [], 3), 0, 'an empty label set contributes 0');
  t.equal(RankingMetrics.averagePrecisionAt([1, 2], [2, 3, 4], 1), 0);
});

t.test('RankingEvaluator: empty input, integral arrays, bad input, params', async (t) => {
  t.ok(Number.isNaN(await new RankingEvaluator().evaluate(spark.createDataFrame([], 'prediction array<double>, label array<double>'))), 'no queries: NaN (RDD.mean() of nothing)');
  const ints = spark.createDataFrame([{ prediction: [1, 2, 3], label: [2] }]);
  t.equal(await new RankingEvaluator({ metricName: 'precisionAtK', k: 2 }).evaluate(ints), 1 / 2, 'array<bigint> read as doubles');
  await t.rejects(new RankingEvaluator().evaluate(spark.createDataFrame([{ prediction: ['a'], label: [1] }])), /column prediction \(predictionCol\) must be an array of numbers \(array<double>\), but is array<string>/);
  await t.rejects(new RankingEvaluator().evaluate(spark.createDataFrame([[[1, Infinity], [1]]], 'prediction array<double>, label array<double>')), { code: 'ERR_KINDLING_INVALID_ARG', message: 'RankingEvaluator: row 0 of column prediction has Infinity at position 1; evaluators need finite values' });
  t.throws(() => new RankingEvaluator({ k: 0 }), /RankingEvaluator: expected integer > 0 for k, got 0/);
  t.throws(() => new RankingEvaluator().setK(1.5), /expected integer > 0 for k, got 1.5/);
  t.throws(() => new RankingEvaluator().setMetricName('map' as never), /expected one of meanAveragePrecision, meanAveragePrecisionAtK, precisionAtK, ndcgAtK, recallAtK for metricName, got "map"/);
  for (const m of RANKING_METRICS) t.equal(new RankingEvaluator({ metricName: m }).isLargerBetter(), true);
  t.equal(new RankingEvaluator().getK(), 10);
  t.equal(new RankingEvaluator().explainParam('k'), 'k: The ranking position value used in (meanAveragePrecisionAtK|precisionAtK|ndcgAtK|recallAtK). Must be > 0. The default value is 10. (default: 10)');
});

// ------------------------------------------------------------------------------------------
// Clustering

const cl0 = fx.clustering[0];

t.test("ClusteringEvaluator: the documented silhouette 0.9079… (squared Euclidean, not Euclidean), with and without weights", async (t) => {
  const df = spark.createDataFrame(cl0.featuresAndPrediction.map(([f, p]: [number[], number]) => ({ features: Vectors.dense(f), prediction: p })));
  const e = new ClusteringEvaluator().setPredictionCol('prediction');
  const s = await e.evaluate(df);
  close(t, s, cl0.fullPrecision.silhouette_squaredEuclidean, 'silhouette');
  documented(t, s, cl0.documented.silhouette, 'silhouette');
  t.ok(Math.abs(s - cl0.contrast.silhouette_with_plain_euclidean_distance_NOT_spark) > 0.1, 'not the Euclidean silhouette 0.785');
  // scikit-learn silhouette_score(X, labels, metric='sqeuclidean') = 0.9079633853684205 (the same definition)
  close(t, s, 0.9079633853684205, "sklearn silhouette_score(metric='sqeuclidean')");
  const weighted = spark.createDataFrame(cl0.featuresAndPrediction.map(([f, p]: [number[], number]) => ({ features: Vectors.dense(f), prediction: p, weight: 2.5 })));
  close(t, await new ClusteringEvaluator({ weightCol: 'weight' }).evaluate(weighted), cl0.fullPrecision.silhouette_squaredEuclidean, 'uniform weight 2.5 gives the same (documented)');
  // scikit-learn silhouette_score(X, labels, metric='cosine') = 0.12528619761855994
  close(t, await e.copy().setDistanceMeasure('cosine').evaluate(df), 0.12528619761855994, "sklearn silhouette_score(metric='cosine')");
  // the same points as sparse vectors, and as array<double>
  const sparse = spark.createDataFrame(cl0.featuresAndPrediction.map(([f, p]: [number[], number]) => ({ features: Vectors.dense(f).toSparse(), prediction: p })));
  close(t, await e.evaluate(sparse), cl0.fullPrecision.silhouette_squaredEuclidean, 'VectorUDT struct features');
  const arrays = spark.createDataFrame(cl0.featuresAndPrediction.map(([f, p]: [number[], number]) => [f, p]), 'features array<double>, prediction int');
  close(t, await e.evaluate(arrays), cl0.fullPrecision.silhouette_squaredEuclidean, 'array<double> features, int predictions');
});

// 60 points in 3 clusters: x_ij = centre[i % 3][j] + ((i * 7 + j * 3) % 11) / 10 - 0.5
const CENTRES = [[1.0, 2.0, 3.0], [5.0, 1.0, 0.5], [2.0, 6.0, 1.0]];
const N_CL = 60;
const clX = Float64Array.from({ length: N_CL * 3 }, (_, k) => CENTRES[Math.floor(k / 3) % 3]![k % 3]! + ((Math.floor(k / 3) * 7 + (k % 3) * 3) % 11) / 10 - 0.5);
const clP = Float64Array.from({ length: N_CL }, (_, i) => i % 3);
const clW = Float64Array.from({ length: N_CL }, (_, i) => 1 + (i % 7) * 0.25);

/** O(n²) weighted silhouette straight from the definition (docs/formats/SPARK_DEFINITIONS.md §4). */
function bruteSilhouette(dist: (i: number, j: number) => number, w: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < N_CL; i++) {
    const sums = [0, 0, 0];
    const ws = [0, 0, 0];
    for (let j = 0; j < N_CL; j++) {
      const c = clP[j]!;
      ws[c]! += w[j]!;
      if (j !== i) sums[c]! += w[j]! * dist(i, j);
    }
    const own = clP[i]!;
    const a = sums[own]! / (ws[own]! - w[i]!);
    const b = Math.min(...[0, 1, 2].filter((c) => c !== own).map((c) => sums[c]! / ws[c]!));
    const s = a < b ? 1 - a / b : a > b ? b / a - 1 : 0;
    num += w[i]! * s;
    den += w[i]!;
  }
  return num / den;
}

t.test('ClusteringEvaluator vs scikit-learn and an O(n²) weighted computation on 60 synthetic points; summary algebra', async (t) => {
  const rows = Array.from({ length: N_CL }, (_, i) => ({ features: Vectors.dense(clX.slice(i * 3, i * 3 + 3)), prediction: clP[i]!, w: clW[i]! }));
  const df = spark.createDataFrame(rows);
  // scikit-learn silhouette_score(X, labels, metric='sqeuclidean') = 0.9700081189238497, metric='cosine' = 0.964400714831359
  close(t, await new ClusteringEvaluator().evaluate(df), 0.9700081189238497, "sklearn silhouette_score(metric='sqeuclidean')");
  close(t, await new ClusteringEvaluator({ distanceMeasure: 'cosine' }).evaluate(df), 0.964400714831359, "sklearn silhouette_score(metric='cosine')");
  const sq = (i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < 3; k++) s += (clX[i * 3 + k]! - clX[j * 3 + k]!) ** 2;
    return s;
  };
  const cos = (i: number, j: number) => {
    let dot = 0;
    let ni = 0;
    let nj = 0;
    for (let k = 0; k < 3; k++) {
      dot += clX[i * 3 + k]! * clX[j * 3 + k]!;
      ni += clX[i * 3 + k]! ** 2;
      nj += clX[j * 3 + k]! ** 2;
    }
    return 1 - dot / Math.sqrt(ni * nj);
  };
  close(t, await new ClusteringEvaluator({ weightCol: 'w' }).evaluate(df), bruteSilhouette(sq, clW), 'weighted squaredEuclidean');
  close(t, await new ClusteringEvaluator({ weightCol: 'w', distanceMeasure: 'cosine' }).evaluate(df), bruteSilhouette(cos, clW), 'weighted cosine');
  close(t, await new ClusteringEvaluator({ weightCol: 'w' }).evaluate(df.repartition(5)), bruteSilhouette(sq, clW), 'over 5 partitions');
  const part = { x: clX, d: 3, prediction: clP, weight: clW };
  for (const measure of ['squaredEuclidean', 'cosine'] as const) {
    algebra(t, `clusterStatsSummary ${measure}`, clusterStatsSummary, part, N_CL, { measure }, (s) => [...s.ids, ...s.sums, ...s.sqNorms, ...s.weights]);
    const clusters = foldPartitions(clusterStatsSummary, [part], { measure });
    algebra(t, `silhouetteSummary ${measure}`, silhouetteSummary, part, N_CL, { measure, clusters }, (s) => [s.scoreSum / s.weightSum]);
  }
});

t.test('ClusteringEvaluator: singletons, one cluster, empty input, NaN, bad columns, params', async (t) => {
  const e = new ClusteringEvaluator();
  const single = spark.createDataFrame([
    { features: Vectors.dense(0, 0), prediction: 0 },
    { features: Vectors.dense(0, 1), prediction: 0 },
    { features: Vectors.dense(10, 10), prediction: 1 },
  ]);
  // point 0: a = 1, b = (100 + 100) = 200 → 1 - 1/200; point 1: a = 1, b = 100 + 81 → 1 - 1/181; point 2 alone → 0
  close(t, await e.evaluate(single), (1 - 1 / 200 + (1 - 1 / 181) + 0) / 3, 'a point alone in its cluster scores 0');
  const one = spark.createDataFrame([{ features: Vectors.dense(1, 2), prediction: 0 }, { features: Vectors.dense(2, 2), prediction: 0 }]);
  await t.rejects(e.evaluate(one), /ClusteringEvaluator: Number of clusters must be greater than one \(the silhouette needs at least two clusters; found 1\)/);
  await t.rejects(e.evaluate(spark.createDataFrame([], 'features vector, prediction int')), /Number of clusters must be greater than one .*found 0/);
  // NaN / infinite features, an overflowing squared norm, a zero vector under cosine and a NaN cluster id are refused,
  // naming the row, as the estimators' fits refuse them (issue 10; Spark scores such points a silent 0)
  const nan = spark.createDataFrame([
    { features: Vectors.dense(0, 0), prediction: 0 },
    { features: Vectors.dense(NaN, 0), prediction: 0 },
    { features: Vectors.dense(10, 10), prediction: 1 },
    { features: Vectors.dense(10, 11), prediction: 1 },
  ]);
  await t.rejects(e.evaluate(nan), { code: 'ERR_KINDLING_INVALID_ARG', message: 'ClusteringEvaluator: row 1 of column features has a non-finite value (NaN) at index 0; features must be finite numbers' });
  await t.rejects(e.evaluate(spark.createDataFrame([{ features: [0.5, 1], prediction: 0 }, { features: [1, -Infinity], prediction: 1 }])), { message: 'ClusteringEvaluator: row 1 of column features has -Infinity at position 1; evaluators need finite values' }, 'an array features column');
  await t.rejects(e.evaluate(spark.createDataFrame([{ features: Vectors.dense(1, 0), prediction: 0 }, { features: Vectors.dense(1e200, 0), prediction: 1 }])), { message: 'ClusteringEvaluator: row 1 of column features has a squared norm that overflows to Infinity; rescale the features' });
  const zero = spark.createDataFrame([
    { features: Vectors.dense(0, 1), prediction: 0 },
    { features: Vectors.dense(0, 0), prediction: 0 },
    { features: Vectors.dense(1, 0), prediction: 1 },
  ]);
  await t.rejects(e.copy().setDistanceMeasure('cosine').evaluate(zero), { message: 'ClusteringEvaluator: row 1 of column features is a zero vector, for which the cosine distance is undefined' });
  // (0,1): a = 1, b = 2 → 1/2; (0,0): a = 1, b = 1 → 0; (1,0) alone → 0
  close(t, await e.evaluate(zero), 0.5 / 3, 'a zero vector is fine under squaredEuclidean');
  await t.rejects(e.evaluate(spark.createDataFrame({ features: [[0], [1], [5]], prediction: [0, NaN, 1] }, 'features array<double>, prediction double')), { message: 'ClusteringEvaluator: row 1 of column prediction is NaN; evaluators need finite values' });
  await t.rejects(e.evaluate(spark.createDataFrame([{ features: 1.5, prediction: 0 }])), /column features \(featuresCol\) must be a vector or an array of numbers \(array<double> or array<float>\), but is double/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ features: Vectors.dense(1), prediction: 'a' }])), /column prediction \(predictionCol\) must be of a numeric type, but is string/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ x: Vectors.dense(1), prediction: 0 }])), /ClusteringEvaluator: cannot resolve column "features" among \[x, prediction\]/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ features: null, prediction: 0 }, { features: Vectors.dense(1), prediction: 1 }], 'features vector, prediction int')), /row 0 of column features is null: Vectors MUST NOT be Null/);
  await t.rejects(e.evaluate(spark.createDataFrame([{ features: Vectors.dense(1), prediction: 0 }, { features: Vectors.dense(1, 2), prediction: 1 }])), /ClusteringEvaluator: row 1 of column features has 2 features, but earlier rows have 1: Vector sizes must match/);
  await t.rejects(e.copy().setWeightCol('w').evaluate(spark.createDataFrame([{ features: Vectors.dense(1), prediction: 0, w: -2 }])), /row 0 of weight column w is -2: Weights MUST NOT be Negative or Infinity/);
  t.throws(() => e.setDistanceMeasure('euclidean' as never), /ClusteringEvaluator: expected one of squaredEuclidean, cosine for distanceMeasure, got "euclidean"/);
  t.throws(() => e.setMetricName('dunn' as never), /expected one of silhouette for metricName, got "dunn"/);
  t.equal(e.isLargerBetter(), true);
  t.same([e.getMetricName(), e.getDistanceMeasure(), e.getFeaturesCol(), e.getPredictionCol()], ['silhouette', 'squaredEuclidean', 'features', 'prediction']);
  t.equal(e.explainParam('distanceMeasure'), "distanceMeasure: distance measure in evaluation. Supported options: 'squaredEuclidean', 'cosine' (default: squaredEuclidean)");
  t.match(String(e), /^ClusteringEvaluator: uid=ClusteringEvaluator_[0-9a-f]{12}, metricName=silhouette, distanceMeasure=squaredEuclidean$/);
});

t.test('evaluate(df, extra) uses a copy; evaluators copy with their uid and values', async (t) => {
  const e = new RegressionEvaluator({ metricName: 'mae' });
  const c = e.copy();
  t.equal(c.uid, e.uid);
  t.equal(c.getMetricName(), 'mae');
  const df: DataFrame = spark.createDataFrame({ prediction: Float64Array.from([1, 2]), label: Float64Array.from([2, 4]) });
  t.equal(await e.evaluate(df, e.extractParamMap().put(e.metricName, 'mse')), 2.5);
  t.equal(e.getMetricName(), 'mae');
  t.equal(await e.evaluate(df), 1.5);
});
