/**
 * Grouped aggregation over dense int32 group codes in [0, numGroups): per group count, sum,
 * min and max of the valid values, as one interleaved Float64Array of 4 slots per group (the
 * layout the native kernel updates with one 256-bit load/store per row). A mergeable partition
 * summary: `groupAggZero`, `groupAggAdd`, `groupAggMerge`. NaN rules follow Spark: sum and count
 * include NaN, min skips NaN unless all values are NaN, max is NaN once a NaN is seen.
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';
import { expectFloat64Array, expectInt32Array, expectInteger, expectLength, isValid, validityArgs, type Validity } from '../validate.js';

export const GROUP_SLOT = 4;

export interface GroupAggState {
  numGroups: number;
  /** [count, sum, min, max] per group; min starts NaN ("no value yet"), max starts -Infinity. */
  acc: Float64Array;
}

export interface GroupAggResult {
  count: Float64Array;
  sum: Float64Array;
  /** NaN for an all-NaN group; null-equivalent groups (count 0) hold NaN too: check count. */
  min: Float64Array;
  max: Float64Array;
}

/** An empty state for `numGroups` groups (native allocation: large tables get huge pages). */
export function groupAggZero(numGroups: number, impl: NativeKernels = native()): GroupAggState {
  expectInteger('groupAggZero', 'numGroups', numGroups, 0, 2 ** 27);
  return { numGroups, acc: impl.groupAggInitF64(numGroups) };
}

function checkAddArgs(api: string, state: GroupAggState, keys: Int32Array, values: Float64Array, validity: Validity | null | undefined) {
  expectInt32Array(api, 'keys', keys);
  expectFloat64Array(api, 'values', values);
  expectLength(api, 'values', values, keys.length);
  if (!state || !(state.acc instanceof Float64Array) || state.acc.length !== state.numGroups * GROUP_SLOT) {
    throw Errors.invalidArg(api, 'state', 'a GroupAggState from groupAggZero', state);
  }
  return validityArgs(api, validity, keys.length);
}

function badKey(api: string, keys: Int32Array, row: number, numGroups: number): Error {
  return Errors.badRow(api, 'keys', row, `holds group code ${keys[row]}, outside [0, ${numGroups})`);
}

/** Folds one partition into `state` (in place) and returns it. */
export function groupAggAdd(state: GroupAggState, keys: Int32Array, values: Float64Array, validity?: Validity | null, impl: NativeKernels = native()): GroupAggState {
  const api = 'groupAgg';
  const [bitmap, offset] = checkAddArgs(api, state, keys, values, validity);
  let bad: number;
  try {
    bad = impl.groupAggF64(keys, values, bitmap, offset, state.numGroups, state.acc);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  if (bad >= 0) throw badKey(api, keys, bad, state.numGroups);
  return state;
}

/** Merges b into a (in place) and returns a. Associative; a zero state is the identity. */
export function groupAggMerge(a: GroupAggState, b: GroupAggState): GroupAggState {
  if (a.numGroups !== b.numGroups) throw Errors.outOfRange('groupAggMerge', 'b.numGroups', `${a.numGroups}`, b.numGroups);
  const x = a.acc;
  const y = b.acc;
  for (let o = 0; o < x.length; o += GROUP_SLOT) {
    x[o] += y[o]!;
    x[o + 1] += y[o + 1]!;
    const amin = x[o + 2]!;
    const bmin = y[o + 2]!;
    x[o + 2] = amin !== amin ? bmin : bmin !== bmin ? amin : Math.min(amin, bmin);
    const amax = x[o + 3]!;
    const bmax = y[o + 3]!;
    x[o + 3] = amax !== amax || bmax !== bmax ? NaN : Math.max(amax, bmax);
  }
  return a;
}

/** Splits the interleaved accumulator into columns. */
export function groupAggResult(state: GroupAggState): GroupAggResult {
  const n = state.numGroups;
  const r: GroupAggResult = { count: new Float64Array(n), sum: new Float64Array(n), min: new Float64Array(n), max: new Float64Array(n) };
  for (let g = 0; g < n; g++) {
    const o = g * GROUP_SLOT;
    r.count[g] = state.acc[o]!;
    r.sum[g] = state.acc[o + 1]!;
    r.min[g] = state.acc[o + 2]!;
    r.max[g] = r.count[g] === 0 ? NaN : state.acc[o + 3]!;
  }
  return r;
}

/** JS reference: the same row-order fold as the scalar kernel (bit-identical results). */
export function groupAggAddJs(state: GroupAggState, keys: Int32Array, values: Float64Array, validity?: Validity | null): GroupAggState {
  const api = 'groupAggJs';
  checkAddArgs(api, state, keys, values, validity);
  const acc = state.acc;
  const ng = state.numGroups;
  for (let i = 0; i < keys.length; i++) {
    if (validity && !isValid(validity, i)) continue;
    const g = keys[i]!;
    if (g < 0 || g >= ng) throw badKey(api, keys, i, ng);
    const v = values[i]!;
    const o = g * GROUP_SLOT;
    acc[o] += 1;
    acc[o + 1] += v;
    if (v !== v) {
      acc[o + 3] = v;
    } else {
      const mn = acc[o + 2]!;
      acc[o + 2] = mn < v ? mn : v;
      const mx = acc[o + 3]!;
      acc[o + 3] = v > mx ? v : mx;
    }
  }
  return state;
}
