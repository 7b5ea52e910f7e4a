/**
 * The executor side of GeneralizedLinearRegression (generalized-linear-regression.ts):
 *   - `glrWlsStats`: one IRLS step's weighted least squares statistics over the packed blocks
 *     (linear-regression-tasks.ts `wlsAddRows`). A block row is the features, then — with an
 *     offset column — the offset as one more column. 'init' is Spark's FamilyAndLink.initialize
 *     (working label link(project(initialize(y))) − offset, the weight as it is; for gaussian
 *     with identity simply y − offset) and checks the label's domain (the lowest bad row is
 *     kept, by block, for the driver to name); 'reweight' is Spark's reweightFunc from the
 *     current coefficients: η = x·β + b + offset, μ = fitted(η), z = η − offset + (y − μ)·g'(μ),
 *     w' = w / (g'(μ)² · V(μ)).
 *   - `glrPredict`: the model's transform (linkPredictionCol η = x·β + b + offset, predictionCol
 *     fitted(η)), offsets read from the batch (a null or NaN offset names its row).
 *   - `glrSummaryStats` / `glrNullStats`: the summary's passes over a predictions DataFrame
 *     (ml/data/checked-summary.ts batchSummary): rows, Σw, deviance, Pearson's Σw(y − μ)²/V(μ),
 *     Σw(y − offset), and the AIC's per-row terms; then the null model's deviance (and IRLS
 *     steps of an intercept-only model when an offset needs one).
 */
import * as arrow from 'apache-arrow';
import { appendColumns, type AnyData } from '../../src/dataframe/batch.js';
import { defineSummary, defineTask, type Summary } from '../../src/exec/task.js';
import { batchSummary, doublesOf, weightsOf, RowError, type BatchRead } from '../data/checked-summary.js';
import type { PackedRows } from '../data/instances-tasks.js';
import { readFeatures } from '../data/features.js';
import { appendComputed, badRowError, type PredictInput } from '../data/predictions.js';
import { doubleColumn } from '../predictor/scoring-tasks.js';
import { aicTerm, deviance, fitted, initialMu, labelProblem, link, linkDeriv, project, unlink, variance, type FamilyAndLink } from './generalized-linear-regression-family.js';
import { wlsAddRows, wlsMerge, wlsZero, type WlsStats } from './linear-regression-tasks.js';

// ----- IRLS steps ---------------------------------------------------------------------------------

export interface GlrWlsBroadcast {
  fl: FamilyAndLink;
  /** Features per row (the block's d, less the offset column). */
  k: number;
  hasOffset: boolean;
  mode: 'init' | 'reweight';
  coefficients: Float64Array;
  intercept: number;
}

export interface GlrWlsStats extends WlsStats {
  /** The lowest label outside the family's domain: [block, row within the block, label], or null. */
  bad: [number, number, number] | null;
}

function lowerBad(a: GlrWlsStats['bad'], b: GlrWlsStats['bad']): GlrWlsStats['bad'] {
  if (a === null) return b;
  if (b === null) return a;
  return a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? a : b;
}

export const glrWlsStats = defineSummary<GlrWlsStats, PackedRows, GlrWlsBroadcast>('ml.glr.wlsStats', {
  zero: (b) => ({ ...wlsZero(b.k), bad: null }),
  add: (s, block, b, ctx) => {
    const { x, y, w, n, d } = block;
    const { fl, k, hasOffset } = b;
    const labels = y!;
    const z = new Float64Array(n);
    const ww = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const o = r * d;
      const yi = labels[r]!;
      const wi = w === null ? 1 : w[r]!;
      const off = hasOffset ? x[o + k]! : 0;
      if (b.mode === 'init') {
        if (s.bad === null && labelProblem(fl, yi) !== null) s.bad = [ctx.partition, r, yi];
        if (s.bad !== null) return s;
        z[r] = link(fl, project(fl, initialMu(fl, yi, wi))) - off;
        ww[r] = wi;
      } else {
        let eta = b.intercept + off;
        for (let j = 0; j < k; j++) eta += b.coefficients[j]! * x[o + j]!;
        const mu = fitted(fl, eta);
        const g = linkDeriv(fl, mu);
        z[r] = eta - off + (yi - mu) * g;
        ww[r] = wi / (g * g * variance(fl, mu));
      }
    }
    wlsAddRows(s, x, d, n, z, ww);
    return s;
  },
  merge: (a, b) => {
    const bad = lowerBad(a.bad, b.bad);
    const m = wlsMerge(a, b) as GlrWlsStats;
    m.bad = bad;
    return m;
  },
});

// ----- transform ----------------------------------------------------------------------------------

export interface GlrPredictBroadcast {
  input: PredictInput;
  fl: FamilyAndLink;
  coefficients: Float64Array;
  intercept: number;
  offsetCol: string | null;
  /** '' leaves the column out. */
  linkPredictionCol: string;
  predictionCol: string;
}

/** η = x·β + b + offset of each of n rows. */
export function linearPredictor(x: Float64Array, n: number, d: number, coefficients: Float64Array, intercept: number, offsets: Float64Array | null): Float64Array {
  const eta = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let m = intercept + (offsets ? offsets[r]! : 0);
    const o = r * d;
    for (let j = 0; j < d; j++) m += coefficients[j]! * x[o + j]!;
    eta[r] = m;
  }
  return eta;
}

export const glrPredict = defineTask<arrow.RecordBatch, GlrPredictBroadcast, arrow.RecordBatch>('ml.glr.predict', (batch, b, ctx) => {
  let offsets: Float64Array | null = null;
  if (b.offsetCol !== null && batch.numRows > 0) {
    try {
      offsets = doublesOf(batch, b.offsetCol);
    } catch (err) {
      if (err instanceof RowError) throw badRowError(b.input.api, { ...err.bad, why: `${err.bad.why.replace(/; evaluators need.*$/, '')}: Offsets MUST NOT be Null or NaN` }, ctx.partition, ctx.rowBase);
      throw err;
    }
  }
  const fields: arrow.Field[] = [];
  if (b.linkPredictionCol !== '') fields.push(new arrow.Field(b.linkPredictionCol, new arrow.Float64(), false));
  if (b.predictionCol !== '') fields.push(new arrow.Field(b.predictionCol, new arrow.Float64(), false));
  return appendComputed(batch, b.input, ctx, fields, (x, n) => {
    const eta = linearPredictor(x, n, b.input.d, b.coefficients, b.intercept, offsets);
    const cols: AnyData[] = [];
    if (b.linkPredictionCol !== '') cols.push(doubleColumn(eta));
    if (b.predictionCol !== '') cols.push(doubleColumn(eta.map((e) => fitted(b.fl, e))));
    return cols;
  });
});

// ----- the summary's passes -----------------------------------------------------------------------

interface SummaryRows {
  y: Float64Array;
  mu: Float64Array;
  w: Float64Array | null;
  offset: Float64Array | null;
}

export interface GlrSummaryColumns {
  labelCol: string;
  predictionCol: string;
  weightCol: string | null;
  offsetCol: string | null;
}

function readSummaryRows(batch: arrow.RecordBatch, b: GlrSummaryColumns): BatchRead<SummaryRows> {
  return {
    part: {
      y: doublesOf(batch, b.labelCol),
      mu: doublesOf(batch, b.predictionCol),
      w: weightsOf(batch, b.weightCol),
      offset: b.offsetCol === null ? null : doublesOf(batch, b.offsetCol),
    },
  };
}

export interface GlrSummaryStats {
  rows: number;
  weightSum: number;
  deviance: number;
  /** Σ w(y − μ)²/V(μ) (Pearson's chi-squared). */
  pearson: number;
  /** Σ w(y − offset). */
  labelSum: number;
  /** Σ of the AIC's per-row terms (not gamma's, which needs the dispersion: glrNullStats). */
  aic: number;
}

type SummaryBroadcast = GlrSummaryColumns & { fl: FamilyAndLink };

const summaryInner: Summary<GlrSummaryStats, SummaryRows, SummaryBroadcast> = {
  zero: () => ({ rows: 0, weightSum: 0, deviance: 0, pearson: 0, labelSum: 0, aic: 0 }),
  add: (s, p, b) => {
    const fl = b.fl;
    for (let i = 0; i < p.y.length; i++) {
      const y = p.y[i]!;
      const mu = p.mu[i]!;
      const w = p.w === null ? 1 : p.w[i]!;
      s.rows++;
      s.weightSum += w;
      s.deviance += deviance(fl, y, mu, w);
      s.pearson += ((y - mu) * (y - mu) * w) / variance(fl, mu);
      s.labelSum += (y - (p.offset === null ? 0 : p.offset[i]!)) * w;
      if (fl.family !== 'gamma') s.aic += aicTerm(fl, y, mu, w, 0);
    }
    return s;
  },
  merge: (a, b) => ({
    rows: a.rows + b.rows,
    weightSum: a.weightSum + b.weightSum,
    deviance: a.deviance + b.deviance,
    pearson: a.pearson + b.pearson,
    labelSum: a.labelSum + b.labelSum,
    aic: a.aic + b.aic,
  }),
};

export const glrSummaryStats = batchSummary('ml.glr.summary', summaryInner, readSummaryRows);

export interface GlrNullStats {
  /** The null model's deviance at `intercept`. */
  nullDeviance: number;
  /** Gamma's AIC terms at the dispersion given. */
  gammaAic: number;
  /** IRLS statistics of an intercept-only model at `intercept`: Σw'z, Σw'. */
  wz: number;
  wSum: number;
}

type NullBroadcast = SummaryBroadcast & { intercept: number; gammaDispersion: number; irls: 'init' | 'reweight' | null };

const nullInner: Summary<GlrNullStats, SummaryRows, NullBroadcast> = {
  zero: () => ({ nullDeviance: 0, gammaAic: 0, wz: 0, wSum: 0 }),
  add: (s, p, b) => {
    const fl = b.fl;
    for (let i = 0; i < p.y.length; i++) {
      const y = p.y[i]!;
      const w = p.w === null ? 1 : p.w[i]!;
      const off = p.offset === null ? 0 : p.offset[i]!;
      if (b.irls === null) {
        s.nullDeviance += deviance(fl, y, unlink(fl, b.intercept + off), w);
        if (fl.family === 'gamma') s.gammaAic += aicTerm(fl, y, p.mu[i]!, w, b.gammaDispersion);
      } else if (b.irls === 'init') {
        s.wz += w * (link(fl, project(fl, initialMu(fl, y, w))) - off);
        s.wSum += w;
      } else {
        const eta = b.intercept + off;
        const mu = fitted(fl, eta);
        const g = linkDeriv(fl, mu);
        const ww = w / (g * g * variance(fl, mu));
        s.wz += ww * (eta - off + (y - mu) * g);
        s.wSum += ww;
      }
    }
    return s;
  },
  merge: (a, b) => ({ nullDeviance: a.nullDeviance + b.nullDeviance, gammaAic: a.gammaAic + b.gammaAic, wz: a.wz + b.wz, wSum: a.wSum + b.wSum }),
};

export const glrNullStats = batchSummary('ml.glr.null', nullInner, readSummaryRows);

// ----- residuals ----------------------------------------------------------------------------------

export type GlrResidualsType = 'deviance' | 'pearson' | 'working' | 'response';

export interface GlrResidualsBroadcast extends SummaryBroadcast {
  type: GlrResidualsType;
  outCol: string;
}

/** The residuals of one type as a column (Spark's GeneralizedLinearRegressionSummary.residuals). */
export const glrResiduals = defineTask<arrow.RecordBatch, GlrResidualsBroadcast, arrow.RecordBatch>('ml.glr.residuals', (batch, b) => {
  const n = batch.numRows;
  const out = new Float64Array(n);
  if (n > 0) {
    const p = readSummaryRows(batch, b).part;
    const fl = b.fl;
    for (let i = 0; i < n; i++) {
      const y = p.y[i]!;
      const mu = p.mu[i]!;
      const w = p.w === null ? 1 : p.w[i]!;
      switch (b.type) {
        case 'deviance': {
          const r = Math.sqrt(Math.max(deviance(fl, y, mu, w), 0));
          out[i] = y > mu ? r : -r;
          break;
        }
        case 'pearson': out[i] = ((y - mu) * Math.sqrt(w)) / Math.sqrt(variance(fl, mu)); break;
        case 'working': out[i] = (y - mu) * linkDeriv(fl, mu); break;
        case 'response': out[i] = y - mu; break;
      }
    }
  }
  const schema = new arrow.Schema([new arrow.Field(b.outCol, new arrow.Float64(), false)]);
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children: [doubleColumn(out)] }));
});

// ----- offsets beside the features ----------------------------------------------------------------

export interface GlrOffsetBroadcast {
  api: string;
  featuresCol: string;
  isArray: boolean;
  offsetCol: string;
  outCol: string;
}

/**
 * The batch with an array<double> column of each row's features followed by its offset, which
 * the fit packs as its features (the last column is the offset): a null or NaN offset (Spark's
 * checkNonNanValues: "Offsets MUST NOT be Null or NaN") or a bad feature vector names its row.
 */
export const glrAppendOffset = defineTask<arrow.RecordBatch, GlrOffsetBroadcast, arrow.RecordBatch>('ml.glr.appendOffset', (batch, b, ctx) => {
  const n = batch.numRows;
  const type = new arrow.List(new arrow.Field('element', new arrow.Float64(), false));
  const field = new arrow.Field(b.outCol, type, false);
  let values = new Float64Array(0);
  let d = 0;
  if (n > 0) {
    let offsets: Float64Array;
    try {
      offsets = doublesOf(batch, b.offsetCol);
    } catch (err) {
      if (err instanceof RowError) throw badRowError(b.api, { ...err.bad, why: `${err.bad.why.replace(/; evaluators need.*$/, '')}: Offsets MUST NOT be Null or NaN` }, ctx.partition, ctx.rowBase);
      throw err;
    }
    const f = readFeatures(batch, b.featuresCol, b.isArray, {});
    if ('bad' in f) throw badRowError(b.api, f.bad, ctx.partition, ctx.rowBase);
    d = f.dim;
    values = new Float64Array(n * (d + 1));
    for (let r = 0; r < n; r++) {
      values.set(f.x.subarray(r * d, (r + 1) * d), r * (d + 1));
      values[r * (d + 1) + d] = offsets[r]!;
    }
  }
  const valueOffsets = Int32Array.from({ length: n + 1 }, (_, r) => r * (d + 1));
  const child = arrow.makeData({ type: new arrow.Float64(), length: values.length, data: values, nullCount: 0 });
  const col = arrow.makeData({ type, length: n, valueOffsets, child, nullCount: 0 }) as AnyData;
  return appendColumns(batch, [field], [col]);
});
