/**
 * The per-vector functions of the vector transformers, as Spark defines them (ml.feature
 * PolynomialExpansion, ElementwiseProduct, VectorSlicer → Vector.slice); pure, so the executor
 * task (vectors-tasks.ts) and the tests call the same code. Dense in → dense out, sparse in →
 * sparse out, as Spark.
 */
import { Errors } from '../../../src/errors.js';
import { DenseVector, SparseVector, type Vector } from '../../linalg/vectors.js';

/** C(n + k, k): the number of monomials of degree <= k in n variables (Spark's getPolySize). */
export function polySize(numFeatures: number, degree: number): number {
  let r = 1;
  for (let i = 1; i <= degree; i++) r = (r * (numFeatures + i)) / i;
  return Math.round(r);
}

/** The expansion's output size, C(n + degree, degree) - 1, refused beyond a vector's int size (as Spark's Int arithmetic). */
export function checkedPolySize(api: string, numFeatures: number, degree: number): number {
  const size = polySize(numFeatures, degree) - 1;
  if (!(size <= 2147483647)) throw Errors.outOfRange(api, 'expanded size', `at most 2147483647 (C(${numFeatures} + ${degree}, ${degree}) - 1 for ${numFeatures} features at degree ${degree})`, size);
  return size;
}

/**
 * Spark's PolynomialExpansion.expandDense: monomials of the last feature outermost, each power of
 * it (0..degree) times the expansion of the features before it; the constant 1 is dropped. Slot
 * positions advance by polySize even where a zero multiplier writes nothing.
 */
function expandDense(x: Float64Array, lastIdx: number, degree: number, multiplier: number, out: Float64Array, cur: number): number {
  if (multiplier === 0) {
    // nothing to write: the slots stay 0
  } else if (degree === 0 || lastIdx < 0) {
    if (cur >= 0) out[cur] = multiplier;
  } else {
    const v = x[lastIdx]!;
    let alpha = multiplier;
    let start = cur;
    for (let i = 0; i <= degree && alpha !== 0; i++, alpha *= v) start = expandDense(x, lastIdx - 1, degree - i, alpha, out, start);
  }
  return cur + polySize(lastIdx + 1, degree);
}

/** Spark's expandSparse: the same walk over the stored entries, skipping the features not stored. */
function expandSparse(ix: Int32Array, x: Float64Array, lastIdx: number, lastFeature: number, degree: number, multiplier: number, oi: number[], ov: number[], cur: number): number {
  if (multiplier === 0) {
    // nothing
  } else if (degree === 0 || lastIdx < 0) {
    if (cur >= 0) {
      oi.push(cur);
      ov.push(multiplier);
    }
  } else {
    const v = x[lastIdx]!;
    const prevFeature = ix[lastIdx]! - 1;
    let alpha = multiplier;
    let start = cur;
    for (let i = 0; i <= degree && alpha !== 0; i++, alpha *= v) start = expandSparse(ix, x, lastIdx - 1, prevFeature, degree - i, alpha, oi, ov, start);
  }
  return cur + polySize(lastFeature + 1, degree);
}

/** The degree-`degree` polynomial expansion of v, in Spark's order ([x, y] → [x, x², y, xy, y²]). */
export function polyExpand(v: Vector, degree: number): Vector {
  const size = checkedPolySize('PolynomialExpansion', v.size, degree);
  if (v instanceof SparseVector) {
    const oi: number[] = [];
    const ov: number[] = [];
    expandSparse(Int32Array.from(v.indices), Float64Array.from(v.values), v.indices.length - 1, v.size - 1, degree, 1, oi, ov, -1);
    return new SparseVector(size, oi, ov);
  }
  const out = new Float64Array(size);
  expandDense(v.toArray(), v.size - 1, degree, 1, out, -1);
  return new DenseVector(out);
}

/** Spark's ElementwiseProduct: v ∘ s (a sparse v keeps its stored indices). Sizes are checked by the caller. */
export function hadamard(v: Vector, s: Float64Array): Vector {
  if (v instanceof SparseVector) return new SparseVector(v.size, Int32Array.from(v.indices), Float64Array.from(v.values, (x, k) => x * s[v.indices[k]!]!));
  return new DenseVector(Float64Array.from(v.toArray(), (x, j) => x * s[j]!));
}

/** Spark's Vector.slice: the entries at `indices`, in that order (a sparse v keeps the stored ones, zeros included). */
export function sliceVector(v: Vector, indices: ArrayLike<number>): Vector {
  const m = indices.length;
  if (v instanceof SparseVector) {
    const pos = new Map<number, number>();
    v.indices.forEach((ix, k) => pos.set(ix, k));
    const oi: number[] = [];
    const ov: number[] = [];
    for (let j = 0; j < m; j++) {
      const k = pos.get(indices[j]!);
      if (k !== undefined) {
        oi.push(j);
        ov.push(v.values[k]!);
      }
    }
    return new SparseVector(m, oi, ov);
  }
  const x = v.toArray();
  return new DenseVector(Float64Array.from({ length: m }, (_, j) => x[indices[j]!]!));
}

/**
 * Spark's DCT (JTransforms' scaled DoubleDCT_1D): the orthonormal DCT-II,
 * X_k = s_k * sum_n x_n cos(pi (2n + 1) k / 2N) with s_0 = sqrt(1/N), s_k = sqrt(2/N); `inverse`
 * is its inverse, the scaled DCT-III. Always a dense vector of the input's size. Computed
 * directly (O(N^2)); the last bits can differ from JTransforms' FFT-based sums.
 */
export function dctVector(v: Vector, inverse: boolean): DenseVector {
  const x = v.toArray();
  const n = x.length;
  const y = new Float64Array(n);
  const s0 = Math.sqrt(1 / n);
  const sk = Math.sqrt(2 / n);
  for (let k = 0; k < n; k++) {
    let acc = 0;
    for (let j = 0; j < n; j++) {
      acc += inverse ? (j === 0 ? s0 : sk) * x[j]! * Math.cos((Math.PI * (2 * k + 1) * j) / (2 * n)) : x[j]! * Math.cos((Math.PI * (2 * j + 1) * k) / (2 * n));
    }
    y[k] = inverse ? acc : (k === 0 ? s0 : sk) * acc;
  }
  return new DenseVector(y);
}
