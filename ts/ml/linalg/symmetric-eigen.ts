/**
 * The eigen-decomposition of a small symmetric matrix on the driver (PCA's d x d covariance),
 * by the cyclic Jacobi method (Golub & Van Loan, Matrix Computations, §8.5): rotations zero the
 * off-diagonal entries sweep by sweep until their sum of squares is below 1e-30 of the matrix's
 * (at most 100 sweeps; convergence is quadratic, a few sweeps in practice). Exact to a few ulps
 * of the largest eigenvalue, with orthonormal eigenvectors; O(d^3) per sweep, so meant for the
 * d of feature vectors (up to a few thousand), as Spark's PCA (which caps d at 65535).
 */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Eigenvectors as the columns of a d x d column-major matrix, in `values` order. */
  vectors: Float64Array;
}

/** `a`: d x d symmetric, row- or column-major (the same); not modified. */
export function symmetricEigen(a: Float64Array, d: number): SymmetricEigen {
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let total = 0;
  for (let i = 0; i < d * d; i++) total += m[i]! * m[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! * m[p * d + q]!;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (apq === 0) continue;
        const theta = (m[q * d + q]! - m[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // columns p and q of m
          const mkp = m[k * d + p]!;
          const mkq = m[k * d + q]!;
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          // rows p and q of m
          const mpk = m[p * d + k]!;
          const mqk = m[q * d + k]!;
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          // columns p and q of v (column-major: v[col * d + row])
          const vkp = v[p * d + k]!;
          const vkq = v[q * d + k]!;
          v[p * d + k] = c * vkp - s * vkq;
          v[q * d + k] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[j * d + j]! - m[i * d + i]! || i - j);
  const values = Float64Array.from(order, (i) => m[i * d + i]!);
  const vectors = new Float64Array(d * d);
  order.forEach((i, col) => vectors.set(v.subarray(i * d, (i + 1) * d), col * d));
  return { values, vectors };
}
