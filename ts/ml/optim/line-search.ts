/**
 * The line searches of Breeze's minimizers, over phi(t) = f(x + t·dir) (or OWL-QN's projected step):
 *   - `strongWolfe`: breeze/optimize/StrongWolfe.scala (StrongWolfeLineSearch, Nocedal & Wright
 *     p.58-60): c1 = 1e-4, c2 = 0.9, at most 10 trial steps growing by 1.5 and 10 zoom steps of
 *     safeguarded cubic interpolation; a NaN/infinite value halves the step. L-BFGS's search.
 *   - `backtracking`: breeze/optimize/BacktrackingLineSearch.scala with its defaults (Armijo
 *     c = 1e-4, Wolfe c = 0.9 enforced strongly, grow 2.1, at most 20 steps, step in [1e-10, 1e10]).
 *     OWL-QN's search; L-BFGS-B's (projected) search uses it with Armijo only.
 * Both throw `SearchFailure` where Breeze throws a FirstOrderException; the minimizer then resets
 * its history once, as Breeze's FirstOrderMinimizer.infiniteIterations does.
 */

/** phi(t): value and directional derivative at step t. */
export interface LinePoint {
  t: number;
  value: number;
  dd: number;
}
export type LineFunction = (t: number) => Promise<LinePoint>;

/** Breeze's FirstOrderException (line search failed, step size underflow, NaN history). */
export class SearchFailure extends Error {}

const C1 = 1e-4;
const C2 = 0.9;

/** Cubic interpolation of the minimum inside [l, r] (by t), kept within its middle 80%. */
function interp(l: LinePoint, r: LinePoint): number {
  const d1 = l.dd + r.dd - (3 * (l.value - r.value)) / (l.t - r.t);
  const d2 = Math.sqrt(d1 * d1 - l.dd * r.dd);
  const t = r.t - ((r.t - l.t) * (r.dd + d2 - d1)) / (r.dd - l.dd + 2 * d2);
  const lo = l.t + 0.1 * (r.t - l.t);
  const hi = l.t + 0.9 * (r.t - l.t);
  if (t < lo) return lo;
  if (t > hi) return hi;
  // NaN (no real cubic minimum): Breeze's match falls through to t; bisect instead of stepping to NaN
  return Number.isNaN(t) ? (l.t + r.t) / 2 : t;
}

export async function strongWolfe(phi: LineFunction, init: number, at0: LinePoint, maxZoomIter = 10, maxLineSearchIter = 10): Promise<LinePoint> {
  const f0 = at0.value;
  const dd0 = at0.dd;
  if (dd0 > 0) throw new SearchFailure(`line search invoked with a non-descent direction: ${dd0}`);

  const zoom = async (lInit: LinePoint, rInit: LinePoint): Promise<LinePoint> => {
    let low = lInit;
    let hi = rInit;
    for (let i = 0; i < maxZoomIter; i++) {
      const t = low.t > hi.t ? interp(hi, low) : interp(low, hi);
      const c = await phi(t);
      if (!Number.isFinite(c.value) || c.value > f0 + C1 * c.t * dd0 || c.value >= low.value) {
        hi = c;
      } else {
        if (Math.abs(c.dd) <= C2 * Math.abs(dd0)) return c;
        if (c.dd * (hi.t - low.t) >= 0) hi = low;
        low = c;
      }
    }
    throw new SearchFailure('line search zoom failed');
  };

  let t = init;
  let low = at0;
  for (let i = 0; i < maxLineSearchIter; i++) {
    const c = await phi(t);
    if (!Number.isFinite(c.value)) {
      t /= 2;
      continue;
    }
    if (c.value > f0 + C1 * t * dd0 || (c.value >= low.value && i > 0)) return zoom(low, c);
    if (Math.abs(c.dd) <= C2 * Math.abs(dd0)) return c;
    if (c.dd >= 0) return zoom(c, low);
    low = c;
    t *= 1.5;
  }
  throw new SearchFailure('line search failed');
}

export interface BacktrackingOptions {
  shrink: number;
  /** Enforce the (strong) Wolfe curvature conditions besides Armijo's (Breeze's default: true). */
  wolfe: boolean;
}

export async function backtracking(phi: LineFunction, init: number, at0: LinePoint, opts: BacktrackingOptions): Promise<LinePoint> {
  const maxIterations = 20;
  const grow = 2.1;
  const f0 = at0.value;
  const df0 = at0.dd;
  let c = await phi(init);
  for (let iter = 0; ; iter++) {
    let multiplier = 1;
    if (!Number.isFinite(c.value) || c.value > f0 + c.t * df0 * C1) multiplier = opts.shrink;
    else if (opts.wolfe && c.dd < C2 * df0) multiplier = grow;
    else if (opts.wolfe && c.dd > -C2 * df0) multiplier = opts.shrink;
    if (multiplier === 1) return c;
    const t = c.t * multiplier;
    if (iter >= maxIterations) throw new SearchFailure('line search failed');
    if (t < 1e-10) throw new SearchFailure('step size underflow');
    if (t > 1e10) throw new SearchFailure('step size overflow');
    c = await phi(t);
  }
}
