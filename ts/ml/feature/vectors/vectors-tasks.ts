/**
 * The executor tasks of the vector transformers (vector-transformers.ts, interaction.ts have the
 * rules): `vectorMap` appends f(vector) per row (PolynomialExpansion, ElementwiseProduct,
 * VectorSlicer), `vectorSizeHint` checks or filters sizes, `interaction` multiplies the
 * encoded inputs. A dense (FixedSizeList) input gives a dense output column; Spark's VectorUDT
 * struct input gives a struct output. A bad row is named over the whole DataFrame (badRowError).
 */
import * as arrow from 'apache-arrow';
import { isValidAt, makeBatch, takeData, type AnyData } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { defineTask } from '../../../src/exec/task.js';
import { badRowError } from '../../data/predictions.js';
import { columnOf } from '../../data/checked-summary.js';
import { denseVectorColumn, isDenseVectorType, vectorAt, vectorColumn } from '../../linalg/columns.js';
import { SparseVector, type Vector } from '../../linalg/vectors.js';
import { dctVector, hadamard, polyExpand, sliceVector } from './vectors-ops.js';

/** What `vectorMap` does to each vector. */
export type VectorOp = { kind: 'poly'; degree: number } | { kind: 'hadamard'; scaling: Float64Array } | { kind: 'slice'; indices: number[] } | { kind: 'dct'; inverse: boolean };

export interface VectorMapBroadcast {
  api: string;
  inputCol: string;
  outputCol: string;
  op: VectorOp;
  /** The output size when the input column is dense (FixedSizeList), else -1. */
  outDim: number;
}

/** The op on one vector; a vector the op cannot take is a row error (`why`), not a crash. */
function applyOp(v: Vector, op: VectorOp): Vector | string {
  switch (op.kind) {
    case 'poly':
      return polyExpand(v, op.degree);
    case 'hadamard':
      if (v.size !== op.scaling.length) return `has size ${v.size}: vector sizes do not match: Expected ${op.scaling.length} but found ${v.size} (scalingVec has size ${op.scaling.length})`;
      return hadamard(v, op.scaling);
    case 'dct':
      return dctVector(v, op.inverse);
    case 'slice': {
      const bad = op.indices.find((i) => i >= v.size);
      if (bad !== undefined) return `has size ${v.size}: Selected feature index ${bad} invalid for only ${v.size} input features`;
      return sliceVector(v, op.indices);
    }
  }
}

function appended(b: arrow.RecordBatch, name: string, col: AnyData, keep: Int32Array | null = null): arrow.RecordBatch {
  const schema = new arrow.Schema([...b.schema.fields, new arrow.Field(name, col.type, true)]);
  const cols = (b.data.children as AnyData[]).map((d) => (keep ? takeData(d, keep) : d));
  return makeBatch(schema, [...cols, col], keep ? keep.length : b.numRows);
}

export const vectorMap = defineTask<arrow.RecordBatch, VectorMapBroadcast, arrow.RecordBatch>('feature.vectorMap', (b, m, ctx) => {
  const col = columnOf(b, m.inputCol);
  const n = b.numRows;
  const out: Vector[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = vectorAt(col, i);
    if (v === null) throw badRowError(m.api, { row: i, what: `column ${m.inputCol}`, why: 'is null' }, ctx.partition, ctx.rowBase);
    const r = applyOp(v, m.op);
    if (typeof r === 'string') throw badRowError(m.api, { row: i, what: `column ${m.inputCol}`, why: r }, ctx.partition, ctx.rowBase);
    out[i] = r;
  }
  let outCol: AnyData;
  if (m.outDim >= 0 && isDenseVectorType(col.type)) {
    const values = new Float64Array(n * m.outDim);
    out.forEach((v, i) => values.set(v.toArray(), i * m.outDim));
    outCol = denseVectorColumn(values, m.outDim);
  } else {
    outCol = vectorColumn(out, 'struct');
  }
  return appended(b, m.outputCol, outCol);
});

export interface SizeHintBroadcast {
  api: string;
  inputCol: string;
  size: number;
  handleInvalid: 'error' | 'skip' | 'optimistic';
}

/** Spark's VectorSizeHint.transform: 'error' fails on a null or wrong-size vector, 'skip' drops such rows, 'optimistic' keeps all. */
export const vectorSizeHint = defineTask<arrow.RecordBatch, SizeHintBroadcast, arrow.RecordBatch>('feature.vectorSizeHint', (b, h, ctx) => {
  if (h.handleInvalid === 'optimistic') return b;
  const col = columnOf(b, h.inputCol);
  const n = b.numRows;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = vectorAt(col, i);
    const why = v === null ? "is null: Got null vector in VectorSizeHint, set `handleInvalid` to 'skip' to filter invalid rows." : v.size !== h.size ? `has size ${v.size}: VectorSizeHint Expecting a vector of size ${h.size} but got ${v.size}` : null;
    if (why === null) keep.push(i);
    else if (h.handleInvalid === 'error') throw badRowError(h.api, { row: i, what: `column ${h.inputCol}`, why }, ctx.partition, ctx.rowBase);
  }
  if (keep.length === n) return b;
  const sel = Int32Array.from(keep);
  return makeBatch(b.schema, (b.data.children as AnyData[]).map((d) => takeData(d, sel)), sel.length);
});

/** How Interaction encodes one input (Spark's FeatureEncoder): a number (`numVals` 1: its value; > 1: one-hot of a nominal index), or a vector (`slots`: per entry 1 or a nominal size; null: all 1 of the row's size). */
export type InteractionInput = { kind: 'number'; name: string; numVals: number } | { kind: 'vector'; name: string; slots: number[] | null };

export interface InteractionBroadcast {
  api: string;
  inputs: InteractionInput[];
  outputCol: string;
}

/** Calls f(i, a) for each output of the encoder: Spark's FeatureEncoder.foreachNonzeroOutput. */
function encode(inp: InteractionInput, d: AnyData, x: Float64Array | null, row: number, f: (i: number, a: number) => void): number | string {
  if (inp.kind === 'number') {
    const v = x![row]!;
    if (inp.numVals > 1) {
      if (!(v >= 0 && Number.isInteger(v) && v < inp.numVals)) return `is ${v}: Values from column must be indices, but got ${v} (the column is nominal with ${inp.numVals} values)`;
      f(v, 1);
    } else {
      f(0, v);
    }
    return inp.numVals;
  }
  const v = vectorAt(d, row)!;
  const slots = inp.slots ?? new Array<number>(v.size).fill(1);
  if (slots.length !== v.size) return `has size ${v.size}, but its attributes name ${slots.length} features`;
  const offsets = new Array<number>(slots.length + 1);
  offsets[0] = 0;
  for (let j = 0; j < slots.length; j++) offsets[j + 1] = offsets[j]! + slots[j]!;
  let bad: string | null = null;
  v.foreachNonZero((j, a) => {
    if (slots[j]! > 1) {
      if (!(a >= 0 && Number.isInteger(a) && a < slots[j]!)) bad ??= `has ${a} at index ${j}: Values from column must be indices, but got ${a}`;
      else f(offsets[j]! + a, 1);
    } else {
      f(offsets[j]!, a);
    }
  });
  return bad ?? offsets[slots.length]!;
}

/** Spark's Interaction: the product of every combination of one output per input, the first input most significant; the result `compressed`. */
export const interaction = defineTask<arrow.RecordBatch, InteractionBroadcast, arrow.RecordBatch>('feature.interaction', (b, it, ctx) => {
  const n = b.numRows;
  const cols = it.inputs.map((inp) => columnOf(b, inp.name));
  const xs = it.inputs.map((inp, k) => (inp.kind === 'number' ? (numericValues(castColumn(it.api, cols[k]!, Types.double())) as Float64Array) : null));
  const out: Vector[] = new Array(n);
  for (let row = 0; row < n; row++) {
    let indices = [0];
    let values = [1];
    let size = 1;
    for (let k = it.inputs.length - 1; k >= 0; k--) {
      const inp = it.inputs[k]!;
      const fail = (why: string) => badRowError(it.api, { row, what: `column ${inp.name}`, why }, ctx.partition, ctx.rowBase);
      if (!isValidAt(cols[k]!, row)) throw fail('is null: Values to interact cannot be null.');
      const prevI = indices;
      const prevV = values;
      const prevSize = size;
      indices = [];
      values = [];
      const r = encode(inp, cols[k]!, xs[k]!, row, (i, a) => {
        for (let j = 0; j < prevI.length; j++) {
          indices.push(prevI[j]! + i * prevSize);
          values.push(prevV[j]! * a);
        }
      });
      if (typeof r === 'string') throw fail(r);
      size *= r;
      if (size > 2147483647) throw fail(`makes the interaction's size ${size}, beyond a vector's 2147483647 entries`);
    }
    out[row] = new SparseVector(size, indices, values).compressed;
  }
  return appended(b, it.outputCol, vectorColumn(out, 'struct'));
});
