/**
 * Bucketizer's transform on the executors (Spark's Bucketizer.binarySearchForBuckets): each
 * input column is cast to double and mapped to its bucket index (a double): bucket i holds
 * [splits[i], splits[i+1]), the last bucket also its upper split; NaN goes to the extra bucket
 * splits.length - 1 with handleInvalid 'keep' and is an error otherwise ('skip' drops those
 * rows before this task, as Spark's na.drop); a value outside the splits is always an error;
 * a null input gives a null bucket. Errors name the column, the value and the row (over the
 * whole DataFrame when the partition's first row is known).
 */
import * as arrow from 'apache-arrow';
import { KindlingError } from '../../../src/errors.js';
import { isValidAt, type AnyData, appendColumns } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineTask, type TaskContext } from '../../../src/exec/task.js';
import { columnOf } from '../../data/checked-summary.js';

export interface BucketizeBroadcast {
  api: string;
  inputCols: string[];
  outputCols: string[];
  splits: number[][];
  keepInvalid: boolean;
}

function where(ctx: TaskContext | undefined, i: number): string {
  return ctx?.rowBase !== undefined ? `row ${ctx.rowBase + i}` : `row ${i} of partition ${ctx?.partition ?? 0}`;
}

/** The bucket of one value (Spark's binarySearchForBuckets); throws naming the column and row for NaN (unless kept) and out-of-range values. */
export function bucketOf(api: string, splits: readonly number[], x: number, keepInvalid: boolean, col: string, row: string): number {
  const n = splits.length;
  if (Number.isNaN(x)) {
    if (keepInvalid) return n - 1;
    throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: Bucketizer encountered NaN value in column ${col} at ${row}. To handle or skip NaNs, try setting Bucketizer.handleInvalid.`);
  }
  if (x === splits[n - 1]) return n - 2;
  let lo = 0;
  let hi = n - 1;
  // the last split <= x, by binary search
  if (!(x >= splits[0]!) || !(x < splits[n - 1]!)) {
    throw new KindlingError(
      'ERR_KINDLING_INVALID_ARG',
      `${api}: Feature value ${x} out of Bucketizer bounds [${splits[0]}, ${splits[n - 1]}] in column ${col} at ${row}.  Check your features, or loosen the lower/upper bound constraints.`,
    );
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (splits[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function bucketizeBatch(b: arrow.RecordBatch, bb: BucketizeBroadcast, ctx?: TaskContext): arrow.RecordBatch {
  const n = b.numRows;
  const outs: AnyData[] = bb.inputCols.map((name, c) => {
    const col = castColumn(bb.api, columnOf(b, name), Types.double());
    const x = numericValues(col) as Float64Array;
    const y = new Float64Array(n);
    const valid = col.nullCount > 0 ? new Uint8Array(n) : null;
    for (let i = 0; i < n; i++) {
      if (valid) {
        valid[i] = isValidAt(col, i) ? 1 : 0;
        if (!valid[i]) continue;
      }
      y[i] = bucketOf(bb.api, bb.splits[c]!, x[i]!, bb.keepInvalid, name, where(ctx, i));
    }
    let nullBitmap: Uint8Array | undefined;
    let nullCount = 0;
    if (valid) {
      nullBitmap = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (valid[i]) nullBitmap[i >> 3]! |= 1 << (i & 7);
      else nullCount++;
    }
    return arrow.makeData({ type: new arrow.Float64(), length: n, data: y, nullBitmap, nullCount }) as AnyData;
  });
  return appendColumns(b, bb.outputCols.map((o) => new arrow.Field(o, new arrow.Float64(), true)), outs);
}

/** Appends one bucket column per input column. */
export const bucketizeTransform = defineTask<arrow.RecordBatch, BucketizeBroadcast, arrow.RecordBatch>('feature.bucketize', (b, bb, ctx) => bucketizeBatch(b, bb, ctx));
