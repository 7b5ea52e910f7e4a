/**
 * VectorAssembler's executor task (vector-assembler.ts has the rules): `vectorAssemble` reads a
 * partition's input columns once and appends the assembled vector column — dense when every
 * input has a known size, else Spark's VectorUDT struct in its compressed form — dropping
 * ('skip') or failing on ('error') rows with a null or NaN input. A failing row is named over
 * the whole DataFrame when the stage knows where its partition starts (TaskContext.rowBase).
 */
import * as arrow from 'apache-arrow';
import { isValidAt, makeBatch, takeData, type AnyData } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineTask, type TaskContext } from '../../../src/exec/task.js';
import { badRowError } from '../../data/predictions.js';
import { denseVectorColumn, isDenseVectorType, vectorStructColumn } from '../../linalg/columns.js';
import { DenseVector, SparseVector, type Vector } from '../../linalg/vectors.js';
import type { ParamValue } from '../../param/params.js';
import type { VectorAssemblerParams } from '../feature-params.js';

/** Spark's handleInvalid of VectorAssembler. */
export type HandleInvalid = ParamValue<VectorAssemblerParams['handleInvalid']>;

/** How one input column is read. */
export type InputKind =
  | { kind: 'number'; name: string; index: number; isDouble: boolean }
  | { kind: 'dense'; name: string; index: number; dim: number }
  | { kind: 'struct'; name: string; index: number; /** The size from the column's ML attributes, when known. */ dim?: number };

export interface AssembleBroadcast {
  api: string;
  kinds: InputKind[];
  mode: HandleInvalid;
  outputCol: string;
  /** The output's size when dense (every input a number or a dense vector), else -1 (VectorUDT struct). */
  dim: number;
}

export const vectorAssemble = defineTask<arrow.RecordBatch, AssembleBroadcast, arrow.RecordBatch>('feature.vectorAssemble', (batch, b, ctx) => assembleBatch(batch, b, ctx));

interface ReadInput {
  k: InputKind;
  data: AnyData;
  /** Doubles of a number column (valid rows). */
  x?: Float64Array;
  /** Row-major values of a dense vector column. */
  dense?: Float64Array;
}

function readInputs(api: string, b: arrow.RecordBatch, kinds: InputKind[]): ReadInput[] {
  return kinds.map((k) => {
    const data = b.data.children[k.index]! as AnyData;
    if (k.kind === 'number') {
      const d = k.isDouble ? data : castColumn(api, data, Types.double());
      return { k, data, x: numericValues(d) as Float64Array };
    }
    if (k.kind === 'dense') return { k, data, dense: data.children[0]!.values as Float64Array };
    return { k, data };
  });
}

/** Assembles one partition: returns the input columns (rows dropped by 'skip') plus the output column. */
export function assembleBatch(b: arrow.RecordBatch, a: AssembleBroadcast, ctx: TaskContext): arrow.RecordBatch {
  const { api, kinds, mode } = a;
  const outSchema = new arrow.Schema([...b.schema.fields, new arrow.Field(a.outputCol, a.dim >= 0 ? Types.vector(a.dim) : Types.vectorStruct(), true)]);
  const n = b.numRows;
  const inputs = readInputs(api, b, kinds);
  // Rows to keep: all of them, except invalid ones under 'skip'; 'error' fails on the first.
  let keep: Int32Array | null = null;
  if (mode !== 'keep') {
    const sel = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      let ok = true;
      for (const inp of inputs) {
        const isNull = !isValidAt(inp.data, i);
        const isNaN = !isNull && inp.x !== undefined && Number.isNaN(inp.x[i]!);
        if (isNull || isNaN) {
          if (mode === 'error') {
            throw badRowError(api, { row: i, what: `column ${inp.k.name}`, why: `is ${isNull ? 'null' : 'NaN'}; handleInvalid = "error" fails on nulls and NaN (set handleInvalid to "skip" to drop such rows or "keep" to output NaN)` }, ctx.partition, ctx.rowBase);
          }
          ok = false;
          break;
        }
      }
      if (ok) sel[m++] = i;
    }
    if (m < n) keep = sel.subarray(0, m);
  }
  const rows = keep ? keep.length : n;
  const rowAt = (r: number) => (keep ? keep[r]! : r);
  const outField = outSchema.fields[outSchema.fields.length - 1]!;
  let outCol: AnyData;
  if (isDenseVectorType(outField.type)) {
    const dim = outField.type.listSize;
    const values = new Float64Array(rows * dim);
    for (let r = 0; r < rows; r++) {
      const i = rowAt(r);
      let o = r * dim;
      for (const inp of inputs) {
        if (inp.k.kind === 'number') values[o++] = isValidAt(inp.data, i) ? inp.x![i]! : NaN;
        else {
          const d = (inp.k as { dim: number }).dim;
          if (isValidAt(inp.data, i)) values.set(inp.dense!.subarray(i * d, (i + 1) * d), o);
          else values.fill(NaN, o, o + d);
          o += d;
        }
      }
    }
    outCol = denseVectorColumn(values, dim);
  } else {
    const vectors: Vector[] = new Array(rows);
    const idx: number[] = [];
    const vals: number[] = [];
    for (let r = 0; r < rows; r++) {
      const i = rowAt(r);
      idx.length = 0;
      vals.length = 0;
      let base = 0;
      for (const inp of inputs) {
        const valid = isValidAt(inp.data, i);
        if (inp.k.kind === 'number') {
          const v = valid ? inp.x![i]! : NaN;
          if (v !== 0) {
            idx.push(base);
            vals.push(v);
          }
          base += 1;
        } else if (inp.k.kind === 'dense') {
          const d = inp.k.dim;
          for (let j = 0; j < d; j++) {
            const v = valid ? inp.dense![i * d + j]! : NaN;
            if (v !== 0) {
              idx.push(base + j);
              vals.push(v);
            }
          }
          base += d;
        } else if (!valid) {
          // only under 'keep' (the other modes dropped or failed), whose struct inputs have a known size
          const d = inp.k.dim!;
          for (let j = 0; j < d; j++) {
            idx.push(base + j);
            vals.push(NaN);
          }
          base += d;
        } else {
          base += foreachStructNonZero(inp.data, i, base, idx, vals);
        }
      }
      const nnz = vals.length; // every stored value is != 0 (NaN included, as Spark's numNonzeros)
      const sparse = new SparseVector(base, idx, vals);
      vectors[r] = 1.5 * (nnz + 1.0) < base ? sparse : new DenseVector(sparse.toArray());
    }
    outCol = vectorStructColumn(vectors);
  }
  const cols = b.schema.fields.map((_, j) => {
    const d = b.data.children[j]! as AnyData;
    return keep ? takeData(d, keep) : d;
  });
  return makeBatch(outSchema, [...cols, outCol], rows);
}

/** Appends the non-zero entries of struct vector row i, shifted by `base`; returns the vector's size. */
function foreachStructNonZero(d: AnyData, i: number, base: number, idx: number[], vals: number[]): number {
  const [ty, sz, ix, vl] = d.children as AnyData[];
  const vOff = vl!.valueOffsets as Int32Array;
  const vData = vl!.children[0]!.values as Float64Array;
  if ((ty!.values as Int8Array)[i] === 1) {
    const n = vOff[i + 1]! - vOff[i]!;
    for (let j = 0; j < n; j++) {
      const v = vData[vOff[i]! + j]!;
      if (v !== 0) {
        idx.push(base + j);
        vals.push(v);
      }
    }
    return n;
  }
  const iOff = ix!.valueOffsets as Int32Array;
  const iData = ix!.children[0]!.values as Int32Array;
  for (let k = iOff[i]!, p = vOff[i]!; k < iOff[i + 1]!; k++, p++) {
    const v = vData[p]!;
    if (v !== 0) {
      idx.push(base + iData[k]!);
      vals.push(v);
    }
  }
  return (sz!.values as Int32Array)[i]!;
}
