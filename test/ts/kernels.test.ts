// Exact values against hand computations and trusted references (Spark's documented vectors,
// scikit-learn's murmurhash3_32, numpy/scipy definitions), and the error contract.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KindlingError, KindlingRangeError, KindlingTypeError, simdLevel, capabilities,
} from '../../ts/src/index.js';
import {
  moments, mergeMoments, zeroMoments, sampleVariance, populationVariance, sparkMin, sparkMax, groupAggZero, groupAggAdd, groupAggMerge, groupAggResult, murmur3Batch, murmur3String, packStrings, nonNegativeMod, hashInt, hashLong, murmur3BytesJs, pairwiseDistances, kmeansStepAdd, kmeansStepZero, kmeansStepMerge,
} from '../../ts/src/internals.js';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared');

t.test('moments: hand-computed values', async (t) => {
  const m = moments(new Float64Array([2, 4, 4, 4, 5, 5, 7, 9]));
  t.equal(m.count, 8);
  t.equal(m.sum, 40);
  t.equal(m.mean, 5);
  t.equal(m.m2, 32);
  t.equal(populationVariance(m), 4, 'population variance of the textbook example is 4');
  t.equal(sampleVariance(m), 32 / 7);
  t.equal(m.min, 2);
  t.equal(m.max, 9);
  const f32 = moments(new Float32Array([1.5, -2.5, 3]));
  t.equal(f32.sum, 2);
  t.equal(f32.min, -2.5);
  const i32 = moments(new Int32Array([-2147483648, 2147483647]));
  t.equal(i32.sum, -1, 'int32 values are summed in float64 without overflow');
  t.equal(i32.mean, -0.5);
});

t.test('moments: validity bitmap with an offset skips nulls (Spark)', async (t) => {
  // rows 0..5 at bit offset 3: valid = 1,0,1,1,0,1 -> values 10, 30, 40, 60
  const bitmap = new Uint8Array([0b01101000, 0b00000001]);
  bitmap[0] = 0;
  const bits = [1, 0, 1, 1, 0, 1];
  bits.forEach((b, i) => { if (b) bitmap[(3 + i) >> 3] |= 1 << ((3 + i) & 7); });
  const m = moments(new Float64Array([10, 20, 30, 40, 50, 60]), { bitmap, offset: 3 });
  t.equal(m.count, 4);
  t.equal(m.sum, 140);
  t.equal(m.mean, 35);
  t.equal(m.m2, 25 ** 2 + 5 ** 2 + 5 ** 2 + 25 ** 2);
  t.equal(m.min, 10);
  t.equal(m.max, 60);
});

t.test('moments: empty input and Spark NaN ordering', async (t) => {
  const e = moments(new Float64Array(0));
  t.same(e, zeroMoments());
  t.equal(sampleVariance(e), null);
  t.equal(sparkMin(e), null);
  t.equal(sparkMax(e), null);
  const one = moments(new Float64Array([3]));
  t.equal(sampleVariance(one), null, 'stddev_samp of one row is null in Spark');
  t.equal(populationVariance(one), 0);
  const withNaN = moments(new Float64Array([1, NaN, -4]));
  t.equal(sparkMin(withNaN), -4);
  t.ok(Number.isNaN(sparkMax(withNaN)!), 'max is NaN once a NaN is present');
  const allNaN = moments(new Float64Array([NaN, NaN]));
  t.ok(Number.isNaN(sparkMin(allNaN)!), 'min is NaN only when all values are NaN');
});

t.test('moments: merge is Chan et al. and zero is its identity', async (t) => {
  const a = moments(new Float64Array([1, 2, 3]));
  const b = moments(new Float64Array([10, 20]));
  const ab = mergeMoments(a, b);
  const all = moments(new Float64Array([1, 2, 3, 10, 20]));
  t.equal(ab.count, 5);
  t.equal(ab.mean, 7.2);
  t.ok(Math.abs(ab.m2 - all.m2) < 1e-12, `m2 ${ab.m2} vs ${all.m2}`);
  t.same(mergeMoments(zeroMoments(), a), a);
  t.same(mergeMoments(a, zeroMoments()), a);
});

t.test('groupAgg: per-key count/sum/min/max by hand', async (t) => {
  const keys = new Int32Array([0, 1, 0, 2, 1, 0]);
  const vals = new Float64Array([5, -1, 3, NaN, 8, 4]);
  const r = groupAggResult(groupAggAdd(groupAggZero(4), keys, vals));
  t.same(Array.from(r.count), [3, 2, 1, 0]);
  t.same(Array.from(r.sum).slice(0, 2), [12, 7]);
  t.ok(Number.isNaN(r.sum[2]!), 'sum with a NaN is NaN');
  t.same(Array.from(r.min).slice(0, 2), [3, -1]);
  t.same(Array.from(r.max).slice(0, 2), [5, 8]);
  t.ok(Number.isNaN(r.min[2]!) && Number.isNaN(r.max[2]!), 'an all-NaN group has NaN min and max');
  const nulls = { bitmap: new Uint8Array([0b111011]), offset: 0 };
  const r2 = groupAggResult(groupAggAdd(groupAggZero(3), keys, vals, nulls));
  t.same(Array.from(r2.count), [2, 2, 1], 'row 2 (null) is skipped');
});

t.test('groupAgg: the zero state is [0, 0, NaN, -inf] per group, 32-byte aligned', async (t) => {
  for (const g of [0, 1, 3, 300000]) {
    const z = groupAggZero(g);
    t.equal(z.acc.length, 4 * g);
    t.equal(z.acc.byteOffset % 8, 0);
    const addr32 = z.acc.byteOffset % 32; // V8 backing stores are at least 16-byte aligned
    t.ok(addr32 === 0 || addr32 === 16, `byteOffset ${z.acc.byteOffset}`);
    let ok = true;
    for (let i = 0; i < g; i++) {
      const o = 4 * i;
      if (z.acc[o] !== 0 || z.acc[o + 1] !== 0 || !Number.isNaN(z.acc[o + 2]) || z.acc[o + 3] !== -Infinity) ok = false;
    }
    t.ok(ok, `${g} groups initialised`);
  }
  t.throws(() => groupAggZero(2 ** 27 + 1), { message: /numGroups/ });
});

t.test('groupAgg: merge of partitions equals one pass, and zero is the identity', async (t) => {
  const keys = new Int32Array([3, 1, 3, 0, 1, 2, 3, 0]);
  const vals = new Float64Array([1, 2, 3, 4, 5, 6, 7, NaN]);
  const whole = groupAggAdd(groupAggZero(4), keys, vals);
  const parts = groupAggMerge(
    groupAggAdd(groupAggZero(4), keys.subarray(0, 3), vals.subarray(0, 3)),
    groupAggAdd(groupAggZero(4), keys.subarray(3), vals.subarray(3)),
  );
  t.same(Array.from(parts.acc), Array.from(whole.acc));
  t.same(Array.from(groupAggMerge(groupAggZero(4), whole).acc), Array.from(whole.acc));
});

t.test('murmur3: Spark HashingTF / FeatureHasher documented vectors', async (t) => {
  const fx = JSON.parse(readFileSync(join(SHARED, 'fixtures', 'spark-test-vectors', 'hashing.json'), 'utf8'));
  const docs = fx.documented.filter((d: any) => Array.isArray(d.input?.words));
  t.ok(docs.length >= 2, 'fixture has HashingTF vectors');
  for (const d of docs) {
    const idx = Array.from(murmur3Batch(d.input.words)).map((h) => nonNegativeMod(h, d.numFeatures)).sort((a, b) => a - b);
    t.same([...new Set(idx)], d.expected.indices, `HashingTF ${JSON.stringify(d.input.words)} n=${d.numFeatures}`);
  }
  // FeatureHasher doctest: numeric column -> hash(name); others -> hash("col=value").
  const fh = fx.documented.find((d: any) => d.source.includes('FeatureHasher doctest') && !d.source.includes('setCategoricalCols'));
  const terms = ['real', 'bool=true', 'stringNum=1', 'string=foo'];
  const got = Array.from(murmur3Batch(terms)).map((h) => nonNegativeMod(h, fh.numFeatures)).sort((a, b) => a - b);
  t.same(got, fh.expected.indices, 'FeatureHasher doctest indices');
  t.equal(nonNegativeMod(murmur3String('real=2.0'), 262144), 171257, 'categorical real=2.0');
});

t.test('murmur3: scikit-learn murmurhash3_32 values and the legacy Spark 2 tail', async (t) => {
  // sklearn.utils.murmurhash3_32(s.encode(), seed=42) (signed) and seed=0, from scikit-learn 1.2.1.
  t.equal(murmur3String('w0', 42), 1931698542);
  t.equal(murmur3String('w1', 42), -168338625);
  t.equal(murmur3String('w0', 0), 147874297);
  const [h] = murmur3Batch(['w0'], 0);
  t.equal(h, 147874297);
  // Standard MurmurHash3_x86_32 test vectors (SMHasher).
  t.equal(murmur3String('', 0) >>> 0, 0);
  t.equal(murmur3String('', 1) >>> 0, 0x514e28b7);
  t.equal(murmur3String('', 0xffffffff | 0) >>> 0, 0x81f16f39);
  t.equal(murmur3BytesJs(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0, 4, 0) >>> 0, 0x76293b50);
  t.equal(murmur3BytesJs(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0, 4, 0) >>> 0, 0xf55b516b);
  t.equal(murmur3BytesJs(new Uint8Array([0x21, 0x43, 0x65]), 0, 3, 0) >>> 0, 0x7e4a8634);
  t.equal(murmur3BytesJs(new Uint8Array([0x21, 0x43]), 0, 2, 0) >>> 0, 0xa0f7b07a);
  t.equal(murmur3BytesJs(new Uint8Array([0x21]), 0, 1, 0) >>> 0, 0x72661cf4);
  t.equal(murmur3String('Hello, world!', 1234) >>> 0, 0xfaf6cdb3);
  // Spark 2.x HashingTF: ["a","b","c"] with n=5 gave indices {0,1,2} (documented in hashing.json).
  const legacy = Array.from(murmur3Batch(['a', 'b', 'c'], 42, { legacy: true })).map((x) => nonNegativeMod(x, 5)).sort();
  t.same(legacy, [0, 1, 2]);
  t.same(Array.from(murmur3Batch(packStrings(['abcd']), 42, { legacy: true })), Array.from(murmur3Batch(['abcd'])), 'legacy equals standard when the length is a multiple of 4');
});

t.test('murmur3: hashInt / hashLong are the hash of the little-endian bytes', async (t) => {
  for (const v of [0, 1, -1, 42, 123456789, -2147483648]) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    t.equal(hashInt(v), murmur3BytesJs(b, 0, 4, 42), `hashInt(${v})`);
  }
  for (const v of [0n, 1n, -1n, 2n ** 40n + 7n, -(2n ** 62n)]) {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(v);
    t.equal(hashLong(v), murmur3BytesJs(b, 0, 8, 42), `hashLong(${v})`);
  }
  t.equal(nonNegativeMod(-7, 5), 3);
  t.equal(nonNegativeMod(7, 5), 2);
  t.equal(nonNegativeMod(-2147483648, 1), 0);
  // a zero (or non-integer, negative, NaN) modulus is a coded error naming it, never a NaN index
  for (const [mod, shown] of [[0, '0 (number)'], [-3, '-3 (number)'], [2.5, '2.5 (number)'], [NaN, 'NaN (number)']] as const) {
    t.throws(() => nonNegativeMod(7, mod), { code: 'ERR_KINDLING_INVALID_ARG', name: 'KindlingRangeError', message: `nonNegativeMod: expected a positive integer for mod, got ${shown}` });
  }
});

t.test('distances: hand-computed squared Euclidean and cosine', async (t) => {
  const x = new Float64Array([0, 0, 3, 4, 1, 1]);
  const c = new Float64Array([0, 0, 1, 0]);
  t.same(Array.from(pairwiseDistances(x, 2, c.subarray(0, 4))), [0, 1, 25, 20, 2, 1]);
  const cos = pairwiseDistances(new Float64Array([1, 0, 0, 2, 1, 1]), 2, new Float64Array([1, 0, 0, 1]), 'cosine');
  const expected = [0, 1, 1, 0, 1 - Math.SQRT1_2, 1 - Math.SQRT1_2];
  cos.forEach((v, i) => t.ok(Math.abs(v - expected[i]!) < 1e-15, `cosine[${i}] = ${v}`));
});

t.test('KMeans step: sums, weights, cost and labels by hand', async (t) => {
  const x = new Float64Array([1, 1, 4, 4, 6, 5, 0, 1, 9, 9]);
  const c = new Float64Array([0, 0, 5, 5]);
  const labels = new Int32Array(5);
  const s = kmeansStepAdd(kmeansStepZero(2, 2), x, 2, c, { labels });
  t.same(Array.from(labels), [0, 1, 1, 0, 1]);
  t.same(Array.from(s.sums), [1, 2, 19, 18]);
  t.same(Array.from(s.weights), [2, 3]);
  t.equal(s.cost, 2 + 2 + 1 + 1 + 32);
  const w = new Float64Array([2, 0, 1, 1, 0.5]);
  const sw = kmeansStepAdd(kmeansStepZero(2, 2), x, 2, c, { weights: w });
  t.same(Array.from(sw.weights), [3, 1.5]);
  t.same(Array.from(sw.sums), [2, 3, 10.5, 9.5]);
  t.equal(sw.cost, 2 * 2 + 0 + 1 + 1 + 0.5 * 32);
  // Ties go to the lowest centre index (Spark/scikit-learn argmin).
  const tie = new Int32Array(1);
  kmeansStepAdd(kmeansStepZero(2, 1), new Float64Array([1]), 1, new Float64Array([0, 2]), { labels: tie });
  t.equal(tie[0], 0);
  // Cosine: sums of unit vectors, as Spark's CosineDistanceMeasure.updateClusterSum.
  const sc = kmeansStepAdd(kmeansStepZero(2, 2), new Float64Array([3, 4, 0, 2]), 2, new Float64Array([1, 0, 0, 1]), { measure: 'cosine' });
  [0, 0, 0.6, 1.8].forEach((v, i) => t.ok(Math.abs(sc.sums[i]! - v) < 1e-15, `cosine sums[${i}] = ${sc.sums[i]}`));
  t.ok(Math.abs(sc.cost - 0.2) < 1e-15, `cosine cost ${sc.cost}`);
  const merged = kmeansStepMerge(kmeansStepZero(2, 2), s);
  t.same(Array.from(merged.sums), Array.from(s.sums));
});

t.test('bad input gives clear errors naming the argument or row', async (t) => {
  t.throws(() => moments([1, 2, 3] as any), { name: 'KindlingTypeError', code: 'ERR_KINDLING_INVALID_ARG', message: /^moments: expected Float64Array, Float32Array or Int32Array for values, got Array\(3\)/ });
  t.throws(() => moments(new Float64Array(20), { bitmap: new Uint8Array(2), offset: 0 }), { name: 'KindlingRangeError', message: /validity\.bitmap\.length/ });
  t.throws(() => moments(new Float64Array(2), { bitmap: new Uint8Array(2), offset: -1 }), { message: /validity\.offset/ });
  t.throws(() => groupAggAdd(groupAggZero(3), new Int32Array([0, 5]), new Float64Array([1, 2])), { name: 'KindlingRangeError', message: /^groupAgg: row 1 of keys holds group code 5, outside \[0, 3\)/ });
  t.throws(() => groupAggAdd(groupAggZero(3), new Int32Array([-1]), new Float64Array([1])), { message: /row 0 of keys holds group code -1/ });
  t.throws(() => groupAggAdd(groupAggZero(3), new Int32Array(2), new Float64Array(3)), { message: /values\.length/ });
  t.throws(() => groupAggZero(1.5), { message: /^groupAggZero: expected integer >= 0 for numGroups, got 1\.5 \(number\)/ });
  t.throws(() => murmur3Batch({ bytes: new Uint8Array(3), offsets: new Int32Array([0, 2, 1]) }), { name: 'KindlingRangeError', code: 'ERR_KINDLING_INVALID_ARG', message: /^murmur3Batch: row 2 of strings\.offsets \(1\) is smaller than the previous offset \(2\)/ });
  t.throws(() => murmur3Batch({ bytes: new Uint8Array(3), offsets: new Int32Array([0, 9]) }), { name: 'KindlingRangeError', message: /^murmur3Batch: expected offsets ending within bytes\.length 3 for strings\.offsets, got 9/ });
  t.throws(() => murmur3Batch({ bytes: new Uint8Array(3), offsets: new Int32Array([-1, 2]) }), { message: /row 0 of strings\.offsets is negative/ });
  t.throws(() => murmur3Batch({ bytes: new Uint8Array(3), offsets: new Int32Array([0, 2, 1]) }, 42, { legacy: true }), { message: /row 2 of strings\.offsets/ });
  t.throws(() => murmur3Batch(['a', 7 as any]), { message: /strings\[1\]/ });
  t.throws(() => pairwiseDistances(new Float64Array(5), 2, new Float64Array(2)), { message: /^pairwiseDistances: expected a multiple of d = 2 for x\.length, got 5/ });
  const big = new Float64Array(70_000);
  t.throws(() => pairwiseDistances(big, 1, big), { code: 'ERR_KINDLING_INVALID_ARG', message: /^pairwiseDistances: the distance matrix \(rows of x by rows of centers\) would be 70000 x 70000 = 4900000000 doubles, more than this process can allocate \(Invalid typed array length: 4900000000\)$/ }, 'an output too large to allocate names its shape');
  t.throws(() => pairwiseDistances(new Float64Array(4), 2, new Float64Array(3)), { message: /centers\.length/ });
  t.throws(() => pairwiseDistances(new Float64Array(4), 0, new Float64Array(2)), { message: /for d, got 0/ });
  t.throws(() => pairwiseDistances(new Float64Array(2), 2, new Float64Array(2), 'manhattan' as any), { message: /for measure/ });
  t.throws(() => pairwiseDistances(new Float64Array([1, 1, 0, 0]), 2, new Float64Array([1, 0]), 'cosine'), { message: /^pairwiseDistances: row 1 of x has zero norm/ });
  t.throws(() => pairwiseDistances(new Float64Array([1, 1]), 2, new Float64Array([0, 0]), 'cosine'), { message: /row 0 of centers has zero norm/ });
  t.throws(() => kmeansStepAdd(kmeansStepZero(1, 2), new Float64Array([1, 2, NaN, 0]), 2, new Float64Array([0, 0])), { name: 'KindlingRangeError', message: /^kmeansStep: row 1 of x has a non-finite value \(NaN\) at dimension 0/ });
  t.throws(() => kmeansStepAdd(kmeansStepZero(1, 2), new Float64Array([1, 2]), 2, new Float64Array([Infinity, 0])), { message: /row 0 of centers has a non-finite value/ });
  t.throws(() => kmeansStepAdd(kmeansStepZero(2, 2), new Float64Array([1, 2]), 2, new Float64Array([0, 0])), { message: /for stats/ });
  t.throws(() => kmeansStepAdd(kmeansStepZero(1, 2), new Float64Array([1, 2]), 2, new Float64Array([0, 0]), { weights: new Float64Array([-1]) }), { message: /row 0 of weights is -1/ });
  t.throws(() => kmeansStepAdd(kmeansStepZero(1, 2), new Float64Array([1, 2]), 2, new Float64Array([0, 0]), { labels: new Int32Array(3) }), { message: /labels\.length/ });
  const e = new KindlingError('ERR_KINDLING_NATIVE', 'x');
  t.ok(e instanceof Error && new KindlingTypeError('a') instanceof KindlingError && new KindlingRangeError('b') instanceof KindlingError);
});

t.test('simdLevel reports the active tier, never above what the CPU has', async (t) => {
  const caps = capabilities();
  t.ok(caps.detected.includes(simdLevel()));
  t.ok(caps.compiled.includes(simdLevel()));
  t.equal(simdLevel(), caps.active);
});
