/**
 * Box bounds for L-BFGS (Spark's LBFGSB, used when lower/upper bounds on coefficients are set).
 * Breeze's LBFGSB (breeze/optimize/LBFGSB.scala; Byrd, Lu, Nocedal & Zhu 1995) finds the
 * generalised Cauchy point along the projected-gradient path and minimises the quadratic model on
 * the free variables. This is the simpler projected L-BFGS: variables at a bound whose gradient
 * points out of the box are fixed; the two-loop direction is taken on the free ones; the step
 * x(t) = P(x + t·d) is accepted by a projected Armijo backtracking test
 * f(x(t)) <= f(x) + 1e-4·g·(x(t) - x). Both stop at the same KKT point (Breeze's projected-step
 * test ‖P(x - g) - x‖∞ <= 1e-5 is the shared criterion), by different paths.
 */
import { SearchFailure } from './line-search.js';

export function project(x: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(upper[i]!, Math.max(lower[i]!, x[i]!));
  return x;
}

/** 1 where the variable sits at a bound and the gradient pushes it outward. */
export function fixedMask(x: Float64Array, g: Float64Array, lower: Float64Array, upper: Float64Array): Uint8Array {
  const mask = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) mask[i] = (x[i]! <= lower[i]! && g[i]! > 0) || (x[i]! >= upper[i]! && g[i]! < 0) ? 1 : 0;
  return mask;
}

/** ‖P(x - g) - x‖∞. */
export function projectedStepNorm(x: Float64Array, g: Float64Array, lower: Float64Array, upper: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const p = Math.min(upper[i]!, Math.max(lower[i]!, x[i]! - g[i]!));
    m = Math.max(m, Math.abs(p - x[i]!));
  }
  return m;
}

export interface Evaluated {
  x: Float64Array;
  value: number;
  grad: Float64Array;
}

/** Projected Armijo backtracking from step `init`, halving at most 30 times. */
export async function projectedSearch(
  evaluate: (x: Float64Array) => Promise<Evaluated>,
  at: Evaluated,
  dir: Float64Array,
  init: number,
  lower: Float64Array,
  upper: Float64Array,
): Promise<Evaluated> {
  let t = init;
  for (let i = 0; i < 30; i++, t /= 2) {
    const xt = new Float64Array(at.x.length);
    let decrease = 0;
    for (let j = 0; j < xt.length; j++) {
      xt[j] = Math.min(upper[j]!, Math.max(lower[j]!, at.x[j]! + t * dir[j]!));
      decrease += at.grad[j]! * (xt[j]! - at.x[j]!);
    }
    if (decrease >= 0) break;
    const e = await evaluate(xt);
    if (Number.isFinite(e.value) && e.value <= at.value + 1e-4 * decrease) return e;
  }
  throw new SearchFailure('projected line search failed');
}
