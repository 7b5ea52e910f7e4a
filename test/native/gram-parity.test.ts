// PCA's Gram kernel (kernels/gram.ts): every native tier against the JS twin over the usual
// lengths, offsets and widths (tails of 4- and 8-lane steps), the lower triangle untouched,
// and the wrapper's argument errors.
import t from 'tap';
import { native } from '../../ts/src/native.js';
import { gramAdd, gramAddJs } from '../../ts/src/kernels/gram.js';
import { gaussian, mulberry32 } from '../reference/rng.js';

const LENGTHS = [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003];
const OFFSETS = [0, 1, 3];

for (const v of native()._variants()) {
  t.test(`gramAdd on ${v.isa} equals the JS twin`, async (t) => {
    const g = gaussian(mulberry32(9));
    const failures: string[] = [];
    for (const d of [1, 3, 4, 5, 8, 9, 17]) {
      for (const n of LENGTHS) {
        for (const off of OFFSETS) {
          const x = new Float64Array(n * d + off).map(() => 5 + 3 * g()).subarray(off);
          const shift = new Float64Array(d).map(() => g());
          const g0 = new Float64Array(d * d).map(() => g());
          const s0 = new Float64Array(d).map(() => g());
          const [gw, sw, gg, sg] = [g0.slice(), s0.slice(), g0.slice(), s0.slice()];
          gramAddJs(x, d, shift, gw, sw);
          gramAdd(x, d, shift, gg, sg, v);
          const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)) * Math.max(1, n);
          for (let a = 0; a < d; a++) {
            if (!close(sg[a]!, sw[a]!)) failures.push(`sums d=${d} n=${n} off=${off} [${a}]`);
            for (let b = 0; b < d; b++) {
              const ok = b < a ? gg[a * d + b] === g0[a * d + b] : close(gg[a * d + b]!, gw[a * d + b]!);
              if (!ok) failures.push(`gram d=${d} n=${n} off=${off} [${a},${b}]`);
            }
          }
        }
      }
    }
    t.same(failures.slice(0, 5), []);
  });
}

t.test('gramAdd: argument errors name the argument', async (t) => {
  const f = (n: number) => new Float64Array(n);
  t.throws(() => gramAdd(f(3), 2, f(2), f(4), f(2)), /gramAdd: expected a length that is a multiple of d = 2 for x, got "3 values"/);
  t.throws(() => gramAdd(f(4), 0, f(2), f(4), f(2)), /gramAdd: expected .* for d/);
  t.throws(() => gramAdd(f(4), 2, f(3), f(4), f(2)), /gramAdd: expected 2 values \(d\) for shift/);
  t.throws(() => gramAdd(f(4), 2, f(2), f(3), f(2)), /gramAdd: expected 4 values \(d x d\) for gram/);
  t.throws(() => gramAdd(f(4), 2, f(2), f(4), f(1)), /gramAdd: expected 2 values \(d\) for sums/);
  const gram = f(4);
  const sums = f(2);
  gramAdd(Float64Array.of(1, 2, 3, 4, 5, 6), 2, Float64Array.of(3, 4), gram, sums);
  t.same(Array.from(gram), [8, 8, 0, 8], 'by hand: centred rows (-2,-2), (0,0), (2,2)');
  t.same(Array.from(sums), [0, 0]);
});
