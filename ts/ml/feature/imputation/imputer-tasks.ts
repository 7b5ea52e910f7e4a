/**
 * The executor side of the missing-value stages (imputer.ts, constant-imputer.ts,
 * missing-indicator.ts).
 *
 *   - `imputerStats` folds a partition's input columns into what Spark's Imputer.fit computes
 *     (docs/formats/SPARK_DEFINITIONS.md; Spark's ml.feature.Imputer): a value is missing when it
 *     is null, NaN, or equal to missingValue, and is left out. Per column, by strategy: mean →
 *     sum and count (Spark's avg); median → Spark's QuantileSummaries sketch
 *     (ts/src/dataframe/quantile.ts, as approxQuantile(0.5, relativeError)); mode → the
 *     distinct values with their counts (sorted by value, merged by a merge-join).
 *   - `imputeColumns` appends, per input column, the column with missing values replaced by a
 *     surrogate, cast back to the input's type as ImputerModel.transform does (`cast(inputType)`:
 *     a surrogate 2.5 in an int column is 2). In transform, as Spark, a value is missing when it
 *     is null or equal to missingValue (NaN = NaN, as Spark SQL): with missingValue 1.0 a NaN
 *     stays NaN.
 */
import * as arrow from 'apache-arrow';
import { isValidAt, makePrimitive, type AnyData, appendColumns } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { emptySketch, sketchAdd, sketchMerge, type QuantileSketch } from '../../../src/dataframe/quantile.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineSummary, defineTask } from '../../../src/exec/task.js';
import { fmix32 } from '../../../src/kernels/hash.js';
import { columnOf } from '../../data/checked-summary.js';

export type ImputerStrategy = 'mean' | 'median' | 'mode';

/** Spark SQL's equality of doubles: NaN equals NaN. */
export function isMissing(x: number, missingValue: number): boolean {
  return x === missingValue || (x !== x && missingValue !== missingValue);
}

/** The values of a numeric column as doubles, with a flag per row: valid (not null). */
export function doublesWithNulls(api: string, d: AnyData): { values: Float64Array; valid: (i: number) => boolean } {
  const dd = arrow.DataType.isFloat(d.type) && d.type.precision === arrow.Precision.DOUBLE ? d : castColumn(api, d, Types.double());
  const values = numericValues(dd) as Float64Array;
  return { values, valid: dd.nullCount > 0 ? (i) => isValidAt(dd, i) : () => true };
}

/** The observed (not null, not NaN, not missingValue) values of a column of a batch: Spark's fit-time rule. */
export function observedValues(api: string, batch: arrow.RecordBatch, name: string, missingValue: number): Float64Array {
  const { values, valid } = doublesWithNulls(api, columnOf(batch, name));
  const out = new Float64Array(batch.numRows);
  let m = 0;
  for (let i = 0; i < batch.numRows; i++) {
    const x = values[i]!;
    if (valid(i) && x === x && x !== missingValue) out[m++] = x;
  }
  return out.subarray(0, m);
}

/** Distinct values (ascending) and their counts. */
export interface ValueCounts {
  values: Float64Array;
  counts: Float64Array;
}

export interface ImputerStats {
  sums: Float64Array;
  counts: Float64Array;
  sketches: QuantileSketch[];
  modes: ValueCounts[];
}

export interface ImputerStatsBroadcast {
  api: string;
  inputCols: string[];
  strategy: ImputerStrategy;
  missingValue: number;
  relativeError: number;
}

/** The distinct values of x with their counts; sorts x in place (the caller's fresh buffer of observed values). */
function valueCounts(x: Float64Array): ValueCounts {
  const s = x.sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && s[i] === s[i - 1]) counts[counts.length - 1]!++;
    else {
      values.push(s[i]!);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

function mergeCounts(a: ValueCounts, b: ValueCounts): ValueCounts {
  const values: number[] = [];
  const counts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.values.length || j < b.values.length) {
    const x = i < a.values.length ? a.values[i]! : Infinity;
    const y = j < b.values.length ? b.values[j]! : Infinity;
    if (j >= b.values.length || (i < a.values.length && x < y)) {
      values.push(x);
      counts.push(a.counts[i++]!);
    } else if (i >= a.values.length || y < x) {
      values.push(y);
      counts.push(b.counts[j++]!);
    } else {
      values.push(x);
      counts.push(a.counts[i++]! + b.counts[j++]!);
    }
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

/** The most frequent value, the smallest of ties (Spark, as scikit-learn's SimpleImputer); NaN when there is none. */
export function modeOf(c: ValueCounts): number {
  let best = NaN;
  let bestCount = 0;
  for (let i = 0; i < c.values.length; i++) {
    if (c.counts[i]! > bestCount) {
      best = c.values[i]!;
      bestCount = c.counts[i]!;
    }
  }
  return best;
}

export const imputerStats = defineSummary<ImputerStats, arrow.RecordBatch, ImputerStatsBroadcast>('feature.imputerStats', {
  zero: (b) => {
    const k = b.inputCols.length;
    return {
      sums: new Float64Array(k),
      counts: new Float64Array(k),
      sketches: b.strategy === 'median' ? b.inputCols.map(() => emptySketch(b.relativeError)) : [],
      modes: b.strategy === 'mode' ? b.inputCols.map(() => ({ values: new Float64Array(0), counts: new Float64Array(0) })) : [],
    };
  },
  add: (s, batch, b) => {
    b.inputCols.forEach((name, j) => {
      const x = observedValues(b.api, batch, name, b.missingValue);
      s.counts[j] += x.length;
      if (b.strategy === 'mean') for (let i = 0; i < x.length; i++) s.sums[j] += x[i]!;
      else if (b.strategy === 'median') s.sketches[j] = sketchAdd(s.sketches[j]!, x);
      else s.modes[j] = mergeCounts(s.modes[j]!, valueCounts(x));
    });
    return s;
  },
  merge: (a, b) => {
    for (let j = 0; j < a.sums.length; j++) {
      a.sums[j] += b.sums[j]!;
      a.counts[j] += b.counts[j]!;
    }
    a.sketches = a.sketches.map((s, j) => sketchMerge(s, b.sketches[j]!));
    a.modes = a.modes.map((m, j) => mergeCounts(m, b.modes[j]!));
    return a;
  },
});

// ----- transform --------------------------------------------------------------------------------

export interface ImputeBroadcast {
  api: string;
  /** Per input column: its name, the output column, the surrogate. */
  columns: Array<{ inputCol: string; outputCol: string; surrogate: number }>;
  missingValue: number;
}

/** The column with null and missingValue replaced by `surrogate`, in the input's type (Spark's `cast(inputType)`). */
function imputed(api: string, d: AnyData, surrogate: number, missingValue: number): AnyData {
  const { values, valid } = doublesWithNulls(api, d);
  const n = d.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = !valid(i) || isMissing(values[i]!, missingValue) ? surrogate : values[i]!;
  const doubles = makePrimitive(new arrow.Float64(), out, null, 0) as AnyData;
  return castColumn(api, doubles, d.type);
}

/** Appends each column's imputed copy. */
export const imputeColumns = defineTask<arrow.RecordBatch, ImputeBroadcast, arrow.RecordBatch>('feature.imputeColumns', (b, bc) => {
  const outs = bc.columns.map((c) => imputed(bc.api, columnOf(b, c.inputCol), c.surrogate, bc.missingValue));
  const fields = bc.columns.map((c, j) => new arrow.Field(c.outputCol, outs[j]!.type, true));
  return appendColumns(b, fields, outs);
});

// ----- MissingIndicator -------------------------------------------------------------------------

export interface IndicateBroadcast {
  api: string;
  columns: Array<{ inputCol: string; outputCol: string }>;
  missingValue: number;
}

/** Appends, per input column, 1.0 where the value is null or missingValue (NaN with the default), else 0.0 (double, never null). */
export const indicateMissing = defineTask<arrow.RecordBatch, IndicateBroadcast, arrow.RecordBatch>('feature.indicateMissing', (b, bc) => {
  const outs = bc.columns.map((c) => {
    const { values, valid } = doublesWithNulls(bc.api, columnOf(b, c.inputCol));
    const out = new Float64Array(b.numRows);
    for (let i = 0; i < b.numRows; i++) {
      const x = values[i]!;
      out[i] = !valid(i) || isMissing(x, bc.missingValue) ? 1 : 0;
    }
    return makePrimitive(new arrow.Float64(), out, null, 0) as AnyData;
  });
  return appendColumns(b, bc.columns.map((c) => new arrow.Field(c.outputCol, new arrow.Float64(), false)), outs);
});

// ----- RandomSampleImputer ----------------------------------------------------------------------

export interface SampleBroadcast {
  api: string;
  seed: number;
  missingValue: number;
  /** Per input column: the observed distinct values (ascending) and their cumulative counts. */
  columns: Array<{ inputCol: string; outputCol: string; values: Float64Array; cumulative: Float64Array }>;
}


/**
 * The uniform draw in [0, 1) of (seed, column, partition, row within the partition): two rounds
 * of murmur3's finaliser over the mixed integers, 53 bits. The same seed and partitioning give
 * the same draws on any backend and thread count.
 */
export function sampleUniform(seed: number, column: number, partition: number, row: number): number {
  const s = Math.floor(seed);
  const lo = s | 0;
  const hi = Math.floor(s / 2 ** 32) | 0;
  const a = fmix32(lo ^ fmix32(hi ^ Math.imul(column + 1, 0x9e3779b1)) ^ fmix32(Math.imul(partition + 1, 0x85ebca77) ^ row));
  const b = fmix32(a ^ 0x27d4eb2f ^ Math.imul(row + 1, 0x165667b1));
  return (a * 2 ** 21 + (b >>> 11)) / 2 ** 53;
}

/** Appends each column with its missing values (null, or missingValue: NaN by default) drawn from the observed values, weighted by their counts. */
export const sampleImpute = defineTask<arrow.RecordBatch, SampleBroadcast, arrow.RecordBatch>('feature.sampleImpute', (b, sb, ctx) => {
  const outs = sb.columns.map((c, j) => {
    const d = columnOf(b, c.inputCol);
    const { values, valid } = doublesWithNulls(sb.api, d);
    const total = c.cumulative[c.cumulative.length - 1]!;
    const out = new Float64Array(b.numRows);
    for (let i = 0; i < b.numRows; i++) {
      if (valid(i) && !isMissing(values[i]!, sb.missingValue)) {
        out[i] = values[i]!;
        continue;
      }
      const target = sampleUniform(sb.seed, j, ctx.partition, i) * total;
      let lo = 0;
      let hi = c.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (c.cumulative[mid]! > target) hi = mid;
        else lo = mid + 1;
      }
      out[i] = c.values[lo]!;
    }
    return castColumn(sb.api, makePrimitive(new arrow.Float64(), out, null, 0) as AnyData, d.type);
  });
  const fields = sb.columns.map((c, j) => new arrow.Field(c.outputCol, outs[j]!.type, true));
  return appendColumns(b, fields, outs);
});
