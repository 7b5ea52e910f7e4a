/**
 * Spark's JSON of Vector and Matrix param values in saved metadata (JsonVectorConverter /
 * JsonMatrixConverter): ElementwiseProduct's scalingVec, LogisticRegression's bounds.
 */
import { Errors } from '../../src/errors.js';
import { DenseMatrix, SparseMatrix, type Matrix } from './matrices.js';
import { SparseVector, Vectors, type Vector } from './vectors.js';

/** Spark's JSON of a Matrix param value (JsonMatrixConverter.toJson). */
export function matrixJsonValue(m: Matrix): unknown {
  if (m instanceof SparseMatrix) {
    return { class: 'matrix', type: 0, numRows: m.numRows, numCols: m.numCols, colPtrs: Int32Array.from(m.colPtrs), rowIndices: Int32Array.from(m.rowIndices), values: Float64Array.from(m.values), isTransposed: m.isTransposed };
  }
  return { class: 'matrix', type: 1, numRows: m.numRows, numCols: m.numCols, values: Float64Array.from(m.values), isTransposed: m.isTransposed };
}

/** Spark's JSON of a Vector param value (JsonVectorConverter.toJson). */
export function vectorJsonValue(v: Vector): unknown {
  if (v instanceof SparseVector) return { type: 0, size: v.size, indices: Int32Array.from(v.indices), values: Float64Array.from(v.values) };
  return { type: 1, values: Float64Array.from(v.toArray()) };
}

export function matrixFromJsonValue(api: string, name: string, raw: unknown): Matrix {
  const o = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown> | null;
  const nums = (v: unknown) => (Array.isArray(v) ? v.map(Number) : []);
  if (o === null || typeof o !== 'object' || typeof o.numRows !== 'number' || typeof o.numCols !== 'number') throw Errors.load(`${api}: param ${name} is not a matrix JSON value: ${JSON.stringify(raw)}`);
  const t = Boolean(o.isTransposed);
  if (Number(o.type) === 0) return new SparseMatrix(o.numRows, o.numCols, nums(o.colPtrs), nums(o.rowIndices), nums(o.values), t);
  return new DenseMatrix(o.numRows, o.numCols, nums(o.values), t);
}

export function vectorFromJsonValue(api: string, name: string, raw: unknown): Vector {
  if (typeof raw === 'string') return Vectors.fromJson(raw);
  if (raw === null || typeof raw !== 'object') throw Errors.load(`${api}: param ${name} is not a vector JSON value: ${JSON.stringify(raw)}`);
  return Vectors.fromJson(JSON.stringify(raw));
}
