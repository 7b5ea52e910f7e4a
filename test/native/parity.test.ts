// Every compiled SIMD tier this CPU can run, against the JS reference twins and a Kahan oracle:
// lengths {0,1,3,7,8,9,15,16,17,63,64,65,1003}, start offsets {0,1,3}, with and without
// validity bitmaps. Integer and hash kernels must match exactly; floats within REL.
import t from 'tap';
import { native } from '../../ts/src/native.js';
import { moments, momentsJs, type Moments } from '../../ts/src/kernels/moments.js';
import { groupAggAdd, groupAggAddJs, groupAggZero } from '../../ts/src/kernels/group-agg.js';
import { murmur3Batch, murmur3BatchJs, type PackedStrings } from '../../ts/src/kernels/hash.js';
import { kmeansStepAdd, kmeansStepAddJs, kmeansStepZero, pairwiseDistances, pairwiseDistancesJs, type DistanceMeasure } from '../../ts/src/kernels/distance.js';
import { gaussian, mulberry32, randomValidity, relClose } from '../reference/rng.js';
import { kahanMoments } from '../reference/moments.js';

const LENGTHS = [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003];
const OFFSETS = [0, 1, 3];
const REL = 1e-12;
const variants = native()._variants();

t.ok(variants.length >= 1 && variants[0]!.isa === 'scalar', 'scalar tier is always available');
t.same(variants.map((v) => v.isa), native().capabilities().detected.filter((l) => native().capabilities().compiled.includes(l)), '_variants() lists every usable tier');

function momentsClose(a: Moments, b: Moments, scale: number): string | null {
  for (const key of ['count', 'nanCount', 'min', 'max'] as const) {
    if (!Object.is(a[key], b[key])) return `${key}: ${a[key]} vs ${b[key]}`;
  }
  if (!relClose(a.sum, b.sum, REL, REL * scale * a.count)) return `sum: ${a.sum} vs ${b.sum}`;
  if (!relClose(a.mean, b.mean, REL, REL * scale)) return `mean: ${a.mean} vs ${b.mean}`;
  if (!relClose(a.m2, b.m2, REL, REL * scale * scale)) return `m2: ${a.m2} vs ${b.m2}`;
  return null;
}

for (const v of variants) {
  t.test(`moments on ${v.isa}`, async (t) => {
    const rand = mulberry32(11);
    const g = gaussian(rand);
    const failures: string[] = [];
    for (const n of LENGTHS) {
      for (const off of OFFSETS) {
        for (const withValidity of [false, true]) {
          const base = new Float64Array(n + off).map(() => 1000 + 50 * g());
          const f64 = base.subarray(off);
          const f32 = new Float32Array(base).subarray(off);
          const i32 = new Int32Array(base.map((x) => Math.round(x * 1000) - 1_000_000)).subarray(off);
          const val = withValidity ? randomValidity(rand, n, off) : null;
          const validity = val ? { bitmap: val.bitmap, offset: val.offset } : null;
          for (const [name, arr] of [['f64', f64], ['f32', f32], ['i32', i32]] as const) {
            const got = moments(arr, validity, v);
            const ref = momentsJs(arr, validity);
            const scale = name === 'i32' ? 1e6 : 1100;
            const bad = momentsClose(got, ref, scale);
            if (bad) failures.push(`${name} n=${n} off=${off} validity=${withValidity}: ${bad}`);
            const k = kahanMoments(arr, val?.valid);
            if (k.count !== got.count || !relClose(got.mean, k.mean, 1e-13, 1e-13 * scale) || !relClose(got.m2, k.m2, 1e-10, 1e-12 * scale * scale)) {
              failures.push(`${name} n=${n} off=${off} validity=${withValidity}: vs Kahan mean ${got.mean}/${k.mean} m2 ${got.m2}/${k.m2}`);
            }
          }
        }
      }
    }
    t.same(failures, [], 'every case agrees with the JS reference and the Kahan oracle');
  });

  t.test(`moments stay accurate for large offsets and outlying first values on ${v.isa}`, async (t) => {
    // A huge common offset (1e9 x the spread) and blocks whose first value is 1e9 x the rest:
    // a naive sum of squares would lose every digit here. Block sums are shifted by each block's
    // first value, so the means carried into the merge keep their digits: M2 within 2e-9 at
    // offset/spread = 1e9 (unshifted block sums gave 1.5e-8).
    const g2 = gaussian(mulberry32(99));
    const offset = new Float64Array(3000).map(() => 1e9 + g2());
    const outlier = new Float64Array(3000).map(() => g2() * 1e-3);
    for (let b = 0; b < outlier.length; b += 512) outlier[b] = 1e6 * (b % 1024 === 0 ? 1 : -1);
    for (const [name, x] of [['offset 1e9', offset], ['first value 1e9 x spread', outlier]] as const) {
      const got = moments(x, null, v);
      const k = kahanMoments(x);
      const scale = Math.max(...Array.from(x, Math.abs));
      t.ok(relClose(got.mean, k.mean, 1e-15, 1e-15 * scale), `${name}: mean ${got.mean} vs ${k.mean}`);
      t.ok(relClose(got.m2, k.m2, 2e-9), `${name}: m2 ${got.m2} vs ${k.m2}`);
    }
  });

  t.test(`moments NaN handling on ${v.isa}`, async (t) => {
    const x = new Float64Array(100).map((_, i) => i);
    x[37] = NaN;
    x[80] = NaN;
    const got = moments(x, null, v);
    t.equal(got.count, 100);
    t.equal(got.nanCount, 2);
    t.ok(Number.isNaN(got.sum) && Number.isNaN(got.mean), 'NaN propagates into sum and mean');
    t.equal(got.min, 0);
    t.equal(got.max, 99, 'min/max skip NaN (Spark ordering is applied by sparkMax)');
  });

  t.test(`groupAgg on ${v.isa} is bit-identical to the JS reference`, async (t) => {
    const rand = mulberry32(5);
    const failures: string[] = [];
    for (const n of LENGTHS) {
      for (const off of OFFSETS) {
        for (const withValidity of [false, true]) {
          for (const groups of [1, 7, 1000]) {
            const keys = new Int32Array(n + off).map(() => Math.floor(rand() * groups)).subarray(off);
            const vals = new Float64Array(n + off).map(() => (rand() < 0.03 ? NaN : rand() * 200 - 100)).subarray(off);
            const val = withValidity ? randomValidity(rand, n, off) : null;
            const validity = val ? { bitmap: val.bitmap, offset: val.offset } : null;
            const got = groupAggAdd(groupAggZero(groups), keys, vals, validity, v).acc;
            const ref = groupAggAddJs(groupAggZero(groups), keys, vals, validity).acc;
            for (let i = 0; i < got.length; i++) {
              if (!Object.is(got[i], ref[i])) {
                failures.push(`n=${n} off=${off} groups=${groups} validity=${withValidity} slot ${i}: ${got[i]} vs ${ref[i]}`);
                break;
              }
            }
          }
        }
      }
    }
    t.same(failures, []);
  });

  t.test(`murmur3 on ${v.isa} equals the JS reference exactly`, async (t) => {
    const rand = mulberry32(9);
    const alphabet = ['a', 'b', 'z', '0', ' ', 'é', 'ß', '日', '😀'];
    const failures: string[] = [];
    for (const n of LENGTHS) {
      for (const off of OFFSETS) {
        const strs = Array.from({ length: n }, () => Array.from({ length: Math.floor(rand() * 14) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''));
        const enc = strs.map((s) => Buffer.from(s, 'utf8'));
        const total = enc.reduce((a, b) => a + b.length, 0);
        const bytes = new Uint8Array(off + total);
        bytes.fill(0xab, 0, off);
        const offsets = new Int32Array(n + 1);
        let pos = off;
        offsets[0] = off;
        enc.forEach((b, i) => {
          bytes.set(b, pos);
          pos += b.length;
          offsets[i + 1] = pos;
        });
        const packed: PackedStrings = { bytes, offsets };
        for (const legacy of [false, true]) {
          for (const seed of [42, 0, 0xdeadbeef]) {
            const got = murmur3Batch(packed, seed, { legacy }, v);
            const ref = murmur3BatchJs(packed, seed, legacy);
            if (!Buffer.from(got.buffer).equals(Buffer.from(ref.buffer))) failures.push(`n=${n} off=${off} legacy=${legacy} seed=${seed}`);
          }
        }
      }
    }
    t.same(failures, []);
  });

  t.test(`distances and the KMeans step on ${v.isa}`, async (t) => {
    const rand = mulberry32(21);
    const g = gaussian(rand);
    const failures: string[] = [];
    for (const n of LENGTHS) {
      for (const off of [0, 3]) {
        for (const d of [1, 3, 8, 17]) {
          for (const k of [1, 2, 7, 8, 9, 33]) {
            for (const measure of ['squaredEuclidean', 'cosine'] as DistanceMeasure[]) {
              const x = new Float64Array((n + off) * d).map(() => g() * 3 + 0.5).subarray(off * d);
              const c = new Float64Array(k * d).map(() => g() * 3);
              const w = n % 2 ? new Float64Array(n).map(() => rand() * 2) : null;
              const got = pairwiseDistances(x, d, c, measure, v);
              const ref = pairwiseDistancesJs(x, d, c, measure);
              for (let i = 0; i < got.length; i++) {
                if (!relClose(got[i]!, ref[i]!, 1e-12, 1e-13)) {
                  failures.push(`pairwise ${measure} n=${n} d=${d} k=${k} [${i}]: ${got[i]} vs ${ref[i]}`);
                  break;
                }
              }
              const lg = new Int32Array(n);
              const lr = new Int32Array(n);
              const sg = kmeansStepAdd(kmeansStepZero(k, d), x, d, c, { measure, weights: w, labels: lg }, v);
              const sr = kmeansStepAddJs(kmeansStepZero(k, d), x, d, c, { measure, weights: w, labels: lr });
              // Labels must agree except at a near-tie (distances equal within 1e-12): FMA and
              // lane order may round a tie either way. Sums are only comparable without ties.
              let tie = false;
              for (let i = 0; i < n; i++) {
                if (lg[i] === lr[i]) continue;
                const a = ref[i * k + lg[i]!]!;
                const b = ref[i * k + lr[i]!]!;
                if (relClose(a, b, 1e-12, 1e-13)) tie = true;
                else failures.push(`labels ${measure} n=${n} d=${d} k=${k} row ${i}: ${lg[i]} (${a}) vs ${lr[i]} (${b})`);
              }
              if (tie) continue;
              if (!relClose(sg.cost, sr.cost, 1e-12, 1e-12)) failures.push(`cost ${measure} n=${n} d=${d} k=${k}: ${sg.cost} vs ${sr.cost}`);
              for (let i = 0; i < sg.sums.length; i++) {
                if (!relClose(sg.sums[i]!, sr.sums[i]!, 1e-12, 1e-12)) {
                  failures.push(`sums ${measure} n=${n} d=${d} k=${k}`);
                  break;
                }
              }
              if (!sg.weights.every((x, j) => relClose(x, sr.weights[j]!, 1e-15))) failures.push(`weights ${measure} n=${n} d=${d} k=${k}`);
            }
          }
        }
      }
    }
    t.same(failures, []);
  });
}
