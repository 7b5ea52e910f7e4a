/**
 * RobustScaler's fit on the executors (Spark's RobustScaler.fit): one QuantileSummaries per
 * feature (ts/src/dataframe/quantile.ts, Spark's Greenwald-Khanna with its insert, compress
 * and merge rules) over the values of a partition's vectors in row order, NaN skipped (Spark
 * 3.1+), merged across partitions. A null row or a vector of another size is reported as data
 * and named over the whole DataFrame on the driver (ml/data/checked-summary.ts).
 */
import type * as arrow from 'apache-arrow';
import { emptySketch, sketchAdd, sketchMerge, type QuantileSketch } from '../../../src/dataframe/quantile.js';
import type { Summary } from '../../../src/exec/task.js';
import { batchSummary, vectorRowsOf, type BatchRead, type RowMajor } from '../../data/checked-summary.js';
import { vectorSizeMismatch } from './scaling-tasks.js';

export interface RobustBroadcast {
  inputCol: string;
  relativeError: number;
}

/** One sketch per feature (empty before any row). */
export interface FeatureSketches {
  sketches: QuantileSketch[];
}

const inner: Summary<FeatureSketches, RowMajor, RobustBroadcast> = {
  zero: () => ({ sketches: [] }),
  add(s, { x, n, d }, b) {
    if (n === 0) return s;
    const col = new Float64Array(n);
    const part = Array.from({ length: d }, (_, j) => {
      let m = 0;
      for (let i = 0; i < n; i++) {
        const v = x[i * d + j]!;
        if (!Number.isNaN(v)) col[m++] = v;
      }
      return sketchAdd(emptySketch(b.relativeError), col.subarray(0, m));
    });
    return inner.merge(s, { sketches: part });
  },
  merge: (a, b) => (a.sketches.length === 0 ? b : b.sketches.length === 0 ? a : { sketches: a.sketches.map((s, j) => sketchMerge(s, b.sketches[j]!)) }),
};

function readRows(batch: arrow.RecordBatch, b: RobustBroadcast): BatchRead<RowMajor> {
  const r = vectorRowsOf(batch, b.inputCol, { what: 'the input vector column', isNull: 'is null', sizeMismatch: vectorSizeMismatch });
  return { part: r, size: r.d };
}

/** Per-feature quantile sketches of the vector column `inputCol` (run with `aggregateRows`). */
export const robustSketches = batchSummary('feature.robustSketches', inner, readRows);
