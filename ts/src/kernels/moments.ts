/**
 * One-pass column moments: a mergeable partition summary (count, NaN count, sum, mean, M2, min,
 * max). Nulls (validity bit 0) are skipped as Spark's aggregates skip them; NaN values count,
 * propagate into sum/mean/M2 and follow Spark's ordering in min/max (NaN is larger than every
 * number) — see `sparkMin` / `sparkMax`.
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';
import { expectNumericArray, isValid, validityArgs, type NumericArray, type Validity } from '../validate.js';

export interface Moments {
  /** Valid (non-null) rows, NaN included. */
  count: number;
  nanCount: number;
  sum: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
  /** Smallest non-NaN value (+Infinity when there is none). */
  min: number;
  /** Largest non-NaN value (-Infinity when there is none). */
  max: number;
}

/** Rows are folded in blocks of this size (block mean first, then block M2): see native types.h. */
export const MOMENTS_BLOCK = 512;

export function zeroMoments(): Moments {
  return { count: 0, nanCount: 0, sum: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
}

function fromOut(out: Float64Array): Moments {
  return { count: out[0]!, nanCount: out[1]!, sum: out[2]!, mean: out[3]!, m2: out[4]!, min: out[5]!, max: out[6]! };
}

/** Moments of the valid rows of `values` (native kernel on the active SIMD tier). */
export function moments(values: NumericArray, validity?: Validity | null, impl: NativeKernels = native()): Moments {
  const api = 'moments';
  expectNumericArray(api, 'values', values);
  const [bitmap, offset] = validityArgs(api, validity, values.length);
  const out = new Float64Array(7);
  try {
    if (values instanceof Float64Array) impl.momentsF64(values, bitmap, offset, out);
    else if (values instanceof Float32Array) impl.momentsF32(values, bitmap, offset, out);
    else impl.momentsI32(values, bitmap, offset, out);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  return fromOut(out);
}

/** Chan et al. merge: associative, with `zeroMoments()` as identity. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  const r: Moments = {
    count: a.count,
    nanCount: a.nanCount + b.nanCount,
    sum: a.sum + b.sum,
    mean: a.mean,
    m2: a.m2,
    min: b.min < a.min ? b.min : a.min,
    max: b.max > a.max ? b.max : a.max,
  };
  if (b.count === 0) return r;
  if (a.count === 0) return { ...r, count: b.count, mean: b.mean, m2: b.m2 };
  const n = a.count + b.count;
  const delta = b.mean - a.mean;
  r.count = n;
  r.mean = a.mean + delta * (b.count / n);
  r.m2 = a.m2 + b.m2 + delta * delta * ((a.count * b.count) / n);
  return r;
}

/** Sample variance (n - 1), Spark's `variance`/`var_samp`; null when count < 2. */
export function sampleVariance(m: Moments): number | null {
  return m.count < 2 ? null : m.m2 / (m.count - 1);
}

/** Population variance (n), Spark's `var_pop`; null when count is 0. */
export function populationVariance(m: Moments): number | null {
  return m.count === 0 ? null : m.m2 / m.count;
}

/** Spark's min: NaN only when every value is NaN; null when there are no values. */
export function sparkMin(m: Moments): number | null {
  if (m.count === 0) return null;
  return m.count === m.nanCount ? NaN : m.min;
}

/** Spark's max: NaN as soon as one value is NaN; null when there are no values. */
export function sparkMax(m: Moments): number | null {
  if (m.count === 0) return null;
  return m.nanCount > 0 ? NaN : m.max;
}

/**
 * JS reference (the test oracle and pure-JS baseline): the scalar kernel's algorithm. Per block of
 * MOMENTS_BLOCK rows: the sum of x - k (k = the block's first valid finite value, else 0), count,
 * NaNs, min and max; mean = k + that sum / count; then M2 around the block mean; Chan merges.
 */
export function momentsJs(values: NumericArray, validity?: Validity | null): Moments {
  const s = zeroMoments();
  const n = values.length;
  for (let b = 0; b < n; b += MOMENTS_BLOCK) {
    const e = Math.min(b + MOMENTS_BLOCK, n);
    let k = 0;
    for (let i = b; i < e; i++) {
      const v = values[i]!;
      if ((!validity || isValid(validity, i)) && v - v === 0) {
        k = v;
        break;
      }
    }
    let cnt = 0;
    let shifted = 0;
    let nans = 0;
    for (let i = b; i < e; i++) {
      if (validity && !isValid(validity, i)) continue;
      const v = values[i]!;
      cnt++;
      shifted += v - k;
      if (v !== v) {
        nans++;
        continue;
      }
      if (v < s.min) s.min = v;
      if (v > s.max) s.max = v;
    }
    if (cnt === 0) continue;
    const sum = cnt * k + shifted;
    const mean = k + shifted / cnt;
    let m2 = 0;
    for (let i = b; i < e; i++) {
      if (validity && !isValid(validity, i)) continue;
      const dv = values[i]! - mean;
      m2 += dv * dv;
    }
    const merged = mergeMoments(s, { count: cnt, nanCount: nans, sum, mean, m2, min: Infinity, max: -Infinity });
    Object.assign(s, merged);
  }
  return s;
}
