// The partition-summary algebra: merge(zero, s) = s, and splitting the same rows into 1, 2, 5
// or 8 partitions gives the same summary within tolerance (exactly, for order-free parts).
import t from 'tap';
import { moments, mergeMoments, zeroMoments } from '../../ts/src/kernels/moments.js';
import { groupAggAdd, groupAggMerge, groupAggZero } from '../../ts/src/kernels/group-agg.js';
import { kmeansStepAdd, kmeansStepMerge, kmeansStepZero } from '../../ts/src/kernels/distance.js';
import { gaussian, mulberry32, relClose } from '../reference/rng.js';

function splits(n: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let p = 0; p < parts; p++) out.push([Math.floor((p * n) / parts), Math.floor(((p + 1) * n) / parts)]);
  return out;
}

const rand = mulberry32(77);
const g = gaussian(rand);
const n = 5003;
const x = new Float64Array(n).map(() => 1e3 + g());
const keys = new Int32Array(n).map(() => Math.floor(rand() * 31));
const d = 3;
const pts = new Float64Array(n * d).map(() => g());
const centers = new Float64Array([0, 0, 0, 1, 1, 1, -1, 0, 1, 2, -2, 0]);

t.test('moments', async (t) => {
  const whole = moments(x);
  t.same(mergeMoments(zeroMoments(), whole), whole, 'zero is a left identity');
  for (const parts of [1, 2, 5, 8]) {
    const m = splits(n, parts).map(([a, b]) => moments(x.subarray(a, b))).reduce(mergeMoments, zeroMoments());
    t.equal(m.count, whole.count);
    t.ok(relClose(m.mean, whole.mean, 1e-14), `${parts} partitions: mean ${m.mean}`);
    t.ok(relClose(m.m2, whole.m2, 1e-11), `${parts} partitions: m2 ${m.m2} vs ${whole.m2}`);
    t.equal(m.min, whole.min);
    t.equal(m.max, whole.max);
  }
});

t.test('groupAgg', async (t) => {
  const whole = groupAggAdd(groupAggZero(31), keys, x);
  for (const parts of [1, 2, 5, 8]) {
    const m = splits(n, parts).map(([a, b]) => groupAggAdd(groupAggZero(31), keys.subarray(a, b), x.subarray(a, b))).reduce(groupAggMerge, groupAggZero(31));
    let ok = true;
    for (let i = 0; i < whole.acc.length; i++) if (!relClose(m.acc[i]!, whole.acc[i]!, 1e-14)) ok = false;
    t.ok(ok, `${parts} partitions`);
  }
});

t.test('KMeans step', async (t) => {
  const whole = kmeansStepAdd(kmeansStepZero(4, d), pts, d, centers);
  for (const parts of [1, 2, 5, 8]) {
    const m = splits(n, parts)
      .map(([a, b]) => kmeansStepAdd(kmeansStepZero(4, d), pts.subarray(a * d, b * d), d, centers))
      .reduce(kmeansStepMerge, kmeansStepZero(4, d));
    t.same(Array.from(m.weights), Array.from(whole.weights), `${parts} partitions: same assignment counts`);
    t.ok(relClose(m.cost, whole.cost, 1e-12), `${parts} partitions: cost`);
    t.ok(m.sums.every((v, i) => relClose(v, whole.sums[i]!, 1e-11, 1e-12)), `${parts} partitions: sums`);
  }
});
