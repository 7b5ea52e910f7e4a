/**
 * FeatureHasher's executor task (feature-hasher.ts has the rules; docs/formats/SPARK_DEFINITIONS.md
 * §1): per partition, each categorical column's "col=value" strings are packed once and hashed
 * with the native MurmurHash3_x86_32 batch (seed 42); numeric columns use the index of their
 * name's hash, computed once on the driver. Entries of one row that land on the same index are
 * summed (a row has at most one entry per input column, kept in flat arrays); nulls are skipped.
 */
import * as arrow from 'apache-arrow';
import { isValidAt, makeBatch, type AnyData } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues, resolveIndex } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineTask } from '../../../src/exec/task.js';
import { murmur3Batch, nonNegativeMod, packStrings, SPARK_HASH_SEED } from '../../../src/kernels/hash.js';
import { vectorStructColumn } from '../../linalg/columns.js';
import { SparseVector } from '../../linalg/vectors.js';
import { categoryStrings } from './categorical-tasks.js';

/** A numeric column (index = hash of its name) or a categorical one (index = hash of "col=value"). */
export type HashedInput = { name: string; numeric: true; index: number } | { name: string; numeric: false };

export interface HashBroadcast {
  api: string;
  inputs: HashedInput[];
  numFeatures: number;
  outputCol: string;
  /** The output field's metadata (Spark's AttributeGroup with num_attrs = numFeatures). */
  metadata: Array<[string, string]>;
}

export const featureHash = defineTask<arrow.RecordBatch, HashBroadcast, arrow.RecordBatch>('feature.featureHash', (b, hb) => {
  const n = b.numRows;
  const m = hb.inputs.length;
  // row i's entries are idx/val[i*m, i*m + cnt[i]): at most one per input column
  const idx = new Int32Array(n * m);
  const val = new Float64Array(n * m);
  const cnt = new Int32Array(n);
  const add = (i: number, j: number, v: number) => {
    const o = i * m;
    for (let k = o; k < o + cnt[i]!; k++) {
      if (idx[k] === j) {
        val[k] += v;
        return;
      }
    }
    idx[o + cnt[i]!] = j;
    val[o + cnt[i]!] = v;
    cnt[i]!++;
  };
  for (const inp of hb.inputs) {
    const d = b.data.children[resolveIndex(hb.api, inp.name, b.schema)]! as AnyData;
    if (inp.numeric) {
      const x = numericValues(castColumn(hb.api, d, Types.double())) as Float64Array;
      for (let i = 0; i < n; i++) if (isValidAt(d, i)) add(i, inp.index, x[i]!);
      continue;
    }
    const get = categoryStrings(hb.api, d);
    const which: number[] = [];
    const terms: string[] = [];
    const prefix = `${inp.name}=`;
    for (let i = 0; i < n; i++) {
      const s = get(i);
      if (s === null) continue;
      which.push(i);
      terms.push(prefix + s);
    }
    const hashes = murmur3Batch(packStrings(terms), SPARK_HASH_SEED);
    for (let k = 0; k < which.length; k++) add(which[k]!, nonNegativeMod(hashes[k]!, hb.numFeatures), 1);
  }
  const vectors = new Array<SparseVector>(n);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const c = cnt[i]!;
    // insertion sort of the row's few entries by index
    for (let a = o + 1; a < o + c; a++) {
      const j = idx[a]!;
      const v = val[a]!;
      let p = a - 1;
      for (; p >= o && idx[p]! > j; p--) {
        idx[p + 1] = idx[p]!;
        val[p + 1] = val[p]!;
      }
      idx[p + 1] = j;
      val[p + 1] = v;
    }
    vectors[i] = new SparseVector(hb.numFeatures, idx.subarray(o, o + c), val.subarray(o, o + c));
  }
  const field = new arrow.Field(hb.outputCol, Types.vectorStruct(), true, new Map(hb.metadata));
  return makeBatch(new arrow.Schema([...b.schema.fields, field]), [...(b.data.children as AnyData[]), vectorStructColumn(vectors)], n);
});
