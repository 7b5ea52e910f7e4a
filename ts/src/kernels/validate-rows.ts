/**
 * Row checks for training data, validated once when a fit prepares its partitions (docs/
 * ARCHITECTURE.md, "Validate once"): the native kernel finds the first row of a row-major block
 * that a fit cannot use, and `explainRow` says why, so the error names the row and the reason.
 * `firstBadRowJs` / `firstBadWeightJs` are the JS reference twins (the scalar kernel's loops).
 */
import { native, type NativeKernels } from '../native.js';
import { expectFloat64Array, expectInteger } from '../validate.js';
import { Errors } from '../errors.js';

export interface RowChecks {
  /** The row's norm must be > 0 (the cosine distance is undefined for a zero vector). */
  nonZeroNorm?: boolean;
  /** The row's squared norm must not overflow to Infinity. */
  finiteNorm?: boolean;
}

function flagsOf(c: RowChecks): number {
  return (c.nonZeroNorm ? 1 : 0) | (c.finiteNorm ? 2 : 0);
}

function checkArgs(api: string, x: Float64Array, d: number): void {
  expectFloat64Array(api, 'x', x);
  expectInteger(api, 'd', d, 1);
  if (x.length % d !== 0) throw Errors.invalidArg(api, 'x', `a length that is a multiple of d = ${d}`, `${x.length} values`);
}

/** The first row of the n x d block `x` with a NaN/±Infinity value or failing a check, or -1. */
export function firstBadRow(x: Float64Array, d: number, checks: RowChecks = {}, impl: NativeKernels = native()): number {
  checkArgs('firstBadRow', x, d);
  return impl.firstBadRowF64(x, d, flagsOf(checks));
}

/** Raw entry point for code that has already checked the shapes (a fit's prepare task). */
export function firstBadRowRaw(x: Float64Array, d: number, checks: RowChecks): number {
  return native().firstBadRowF64(x, d, flagsOf(checks));
}

export function firstBadRowJs(x: Float64Array, d: number, checks: RowChecks = {}): number {
  checkArgs('firstBadRowJs', x, d);
  const n = x.length / d;
  for (let i = 0; i < n; i++) {
    let s = 0;
    let finite = true;
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t]!;
      finite = finite && v - v === 0;
      s += v * v;
    }
    if (!finite || (checks.nonZeroNorm && !(s > 0)) || (checks.finiteNorm && s === Infinity)) return i;
  }
  return -1;
}

/** Why row `i` of `x` fails (the message tail of a bad-row error). */
export function explainRow(x: Float64Array, d: number, i: number, checks: RowChecks): string {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = x[i * d + t]!;
    if (v - v !== 0) return `has a non-finite value (${v}) at index ${t}; features must be finite numbers`;
    s += v * v;
  }
  if (checks.nonZeroNorm && !(s > 0)) return 'is a zero vector, for which the cosine distance is undefined';
  if (checks.finiteNorm && s === Infinity) return 'has a squared norm that overflows to Infinity; rescale the features';
  return 'passes every check';
}

/** Raw entry point for code that has already checked the shape. */
export function firstBadWeightF64Raw(w: Float64Array): number {
  return native().firstBadWeightF64(w);
}

/** The first weight that is NaN, negative or +Infinity, or -1. */
export function firstBadWeight(w: Float64Array, impl: NativeKernels = native()): number {
  expectFloat64Array('firstBadWeight', 'w', w);
  return impl.firstBadWeightF64(w);
}

export function firstBadWeightJs(w: Float64Array): number {
  expectFloat64Array('firstBadWeightJs', 'w', w);
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (!(v >= 0) || v === Infinity) return i;
  }
  return -1;
}
