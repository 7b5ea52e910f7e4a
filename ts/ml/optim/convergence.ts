/**
 * Breeze's FirstOrderMinimizer.defaultConvergenceCheck (breeze/optimize/FirstOrderMinimizer.scala,
 * the check Spark's LBFGS/OWLQN are built with: `new LBFGS(maxIter, 10, tol)`), in order:
 *   1. max iterations: `iter >= maxIter`;
 *   2. function values: a history of the last `fvalMemory` (20) adjusted values, starting as
 *      [+Infinity]; converged when it holds >= 2 values and |value - max(history)| <= tol·|value at x0|
 *      (so, as in Breeze, not before the +Infinity has left the window);
 *   3. gradient: ‖adjusted gradient‖₂ <= max(tol·|value|, 1e-8);
 *   4. a line search that failed twice in a row.
 * L-BFGS-B adds Breeze LBFGSB's projected-step test first: ‖P(x - g) - x‖∞ <= 1e-5 (its
 * PROJ_GRADIENT_EPS), reported as 'gradient'.
 */

export type StopReason = 'gradient' | 'function values' | 'max iterations' | 'search failed';

/** Breeze's defaultConvergenceCheck fvalMemory. */
const FVAL_MEMORY = 20;
/** Breeze LBFGSB's PROJ_GRADIENT_EPS. */
export const PROJECTED_GRADIENT_EPS = 1e-5;

export class ConvergenceCheck {
  private readonly values: number[] = [Infinity];

  constructor(
    private readonly maxIter: number,
    private readonly tol: number,
    private readonly initialValue: number,
  ) {}

  /** Records the adjusted value of a completed iteration. */
  update(value: number): void {
    this.values.push(value);
    if (this.values.length > FVAL_MEMORY) this.values.shift();
  }

  /** The reason to stop at a state, or null. `projectedStep` is ‖P(x - g) - x‖∞ for bounded problems. */
  check(iter: number, value: number, gradNorm: number, searchFailed: boolean, projectedStep?: number): StopReason | null {
    if (projectedStep !== undefined && projectedStep <= PROJECTED_GRADIENT_EPS) return 'gradient';
    if (iter >= this.maxIter) return 'max iterations';
    if (this.values.length >= 2) {
      let max = -Infinity;
      for (const v of this.values) if (v > max) max = v;
      if (Math.abs(value - max) <= this.tol * Math.abs(this.initialValue)) return 'function values';
    }
    if (gradNorm <= Math.max(this.tol * Math.abs(value), 1e-8)) return 'gradient';
    if (searchFailed) return 'search failed';
    return null;
  }
}
