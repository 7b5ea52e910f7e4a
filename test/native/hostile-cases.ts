// The table of hostile calls of every raw addon export and native handle method, used by
// test/native/hostile.test.ts through hostile-run.ts. Each entry has a legal baseline call with
// its exact result; the sweep (hostile-run.ts) replaces one argument at a time with hostile
// values, and `extra` holds hand-written cases (size products that wrap, mismatched lengths,
// bad offsets, handle misuse, empty inputs with their exact results, the guard itself).
export type Fn = (...args: unknown[]) => unknown;
export type Target = Record<string, Fn>;

/**
 * What a case must do: throw exactly this; return exactly this (rendered); throw a coded argument
 * error (TypeError or RangeError, ERR_KINDLING_INVALID_ARG, message starting `<fn>: `); or either
 * that or return.
 */
export type Expect =
  | { error: 'TypeError' | 'RangeError' | 'Error'; code: string | null; message: RegExp }
  | { value: unknown }
  | { argError: true; orReturn?: true };

export interface Case {
  id: string;
  /** The export (or handle method) name that error messages must start with. */
  fn: string;
  run: (a: Target) => unknown;
  expect: Expect;
}

export interface Entry {
  /** The name messages start with (defaults to the table key). */
  fn?: string;
  call?: (a: Target, args: unknown[]) => unknown;
  args: (a: Target) => unknown[];
  /** The baseline call's rendered return value. */
  result: unknown;
  /** Positions where null / undefined is legal (optional arrays). */
  optional?: number[];
  /** Hostile values that are legal at a position (checked to return, not to throw). */
  legal?: Record<number, unknown[]>;
  extra?: (a: Target) => Case[];
}

const f64 = (...v: number[]) => new Float64Array(v);
const i32 = (...v: number[]) => new Int32Array(v);
const u8 = (...v: number[]) => new Uint8Array(v);
const valid3 = () => u8(0b111);
const str = (s: string[]) => {
  const bytes = new TextEncoder().encode(s.join(''));
  const offsets = new Int32Array(s.length + 1);
  s.forEach((x, i) => (offsets[i + 1] = offsets[i]! + new TextEncoder().encode(x).length));
  return { bytes, offsets };
};
export const argErr = (fn: string, message: RegExp, error: 'TypeError' | 'RangeError' = 'RangeError'): Expect => ({
  error, code: 'ERR_KINDLING_INVALID_ARG', message: new RegExp(`^${fn.replace('.', '\\.')}: ${message.source}`),
});
const onKeyTable = (m: string) => (a: Target, args: unknown[]) => {
  const t = a.keyTableNew!('i32', 1) as Record<string, Fn>;
  return t[m]!(...args);
};
const onJoinTable = (m: string) => (a: Target, args: unknown[]) => {
  const t = a.joinTableNew!('i32', 1) as Record<string, Fn>;
  if (m !== 'build') t.build!(i32(1, 2), null, null, 0);
  return t[m]!(...args);
};

function momentsEntry(fn: string, x: () => ArrayBufferView): Entry {
  return {
    args: () => [x(), valid3(), 0, new Float64Array(7)], result: undefined, optional: [1],
    extra: () => [
      { id: `${fn}#empty`, fn, run: (a) => { const out = new Float64Array(7); a[fn]!(new (x().constructor as Int32ArrayConstructor)(0), null, 0, out); return out; }, expect: { value: { Float64Array: [0, 0, 0, 0, 0, 'Infinity', '-Infinity'] } } },
      { id: `${fn}#out-too-short`, fn, run: (a) => a[fn]!(x(), null, 0, new Float64Array(6)), expect: argErr(fn, /expected length 7 for out, got 6/) },
      { id: `${fn}#bitmap-too-short`, fn, run: (a) => a[fn]!(x(), valid3(), 6, new Float64Array(7)), expect: argErr(fn, /validity bitmap too short for 3 rows at bit offset 6/) },
      { id: `${fn}#huge-bit-offset`, fn, run: (a) => a[fn]!(x(), valid3(), 2 ** 53 - 1, new Float64Array(7)), expect: argErr(fn, /validity bitmap too short for 3 rows at bit offset 9007199254740991/) },
    ],
  };
}

function murmurColEntry(fn: string, x: () => ArrayBufferView): Entry {
  return {
    args: () => [x(), valid3(), 0, new Int32Array(3)], result: undefined, optional: [1],
    extra: () => [
      { id: `${fn}#hashes-mismatch`, fn, run: (a) => a[fn]!(x(), null, 0, new Int32Array(4)), expect: argErr(fn, /expected length 3 for hashes, got 4/) },
    ],
  };
}

function argsortEntry(fn: string, x: () => ArrayBufferView): Entry {
  return {
    args: () => [x(), valid3(), 0, false, true, null], result: { Int32Array: [1, 2, 0] }, optional: [1, 5],
    extra: () => [
      { id: `${fn}#empty`, fn, run: (a) => a[fn]!(new (x().constructor as Int32ArrayConstructor)(0), null, 0, false, true, null), expect: { value: { Int32Array: [] } } },
      { id: `${fn}#perm-out-of-range`, fn, run: (a) => a[fn]!(x(), null, 0, false, true, i32(0, 3)), expect: argErr(fn, /row 1 of perm holds 3, outside \[0, 3\)/) },
      { id: `${fn}#perm-negative`, fn, run: (a) => a[fn]!(x(), null, 0, false, true, i32(-1)), expect: argErr(fn, /row 0 of perm holds -1, outside \[0, 3\)/) },
    ],
  };
}

const groupIds = (codes: number[], firstRow: number[]) => ({ codes: { Int32Array: codes }, firstRow: { Int32Array: firstRow } });

function hashGroupEntry(fn: string, x: () => ArrayBufferView): Entry {
  return {
    args: () => [x(), valid3(), 0], result: groupIds([0, 1, 0], [0, 1]), optional: [1],
    extra: () => [
      { id: `${fn}#empty`, fn, run: (a) => a[fn]!(new (x().constructor as Int32ArrayConstructor)(0), null, 0), expect: { value: groupIds([], []) } },
    ],
  };
}

// kmeans / pairwise shapes whose k * d wraps to 0 in 64 bits (2^31 * 2^33 = 2^64): before the
// checked product this passed the centers length check and aborted in the allocation.
const WRAP_K = 2 ** 31;
const WRAP_D = 2 ** 33;

export const ENTRIES: Record<string, Entry> = {
  simdLevel: { args: () => [], result: 'active' },
  capabilities: { args: () => [], result: 'active' },
  _variants: { args: () => [], result: 'active' },
  momentsF64: momentsEntry('momentsF64', () => f64(1, 2, 4)),
  momentsF32: momentsEntry('momentsF32', () => new Float32Array([1, 2, 4])),
  momentsI32: momentsEntry('momentsI32', () => i32(1, 2, 4)),
  groupAggF64: {
    args: (a) => [i32(0, 1, 0), f64(1, 2, 4), valid3(), 0, 2, a.groupAggInitF64!(2)], result: -1, optional: [2],
    extra: () => [
      { id: 'groupAggF64#values-mismatch', fn: 'groupAggF64', run: (a) => a.groupAggF64!(i32(0, 1, 0), f64(1, 2), null, 0, 2, a.groupAggInitF64!(2)), expect: argErr('groupAggF64', /expected length 3 for values, got 2/) },
      { id: 'groupAggF64#acc-mismatch', fn: 'groupAggF64', run: (a) => a.groupAggF64!(i32(0), f64(1), null, 0, 2 ** 53 - 1, a.groupAggInitF64!(2)), expect: argErr('groupAggF64', /expected length 36028797018963964 for acc, got 8/) },
      { id: 'groupAggF64#empty', fn: 'groupAggF64', run: (a) => a.groupAggF64!(i32(), f64(), null, 0, 0, f64()), expect: { value: -1 } },
    ],
  },
  groupAggInitF64: {
    args: () => [1], result: { Float64Array: [0, 0, 'NaN', '-Infinity'] }, // [count, sum, min, max] (groupby.h)
    extra: () => [
      { id: 'groupAggInitF64#zero', fn: 'groupAggInitF64', run: (a) => a.groupAggInitF64!(0), expect: { value: { Float64Array: [] } } },
      { id: 'groupAggInitF64#too-many', fn: 'groupAggInitF64', run: (a) => a.groupAggInitF64!(2 ** 27 + 1), expect: argErr('groupAggInitF64', /numGroups must be at most 2\^27/) },
    ],
  },
  _streamSumF64: {
    args: () => [f64(1, 2, 4)], result: 7,
    extra: () => [{ id: '_streamSumF64#empty', fn: '_streamSumF64', run: (a) => a._streamSumF64!(f64()), expect: { value: 0 } }],
  },
  _nativeThrow: {
    args: () => ['other'], result: 'error',
    extra: () => (['bad_alloc', 'length_error', 'other'] as const).map((k) => ({
      id: `_nativeThrow#${k}`, fn: '_nativeThrow', run: (a: Target) => a._nativeThrow!(k),
      expect: { error: 'Error' as const, code: 'ERR_KINDLING_NATIVE', message: { bad_alloc: /^_nativeThrow: out of memory \(std::bad_alloc\)$/, length_error: /^_nativeThrow: vector::reserve$/, other: /^_nativeThrow: unknown native exception$/ }[k] },
    })),
  },
  murmur3Batch: murmurBatchEntry('murmur3Batch'),
  murmur3LegacyBatch: murmurBatchEntry('murmur3LegacyBatch'),
  pairwiseF64: {
    args: () => [f64(0, 0, 1, 1), 2, f64(0, 0, 1, 1), 2, 0, new Float64Array(4)], result: -1,
    extra: () => [
      { id: 'pairwiseF64#k*d-wraps', fn: 'pairwiseF64', run: (a) => a.pairwiseF64!(f64(), WRAP_D, f64(), WRAP_K, 0, f64()), expect: argErr('pairwiseF64', /the size of centers \(2147483648 x 8589934592\) overflows/) },
      { id: 'pairwiseF64#out-mismatch', fn: 'pairwiseF64', run: (a) => a.pairwiseF64!(f64(0, 0), 1, f64(1), 1, 0, f64()), expect: argErr('pairwiseF64', /expected length 2 for out, got 0/) },
      { id: 'pairwiseF64#d-zero', fn: 'pairwiseF64', run: (a) => a.pairwiseF64!(f64(), 0, f64(), 1, 0, f64()), expect: argErr('pairwiseF64', /d must be at least 1/) },
      { id: 'pairwiseF64#empty', fn: 'pairwiseF64', run: (a) => a.pairwiseF64!(f64(), 2, f64(3, 4), 1, 0, f64()), expect: { value: -1 } },
    ],
  },
  kmeansAssignF64: {
    args: () => [f64(0, 0, 1, 1), f64(1, 1), 2, f64(0, 0, 1, 1), 2, 0, new Float64Array(4), new Float64Array(2), new Int32Array(2), new Float64Array(1)],
    result: -1, optional: [1, 8],
    extra: () => [
      { id: 'kmeansAssignF64#k*d-wraps', fn: 'kmeansAssignF64', run: (a) => a.kmeansAssignF64!(f64(), null, WRAP_D, f64(), WRAP_K, 0, f64(), f64(1), null, f64(0)), expect: argErr('kmeansAssignF64', /the size of centers \(2147483648 x 8589934592\) overflows/) },
      { id: 'kmeansAssignF64#weights-mismatch', fn: 'kmeansAssignF64', run: (a) => a.kmeansAssignF64!(f64(0, 0), f64(1, 1), 2, f64(0, 0), 1, 0, f64(0, 0), f64(0), null, f64(0)), expect: argErr('kmeansAssignF64', /expected length 1 for weights, got 2/) },
      { id: 'kmeansAssignF64#bad-centre', fn: 'kmeansAssignF64', run: (a) => a.kmeansAssignF64!(f64(), null, 1, f64(NaN), 1, 0, f64(0), f64(0), null, f64(0)), expect: argErr('kmeansAssignF64', /centre 0 is not finite/) },
      { id: 'kmeansAssignF64#empty', fn: 'kmeansAssignF64', run: (a) => { const out = [f64(0, 0), f64(0), f64(0)]; return [a.kmeansAssignF64!(f64(), f64(), 2, f64(1, 2), 1, 0, out[0], out[1], i32(), out[2]), ...out]; }, expect: { value: [-1, { Float64Array: [0, 0] }, { Float64Array: [0] }, { Float64Array: [0] }] } },
    ],
  },
  firstBadRowF64: {
    args: () => [f64(1, 2, 3, 4), 2, 0], result: -1,
    extra: () => [
      { id: 'firstBadRowF64#empty', fn: 'firstBadRowF64', run: (a) => a.firstBadRowF64!(f64(), 3, 3), expect: { value: -1 } },
      { id: 'firstBadRowF64#ragged', fn: 'firstBadRowF64', run: (a) => a.firstBadRowF64!(f64(1, 2, 3), 2, 0), expect: argErr('firstBadRowF64', /x length is not a multiple of d/) },
      { id: 'firstBadRowF64#flags', fn: 'firstBadRowF64', run: (a) => a.firstBadRowF64!(f64(1, 2), 2, 4), expect: argErr('firstBadRowF64', /unknown flags/) },
    ],
  },
  firstBadWeightF64: {
    args: () => [f64(1, 2)], result: -1,
    extra: () => [{ id: 'firstBadWeightF64#empty', fn: 'firstBadWeightF64', run: (a) => a.firstBadWeightF64!(f64()), expect: { value: -1 } }],
  },
  gmmEStepF64: {
    args: () => [f64(0, 1), f64(1, 1), 1, 1, f64(0), f64(1), f64(0), f64(1), f64(0), new Float64Array(1), new Float64Array(1), new Float64Array(1), new Float64Array(2), new Float64Array(2), new Uint8Array(1)],
    result: -1, optional: [1, 9, 10, 11, 12, 13, 14],
    extra: () => [
      { id: 'gmmEStepF64#d-too-big', fn: 'gmmEStepF64', run: (a) => a.gmmEStepF64!(f64(), null, 65537, 1, f64(), f64(), f64(), f64(), f64(), null, null, null, null, null, null), expect: argErr('gmmEStepF64', /d and k must be at most 65536/) },
      { id: 'gmmEStepF64#chol-k*d*d', fn: 'gmmEStepF64', run: (a) => a.gmmEStepF64!(f64(), null, 65536, 65536, new Float64Array(65536), new Float64Array(65536), f64(), f64(), f64(), null, null, null, null, null, null), expect: argErr('gmmEStepF64', /expected length 4294967296 for means, got 0/) },
      { id: 'gmmEStepF64#stats-partial', fn: 'gmmEStepF64', run: (a) => a.gmmEStepF64!(f64(0), null, 1, 1, f64(0), f64(1), f64(0), f64(1), f64(0), f64(0), null, null, null, null, null), expect: argErr('gmmEStepF64', /respSum, sumX, sumXX and logLik must be given together \(or all null\)/, 'TypeError') },
      { id: 'gmmEStepF64#empty', fn: 'gmmEStepF64', run: (a) => { const out = [f64(0), f64(0), f64(0), f64(0, 0)]; return [a.gmmEStepF64!(f64(), null, 1, 1, f64(0), f64(1), f64(0), f64(1), f64(0), out[0], out[1], out[2], out[3], f64(), null), ...out]; }, expect: { value: [-1, { Float64Array: [0] }, { Float64Array: [0] }, { Float64Array: [0] }, { Float64Array: [0, 0] }] } },
    ],
  },
  // issue 14, area word2vec: a 2-word vocabulary (Huffman codes [1], [0], both under the root 0)
  word2vecTrainF32: {
    args: () => [i32(0, 1), i32(0, 2), i32(0, 1, 2), u8(1, 0), i32(0, 0), 1, new Float32Array([0.5, -0.25]), new Float32Array(2), new Int32Array(2), new Int32Array(2), new Float32Array(1000), 1, 7, 0.025, 1, 0, 3],
    result: 2,
    // the schedule's doubles: any finite value is legal (a strange schedule, never a bad access)
    legal: Object.fromEntries([13, 14, 15, 16].map((i) => [i, [-1, 1.5, 2 ** 53 - 1, 2 ** 53, 2 ** 64]])),
    extra: () => {
      const call = (a: Target, over: Record<number, unknown>) => {
        const args: unknown[] = [i32(0, 1), i32(0, 2), i32(0, 1, 2), u8(1, 0), i32(0, 0), 1, new Float32Array([0.5, -0.25]), new Float32Array(2), new Int32Array(2), new Int32Array(2), new Float32Array(1000), 1, 7, 0.025, 1, 0, 3];
        for (const [k, v] of Object.entries(over)) args[Number(k)] = v;
        return a.word2vecTrainF32!(...args);
      };
      const fn = 'word2vecTrainF32';
      return [
        { id: `${fn}#word-out-of-vocab`, fn, run: (a) => call(a, { 0: i32(0, 2) }), expect: argErr(fn, /words\[1\] is not a word index below 2/) },
        { id: `${fn}#point-out-of-tree`, fn, run: (a) => call(a, { 4: i32(0, 1) }), expect: argErr(fn, /points\[1\] is not an inner node below 1/) },
        { id: `${fn}#sentences-past-words`, fn, run: (a) => call(a, { 1: i32(0, 3) }), expect: argErr(fn, /sentOff must start at 0 and end at 2/) },
        { id: `${fn}#sentences-decrease`, fn, run: (a) => call(a, { 1: i32(0, 2, 1, 2) }), expect: argErr(fn, /sentOff must not decrease/) },
        { id: `${fn}#vocab-x-d`, fn, run: (a) => call(a, { 5: 65536, 6: new Float32Array(2) }), expect: argErr(fn, /expected length 131072 for syn0, got 2/) },
        { id: `${fn}#d-zero`, fn, run: (a) => call(a, { 5: 0 }), expect: argErr(fn, /d must be in \[1, 65536\]/) },
        { id: `${fn}#window-zero`, fn, run: (a) => call(a, { 11: 0 }), expect: argErr(fn, /window must be in \[1, 1000000\]/) },
        { id: `${fn}#seed-64bit`, fn, run: (a) => call(a, { 12: 2 ** 32 }), expect: argErr(fn, /seed must be a 32-bit unsigned integer/) },
        { id: `${fn}#rate-nan`, fn, run: (a) => call(a, { 13: NaN }), expect: argErr(fn, /expected a finite number for learningRate/) },
        { id: `${fn}#empty`, fn, run: (a) => call(a, { 0: i32(), 1: i32(0) }), expect: { value: 0 } },
      ];
    },
  },
  hashGroupI32: hashGroupEntry('hashGroupI32', () => i32(5, 6, 5)),
  hashGroupI64: hashGroupEntry('hashGroupI64', () => new BigInt64Array([5n, 6n, 5n])),
  hashGroupF64: hashGroupEntry('hashGroupF64', () => f64(5, 6, 5)),
  hashGroupStrings: {
    args: () => { const s = str(['a', 'bc', 'a']); return [s.bytes, s.offsets, valid3(), 0]; }, result: groupIds([0, 1, 0], [0, 1]), optional: [2],
    extra: () => [
      { id: 'hashGroupStrings#offsets-decrease', fn: 'hashGroupStrings', run: (a) => a.hashGroupStrings!(u8(1, 2, 3), i32(0, 3, 1), null, 0), expect: argErr('hashGroupStrings', /row 2 of offsets \(1\) is smaller than the previous offset \(3\)/) },
      { id: 'hashGroupStrings#offsets-past-bytes', fn: 'hashGroupStrings', run: (a) => a.hashGroupStrings!(u8(1, 2), i32(0, 3), null, 0), expect: argErr('hashGroupStrings', /expected offsets ending within bytes.length 2 for offsets, got 3/) },
      { id: 'hashGroupStrings#offsets-empty', fn: 'hashGroupStrings', run: (a) => a.hashGroupStrings!(u8(), i32(), null, 0), expect: argErr('hashGroupStrings', /offsets must hold n \+ 1 entries/) },
      { id: 'hashGroupStrings#empty', fn: 'hashGroupStrings', run: (a) => a.hashGroupStrings!(u8(), i32(0), null, 0), expect: { value: groupIds([], []) } },
    ],
  },
  hashGroupRows: {
    args: () => [new Uint32Array([1, 2, 1, 2]), 2], result: groupIds([0, 0], [0]),
    extra: () => [
      { id: 'hashGroupRows#ragged', fn: 'hashGroupRows', run: (a) => a.hashGroupRows!(new Uint32Array(3), 2), expect: argErr('hashGroupRows', /expected a length that is a multiple of width 2 for words, got 3/) },
      { id: 'hashGroupRows#huge-width', fn: 'hashGroupRows', run: (a) => a.hashGroupRows!(new BigUint64Array(0), 2 ** 53 - 1), expect: { value: groupIds([], []) } },
    ],
  },
  keyTableNew: {
    args: () => ['i32', 1], result: { class: 'KeyTable' },
    extra: () => [{ id: 'keyTableNew#width', fn: 'keyTableNew', run: (a) => a.keyTableNew!('rows32', 0), expect: argErr('keyTableNew', /expected width >= 1 for kind rows32, got 0/) }],
  },
  joinTableNew: {
    args: () => ['string', 1], result: { class: 'JoinTable' },
    extra: () => [{ id: 'joinTableNew#width', fn: 'joinTableNew', run: (a) => a.joinTableNew!('i64', 2), expect: argErr('joinTableNew', /expected width 1 for kind i64, got 2/) }],
  },
  argsortI32: argsortEntry('argsortI32', () => i32(3, 1, 2)),
  argsortI64: argsortEntry('argsortI64', () => new BigInt64Array([3n, 1n, 2n])),
  argsortF64: argsortEntry('argsortF64', () => f64(3, 1, 2)),
  murmur3ColumnI32: murmurColEntry('murmur3ColumnI32', () => i32(1, 2, 3)),
  murmur3ColumnI64: murmurColEntry('murmur3ColumnI64', () => new BigInt64Array([1n, 2n, 3n])),
  murmur3ColumnF64: murmurColEntry('murmur3ColumnF64', () => f64(1, 2, 3)),
  murmur3ColumnF32: murmurColEntry('murmur3ColumnF32', () => new Float32Array([1, 2, 3])),
  murmur3ColumnStrings: {
    args: () => { const s = str(['a', 'bc', 'a']); return [s.bytes, s.offsets, valid3(), 0, new Int32Array(3)]; }, result: undefined, optional: [2],
    extra: () => [
      { id: 'murmur3ColumnStrings#offsets-negative', fn: 'murmur3ColumnStrings', run: (a) => a.murmur3ColumnStrings!(u8(1), i32(-1, 1), null, 0, i32(0)), expect: argErr('murmur3ColumnStrings', /row 0 of offsets is negative/) },
      { id: 'murmur3ColumnStrings#empty', fn: 'murmur3ColumnStrings', run: (a) => a.murmur3ColumnStrings!(u8(), i32(0), null, 0, i32()), expect: { value: undefined } },
    ],
  },
  partitionIds: {
    args: () => [i32(1, -7, 3), 4], result: { Int32Array: [1, 1, 3] },
    extra: () => [
      { id: 'partitionIds#zero-parts', fn: 'partitionIds', run: (a) => a.partitionIds!(i32(1), 0), expect: argErr('partitionIds', /expected an integer in \[1, 2\^31 - 1\] for numPartitions, got 0/) },
      { id: 'partitionIds#too-many', fn: 'partitionIds', run: (a) => a.partitionIds!(i32(1), 2 ** 31), expect: argErr('partitionIds', /expected an integer in \[1, 2\^31 - 1\] for numPartitions, got 2147483648/) },
      { id: 'partitionIds#empty', fn: 'partitionIds', run: (a) => a.partitionIds!(i32(), 3), expect: { value: { Int32Array: [] } } },
    ],
  },
  scatterRows: {
    args: () => [i32(0, 2, 1, 0), 3], result: { offsets: { Int32Array: [0, 2, 3, 4] }, rows: { Int32Array: [0, 3, 2, 1] } },
    extra: () => [
      { id: 'scatterRows#bad-id', fn: 'scatterRows', run: (a) => a.scatterRows!(i32(0, 7), 3), expect: argErr('scatterRows', /row 1 of ids holds 7, outside \[0, 3\)/) },
      { id: 'scatterRows#negative-id', fn: 'scatterRows', run: (a) => a.scatterRows!(i32(-1), 3), expect: argErr('scatterRows', /row 0 of ids holds -1, outside \[0, 3\)/) },
      { id: 'scatterRows#empty', fn: 'scatterRows', run: (a) => a.scatterRows!(i32(), 2), expect: { value: { offsets: { Int32Array: [0, 0, 0] }, rows: { Int32Array: [] } } } },
    ],
  },
  // Handle constructors are reachable as handle.constructor: their bodies run in the same guard.
  'KeyTable.constructor': { fn: 'keyTableNew', call: (a, args) => new (Object.getPrototypeOf(a.keyTableNew!('i32', 1)).constructor)(...args), args: () => ['rows64', 3], result: { class: 'KeyTable' }, legal: { 1: [2 ** 53 - 1] } },
  'KeyTable.add': {
    call: onKeyTable('add'), args: () => [i32(5, 6, 5), null, valid3(), 0], result: groupIds([0, 1, 0], [0, 1]), optional: [1, 2],
    extra: () => [
      { id: 'KeyTable.add#offsets-for-i32', fn: 'KeyTable.add', run: (a) => onKeyTable('add')(a, [i32(1), i32(0, 1), null, 0]), expect: argErr('KeyTable.add', /expected null for offsets \(kind i32\)/, 'TypeError') },
      { id: 'KeyTable.add#after-dispose', fn: 'KeyTable.add', run: (a) => { const t = a.keyTableNew!('i32', 1) as Record<string, Fn>; t.dispose!(); return t.add!(i32(1), null, null, 0); }, expect: argErr('KeyTable.add', /the table was disposed/, 'TypeError') },
      { id: 'KeyTable.add#rows-validity', fn: 'KeyTable.add', run: (a) => (a.keyTableNew!('rows32', 1) as Record<string, Fn>).add!(new Uint32Array(1), null, u8(1), 0), expect: argErr('KeyTable.add', /rows keys take no validity \(pack null flags into the words\)/, 'TypeError') },
    ],
  },
  'KeyTable.lookup': { call: onKeyTable('lookup'), args: () => [i32(5, 6, 5), null, valid3(), 0], result: { Int32Array: [-1, -1, -1] }, optional: [1, 2] },
  'KeyTable.size': {
    call: onKeyTable('size'), args: () => [], result: 0,
    // A method called on another receiver never reaches the addon: V8 checks the receiver against
    // the class (napi_define_class gives methods a signature) and throws its own uncoded TypeError.
    extra: () => [{ id: 'KeyTable.size#foreign-this', fn: 'KeyTable.size', run: (a) => ((a.keyTableNew!('i32', 1) as Record<string, Fn>).size!).call({}), expect: { error: 'TypeError', code: null, message: /^Illegal invocation$/ } }],
  },
  'KeyTable.dispose': { call: onKeyTable('dispose'), args: () => [], result: undefined },
  'JoinTable.constructor': { fn: 'joinTableNew', call: (a, args) => new (Object.getPrototypeOf(a.joinTableNew!('i32', 1)).constructor)(...args), args: () => ['f64', 1], result: { class: 'JoinTable' } },
  'JoinTable.build': {
    call: onJoinTable('build'), args: () => [i32(5, 6, 5), null, valid3(), 0], result: undefined, optional: [1, 2],
    extra: () => [
      { id: 'JoinTable.build#twice', fn: 'JoinTable.build', run: (a) => { const t = a.joinTableNew!('i32', 1) as Record<string, Fn>; t.build!(i32(1), null, null, 0); return t.build!(i32(1), null, null, 0); }, expect: argErr('JoinTable.build', /the table is already built/, 'TypeError') },
    ],
  },
  'JoinTable.probe': {
    call: onJoinTable('probe'), args: () => [i32(2, 3, 2), null, valid3(), 0, 0], result: { left: { Int32Array: [0, 2] }, right: { Int32Array: [1, 1] }, unmatchedProbe: { Int32Array: [1] } }, optional: [1, 2],
    extra: () => [
      { id: 'JoinTable.probe#unbuilt', fn: 'JoinTable.probe', run: (a) => (a.joinTableNew!('i32', 1) as Record<string, Fn>).probe!(i32(1), null, null, 0, 0), expect: argErr('JoinTable.probe', /call build\(\) first/, 'TypeError') },
      { id: 'JoinTable.probe#mode', fn: 'JoinTable.probe', run: (a) => onJoinTable('probe')(a, [i32(1), null, null, 0, 3]), expect: argErr('JoinTable.probe', /mode must be 0 \(inner\), 1 \(probeOuter\) or 2 \(semi\)/) },
    ],
  },
  'JoinTable.matchedBuild': { call: onJoinTable('matchedBuild'), args: () => [], result: { Uint8Array: [0, 0] } },
  'JoinTable.buildRows': { call: onJoinTable('buildRows'), args: () => [], result: 2 },
  'JoinTable.dispose': { call: onJoinTable('dispose'), args: () => [], result: undefined },
  // selection (issue 14)
  gramAddF64: {
    args: () => [f64(1, 2, 3, 4), 2, f64(0, 0), new Float64Array(4), new Float64Array(2)], result: undefined,
    extra: () => [
      { id: 'gramAddF64#empty', fn: 'gramAddF64', run: (a) => { const g = f64(1, 2, 3, 4); const s = f64(5, 6); return [a.gramAddF64!(f64(), 2, f64(0, 0), g, s), g, s]; }, expect: { value: [undefined, { Float64Array: [1, 2, 3, 4] }, { Float64Array: [5, 6] }] } },
      { id: 'gramAddF64#ragged', fn: 'gramAddF64', run: (a) => a.gramAddF64!(f64(1, 2, 3), 2, f64(0, 0), new Float64Array(4), new Float64Array(2)), expect: argErr('gramAddF64', /x length is not a multiple of d/) },
      { id: 'gramAddF64#d-zero', fn: 'gramAddF64', run: (a) => a.gramAddF64!(f64(), 0, f64(), f64(), f64()), expect: argErr('gramAddF64', /d must be at least 1/) },
      { id: 'gramAddF64#gram-d*d', fn: 'gramAddF64', run: (a) => a.gramAddF64!(f64(), 2 ** 33, f64(), f64(), f64()), expect: argErr('gramAddF64', /expected length 8589934592 for shift, got 0/) },
      { id: 'gramAddF64#gram-size', fn: 'gramAddF64', run: (a) => a.gramAddF64!(f64(1, 2), 2, f64(0, 0), new Float64Array(3), new Float64Array(2)), expect: argErr('gramAddF64', /expected length 4 for gram, got 3/) },
    ],
  },
  // text features (issue 14, area text): HashingTF of [[a, b, c], [a, a]] (Spark's doctest indices 7, 5, 8 at numFeatures 10)
  hashingTf: {
    args: () => { const s = str(['a', 'b', 'c', 'a', 'a']); return [s.bytes, s.offsets, u8(0b11111), 0, i32(0, 3, 5), 10, false, false, new Int32Array(3), new Int32Array(5), new Float64Array(5)]; },
    result: 4, optional: [2],
    extra: () => [
      { id: 'hashingTf#num-features', fn: 'hashingTf', run: (a) => a.hashingTf!(u8(), i32(0), null, 0, i32(0), 0, false, false, i32(0), i32(), f64()), expect: argErr('hashingTf', /expected an integer in \[1, 2\^31 - 1\] for numFeatures/) },
      { id: 'hashingTf#lists-past-strings', fn: 'hashingTf', run: (a) => a.hashingTf!(u8(97), i32(0, 1), null, 0, i32(0, 2), 10, false, false, i32(0, 0), i32(0, 0), f64(0, 0)), expect: argErr('hashingTf', /expected offsets ending within bytes.length 1 for listOffsets, got 2/) },
      { id: 'hashingTf#short-output', fn: 'hashingTf', run: (a) => a.hashingTf!(u8(97), i32(0, 1), null, 0, i32(0, 1), 10, false, false, i32(0, 0), i32(), f64()), expect: argErr('hashingTf', /indices and values must hold at least 1 entries/) },
      { id: 'hashingTf#validity-short', fn: 'hashingTf', run: (a) => a.hashingTf!(u8(97), i32(0, 1), u8(), 0, i32(0, 1), 10, false, false, i32(0, 0), i32(0), f64(0)), expect: argErr('hashingTf', /validity bitmap too short for 1 rows at bit offset 0/) },
      { id: 'hashingTf#empty', fn: 'hashingTf', run: (a) => a.hashingTf!(u8(), i32(0), null, 0, i32(0), 10, true, true, i32(0), i32(), f64()), expect: { value: 0 } },
    ],
  },
  docFreqSparse: {
    args: () => [i32(0, 2, 3), i32(0, 2, 2), f64(1, 0, 5), 3, new Float64Array(3)], result: -1,
    extra: () => [
      { id: 'docFreqSparse#bad-index', fn: 'docFreqSparse', run: (a) => a.docFreqSparse!(i32(0, 1, 2), i32(0, 3), f64(1, 1), 3, f64(0, 0, 0)), expect: { value: 1 } },
      { id: 'docFreqSparse#df-length', fn: 'docFreqSparse', run: (a) => a.docFreqSparse!(i32(0), i32(), f64(), 3, f64()), expect: argErr('docFreqSparse', /expected length 3 for df, got 0/) },
      { id: 'docFreqSparse#values-length', fn: 'docFreqSparse', run: (a) => a.docFreqSparse!(i32(0, 1), i32(0), f64(), 1, f64(0)), expect: argErr('docFreqSparse', /expected length 1 for values, got 0/) },
      { id: 'docFreqSparse#empty', fn: 'docFreqSparse', run: (a) => a.docFreqSparse!(i32(0), i32(), f64(), 0, f64()), expect: { value: -1 } },
    ],
  },
  docFreqDense: {
    args: () => [f64(1, 0, 0, 2), 2, new Float64Array(2)], result: undefined,
    extra: () => [
      { id: 'docFreqDense#ragged', fn: 'docFreqDense', run: (a) => a.docFreqDense!(f64(1, 2, 3), 2, f64(0, 0)), expect: argErr('docFreqDense', /x length is not a multiple of d/) },
      { id: 'docFreqDense#d-zero', fn: 'docFreqDense', run: (a) => a.docFreqDense!(f64(), 0, f64()), expect: argErr('docFreqDense', /d must be at least 1/) },
      { id: 'docFreqDense#empty', fn: 'docFreqDense', run: (a) => { const df = f64(0, 0); a.docFreqDense!(f64(), 2, df); return df; }, expect: { value: { Float64Array: [0, 0] } } },
    ],
  },
  // --- scaling (issue 14)
  colStatsF64: {
    args: () => [f64(1, 2, 3, 4), 2, new Float64Array(11)], result: undefined,
    extra: () => [
      { id: 'colStatsF64#empty', fn: 'colStatsF64', run: (a) => { const out = new Float64Array(6); a.colStatsF64!(f64(), 1, out); return out; }, expect: { value: { Float64Array: [0, 0, 0, Number.MAX_VALUE, -Number.MAX_VALUE, 0] } } },
      { id: 'colStatsF64#ragged', fn: 'colStatsF64', run: (a) => a.colStatsF64!(f64(1, 2, 3), 2, new Float64Array(11)), expect: argErr('colStatsF64', /x length is not a multiple of d/) },
      { id: 'colStatsF64#d-zero', fn: 'colStatsF64', run: (a) => a.colStatsF64!(f64(), 0, new Float64Array(1)), expect: argErr('colStatsF64', /d must be at least 1/) },
      { id: 'colStatsF64#out-huge-d', fn: 'colStatsF64', run: (a) => a.colStatsF64!(f64(), 2 ** 52, new Float64Array(1)), expect: argErr('colStatsF64', /expected length 22517998136852481 for out, got 1/) },
      { id: 'colStatsF64#out-short', fn: 'colStatsF64', run: (a) => a.colStatsF64!(f64(1, 2), 2, new Float64Array(3)), expect: argErr('colStatsF64', /expected length 11 for out, got 3/) },
    ],
  },
  affineRowsF64: {
    args: () => [f64(1, 2, 3, 4), 2, f64(0, 1), f64(2, 2), f64(0, 0), new Float64Array(4)], result: undefined,
    extra: () => [
      { id: 'affineRowsF64#values', fn: 'affineRowsF64', run: (a) => { const y = new Float64Array(4); a.affineRowsF64!(f64(1, 2, 3, 4), 2, f64(0, 1), f64(2, 2), f64(0, 1), y); return y; }, expect: { value: { Float64Array: [2, 3, 6, 7] } } },
      { id: 'affineRowsF64#empty', fn: 'affineRowsF64', run: (a) => a.affineRowsF64!(f64(), 2, f64(0, 0), f64(1, 1), f64(0, 0), f64()), expect: { value: undefined } },
      { id: 'affineRowsF64#ragged', fn: 'affineRowsF64', run: (a) => a.affineRowsF64!(f64(1, 2, 3), 2, f64(0, 0), f64(1, 1), f64(0, 0), new Float64Array(3)), expect: argErr('affineRowsF64', /x length is not a multiple of d/) },
      { id: 'affineRowsF64#scale-short', fn: 'affineRowsF64', run: (a) => a.affineRowsF64!(f64(1, 2), 2, f64(0, 0), f64(1), f64(0, 0), new Float64Array(2)), expect: argErr('affineRowsF64', /expected length 2 for scale, got 1/) },
      { id: 'affineRowsF64#y-short', fn: 'affineRowsF64', run: (a) => a.affineRowsF64!(f64(1, 2), 2, f64(0, 0), f64(1, 1), f64(0, 0), new Float64Array(1)), expect: argErr('affineRowsF64', /expected length 2 for y, got 1/) },
    ],
  },
  // --- end scaling
  // linear models (issue 15, optim): the GLM loss and gradient, the margins
  glmLossGradF64: {
    args: () => [0, f64(1, 2, 3, 4), f64(1, 0), f64(1, 1), 2, 1, f64(0, 0), f64(0), new Float64Array(3), new Float64Array(2)], result: undefined, optional: [3],
    extra: () => [
      { id: 'glmLossGradF64#values', fn: 'glmLossGradF64', run: (a) => { const g = new Float64Array(3); const s = new Float64Array(2); a.glmLossGradF64!(2, f64(1, 2, 3, 4), f64(1, 0), null, 2, 1, f64(1, 0), f64(0), g, s); return [g, s]; }, expect: { value: [{ Float64Array: [9, 12, 3] }, { Float64Array: [4.5, 2] }] } },
      { id: 'glmLossGradF64#empty', fn: 'glmLossGradF64', run: (a) => { const s = f64(0, 0); a.glmLossGradF64!(0, f64(), f64(), null, 2, 1, f64(0, 0), f64(0), new Float64Array(3), s); return s; }, expect: { value: { Float64Array: [0, 0] } } },
      { id: 'glmLossGradF64#kind', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(4, f64(1, 2), f64(1), null, 2, 1, f64(0, 0), f64(0), new Float64Array(3), new Float64Array(2)), expect: argErr('glmLossGradF64', /expected kind 0 \(binomial\)/) },
      { id: 'glmLossGradF64#k-one-margin', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(0, f64(1, 2), f64(1), null, 2, 2, f64(0, 0, 0, 0), f64(0, 0), new Float64Array(6), new Float64Array(2)), expect: argErr('glmLossGradF64', /k must be 1/) },
      { id: 'glmLossGradF64#k-zero', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(1, f64(1, 2), f64(0), null, 2, 0, f64(), f64(), new Float64Array(0), new Float64Array(2)), expect: argErr('glmLossGradF64', /k must be at least 1/) },
      { id: 'glmLossGradF64#label-past-k', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(1, f64(1, 2, 3, 4), f64(0, 2), null, 2, 2, f64(0, 0, 0, 0), f64(0, 0), new Float64Array(6), new Float64Array(2)), expect: argErr('glmLossGradF64', /label at row 1 is not a class index below k/) },
      { id: 'glmLossGradF64#label-nan', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(1, f64(1, 2), f64(NaN), null, 2, 2, f64(0, 0, 0, 0), f64(0, 0), new Float64Array(6), new Float64Array(2)), expect: argErr('glmLossGradF64', /label at row 0/) },
      { id: 'glmLossGradF64#x-ragged', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(0, f64(1, 2, 3), f64(1, 0), null, 2, 1, f64(0, 0), f64(0), new Float64Array(3), new Float64Array(2)), expect: argErr('glmLossGradF64', /expected length 4 for x, got 3/) },
      { id: 'glmLossGradF64#w-short', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(0, f64(1, 2, 3, 4), f64(1, 0), f64(1), 2, 1, f64(0, 0), f64(0), new Float64Array(3), new Float64Array(2)), expect: argErr('glmLossGradF64', /expected length 2 for w, got 1/) },
      { id: 'glmLossGradF64#k*d-wraps', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(1, f64(), f64(), null, WRAP_D, WRAP_K, f64(), f64(), f64(), f64(0, 0)), expect: argErr('glmLossGradF64', /the size of coef \(2147483648 x 8589934592\) overflows/) },
      { id: 'glmLossGradF64#grad-short', fn: 'glmLossGradF64', run: (a) => a.glmLossGradF64!(0, f64(1, 2), f64(1), null, 2, 1, f64(0, 0), f64(0), new Float64Array(2), new Float64Array(2)), expect: argErr('glmLossGradF64', /expected length 3 for grad, got 2/) },
    ],
  },
  glmMarginsF64: {
    args: () => [f64(1, 2, 3, 4), 2, 2, f64(1, 1), f64(0.5), 1, new Float64Array(2)], result: undefined,
    extra: () => [
      { id: 'glmMarginsF64#values', fn: 'glmMarginsF64', run: (a) => { const out = new Float64Array(4); a.glmMarginsF64!(f64(1, 2, 3, 4), 2, 2, f64(1, 1, 1, -1), f64(0.5, 0), 2, out); return out; }, expect: { value: { Float64Array: [3.5, -1, 7.5, -1] } } },
      { id: 'glmMarginsF64#empty', fn: 'glmMarginsF64', run: (a) => a.glmMarginsF64!(f64(), 0, 2, f64(1, 1), f64(0), 1, f64()), expect: { value: undefined } },
      { id: 'glmMarginsF64#x-ragged', fn: 'glmMarginsF64', run: (a) => a.glmMarginsF64!(f64(1, 2, 3), 2, 2, f64(1, 1), f64(0), 1, new Float64Array(2)), expect: argErr('glmMarginsF64', /expected length 4 for x, got 3/) },
      { id: 'glmMarginsF64#out-short', fn: 'glmMarginsF64', run: (a) => a.glmMarginsF64!(f64(1, 2, 3, 4), 2, 2, f64(1, 1), f64(0), 1, new Float64Array(1)), expect: argErr('glmMarginsF64', /expected length 2 for out, got 1/) },
      { id: 'glmMarginsF64#n*d-wraps', fn: 'glmMarginsF64', run: (a) => a.glmMarginsF64!(f64(), WRAP_K, WRAP_D, f64(), f64(0), 1, f64()), expect: argErr('glmMarginsF64', /the size of x \(2147483648 x 8589934592\) overflows/) },
    ],
  },
};

function murmurBatchEntry(fn: string): Entry {
  return {
    args: () => { const s = str(['a', 'bc']); return [s.bytes, s.offsets, 42, new Int32Array(2)]; }, result: undefined,
    legal: { 2: [-1] },
    extra: () => [
      { id: `${fn}#seed-range`, fn, run: (a) => a[fn]!(u8(), i32(0), 2 ** 32, i32()), expect: argErr(fn, /expected an integer in \[-2\^31, 2\^32 - 1\] for seed/) },
      { id: `${fn}#offsets-past-bytes`, fn, run: (a) => a[fn]!(u8(1), i32(0, 2), 0, i32(0)), expect: argErr(fn, /expected offsets ending within bytes.length 1 for strings.offsets, got 2/) },
      { id: `${fn}#empty`, fn, run: (a) => a[fn]!(u8(), i32(0), 0, i32()), expect: { value: undefined } },
    ],
  };
}
