/**
 * The minimizers Spark's linear models fit with (Breeze's, as Spark calls them: LBFGS(maxIter,
 * m = 10, tol), OWLQN(maxIter, 10, l1 per coordinate, tol), LBFGSB(lower, upper, maxIter, 10, tol)):
 *   - the loop and its failure handling follow breeze/optimize/FirstOrderMinimizer.scala
 *     (infiniteIterations): each iteration picks a direction, line-searches, steps, updates the
 *     history; a failed search (or bad history) resets the history once and yields the same
 *     state again; a second failure in a row stops with 'search failed';
 *   - the stopping rules are convergence.ts (defaultConvergenceCheck);
 *   - L-BFGS: lbfgs.ts's two-loop direction, strong-Wolfe search from 1/‖dir‖ on the first
 *     iteration and 1 after (breeze LBFGS.determineStepSize), a step with t·‖g‖ < 1e-10 is a failure;
 *   - OWL-QN (`l1`): owlqn.ts; value and convergence use the adjusted (penalised) value and
 *     pseudo-gradient, the history the smooth gradient (breeze OWLQN.scala); backtracking search
 *     with shrink 0.1 from 0.5/‖g‖ on the first iteration, shrink 0.5 from 1 after;
 *   - bounds (`lower`/`upper`): lbfgsb.ts (projected L-BFGS; how it differs from Breeze there).
 * `objectiveHistory` is what Spark collects from the iterator: the (adjusted) value of every
 * state, the initial one first. Deterministic; no I/O.
 */
import { Errors, KindlingError } from '../../src/errors.js';
import { ConvergenceCheck, type StopReason } from './convergence.js';
import { InverseHessian, dot, norm2 } from './lbfgs.js';
import { backtracking, SearchFailure, strongWolfe, type LinePoint } from './line-search.js';
import { adjust, orthantDirection, orthantStep } from './owlqn.js';
import { fixedMask, project, projectedSearch, projectedStepNorm, type Evaluated } from './lbfgsb.js';

/** Writes the gradient into `grad` (same length as x) and returns the objective value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number | Promise<number>;

export interface MinimizeOptions {
  /** Spark's maxIter (iterations, not evaluations). */
  maxIter: number;
  /** Spark's tol, as Breeze's convergence checks use it. */
  tol: number;
  /** History size, default 10 (Spark passes 10). */
  m?: number;
  /** OWL-QN: L1 weight per coordinate (a Float64Array: OWL-QN even when all are 0, as Breeze's OWLQN), or one for every coordinate (a number; 0 = L-BFGS); absent = L-BFGS. */
  l1?: number | Float64Array;
  /** Box bounds: L-BFGS-B (Spark's LBFGSB when bounds on coefficients are set). */
  lower?: Float64Array;
  upper?: Float64Array;
  onIteration?: (iteration: number, value: number) => void;
}

export interface MinimizeResult {
  x: Float64Array;
  /** Objective at x (including the L1 term for OWL-QN, as Breeze's adjustedValue). */
  value: number;
  iterations: number;
  /** Spark's objectiveHistory: the value at the start and after each iteration. */
  objectiveHistory: number[];
  /** False when maxIter was reached (or the line search failed without progress). */
  converged: boolean;
  reason: StopReason;
}

const API = 'minimize';

interface State extends Evaluated {
  /** Adjusted (penalised) value and gradient: the same as value/grad without L1. */
  adjValue: number;
  adjGrad: Float64Array;
}

export async function minimize(f: Objective, x0: Float64Array, opts: MinimizeOptions): Promise<MinimizeResult> {
  const { n, l1, lower, upper, m } = checkOptions(x0, opts);
  const evaluate = async (x: Float64Array): Promise<Evaluated> => {
    const grad = new Float64Array(n);
    const value = await f(x, grad);
    if (typeof value !== 'number') throw Errors.invalidArg(API, 'the objective\'s return value', 'a number', value);
    if (Number.isFinite(value)) {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(grad[i]!)) throw new KindlingError('ERR_KINDLING_CONVERGENCE', `${API}: the objective's gradient is ${grad[i]} at coordinate ${i} (value ${value}); the fit cannot go on`);
      }
    }
    return { x, value, grad };
  };
  const toState = (e: Evaluated): State => {
    if (!l1) return { ...e, adjValue: e.value, adjGrad: e.grad };
    const a = adjust(e.x, e.grad, e.value, l1);
    return { ...e, adjValue: a.value, adjGrad: a.grad };
  };

  const start = Float64Array.from(x0);
  if (lower && upper) project(start, lower, upper);
  const first = await evaluate(start);
  if (!Number.isFinite(first.value)) throw new KindlingError('ERR_KINDLING_CONVERGENCE', `${API}: the objective is ${first.value} at the initial point; the fit cannot start`);
  let state = toState(first);
  const check = new ConvergenceCheck(opts.maxIter, opts.tol, state.adjValue);
  const history = new InverseHessian(m);
  const objectiveHistory = [state.adjValue];
  let iter = 0;
  let failedOnce = false;
  let searchFailed = false;
  const stopReason = (): StopReason | null => check.check(iter, state.adjValue, norm2(state.adjGrad), searchFailed, lower && upper ? projectedStepNorm(state.x, state.grad, lower, upper) : undefined);

  let reason = stopReason();
  while (reason === null) {
    try {
      const next = lower && upper ? await boundedStep(evaluate, state, history, iter, lower, upper) : l1 ? await owlqnStep(evaluate, toState, state, history, iter) : await lbfgsStep(evaluate, state, history, iter);
      history.update(sub(next.x, state.x), sub(next.grad, state.grad));
      state = toState(next);
      iter++;
      failedOnce = false;
      check.update(state.adjValue);
      opts.onIteration?.(iter, state.adjValue);
    } catch (err) {
      if (!(err instanceof SearchFailure)) throw err;
      if (!failedOnce) {
        failedOnce = true;
        history.reset();
      } else {
        searchFailed = true;
      }
    }
    objectiveHistory.push(state.adjValue);
    reason = stopReason();
  }
  const converged = reason === 'gradient' || reason === 'function values';
  return { x: state.x, value: state.adjValue, iterations: iter, objectiveHistory, converged, reason };
}

function sub(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

async function lbfgsStep(evaluate: (x: Float64Array) => Promise<Evaluated>, state: State, history: InverseHessian, iter: number): Promise<Evaluated> {
  const dir = history.direction(state.grad);
  let last: Evaluated | null = null;
  const phi = async (t: number): Promise<LinePoint> => {
    const x = new Float64Array(dir.length);
    for (let i = 0; i < x.length; i++) x[i] = state.x[i]! + t * dir[i]!;
    last = await evaluate(x);
    return { t, value: last.value, dd: dot(last.grad, dir) };
  };
  const at0 = { t: 0, value: state.value, dd: dot(state.grad, dir) };
  const got = await strongWolfe(phi, iter === 0 ? 1 / norm2(dir) : 1, at0);
  if (got.t * norm2(state.grad) < 1e-10) throw new SearchFailure('step size underflow');
  return last!;
}

async function owlqnStep(evaluate: (x: Float64Array) => Promise<Evaluated>, toState: (e: Evaluated) => State, state: State, history: InverseHessian, iter: number): Promise<Evaluated> {
  const dir = orthantDirection(history.direction(state.adjGrad), state.adjGrad);
  let last: Evaluated | null = null;
  const phi = async (t: number): Promise<LinePoint> => {
    last = await evaluate(orthantStep(state.x, dir, t, state.adjGrad));
    const s = toState(last);
    return { t, value: s.adjValue, dd: dot(s.adjGrad, dir) };
  };
  const at0 = { t: 0, value: state.adjValue, dd: dot(state.adjGrad, dir) };
  // Breeze's first step 0.5/‖g‖ (g the smooth gradient); 1 when g = 0 (only the L1 term pulls)
  const first = 0.5 / norm2(state.grad);
  await backtracking(phi, iter < 1 && Number.isFinite(first) ? first : 1, at0, { shrink: iter < 1 ? 0.1 : 0.5, wolfe: true });
  return last!;
}

async function boundedStep(evaluate: (x: Float64Array) => Promise<Evaluated>, state: State, history: InverseHessian, iter: number, lower: Float64Array, upper: Float64Array): Promise<Evaluated> {
  const mask = fixedMask(state.x, state.grad, lower, upper);
  let dir = history.direction(state.grad, mask);
  for (let i = 0; i < dir.length; i++) if (mask[i]) dir[i] = 0;
  if (!(dot(dir, state.grad) < 0)) {
    history.reset();
    dir = state.grad.map((g, i) => (mask[i] ? 0 : -g));
  }
  const size = norm2(dir);
  if (size === 0) throw new SearchFailure('no feasible descent direction');
  return projectedSearch(evaluate, state, dir, iter === 0 ? 1 / size : 1, lower, upper);
}

interface Checked {
  n: number;
  l1: Float64Array | null;
  lower: Float64Array | null;
  upper: Float64Array | null;
  m: number;
}

function checkOptions(x0: Float64Array, opts: MinimizeOptions): Checked {
  if (!(x0 instanceof Float64Array) || x0.length === 0) throw Errors.invalidArg(API, 'x0', 'a non-empty Float64Array', x0);
  const n = x0.length;
  for (let i = 0; i < n; i++) if (!Number.isFinite(x0[i]!)) throw Errors.invalidArg(API, `x0[${i}]`, 'a finite number', x0[i]);
  if (opts === null || typeof opts !== 'object') throw Errors.invalidArg(API, 'opts', 'an options object', opts);
  if (!Number.isInteger(opts.maxIter) || opts.maxIter < 0) throw Errors.invalidArg(API, 'maxIter', 'an integer >= 0', opts.maxIter);
  if (typeof opts.tol !== 'number' || !Number.isFinite(opts.tol) || opts.tol < 0) throw Errors.invalidArg(API, 'tol', 'a finite number >= 0', opts.tol);
  const m = opts.m ?? 10;
  if (!Number.isInteger(m) || m < 1) throw Errors.invalidArg(API, 'm', 'an integer >= 1', opts.m);
  let l1: Float64Array | null = null;
  if (opts.l1 !== undefined) {
    if (typeof opts.l1 === 'number') {
      if (!Number.isFinite(opts.l1) || opts.l1 < 0) throw Errors.invalidArg(API, 'l1', 'a finite number >= 0', opts.l1);
      if (opts.l1 > 0) l1 = new Float64Array(n).fill(opts.l1);
    } else if (opts.l1 instanceof Float64Array) {
      if (opts.l1.length !== n) throw Errors.invalidArg(API, 'l1', `${n} weights (one per coordinate of x0)`, `${opts.l1.length} weights`);
      opts.l1.forEach((w, i) => {
        if (!Number.isFinite(w) || w < 0) throw Errors.invalidArg(API, `l1[${i}]`, 'a finite number >= 0', w);
      });
      // a weight per coordinate is Breeze's OWLQN(l1 per coordinate), even where every weight is 0 (Spark's LinearSVC)
      l1 = opts.l1;
    } else throw Errors.invalidArg(API, 'l1', 'a number or a Float64Array', opts.l1);
  }
  const bound = (name: 'lower' | 'upper', fill: number): Float64Array | null => {
    const b = opts[name];
    if (b === undefined) return null;
    if (!(b instanceof Float64Array) || b.length !== n) throw Errors.invalidArg(API, name, `a Float64Array of ${n} bounds (one per coordinate of x0)`, b);
    b.forEach((v, i) => {
      if (Number.isNaN(v) || v === fill) throw Errors.invalidArg(API, `${name}[${i}]`, `a number (not NaN or ${fill})`, v);
    });
    return b;
  };
  let lower = bound('lower', Infinity);
  let upper = bound('upper', -Infinity);
  if (lower || upper) {
    if (l1) throw Errors.invalidArg(API, 'l1', 'no L1 weight when lower/upper bounds are set (Spark fits bounds with L-BFGS-B and L2 only)', opts.l1);
    lower ??= new Float64Array(n).fill(-Infinity);
    upper ??= new Float64Array(n).fill(Infinity);
    for (let i = 0; i < n; i++) if (lower[i]! > upper[i]!) throw Errors.invalidArg(API, `lower[${i}]`, `a bound <= upper[${i}] = ${upper[i]}`, lower[i]);
  }
  if (opts.onIteration !== undefined && typeof opts.onIteration !== 'function') throw Errors.invalidArg(API, 'onIteration', 'a function', opts.onIteration);
  return { n, l1, lower, upper, m };
}
