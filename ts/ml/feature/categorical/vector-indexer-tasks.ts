/**
 * VectorIndexer's executor code (vector-indexer.ts has the rules): `vectorIndexerStats`, the
 * fit's summary of each feature's distinct values, capped at maxCategories + 1 (Spark's
 * CategoryStats: once a feature has more, it is continuous and collects no more), and
 * `vectorIndexerTransform`, which maps each categorical feature's value to its category index.
 */
import * as arrow from 'apache-arrow';
import { makeBatch, takeData, type AnyData } from '../../../src/dataframe/batch.js';
import { defineTask } from '../../../src/exec/task.js';
import { javaDoubleString } from '../../../src/io/text-common/java-format.js';
import { batchSummary, columnOf, vectorRowsOf, type RowMajor } from '../../data/checked-summary.js';
import { badRowError } from '../../data/predictions.js';
import { denseVectorColumn, isDenseVectorType, vectorAt, vectorStructColumn } from '../../linalg/columns.js';
import { DenseVector, SparseVector, type Vector } from '../../linalg/vectors.js';

export interface IndexerStatsBroadcast {
  inputCol: string;
  maxCategories: number;
}

/** How a vector whose size differs from the earlier rows' is reported. */
export function indexerSizeMismatch(size: number, dim: number): { what: string; why: string } {
  return { what: 'the input vector column', why: `has size ${size}, but earlier rows have size ${dim} (VectorIndexer expects one size)` };
}

/** Adds the values (NaN is not a category) to a feature's distinct values while it has at most `cap`. */
function addValues(set: number[], values: Iterable<number>, cap: number): number[] {
  const seen = new Set(set);
  for (const v of values) {
    if (seen.size > cap) break;
    if (!Number.isNaN(v)) seen.add(v);
  }
  return [...seen];
}

/** Distinct values per feature (each capped at maxCategories + 1); NaN is not a category. */
export const vectorIndexerStats = batchSummary<number[][], RowMajor, IndexerStatsBroadcast>(
  'feature.vectorIndexerStats',
  {
    zero: () => [],
    add: (s, rows, b) => {
      const { x, n, d } = rows;
      const out = s.length > 0 ? s : Array.from({ length: Math.max(d, 0) }, () => [] as number[]);
      return out.map((set, j) => addValues(set, (function* () {
        for (let i = 0; i < n; i++) yield x[i * d + j]!;
      })(), b.maxCategories));
    },
    merge: (a, b) => {
      if (a.length === 0) return b;
      if (b.length === 0) return a;
      // once a feature has more than maxCategories values it is continuous: the union's size only needs to exceed it
      return a.map((set, j) => addValues(set, b[j]!, Number.POSITIVE_INFINITY));
    },
  },
  (batch, b) => {
    const rows = vectorRowsOf(batch, b.inputCol, { what: `column ${b.inputCol}`, isNull: 'is null; VectorIndexer fits on vectors', sizeMismatch: indexerSizeMismatch });
    return { part: rows, size: rows.d };
  },
);

export interface IndexerTransformBroadcast {
  api: string;
  inputCol: string;
  outputCol: string;
  numFeatures: number;
  mode: 'skip' | 'error' | 'keep';
  /** Categorical features, ascending, with their values and indices. */
  features: number[];
  values: number[][];
  indices: number[][];
  metadata: Array<[string, string]>;
}

export const vectorIndexerTransform = defineTask<arrow.RecordBatch, IndexerTransformBroadcast, arrow.RecordBatch>('feature.vectorIndexerTransform', (b, ib, ctx) => {
  const col = columnOf(b, ib.inputCol);
  const maps = ib.features.map((_, k) => new Map(ib.values[k]!.map((v, i) => [v, ib.indices[k]![i]!])));
  const catOf = new Map(ib.features.map((f, k) => [f, k]));
  const n = b.numRows;
  const keep: number[] = [];
  const out: Array<Vector | null> = [];
  const fail = (i: number, why: string) => {
    throw badRowError(ib.api, { row: i, what: `column ${ib.inputCol}`, why }, ctx.partition, ctx.rowBase);
  };
  const mapValue = (i: number, j: number, v: number): number | null => {
    const k = catOf.get(j)!;
    const idx = maps[k]!.get(v);
    if (idx !== undefined) return idx;
    if (ib.mode === 'error') fail(i, `holds the invalid value ${javaDoubleString(v)} on feature index ${j} (VectorIndexer encountered invalid value; to handle or skip invalid values, set handleInvalid to "keep" or "skip")`);
    return ib.mode === 'keep' ? maps[k]!.size : null;
  };
  for (let i = 0; i < n; i++) {
    const v = vectorAt(col, i);
    if (v === null) {
      if (ib.mode === 'error') fail(i, 'is null (set handleInvalid to "skip" to drop such rows)');
      if (ib.mode === 'keep') {
        keep.push(i);
        out.push(null);
      }
      continue;
    }
    if (v.size !== ib.numFeatures) fail(i, `has size ${v.size}, but VectorIndexerModel expected vectors of length ${ib.numFeatures}`);
    let ok = true;
    let y: Vector;
    if (v instanceof SparseVector) {
      // only stored entries are mapped (Spark: a categorical value 0 always has index 0)
      const values = Float64Array.from(v.values);
      for (let k = 0; k < v.indices.length && ok; k++) {
        if (!catOf.has(v.indices[k]!)) continue;
        const m = mapValue(i, v.indices[k]!, values[k]!);
        if (m === null) ok = false;
        else values[k] = m;
      }
      y = new SparseVector(v.size, Int32Array.from(v.indices), values);
    } else {
      const values = Float64Array.from((v as DenseVector).values);
      for (const j of ib.features) {
        const m = mapValue(i, j, values[j]!);
        if (m === null) {
          ok = false;
          break;
        }
        values[j] = m;
      }
      y = new DenseVector(values);
    }
    if (!ok) continue;
    keep.push(i);
    out.push(y);
  }
  let outCol: AnyData;
  if (isDenseVectorType(col.type)) {
    // a dense input column gives a dense output column of the same size (null rows stay null under 'keep')
    const d = ib.numFeatures;
    const values = new Float64Array(out.length * d);
    out.forEach((v, r) => {
      if (v) values.set(v.toArray(), r * d);
    });
    outCol = denseVectorColumn(values, d, out.map((v) => v !== null));
  } else outCol = vectorStructColumn(out);
  const ins = (b.data.children as AnyData[]).map((d) => (keep.length < n ? takeData(d, Int32Array.from(keep)) : d));
  const field = new arrow.Field(ib.outputCol, outCol.type, true, new Map(ib.metadata));
  return makeBatch(new arrow.Schema([...b.schema.fields, field]), [...ins, outCol], keep.length);
});
