// The GLM loss and gradient and the margins (ts/src/kernels/glm.ts): every native tier this CPU
// has against the JS twin, over losses, widths, the usual lengths, start offsets, weights (with
// zeros) and extreme margins. The tiers sum in another order and use their own exp/log1p, so the
// comparison is to rounding: relative 1e-13 of the sum of the terms' magnitudes.
import t from 'tap';
import { native } from '../../ts/src/native.js';
import { glmLossGradJs, glmLossGradRaw, glmMargins, glmMarginsJs, type GlmLossArgs, type GlmLossKind } from '../../ts/src/kernels/glm.js';
import { gaussian, mulberry32 } from '../reference/rng.js';

const LENGTHS = [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 257];
const OFFSETS = [0, 1];
const close = (a: number, b: number, tol: number) => (Number.isNaN(a) ? Number.isNaN(b) : a === b || Math.abs(a - b) <= tol);

for (const v of native()._variants()) {
  t.test(`glmLossGrad / glmMargins on ${v.isa} equal the JS twin to rounding`, async (t) => {
    const g = gaussian(mulberry32(11));
    const failures: string[] = [];
    for (const kind of ['binomial', 'multinomial', 'squared', 'hinge'] as GlmLossKind[]) {
      const k = kind === 'multinomial' ? 4 : 1;
      for (const d of [0, 1, 4, 5, 9, 20]) {
        for (const n of LENGTHS) {
          for (const off of OFFSETS) {
            for (const scale of [1, 30]) {
              const x = new Float64Array(n * d + off).map(g).subarray(off);
              const y = new Float64Array(n + off).map((_, i) => (kind === 'squared' ? g() : i % (kind === 'multinomial' ? k : 2))).subarray(off);
              const w = off === 1 ? null : new Float64Array(n + off).map((_, i) => (i % 7 === 3 ? 0 : 0.25 + (i % 5))).subarray(off);
              const coef = new Float64Array(k * d).map(() => scale * g());
              const intercept = new Float64Array(k).map(g);
              const a: GlmLossArgs = { kind, x, y, w, n, d, k, coef, intercept };
              const want = new Float64Array(k * d + k);
              const rw = glmLossGradJs(a, want);
              const got = new Float64Array(k * d + k);
              const rg = glmLossGradRaw(a, got, v);
              const tol = 1e-13 * (1 + n) * (1 + scale * Math.sqrt(d)) ** 2;
              const where = `${kind} d=${d} n=${n} off=${off} scale=${scale}`;
              if (!close(rg.loss, rw.loss, tol) || !close(rg.weightSum, rw.weightSum, 1e-12 * (1 + n))) failures.push(`${where}: loss ${rg.loss} vs ${rw.loss}`);
              const e = want.findIndex((wv, i) => !close(got[i]!, wv, tol));
              if (e >= 0) failures.push(`${where}: grad[${e}] ${got[e]} vs ${want[e]}`);
              const m = glmMargins(x, n, d, coef, intercept, k, undefined, v);
              const mj = glmMarginsJs(x, n, d, coef, intercept, k, new Float64Array(n * k));
              if (!mj.every((mv, i) => close(m[i]!, mv, 1e-13 * (1 + Math.abs(mv))))) failures.push(`${where}: margins`);
            }
          }
        }
      }
    }
    t.same(failures, []);
  });
}

t.test('the active tier accumulates into grad and agrees on a block split in two', async (t) => {
  const g = gaussian(mulberry32(5));
  const n = 301;
  const d = 7;
  const x = new Float64Array(n * d).map(g);
  const y = new Float64Array(n).map((_, i) => i % 2);
  const coef = new Float64Array(d).map(g);
  const intercept = Float64Array.of(0.3);
  const whole = new Float64Array(d + 1);
  const rw = glmLossGradRaw({ kind: 'binomial', x, y, w: null, n, d, k: 1, coef, intercept }, whole);
  const parts = new Float64Array(d + 1);
  const cut = 120;
  const r1 = glmLossGradRaw({ kind: 'binomial', x: x.subarray(0, cut * d), y: y.subarray(0, cut), w: null, n: cut, d, k: 1, coef, intercept }, parts);
  const r2 = glmLossGradRaw({ kind: 'binomial', x: x.subarray(cut * d), y: y.subarray(cut), w: null, n: n - cut, d, k: 1, coef, intercept }, parts);
  t.ok(Math.abs(r1.loss + r2.loss - rw.loss) < 1e-12 * rw.loss);
  t.equal(r1.weightSum + r2.weightSum, n);
  whole.forEach((v, i) => t.ok(Math.abs(parts[i]! - v) < 1e-12 * (1 + Math.abs(v)), `grad[${i}]`));
});
