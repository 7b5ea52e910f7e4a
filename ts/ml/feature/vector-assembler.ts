/**
 * VectorAssembler (Spark's ml.feature.VectorAssembler): concatenates numeric, boolean and
 * vector columns into one vector column, in `inputCols` order.
 *
 *   - numeric and boolean columns contribute one entry each (cast to double; true → 1.0),
 *     vector columns their `size` entries;
 *   - handleInvalid (default 'error') governs nulls and NaN, as Spark:
 *       'error': a null input, or NaN in a numeric column, fails naming the column and row
 *                (row numbers count from 0 over the whole DataFrame in partition order);
 *       'skip':  such rows are dropped (Spark's na.drop over the input columns);
 *       'keep':  NaN is kept, a null number becomes NaN and a null vector `size` NaNs (its size
 *                must be known from the column type: a dense FixedSizeList column; Spark needs
 *                VectorSizeHint metadata for the same reason and fails the same way without it).
 *     NaN inside an input vector is not checked (Spark passes it through).
 *   - output: a dense FixedSizeList<Float64>[d] column when every input is a number, a
 *     boolean or a dense FixedSizeList vector column (the values are the ones Spark computes);
 *     otherwise Spark's VectorUDT struct column with each row in Spark's `compressed` form
 *     (sparse when 1.5 * (nnz + 1) < size, else dense).
 *   - the output column defaults to `<uid>__output`, as Spark's HasOutputCol.
 * The transformation is lazy: each partition is assembled when the result is first computed.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, makeBatch, takeData, type AnyData } from '../../src/dataframe/batch.js';
import { DataFrame } from '../../src/dataframe/dataframe.js';
import { castColumn, numericValues, resolveIndex } from '../../src/dataframe/eval.js';
import type { Plan } from '../../src/dataframe/plan.js';
import { isNumericType, isVectorType, sparkTypeName, Types } from '../../src/dataframe/types.js';
import { denseVectorColumn, isDenseVectorType, vectorStructColumn } from '../linalg/columns.js';
import { DenseVector, SparseVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamValue } from '../param/params.js';
import { Transformer } from '../stage.js';
import { register } from '../persist.js';
import { VectorAssemblerParamsMixin, type VectorAssemblerParams, type VectorAssemblerParamsOptions } from './feature-params.js';

export type HandleInvalid = ParamValue<VectorAssemblerParams['handleInvalid']>;

export type VectorAssemblerOptions = VectorAssemblerParamsOptions;

/** How one input column is read. */
type InputKind =
  | { kind: 'number'; name: string; index: number; isDouble: boolean }
  | { kind: 'dense'; name: string; index: number; dim: number }
  | { kind: 'struct'; name: string; index: number };

/** Persisted as Spark's DefaultParamsWriter does (metadata only). */
export class VectorAssembler extends MLWritable(VectorAssemblerParamsMixin(Transformer)) {
  constructor(options?: VectorAssemblerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  private inputs(schema: arrow.Schema): InputKind[] {
    const api = this.stageName;
    const unsupported: string[] = [];
    const kinds = this.getInputCols().map((name): InputKind => {
      const index = resolveIndex(api, name, schema);
      const t = schema.fields[index]!.type;
      if (isNumericType(t) || arrow.DataType.isBool(t)) return { kind: 'number', name, index, isDouble: arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE };
      if (isDenseVectorType(t)) return { kind: 'dense', name, index, dim: t.listSize };
      if (isVectorType(t)) return { kind: 'struct', name, index };
      unsupported.push(`Data type ${sparkTypeName(t)} of column ${name} is not supported.`);
      return { kind: 'number', name, index, isDouble: false };
    });
    if (unsupported.length > 0) throw Errors.schema(`${api}: ${unsupported.join(' ')} (VectorAssembler takes numeric, boolean and vector columns)`);
    return kinds;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const kinds = this.inputs(schema);
    const out = this.getOutputCol();
    if (schema.fields.some((f) => f.name.toLowerCase() === out.toLowerCase())) throw Errors.schema(`${this.stageName}: Output column ${out} already exists.`);
    const dense = kinds.every((k) => k.kind !== 'struct');
    const dim = kinds.reduce((s, k) => s + (k.kind === 'dense' ? k.dim : 1), 0);
    return new arrow.Schema([...schema.fields, new arrow.Field(out, dense ? Types.vector(dim) : Types.vectorStruct(), true)]);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    const outSchema = this.transformSchema(df.schema);
    const kinds = this.inputs(df.schema);
    const mode = this.getHandleInvalid();
    if (mode === 'keep') {
      const unknown = kinds.filter((k) => k.kind === 'struct').map((k) => k.name);
      if (unknown.length > 0) {
        throw Errors.schema(
          `${api}: Can not infer column lengths with handleInvalid = "keep" for the VectorUDT struct column(s) [${unknown.join(', ')}]; ` +
            'a null vector there would need its size: use dense (FixedSizeList) vector columns, or handleInvalid "error" or "skip"',
        );
      }
    }
    const compute = async (): Promise<arrow.RecordBatch[]> => {
      const parts = await df.partitions();
      const out: arrow.RecordBatch[] = [];
      let rowBase = 0;
      for (const b of parts) {
        out.push(assembleBatch(api, b, kinds, mode, outSchema, rowBase));
        rowBase += b.numRows;
      }
      return out;
    };
    const plan: Plan = { op: 'cache', child: { op: 'memory', schema: outSchema, partitions: [] }, state: { compute } };
    return new DataFrame(df.session, plan);
  }
}

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
export function assembleBatch(api: string, b: arrow.RecordBatch, kinds: InputKind[], mode: HandleInvalid, outSchema: arrow.Schema, rowBase: number): arrow.RecordBatch {
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
            throw Errors.badRow(api, `column ${inp.k.name}`, rowBase + i, `is ${isNull ? 'null' : 'NaN'}; handleInvalid = "error" fails on nulls and NaN (set handleInvalid to "skip" to drop such rows or "keep" to output NaN)`);
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
        } else {
          // struct vectors are never null here ('keep' refuses struct inputs, the other modes dropped or failed)
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

register('org.apache.spark.ml.feature.VectorAssembler', VectorAssembler);
