/**
 * L-BFGS's approximate inverse Hessian (breeze/optimize/LBFGS.scala, ApproximateInverseHessian):
 * the last m steps s and gradient changes y, newest first, and the two-loop recursion with the
 * initial scaling s·y / y·y of the newest pair. As Breeze, a newest pair with s·y < 0 or NaN is a
 * failure (NaNHistory), which makes the minimizer reset the history.
 */
import { SearchFailure } from './line-search.js';

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

export class InverseHessian {
  private steps: Float64Array[] = [];
  private gradDeltas: Float64Array[] = [];

  constructor(private readonly m: number) {}

  get length(): number {
    return this.steps.length;
  }

  reset(): void {
    this.steps = [];
    this.gradDeltas = [];
  }

  /** Adds the pair (s, y) as the newest, dropping the oldest beyond m. */
  update(step: Float64Array, gradDelta: Float64Array): void {
    this.steps.unshift(step);
    this.gradDeltas.unshift(gradDelta);
    if (this.steps.length > this.m) {
      this.steps.pop();
      this.gradDeltas.pop();
    }
  }

  /** -H·g (a descent direction), into a new array. `mask` (optional) zeroes coordinates (L-BFGS-B's fixed variables) in every vector used. */
  direction(grad: Float64Array, mask?: Uint8Array): Float64Array {
    const n = this.steps.length;
    const masked = (v: Float64Array): Float64Array => {
      if (!mask) return v;
      const out = Float64Array.from(v);
      for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = 0;
      return out;
    };
    const s = this.steps.map(masked);
    const y = this.gradDeltas.map(masked);
    const dir = masked(Float64Array.from(grad));
    let diag = 1;
    if (n > 0) {
      const sy = dot(s[0]!, y[0]!);
      const yy = dot(y[0]!, y[0]!);
      if (sy < 0 || Number.isNaN(sy)) throw new SearchFailure('NaN history');
      diag = sy / yy;
    }
    const as = new Float64Array(n);
    const rho = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      rho[i] = dot(s[i]!, y[i]!);
      as[i] = dot(s[i]!, dir) / rho[i]!;
      if (Number.isNaN(as[i]!)) throw new SearchFailure('NaN history');
      axpy(-as[i]!, y[i]!, dir);
    }
    for (let j = 0; j < dir.length; j++) dir[j] = dir[j]! * diag;
    for (let i = n - 1; i >= 0; i--) {
      const beta = dot(y[i]!, dir) / rho[i]!;
      axpy(as[i]! - beta, s[i]!, dir);
    }
    for (let j = 0; j < dir.length; j++) dir[j] = -dir[j]!;
    return dir;
  }
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + a * x[i]!;
}
