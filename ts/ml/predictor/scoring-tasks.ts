/**
 * The executor side of every supervised model's transform: one `mapInArrow` task per model family,
 * built here from the family's scoring functions, that reads a partition's feature vectors once
 * (checked as the model needs: ml/data/predictions.ts `appendComputed`) and appends Spark's output
 * columns.
 *
 * Classifiers (Spark's ProbabilisticClassificationModel.transform): `rawPrediction` (a vector of
 * numClasses) when rawPredictionCol is non-empty; `probability` from it (raw2probability) when
 * probabilityCol is non-empty; `prediction` (double) when predictionCol is non-empty — from the
 * probabilities when they are computed (probability2prediction), else from the raw predictions
 * (raw2prediction). Spark's default rules, which a family may override (LogisticRegression's
 * binomial threshold):
 *   - probability2prediction: argmax of p_c / t_c with thresholds t (t_c = 0 counts as +∞), else argmax p;
 *   - raw2prediction: with thresholds, probability2prediction(raw2probability(raw)), else argmax raw;
 *   - argmax takes the first of equal values (Spark's Vector.argmax).
 * Regressors (Spark's PredictionModel.transform): `prediction` (double).
 */
import * as arrow from 'apache-arrow';
import type { AnyData } from '../../src/dataframe/batch.js';
import { Types } from '../../src/dataframe/types.js';
import { defineTask, type PartitionTask } from '../../src/exec/task.js';
import { denseVectorColumn } from '../linalg/columns.js';
import { appendComputed, type PredictInput } from '../data/predictions.js';

/** A family's scoring functions over n checked rows x (n x d, row-major); `state` is the model's broadcast data. */
export interface ClassifierScorer<S> {
  /** The n x numClasses raw predictions (Spark's predictRaw). */
  predictRaw(state: S, x: Float64Array, n: number, d: number, numClasses: number): Float64Array;
  /** Turns raw predictions (n x numClasses) into probabilities, in place (Spark's raw2probabilityInPlace). */
  raw2probabilityInPlace(state: S, raw: Float64Array, n: number, numClasses: number): void;
  /** Overrides Spark's default rules (see the module comment); thresholds are null when unset. */
  raw2prediction?(state: S, raw: Float64Array, n: number, numClasses: number, thresholds: readonly number[] | null): Float64Array;
  probability2prediction?(state: S, prob: Float64Array, n: number, numClasses: number, thresholds: readonly number[] | null): Float64Array;
}

export interface RegressorScorer<S> {
  /** The n predictions (Spark's predict). */
  predict(state: S, x: Float64Array, n: number, d: number): Float64Array;
}

export interface ClassifyBroadcast<S> {
  input: PredictInput;
  numClasses: number;
  /** Output column names; '' leaves a column out. */
  rawPredictionCol: string;
  probabilityCol: string;
  predictionCol: string;
  thresholds: number[] | null;
  state: S;
}

export interface RegressBroadcast<S> {
  input: PredictInput;
  predictionCol: string;
  state: S;
}

/** Spark's Vector.argmax of each row of an n x k matrix (the first of equal values). */
export function argmaxRows(m: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = m[i * k]!;
    for (let c = 1; c < k; c++) {
      const v = m[i * k + c]!;
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Spark's Utils.softmax over each row of an n x k matrix, in place (a row with +∞ margins: their limit, 1 / count on them). */
export function softmaxRowsInPlace(raw: Float64Array, n: number, k: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (raw[o + c]! > max) max = raw[o + c]!;
    if (max === Infinity) {
      // the limit (Spark's exp(∞ − ∞) would be NaN): the +∞ margins share the probability
      let inf = 0;
      for (let c = 0; c < k; c++) if (raw[o + c] === Infinity) inf++;
      for (let c = 0; c < k; c++) raw[o + c] = raw[o + c] === Infinity ? 1 / inf : 0;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(raw[o + c]! - max);
      raw[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) raw[o + c] = raw[o + c]! / sum;
  }
}

/** Spark's ProbabilisticClassificationModel.probability2prediction (module comment). */
export function probabilityToPrediction(prob: Float64Array, n: number, k: number, thresholds: readonly number[] | null): Float64Array {
  if (thresholds === null) return argmaxRows(prob, n, k);
  const scaled = new Float64Array(prob.length);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) scaled[i * k + c] = thresholds[c] === 0 ? Infinity : prob[i * k + c]! / thresholds[c]!;
  return argmaxRows(scaled, n, k);
}

/** The three outputs of a classifier for n checked rows, as the module comment says (a column left out is null). */
export function classify<S>(scorer: ClassifierScorer<S>, b: Omit<ClassifyBroadcast<S>, 'input'>, x: Float64Array, n: number, d: number): { raw: Float64Array | null; prob: Float64Array | null; prediction: Float64Array | null } {
  const k = b.numClasses;
  const raw = scorer.predictRaw(b.state, x, n, d, k);
  let prob: Float64Array | null = null;
  if (b.probabilityCol !== '' || (b.predictionCol !== '' && b.thresholds !== null && scorer.raw2prediction === undefined)) {
    prob = raw.slice();
    scorer.raw2probabilityInPlace(b.state, prob, n, k);
  }
  let prediction: Float64Array | null = null;
  if (b.predictionCol !== '') {
    if (b.probabilityCol !== '' || (prob !== null && scorer.raw2prediction === undefined)) {
      prediction = scorer.probability2prediction ? scorer.probability2prediction(b.state, prob!, n, k, b.thresholds) : probabilityToPrediction(prob!, n, k, b.thresholds);
    } else {
      prediction = scorer.raw2prediction ? scorer.raw2prediction(b.state, raw, n, k, b.thresholds) : argmaxRows(raw, n, k);
    }
  }
  return { raw: b.rawPredictionCol !== '' ? raw : null, prob: b.probabilityCol !== '' ? prob : null, prediction };
}

/** A double column of n values (no nulls). */
export function doubleColumn(v: Float64Array): AnyData {
  return arrow.makeData({ type: new arrow.Float64(), length: v.length, data: v, nullCount: 0 }) as AnyData;
}

/** The output fields a classifier appends, in Spark's order (rawPrediction, probability, prediction). */
export function classifierFields(b: { numClasses: number; rawPredictionCol: string; probabilityCol: string; predictionCol: string }): arrow.Field[] {
  const fields: arrow.Field[] = [];
  if (b.rawPredictionCol !== '') fields.push(new arrow.Field(b.rawPredictionCol, Types.vector(b.numClasses), false));
  if (b.probabilityCol !== '') fields.push(new arrow.Field(b.probabilityCol, Types.vector(b.numClasses), false));
  if (b.predictionCol !== '') fields.push(new arrow.Field(b.predictionCol, new arrow.Float64(), false));
  return fields;
}

export interface ClassifierScoring<S> {
  task: PartitionTask<arrow.RecordBatch, ClassifyBroadcast<S>, arrow.RecordBatch>;
  scorer: ClassifierScorer<S>;
}

export interface RegressorScoring<S> {
  task: PartitionTask<arrow.RecordBatch, RegressBroadcast<S>, arrow.RecordBatch>;
  scorer: RegressorScorer<S>;
}

/** A classifier family's transform task (list `.task` in ts/worker.ts) and its scorer (for one-row predictions on the driver). */
export function defineClassifierScoring<S>(name: string, scorer: ClassifierScorer<S>): ClassifierScoring<S> {
  const task = defineTask<arrow.RecordBatch, ClassifyBroadcast<S>, arrow.RecordBatch>(name, (batch, b, ctx) =>
    appendComputed(batch, b.input, ctx, classifierFields(b), (x, n) => {
      const out = classify(scorer, b, x, n, b.input.d);
      const k = b.numClasses;
      const cols: AnyData[] = [];
      if (out.raw) cols.push(denseVectorColumn(out.raw, k));
      if (out.prob) cols.push(denseVectorColumn(out.prob, k));
      if (out.prediction) cols.push(doubleColumn(out.prediction));
      return cols;
    }),
  );
  return { task, scorer };
}

/** A regressor family's transform task (list `.task` in ts/worker.ts) and its scorer. */
export function defineRegressorScoring<S>(name: string, scorer: RegressorScorer<S>): RegressorScoring<S> {
  const task = defineTask<arrow.RecordBatch, RegressBroadcast<S>, arrow.RecordBatch>(name, (batch, b, ctx) =>
    appendComputed(batch, b.input, ctx, [new arrow.Field(b.predictionCol, new arrow.Float64(), false)], (x, n) => [doubleColumn(scorer.predict(b.state, x, n, b.input.d))]),
  );
  return { task, scorer };
}
