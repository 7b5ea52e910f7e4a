/**
 * OneHotEncoder's executor code (one-hot-encoder.ts has the rules): `oneHotMaxes`, the fit's
 * summary of the largest index of each input column (Spark's getOutputAttrGroupFromData: every
 * value must be an index, a non-negative integer; a null, NaN, negative or fractional value
 * stops the read and is named over the whole DataFrame on the driver), and `oneHotTransform`,
 * which appends one SparseVector column (Spark's VectorUDT) per input.
 */
import * as arrow from 'apache-arrow';
import { isValidAt, type AnyData, appendColumns } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues, resolveIndex } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineTask } from '../../../src/exec/task.js';
import { javaDoubleString } from '../../../src/io/text-common/java-format.js';
import { batchSummary, failRow } from '../../data/checked-summary.js';
import { badRowError } from '../../data/predictions.js';
import { vectorStructColumn } from '../../linalg/columns.js';
import { SparseVector } from '../../linalg/vectors.js';

/** Why value v is not a category index, or null when it is one (a non-negative integer below 2^31). */
export function notAnIndex(v: number): string | null {
  if (Number.isNaN(v)) return 'is NaN';
  if (v < 0) return `holds ${javaDoubleString(v)}: Input can't be negative`;
  if (!Number.isInteger(v)) return `holds ${javaDoubleString(v)}, which is not an index (a non-negative integer)`;
  if (v > 2147483647) return `holds ${javaDoubleString(v)}: OneHotEncoder only supports up to 2147483647 indices`;
  return null;
}

function doublesOfColumn(api: string, b: arrow.RecordBatch, name: string): AnyData {
  return castColumn(api, b.data.children[resolveIndex(api, name, b.schema)]! as AnyData, Types.double());
}

/** The largest value of each input column (-1: no rows). */
export const oneHotMaxes = batchSummary<number[], number[], { api: string; inputs: string[] }>(
  'feature.oneHotMaxes',
  {
    zero: (b) => b.inputs.map(() => -1),
    add: (s, part) => s.map((m, k) => Math.max(m, part[k]!)),
    merge: (a, b) => a.map((m, k) => Math.max(m, b[k]!)),
  },
  (batch, b) => ({
    part: b.inputs.map((name) => {
      const d = doublesOfColumn(b.api, batch, name);
      const x = numericValues(d) as Float64Array;
      let max = -1;
      for (let i = 0; i < batch.numRows; i++) {
        if (!isValidAt(d, i)) failRow(i, `column ${name}`, 'is null; OneHotEncoder fits on category indices');
        const why = notAnIndex(x[i]!);
        if (why !== null) failRow(i, `column ${name}`, `${why} (Values from column ${name} must be indices)`);
        if (x[i]! > max) max = x[i]!;
      }
      return max;
    }),
  }),
);

export interface OneHotBroadcast {
  api: string;
  inputs: string[];
  categorySizes: number[];
  /** The output vector size of each column (dropLast and handleInvalid taken into account). */
  sizes: number[];
  keepInvalid: boolean;
  /** The output fields' names and metadata. */
  outputs: Array<{ name: string; metadata: Array<[string, string]> }>;
}

/** Appends each column's one-hot SparseVector: index v → (size, [v], [1.0]), nothing when v is the dropped last category (or the invalid one beyond it). */
export const oneHotTransform = defineTask<arrow.RecordBatch, OneHotBroadcast, arrow.RecordBatch>('feature.oneHotTransform', (b, ob, ctx) => {
  const n = b.numRows;
  const cols = ob.inputs.map((name, k) => {
    const d = doublesOfColumn(ob.api, b, name);
    const x = numericValues(d) as Float64Array;
    const cat = ob.categorySizes[k]!;
    const size = ob.sizes[k]!;
    const vs = new Array<SparseVector>(n);
    for (let i = 0; i < n; i++) {
      const valid = isValidAt(d, i);
      const v = x[i]!;
      let idx: number;
      if (valid && v >= 0 && v < cat && Number.isInteger(v)) idx = v;
      else if (ob.keepInvalid) idx = cat;
      else {
        const why = !valid ? 'is null' : (notAnIndex(v) ?? `holds the unseen value ${javaDoubleString(v)} (the model knows ${cat} categories)`);
        throw badRowError(ob.api, { row: i, what: `column ${name}`, why: `${why}; set handleInvalid to "keep" to encode invalid values` }, ctx.partition, ctx.rowBase);
      }
      vs[i] = idx < size ? new SparseVector(size, [idx], [1]) : new SparseVector(size, [], []);
    }
    return vectorStructColumn(vs);
  });
  const fields = ob.outputs.map((o) => new arrow.Field(o.name, Types.vectorStruct(), true, new Map(o.metadata)));
  return appendColumns(b, fields, cols);
});
