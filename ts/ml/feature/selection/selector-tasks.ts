/**
 * The univariate selectors' statistics on the executors (univariate-feature-selector.ts), one
 * pass over (features, label), as Spark's ml.stat tests gather them:
 *
 *   - chi2 (ChiSquareTest): the contingency counts (feature j, feature value, label) → count, the
 *     distinct values and labels found by the native hash-group kernel (kernels/hash-group.ts);
 *   - anova (ANOVATest, f_classif): per (label, feature j) count, sum, sum of squares;
 *   - fregression (FValueTest, f_regression): n, Σx, Σx², Σxy per feature, Σy, Σy².
 *
 * A null feature vector, vectors of another size, a NaN/±Infinity feature value, and a null or
 * NaN label are reported as data and named over the whole DataFrame (data/checked-summary.ts).
 * `selectFeatures` is the model's transform: the selected entries of each vector, dense stays
 * dense, sparse stays sparse (Spark's SelectorModel), a null row stays null.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { isValidAt, type AnyData, appendColumn } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineTask, type Summary } from '../../../src/exec/task.js';
import { hashGroupF64 } from '../../../src/kernels/hash-group.js';
import { denseVectorColumn, isDenseVectorType, vectorAt, vectorColumn } from '../../linalg/columns.js';
import { type Vector } from '../../linalg/vectors.js';
import { sliceVector } from '../vectors/vectors-ops.js';
import { batchSummary, columnOf, failRow, vectorRowsOf, type BatchRead, type RowMajor } from '../../data/checked-summary.js';

export type Scoring = 'chi2' | 'anova' | 'fregression';

export interface SelectorBroadcast {
  featuresCol: string;
  labelCol: string;
  scoring: Scoring;
  /** The stage's fit, for messages. */
  api: string;
}

export interface SelectorStats {
  d: number;
  n: number;
  /** chi2: (j, value, label, count) per distinct triple. */
  cj: Int32Array;
  cx: Float64Array;
  cy: Float64Array;
  cn: Float64Array;
  /** anova: labels seen, and per label (row) x feature (column): count, sum, sum of squares. */
  labels: Float64Array;
  counts: Float64Array;
  sums: Float64Array;
  sumsq: Float64Array;
  /** fregression, per feature: Σx, Σx², Σxy; and Σy, Σy². */
  sx: Float64Array;
  sxx: Float64Array;
  sxy: Float64Array;
  sy: number;
  syy: number;
}

const empty = (): SelectorStats => ({
  d: -1, n: 0, cj: new Int32Array(0), cx: new Float64Array(0), cy: new Float64Array(0), cn: new Float64Array(0),
  labels: new Float64Array(0), counts: new Float64Array(0), sums: new Float64Array(0), sumsq: new Float64Array(0),
  sx: new Float64Array(0), sxx: new Float64Array(0), sxy: new Float64Array(0), sy: 0, syy: 0,
});

/** Chi-squared counts per feature: value → label → count (number keys: NaN never occurs, rows are checked finite). */
type ChiTables = Array<Map<number, Map<number, number>>>;

/** Spark's ChiSquareTest refuses a column with more distinct values than this (maxCategories). */
export const MAX_CATEGORIES = 10_000;

function addCount(tables: ChiTables, j: number, x: number, y: number, c: number): void {
  let row = tables[j]!.get(x);
  if (!row) {
    row = new Map();
    tables[j]!.set(x, row);
  }
  row.set(y, (row.get(y) ?? 0) + c);
}

function chiTables(s: SelectorStats, d: number, into: ChiTables = Array.from({ length: d }, () => new Map())): ChiTables {
  for (let t = 0; t < s.cj.length; t++) addCount(into, s.cj[t]!, s.cx[t]!, s.cy[t]!, s.cn[t]!);
  return into;
}

function setChi(s: SelectorStats, tables: ChiTables): void {
  const cj: number[] = [];
  const cx: number[] = [];
  const cy: number[] = [];
  const cn: number[] = [];
  tables.forEach((rows, j) => {
    if (rows.size > MAX_CATEGORIES) throw Errors.schema(`ChiSquareTest: Chi-square test expect factors (categorical values) but found more than ${MAX_CATEGORIES} distinct values in column ${j}`);
    for (const [x, row] of rows) {
      for (const [y, c] of row) {
        cj.push(j);
        cx.push(x);
        cy.push(y);
        cn.push(c);
      }
    }
  });
  s.cj = Int32Array.from(cj);
  s.cx = Float64Array.from(cx);
  s.cy = Float64Array.from(cy);
  s.cn = Float64Array.from(cn);
}

/** The anova tables over the union of both sides' labels (sorted). */
function mergeAnova(a: SelectorStats, b: SelectorStats, d: number): void {
  const labels = Float64Array.from(new Set([...a.labels, ...b.labels])).sort();
  const counts = new Float64Array(labels.length * d);
  const sums = new Float64Array(labels.length * d);
  const sumsq = new Float64Array(labels.length * d);
  for (const s of [a, b]) {
    s.labels.forEach((y, r) => {
      const to = labels.indexOf(y) * d;
      for (let j = 0; j < d; j++) {
        counts[to + j] += s.counts[r * d + j]!;
        sums[to + j] += s.sums[r * d + j]!;
        sumsq[to + j] += s.sumsq[r * d + j]!;
      }
    });
  }
  Object.assign(a, { labels, counts, sums, sumsq });
}

function mergeStats(a: SelectorStats, b: SelectorStats): SelectorStats {
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  const d = a.d;
  if (a.cj.length + b.cj.length > 0) setChi(a, chiTables(b, d, chiTables(a, d)));
  if (a.labels.length + b.labels.length > 0) mergeAnova(a, b, d);
  if (a.sx.length > 0) {
    for (let j = 0; j < d; j++) {
      a.sx[j] += b.sx[j]!;
      a.sxx[j] += b.sxx[j]!;
      a.sxy[j] += b.sxy[j]!;
    }
  }
  a.sy += b.sy;
  a.syy += b.syy;
  a.n += b.n;
  return a;
}

function statsOf(rows: RowMajor, y: Float64Array, scoring: Scoring, api: string): SelectorStats {
  const { x, n, d } = rows;
  const s = empty();
  if (n === 0) return s;
  s.d = d;
  s.n = n;
  if (scoring === 'chi2') {
    // contingency tables: distinct labels and feature values by the native hash-group kernel,
    // then one integer count per row and feature
    const labelIds = hashGroupF64(y.subarray(0, n));
    const L = labelIds.firstRow.length;
    const labelValues = Float64Array.from(labelIds.firstRow, (r) => y[r]!);
    const tables: ChiTables = Array.from({ length: d }, () => new Map());
    const col = new Float64Array(n);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < n; i++) col[i] = x[i * d + j]!;
      const valueIds = hashGroupF64(col);
      const V = valueIds.firstRow.length;
      if (V > MAX_CATEGORIES) throw Errors.schema(`${api}: Chi-square test expect factors (categorical values) but found more than ${MAX_CATEGORIES} distinct values in column ${j}`);
      const counts = new Float64Array(V * L);
      for (let i = 0; i < n; i++) counts[valueIds.codes[i]! * L + labelIds.codes[i]!]++;
      for (let v = 0; v < V; v++) {
        const value = col[valueIds.firstRow[v]!]!;
        for (let l = 0; l < L; l++) if (counts[v * L + l]! > 0) addCount(tables, j, value, labelValues[l]!, counts[v * L + l]!);
      }
    }
    setChi(s, tables);
  } else if (scoring === 'anova') {
    const labelIds = hashGroupF64(y.subarray(0, n));
    s.labels = Float64Array.from(labelIds.firstRow, (r) => y[r]!).sort();
    const L = s.labels.length;
    const rowOf = Int32Array.from(labelIds.firstRow, (r) => s.labels.indexOf(y[r]!));
    s.counts = new Float64Array(L * d);
    s.sums = new Float64Array(L * d);
    s.sumsq = new Float64Array(L * d);
    for (let i = 0; i < n; i++) {
      const r = rowOf[labelIds.codes[i]!]! * d;
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j]!;
        s.counts[r + j]++;
        s.sums[r + j] += v;
        s.sumsq[r + j] += v * v;
      }
    }
  } else {
    s.sx = new Float64Array(d);
    s.sxx = new Float64Array(d);
    s.sxy = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const yi = y[i]!;
      s.sy += yi;
      s.syy += yi * yi;
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j]!;
        s.sx[j] += v;
        s.sxx[j] += v * v;
        s.sxy[j] += v * yi;
      }
    }
  }
  return s;
}

const inner: Summary<SelectorStats, { rows: RowMajor; y: Float64Array }, SelectorBroadcast> = {
  zero: empty,
  add: (s, p, b) => mergeStats(s, statsOf(p.rows, p.y, b.scoring, b.api)),
  merge: mergeStats,
};

const WHAT = 'the features column';

export function selectorSizeMismatch(size: number, dim: number): { what: string; why: string } {
  return { what: WHAT, why: `has size ${size}, but earlier rows have size ${dim}` };
}

function read(batch: arrow.RecordBatch, b: SelectorBroadcast): BatchRead<{ rows: RowMajor; y: Float64Array }> {
  const rows = vectorRowsOf(batch, b.featuresCol, { what: WHAT, isNull: 'is null', sizeMismatch: selectorSizeMismatch });
  for (let k = 0; k < rows.n * rows.d; k++) {
    const v = rows.x[k]!;
    if (v - v !== 0) failRow(Math.floor(k / rows.d), WHAT, `has ${v} at position ${k % rows.d}; the selector needs finite values`, rows.d);
  }
  const lc = columnOf(batch, b.labelCol);
  const ld = arrow.DataType.isFloat(lc.type) && lc.type.precision === arrow.Precision.DOUBLE ? lc : castColumn('UnivariateFeatureSelector', lc, Types.double());
  const y = numericValues(ld) as Float64Array;
  for (let i = 0; i < rows.n; i++) {
    if (!isValidAt(ld, i)) failRow(i, `column ${b.labelCol}`, 'is null; the selector needs a label in every row', rows.d);
    if (y[i]! - y[i]! !== 0) failRow(i, `column ${b.labelCol}`, `is ${y[i]}; the selector needs finite labels`, rows.d);
  }
  return { part: { rows: { ...rows, d: Math.max(rows.d, 0) }, y }, size: rows.d };
}

export const selectorStats = batchSummary('feature.selectorStats', inner, read);

// ----- the model's transform --------------------------------------------------------------------

export interface SelectBroadcast {
  api: string;
  featuresCol: string;
  outputCol: string;
  selected: Int32Array;
  /** The size of the vectors the selector was fitted on (-1: unknown, a loaded Spark model). */
  numFeatures: number;
}

export const selectFeatures = defineTask<arrow.RecordBatch, SelectBroadcast, arrow.RecordBatch>('feature.selectFeatures', (b, sb) => {
  const col = columnOf(b, sb.featuresCol);
  const n = b.numRows;
  const m = sb.selected.length;
  const maxIndex = m > 0 ? sb.selected[m - 1]! : -1;
  const checkSize = (size: number) => {
    if (sb.numFeatures >= 0 ? size !== sb.numFeatures : size <= maxIndex) throw Errors.outOfRange(sb.api, 'vector size', sb.numFeatures >= 0 ? `${sb.numFeatures} (the fitted size)` : `more than ${maxIndex} (the largest selected index)`, size);
  };
  let out: AnyData;
  if (isDenseVectorType(col.type)) {
    const d = col.type.listSize;
    checkSize(d);
    const x = (col.children[0]! as AnyData).values as Float64Array;
    const y = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) y[i * m + k] = x[i * d + sb.selected[k]!]!;
    out = denseVectorColumn(y, m, col.nullCount > 0 ? Array.from({ length: n }, (_, i) => isValidAt(col, i)) : null);
  } else {
    const vs: Array<Vector | null> = [];
    for (let i = 0; i < n; i++) {
      const v = vectorAt(col, i);
      if (v !== null) checkSize(v.size);
      vs.push(v === null ? null : sliceVector(v, sb.selected));
    }
    out = vectorColumn(vs, 'struct');
  }
  return appendColumn(b, sb.outputCol, out);
});
