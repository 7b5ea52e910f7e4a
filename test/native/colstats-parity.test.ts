// Column statistics and the affine map (ts/src/kernels/colstats.ts): every native tier against
// the JS twin, exactly (same operations in the same order per feature, no fused multiply-adds:
// colstats.h), over widths, the usual
// lengths, start offsets, NaN and zeros; and the summary algebra (merge with zero, split rows).
import t from 'tap';
import { native } from '../../ts/src/native.js';
import { affineRowsJs, affineRowsRaw, colStatsAddJs, colStatsMerge, colStatsOfRows, colStatsZero, type ColStats } from '../../ts/src/kernels/colstats.js';
import { gaussian, mulberry32 } from '../reference/rng.js';

const LENGTHS = [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 256, 257, 1003];
const OFFSETS = [0, 1, 3];
const close = (a: number, b: number, rel: number) => (Number.isNaN(a) ? Number.isNaN(b) : a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300));

function diff(got: ColStats, want: ColStats, rel: number): string | null {
  if (got.n !== want.n) return `n ${got.n} vs ${want.n}`;
  for (let j = 0; j < want.d; j++) {
    if (!close(got.mean[j]!, want.mean[j]!, rel)) return `mean[${j}] ${got.mean[j]} vs ${want.mean[j]}`;
    if (!close(got.m2[j]!, want.m2[j]!, rel)) return `m2[${j}] ${got.m2[j]} vs ${want.m2[j]}`;
    if (got.min[j] !== want.min[j] || got.max[j] !== want.max[j] || got.nnz[j] !== want.nnz[j]) return `min/max/nnz[${j}]`;
  }
  return null;
}

for (const v of native()._variants()) {
  t.test(`colStats / affineRows on ${v.isa} equal the JS twin`, async (t) => {
    const g = gaussian(mulberry32(7));
    const rel = 0;
    const failures: string[] = [];
    for (const d of [1, 2, 3, 4, 5, 8, 9, 17]) {
      for (const n of LENGTHS) {
        for (const off of OFFSETS) {
          const base = new Float64Array(n * d + off).map((_, e) => (e % 7 === 0 ? 0 : e % 13 === 5 ? NaN : g()));
          const x = base.subarray(off);
          const want = colStatsAddJs(colStatsZero(d), x, n, d);
          const got = n === 0 ? colStatsZero(d) : colStatsOfRows(x, n, d, v);
          const why = diff(got, want, rel);
          if (why) failures.push(`d=${d} n=${n} off=${off}: ${why}`);
          const a = { shift: Float64Array.from({ length: d }, g), scale: Float64Array.from({ length: d }, g), offset: Float64Array.from({ length: d }, g) };
          const ya = affineRowsJs(x, n, d, a, new Float64Array(n * d));
          const yb = affineRowsRaw(x, n, d, a, v);
          if (!ya.every((y, e) => close(y, yb[e]!, 0))) failures.push(`affine d=${d} n=${n} off=${off}`);
        }
      }
    }
    t.same(failures, []);
  });
}

t.test('summary algebra: merge with zero is the identity; split rows merge to the whole', async (t) => {
  const g = gaussian(mulberry32(3));
  const d = 3;
  const n = 700;
  const x = Float64Array.from({ length: n * d }, g);
  const whole = colStatsOfRows(x, n, d);
  t.same(colStatsMerge(colStatsZero(d), colStatsOfRows(x, n, d)), whole);
  for (const cut of [1, 256, 333]) {
    const parts = colStatsMerge(colStatsOfRows(x.subarray(0, cut * d), cut, d), colStatsOfRows(x.subarray(cut * d), n - cut, d));
    t.equal(diff(parts, whole, 1e-12), null, `split at ${cut}`);
  }
});

t.test('the raw entry points refuse bad shapes with coded errors', async (t) => {
  const a = native();
  t.throws(() => a.colStatsF64(new Float64Array(3), 2, new Float64Array(11)), /colStatsF64: x length is not a multiple of d/);
  t.throws(() => a.colStatsF64(new Float64Array(4), 2, new Float64Array(3)), /colStatsF64: expected length 11 for out, got 3/);
  t.throws(() => a.affineRowsF64(new Float64Array(4), 2, new Float64Array(1), new Float64Array(2), new Float64Array(2), new Float64Array(4)), /affineRowsF64: expected length 2 for shift, got 1/);
});
