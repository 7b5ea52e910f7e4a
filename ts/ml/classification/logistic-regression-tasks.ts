/**
 * The executor side of LogisticRegressionModel.transform (Spark's LogisticRegressionModel
 * predictRaw / raw2probabilityInPlace / raw2prediction / probability2prediction), listed in
 * ts/worker.ts:
 *   - binomial: margin m = β·x + b, raw = [−m, m]; probability p0 = 1 / (1 + exp(−raw0)),
 *     p1 = 1 − p0; prediction 1 when p1 > t (from probabilities) or m > log(t / (1 − t)) (from
 *     raw predictions; t = 0 → −∞, t = 1 → +∞), t being getThreshold (Spark's _binaryThresholds);
 *   - multinomial: raw = the k margins; probability = softmax (the largest margin subtracted
 *     first, Spark's Utils.softmax); predictions by the core's default rules and thresholds.
 * The fit's loss passes are ml/optim/loss-tasks.ts (glmLossGradPass); the training summary's
 * statistics are `logisticSummaryStats` below.
 */
import { glmMargins } from '../../src/kernels/glm.js';
import { defineSummary } from '../../src/exec/task.js';
import { argsortF64 } from '../../src/kernels/sort.js';
import type { PackedRows } from '../data/instances-tasks.js';
import { binaryScoreSummary, type BinaryScoreStats } from '../evaluation/binary-classification-tasks.js';
import { confusionSummary, type ConfusionStats } from '../evaluation/multiclass-classification-tasks.js';
import { argmaxRows, classify, defineClassifierScoring, probabilityToPrediction, softmaxRowsInPlace, type ClassifierScorer } from '../predictor/scoring-tasks.js';
import { linearSVCScoring, type LinearSVCState } from './linear-svc-tasks.js';

export interface LogisticState {
  /** k x d row-major coefficients (k = 1 for binomial). */
  coef: Float64Array;
  intercept: Float64Array;
  multinomial: boolean;
  /** Binomial: [threshold, log(t / (1 − t))]. */
  binaryThresholds: [number, number] | null;
}

/** [t, logit t] as Spark's LogisticRegressionModel.onParamChange. */
export function binaryThresholdsOf(t: number): [number, number] {
  return [t, t === 0 ? -Infinity : t === 1 ? Infinity : Math.log(t / (1 - t))];
}

/** Binomial raw predictions [−m, m] of n rows. */
export function binomialRaw(margins: Float64Array, n: number): Float64Array {
  const raw = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    raw[2 * i] = -margins[i]!;
    raw[2 * i + 1] = margins[i]!;
  }
  return raw;
}

export const logisticScoring = defineClassifierScoring<LogisticState>('classification.logisticRegression', {
  predictRaw: (s, x, n, d) => {
    const k = s.intercept.length;
    const m = glmMargins(x, n, d, s.coef, s.intercept, k);
    return s.multinomial ? m : binomialRaw(m, n);
  },
  raw2probabilityInPlace: (s, raw, n, k) => {
    if (s.multinomial) return softmaxRowsInPlace(raw, n, k);
    for (let i = 0; i < n; i++) {
      const p0 = 1 / (1 + Math.exp(-raw[2 * i]!));
      raw[2 * i] = p0;
      raw[2 * i + 1] = 1 - p0;
    }
  },
  raw2prediction: (s, raw, n, k, thresholds) => {
    if (s.multinomial) return defaultRaw2prediction(raw, n, k, thresholds);
    const out = new Float64Array(n);
    const t = s.binaryThresholds![1];
    for (let i = 0; i < n; i++) out[i] = raw[2 * i + 1]! > t ? 1 : 0;
    return out;
  },
  probability2prediction: (s, prob, n, k, thresholds) => {
    if (s.multinomial) return probabilityToPrediction(prob, n, k, thresholds);
    const out = new Float64Array(n);
    const t = s.binaryThresholds![0];
    for (let i = 0; i < n; i++) out[i] = prob[2 * i + 1]! > t ? 1 : 0;
    return out;
  },
});

/** The core's raw2prediction rule (scoring-tasks.ts), for the multinomial case of the override above. */
function defaultRaw2prediction(raw: Float64Array, n: number, k: number, thresholds: readonly number[] | null): Float64Array {
  if (thresholds === null) return argmaxRows(raw, n, k);
  const prob = raw.slice();
  softmaxRowsInPlace(prob, n, k);
  return probabilityToPrediction(prob, n, k, thresholds);
}


// ----- the training summary's statistics, from the packed training blocks -------------------------

export interface LogisticSummaryBroadcast {
  /** Whose scoring: LogisticRegressionModel's (score probability[1]) or LinearSVCModel's (score rawPrediction[1]). */
  family: 'logistic' | 'linearSVC';
  state: LogisticState | LinearSVCState;
  numClasses: number;
  thresholds: number[] | null;
  /** Also the score statistics of probability[1] (binary summaries). */
  binary: boolean;
}

export interface LogisticSummaryStats {
  confusion: ConfusionStats;
  /** Binary: the evaluator's score statistics (distinct scores, descending, with their positive and negative weights). */
  scores: BinaryScoreStats | null;
}

/**
 * Distinct scores (descending) with their weighted positive and negative counts: the native radix
 * argsort (kernels/sort.ts) then one walk. Its order is Java's for scores without NaN and −0
 * (probabilities 1 − p0 never are; the caller checks margins), so the result is the binary
 * evaluator's fold of the same rows.
 */
export function sortedScoreStats(score: Float64Array, label: Float64Array, w: Float64Array | null): BinaryScoreStats {
  const n = score.length;
  const perm = argsortF64(score, { descending: true });
  const scores = new Float64Array(n);
  const pos = new Float64Array(n);
  const neg = new Float64Array(n);
  let m = 0;
  for (let t = 0; t < n; t++) {
    const i = perm[t]!;
    const v = score[i]!;
    if (m === 0 || scores[m - 1] !== v) scores[m++] = v;
    const wi = w === null ? 1 : w[i]!;
    if (label[i]! > 0.5) pos[m - 1] = pos[m - 1]! + wi;
    else neg[m - 1] = neg[m - 1]! + wi;
  }
  return { scores: scores.slice(0, m), pos: pos.slice(0, m), neg: neg.slice(0, m) };
}

/** The confusion counts of one block (labels and predictions are class indices < k): the evaluator's ConfusionStats, a pair listed when a row has it (weight 0 included, as the evaluator's per-row fold). */
export function confusionOf(prediction: Float64Array, label: Float64Array, w: Float64Array | null, k: number): ConfusionStats {
  const rows = new Float64Array(k * k);
  const sums = new Float64Array(k * k);
  for (let i = 0; i < label.length; i++) {
    const c = label[i]! * k + prediction[i]!;
    rows[c] = rows[c]! + 1;
    sums[c] = sums[c]! + (w === null ? 1 : w[i]!);
  }
  const pairs: number[] = [];
  const weights: number[] = [];
  for (let c = 0; c < k * k; c++) {
    if (rows[c] === 0) continue;
    pairs.push(Math.floor(c / k), c % k);
    weights.push(sums[c]!);
  }
  return { pairs: Float64Array.from(pairs), weights: Float64Array.from(weights), lossSum: 0, lossWeight: 0, lossRows: 0, eps: 1e-15 };
}

/** The binary scores of a block's rows (score, label, weight). */
export interface ScoreRows {
  score: Float64Array;
  label: Float64Array;
  weight: Float64Array | null;
}

/**
 * The binary evaluator's score statistics of a block's rows (the same fold as
 * binaryScoreSummary's add): one native argsort when no score is −0 (Java's order then equals the
 * radix sort's), else the evaluator's own add.
 */
export function scoreStatsOf(rows: ScoreRows): BinaryScoreStats {
  for (const v of rows.score) {
    if (v === 0 && Object.is(v, -0)) return binaryScoreSummary.add(binaryScoreSummary.zero(null), rows, null, undefined as never);
  }
  return sortedScoreStats(rows.score, rows.label, rows.weight);
}

/**
 * The training summary's metrics in one pass over the packed training blocks (no transform of the
 * DataFrame), for LogisticRegression and LinearSVC: each block is scored as the model's transform
 * scores it (classify, with its probability column and thresholds); the multiclass evaluator's
 * confusion counts are folded per block (confusionOf, merged by its merge) and — binary — the
 * scores probability[1] (LinearSVC: rawPrediction[1]) are sorted per block on the executors
 * (scoreStatsOf) and the sorted statistics merged by the evaluator's linear merge.
 */
export const logisticSummaryStats = defineSummary<LogisticSummaryStats, PackedRows, LogisticSummaryBroadcast>('classification.logisticRegression.summary', {
  zero: (b) => ({ confusion: confusionSummary.zero({ eps: 1e-15 }), scores: b.binary ? binaryScoreSummary.zero(null) : null }),
  add: (s, block, b) => {
    const { x, y, w, n, d } = block;
    const logistic = b.family === 'logistic';
    const scorer = (logistic ? logisticScoring.scorer : linearSVCScoring.scorer) as ClassifierScorer<unknown>;
    const out = classify(scorer, { numClasses: b.numClasses, rawPredictionCol: 'r', probabilityCol: logistic ? 'p' : '', predictionCol: 'y', thresholds: b.thresholds, state: b.state }, x, n, d);
    const confusion = confusionSummary.merge(s.confusion, confusionOf(out.prediction!, y!, w, b.numClasses));
    if (!b.binary) return { confusion, scores: null };
    const k = b.numClasses;
    const scores = logistic ? out.prob! : out.raw!;
    const p1 = new Float64Array(n);
    for (let i = 0; i < n; i++) p1[i] = scores[i * k + 1]!;
    return { confusion, scores: binaryScoreSummary.merge(s.scores!, scoreStatsOf({ score: p1, label: y!, weight: w })) };
  },
  merge: (a, b) => ({ confusion: confusionSummary.merge(a.confusion, b.confusion), scores: a.scores && b.scores ? binaryScoreSummary.merge(a.scores, b.scores) : null }),
});
