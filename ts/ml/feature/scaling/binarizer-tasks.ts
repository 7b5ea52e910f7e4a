/**
 * Binarizer's transform on the executors (Spark's Binarizer.transform): a number becomes 1.0
 * when greater than its threshold, else 0.0 (NaN gives 0.0, null stays null); a vector keeps
 * 1.0 where its entry is greater than the threshold — with a threshold >= 0 only stored
 * non-zeros can pass, so sparse stays sparse; with a negative one every entry not stored or
 * above it is 1.0 — and is written in Spark's `compressed` form (sparse when
 * 1.5 * (nnz + 1) < size). A null vector is an error naming the column and row (Spark's UDF
 * fails on it).
 */
import * as arrow from 'apache-arrow';
import { isValidAt, type AnyData, appendColumns } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineTask } from '../../../src/exec/task.js';
import { columnOf } from '../../data/checked-summary.js';
import { badRowError } from '../../data/predictions.js';
import { vectorAt, vectorColumn } from '../../linalg/columns.js';
import { DenseVector, SparseVector, type Vector } from '../../linalg/vectors.js';
import { BinaryAttribute, withAttribute } from '../../attribute/attributes.js';

export interface BinarizeBroadcast {
  api: string;
  inputCols: string[];
  outputCols: string[];
  thresholds: number[];
  /** Per input: a number column (cast to double) or a vector column. */
  vector: boolean[];
}

/** The output fields: a double with Spark's BinaryAttribute for a number, a vector for a vector. */
export function binarizerFields(outputCols: readonly string[], vector: readonly boolean[]): arrow.Field[] {
  return outputCols.map((o, c) =>
    vector[c] ? new arrow.Field(o, Types.vectorStruct(), true) : withAttribute(new arrow.Field(o, new arrow.Float64(), true), BinaryAttribute.defaultAttr.withName(o)),
  );
}

/** One vector binarized as Spark does, in its compressed form. */
export function binarizeVector(v: Vector, td: number): Vector {
  const size = v.size;
  if (td >= 0) {
    const idx: number[] = [];
    v.foreachNonZero((i, x) => {
      if (x > td) idx.push(i);
    });
    return compressed(size, idx.length, () => new SparseVector(size, idx, idx.map(() => 1)));
  }
  const values = new Float64Array(size).fill(1);
  let nnz = size;
  v.foreachActive((i, x) => {
    if (x <= td) {
      values[i] = 0;
      nnz--;
    }
  });
  return compressed(size, nnz, () => new DenseVector(values));
}

/** Spark's Vector.compressedWithNNZ. */
function compressed(size: number, nnz: number, make: () => Vector): Vector {
  const v = make();
  return 1.5 * (nnz + 1.0) < size ? v.toSparse() : v.toDense();
}

export const binarizeTransform = defineTask<arrow.RecordBatch, BinarizeBroadcast, arrow.RecordBatch>('feature.binarize', (b, bb, ctx) => {
  const n = b.numRows;
  const outs = bb.inputCols.map((name, c): AnyData => {
    const td = bb.thresholds[c]!;
    const col = columnOf(b, name);
    if (bb.vector[c]) {
      const out: Vector[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const v = vectorAt(col, i);
        if (v === null) throw badRowError(bb.api, { row: i, what: `column ${name}`, why: 'is null' }, ctx.partition, ctx.rowBase);
        out[i] = binarizeVector(v, td);
      }
      return vectorColumn(out, 'struct');
    }
    const d = castColumn(bb.api, col, Types.double());
    const x = numericValues(d) as Float64Array;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = x[i]! > td ? 1 : 0;
    let nullBitmap: Uint8Array | undefined;
    let nullCount = 0;
    if (d.nullCount > 0) {
      nullBitmap = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        if (isValidAt(d, i)) nullBitmap[i >> 3]! |= 1 << (i & 7);
        else nullCount++;
      }
    }
    return arrow.makeData({ type: new arrow.Float64(), length: n, data: y, nullBitmap, nullCount }) as AnyData;
  });
  return appendColumns(b, binarizerFields(bb.outputCols, bb.vector), outs);
});
