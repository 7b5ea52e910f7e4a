/**
 * The executor side of AFTSurvivalRegression (aft-survival-regression.ts):
 *   - `aftPack`: the training data, packed once per partition as every supervised fit packs it
 *     (ml/data/instances-tasks.ts `packInstances`: features and labels, checked), with the censor
 *     of each row kept in the same block (`AftRows.c`, as Spark keeps it in Instance.weight): one
 *     read of the DataFrame, and no companion blocks to keep aligned. The lowest bad row is
 *     reported, whichever check it fails: features (finite), labels (Spark's
 *     checkRegressionLabels), label > 0 (Spark's AFTBlockAggregator: "The lifetime or label should
 *     be greater than 0."), censor (Spark's "Censors MUST NOT be Null or NaN" / "Censors MUST be
 *     in {0, 1}, but got c").
 *   - `aftLossGrad`: one evaluation of Spark's AFT objective (AFTBlockAggregator) over the blocks:
 *     parameters [β (standardised space), intercept, log σ]; margin = Σ_j x_j/std_j β_j + b, with
 *     Spark's virtual centring when fitting an intercept (b − Σ_j β_j mean_j/std_j); per row
 *     ε = (log t − margin)/σ, loss δ log σ − δ ε + e^ε, ∂/∂margin = (δ − e^ε)/σ,
 *     ∂/∂log σ = δ + (δ − e^ε) ε. Sums over rows; the driver divides by the count. The margins
 *     (and the model's predictions) are the native `glmMargins` (ts/src/kernels/glm.ts).
 *   - `aftTransform`: the model's prediction exp(β·x + b) and quantiles λ · exp(log(−log(1 − p)) · σ).
 */
import * as arrow from 'apache-arrow';
import { isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import { castColumn, numericValues, resolveIndex } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import { glmMargins } from '../../src/kernels/glm.js';
import { defineSummary, defineTask, type Kept } from '../../src/exec/task.js';
import { readLabels, type BadRow } from '../data/features.js';
import { packInstances, type PackedRows, type PackMeta, type PackSpec } from '../data/instances-tasks.js';
import { appendComputed, type PredictInput } from '../data/predictions.js';
import { denseVectorColumn } from '../linalg/columns.js';
import { defineRegressorScoring, doubleColumn } from '../predictor/scoring-tasks.js';

/** A block of AFT training data: the packed rows and each row's censor (1: the event occurred, 0: censored). */
export interface AftRows extends PackedRows {
  c: Float64Array;
}

export interface AftPackSpec extends PackSpec {
  labelCol: string;
  censorCol: string;
}

/** The censors of a numeric column of a batch as doubles, or the first bad one (Spark's messages). */
export function readCensors(batch: arrow.RecordBatch, name: string): { c: Float64Array } | { bad: BadRow } {
  const what = `censor column ${name}`;
  const d = batch.data.children[resolveIndex('censorCol', name, batch.schema)]! as AnyData;
  const dd = arrow.DataType.isFloat(d.type) && d.type.precision === arrow.Precision.DOUBLE ? d : castColumn('censorCol', d, Types.double());
  const c = (numericValues(dd) as Float64Array).subarray(0, dd.length);
  const hasNulls = dd.nullCount > 0;
  for (let i = 0; i < c.length; i++) {
    const v = c[i]!;
    if ((hasNulls && !isValidAt(dd, i)) || Number.isNaN(v)) return { bad: { row: i, what, why: `is ${hasNulls && !isValidAt(dd, i) ? 'null' : 'NaN'}: Censors MUST NOT be Null or NaN` } };
    if (v !== 0 && v !== 1) return { bad: { row: i, what, why: `is ${v}: Censors MUST be in {0, 1}, but got ${v}` } };
  }
  return { c };
}

export const aftPack = defineTask<arrow.RecordBatch, AftPackSpec, Kept<PackMeta>>('aft.pack', (batch, spec, ctx) => {
  const packed = packInstances.run(batch, spec, ctx) as Kept<PackMeta>;
  if (batch.numRows === 0) return packed;
  const bads: BadRow[] = packed.meta.bad ? [packed.meta.bad] : [];
  const l = readLabels(batch, spec.labelCol, { kind: 'regression' });
  if ('y' in l) {
    const at = l.y.findIndex((t) => !(t > 0));
    if (at >= 0) bads.push({ row: at, what: `label column ${spec.labelCol}`, why: `is ${l.y[at]}: The lifetime or label should be greater than 0.` });
  }
  const r = readCensors(batch, spec.censorCol);
  if ('bad' in r) bads.push(r.bad);
  if (bads.length > 0) {
    const bad = bads.reduce((a, b) => (b.row < a.row ? b : a));
    return { kept: [], meta: { ...packed.meta, rows: [], bad } };
  }
  const c = ctx.share((r as { c: Float64Array }).c);
  let lo = 0;
  for (const k of packed.kept as AftRows[]) {
    k.c = c.subarray(lo, lo + k.n);
    lo += k.n;
  }
  return packed;
});

export interface AftLossBroadcast {
  /** [β (standardised space, d), intercept, log σ]. */
  coef: Float64Array;
  /** 1/std per feature (0 for a constant feature). */
  invStd: Float64Array;
  /** mean/std per feature (Spark's scaledMean). */
  scaledMean: Float64Array;
  fitIntercept: boolean;
}

export interface AftLossSums {
  loss: number;
  grad: Float64Array;
  count: number;
}

function aftAdd(s: AftLossSums, block: AftRows, b: AftLossBroadcast): AftLossSums {
  const { x, n, d, c } = block;
  if (n === 0) return s;
  const y = block.y!;
  const { coef, invStd, scaledMean, fitIntercept } = b;
  // margins of the standardised rows: x·(β/std) + (b − β·mean/std when centring virtually)
  const eff = new Float64Array(d);
  let offset = 0;
  for (let j = 0; j < d; j++) eff[j] = coef[j]! * invStd[j]!;
  if (fitIntercept) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += coef[j]! * scaledMean[j]!;
    offset = coef[d]! - dot;
  }
  const margins = glmMargins(x, n, d, eff, Float64Array.of(offset), 1);
  const logSigma = coef[d + 1]!;
  const sigma = Math.exp(logSigma);
  const xm = new Float64Array(d); // Σ_i multiplier_i x_i (unscaled)
  let loss = 0;
  let sigmaGrad = 0;
  let multiplierSum = 0;
  for (let i = 0; i < n; i++) {
    const delta = c[i]!;
    const epsilon = (Math.log(y[i]!) - margins[i]!) / sigma;
    const expEpsilon = Math.exp(epsilon);
    loss += delta * logSigma - delta * epsilon + expEpsilon;
    const multiplier = (delta - expEpsilon) / sigma;
    multiplierSum += multiplier;
    sigmaGrad += delta + multiplier * sigma * epsilon;
    const o = i * d;
    for (let j = 0; j < d; j++) xm[j] = xm[j]! + multiplier * x[o + j]!;
  }
  const grad = s.grad;
  for (let j = 0; j < d; j++) grad[j] = grad[j]! + xm[j]! * invStd[j]! - (fitIntercept ? multiplierSum * scaledMean[j]! : 0);
  if (fitIntercept) grad[d] = grad[d]! + multiplierSum;
  grad[d + 1] = grad[d + 1]! + sigmaGrad;
  s.loss += loss;
  s.count += n;
  return s;
}

export const aftLossGrad = defineSummary<AftLossSums, AftRows, AftLossBroadcast>('aft.lossGrad', {
  zero: (b) => ({ loss: 0, grad: new Float64Array(b.coef.length), count: 0 }),
  add: aftAdd,
  merge: (a, b) => {
    for (let j = 0; j < a.grad.length; j++) a.grad[j] = a.grad[j]! + b.grad[j]!;
    a.loss += b.loss;
    a.count += b.count;
    return a;
  },
});

/** The model's data as the scoring functions read it. */
export interface AftState {
  coefficients: Float64Array;
  intercept: number;
  scale: number;
}

/** exp(β·x + b) of each of n rows (Spark's predict). */
export function aftPredict(s: AftState, x: Float64Array, n: number, d: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  const out = glmMargins(x, n, d, s.coefficients, Float64Array.of(s.intercept), 1);
  for (let i = 0; i < n; i++) out[i] = Math.exp(out[i]!);
  return out;
}

/** Spark's per-probability factors exp(log(−log1p(−p)) · σ): the quantiles are λ times them. */
export function quantileFactors(probabilities: readonly number[], scale: number): Float64Array {
  return Float64Array.from(probabilities, (p) => Math.exp(Math.log(-Math.log1p(-p)) * scale));
}

/** The model's one-row predict on the driver (RegressionModelMixin) and its prediction-only task. */
export const aftScoring = defineRegressorScoring<AftState>('aft.predict', { predict: aftPredict });

export interface AftTransformBroadcast {
  input: PredictInput;
  /** '' leaves the column out. */
  predictionCol: string;
  quantilesCol: string;
  state: AftState;
  factors: Float64Array;
}

/** Appends the prediction and the quantiles (Spark's AFTSurvivalRegressionModel.transform). */
export const aftTransform = defineTask<arrow.RecordBatch, AftTransformBroadcast, arrow.RecordBatch>('aft.transform', (batch, b, ctx) => {
  const k = b.factors.length;
  const fields: arrow.Field[] = [];
  if (b.predictionCol !== '') fields.push(new arrow.Field(b.predictionCol, new arrow.Float64(), false));
  if (b.quantilesCol !== '') fields.push(new arrow.Field(b.quantilesCol, Types.vector(k), false));
  return appendComputed(batch, b.input, ctx, fields, (x, n) => {
    const lambda = aftPredict(b.state, x, n, b.input.d);
    const cols: AnyData[] = [];
    if (b.predictionCol !== '') cols.push(doubleColumn(lambda));
    if (b.quantilesCol !== '') {
      const q = new Float64Array(n * k);
      for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) q[i * k + p] = lambda[i]! * b.factors[p]!;
      cols.push(denseVectorColumn(q, k));
    }
    return cols;
  });
});
