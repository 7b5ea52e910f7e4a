// Row checks (kernels/validate-rows.ts): every native tier against the JS twin, with bad values
// planted at every position of blocks of the usual lengths and offsets, and the error contract.
import t from 'tap';
import { native } from '../../ts/src/native.js';
import { explainRow, firstBadRow, firstBadRowJs, firstBadWeight, firstBadWeightJs } from '../../ts/src/kernels/validate-rows.js';
import { gaussian, mulberry32 } from '../reference/rng.js';

const LENGTHS = [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003];
const OFFSETS = [0, 1, 3];
const CHECKS = [{}, { nonZeroNorm: true }, { finiteNorm: true }, { nonZeroNorm: true, finiteNorm: true }];

for (const v of native()._variants()) {
  t.test(`firstBadRow / firstBadWeight on ${v.isa} equal the JS twin`, async (t) => {
    const g = gaussian(mulberry32(5));
    const failures: string[] = [];
    for (const d of [1, 3, 4, 6]) {
      for (const rows of LENGTHS) {
        for (const off of OFFSETS) {
          const base = new Float64Array(rows * d + off).map(() => g());
          const x = base.subarray(off);
          for (const c of CHECKS) if (firstBadRow(x, d, c, v) !== firstBadRowJs(x, d, c)) failures.push(`clean d=${d} n=${rows} off=${off}`);
          for (let at = 0; at < x.length; at += 1 + (at >> 2)) {
            for (const bad of [NaN, Infinity, -Infinity, 0, 1e200]) {
              const y = x.slice();
              y[at] = bad;
              if (bad === 0) y.fill(0, Math.floor(at / d) * d, Math.floor(at / d) * d + d);
              for (const c of CHECKS) {
                const got = firstBadRow(y, d, c, v);
                const want = firstBadRowJs(y, d, c);
                if (got !== want) failures.push(`d=${d} n=${rows} at=${at} value=${bad} ${JSON.stringify(c)}: ${got} vs ${want}`);
              }
            }
          }
        }
      }
    }
    for (const n of LENGTHS) {
      const w = new Float64Array(n).map(() => Math.abs(g()));
      if (firstBadWeight(w, v) !== -1) failures.push(`weights n=${n} clean`);
      for (let at = 0; at < n; at++) {
        for (const bad of [NaN, Infinity, -1e-300, -0]) {
          const y = w.slice();
          y[at] = bad;
          if (firstBadWeight(y, v) !== firstBadWeightJs(y)) failures.push(`weights n=${n} at=${at} value=${bad}`);
        }
      }
    }
    t.same(failures, [], 'every case agrees');
  });
}

t.test('explainRow says why a row fails; shapes are checked', async (t) => {
  const x = new Float64Array([1, 2, 0, 0, 3, NaN, 1e200, 1]);
  t.equal(firstBadRow(x, 2), 2);
  t.equal(explainRow(x, 2, 2, {}), 'has a non-finite value (NaN) at index 1; features must be finite numbers');
  t.equal(firstBadRow(x, 2, { nonZeroNorm: true }), 1);
  t.equal(explainRow(x, 2, 1, { nonZeroNorm: true }), 'is a zero vector, for which the cosine distance is undefined');
  const big = new Float64Array([1e200, 1]);
  t.equal(firstBadRow(big, 2, { finiteNorm: true }), 0);
  t.equal(explainRow(big, 2, 0, { finiteNorm: true }), 'has a squared norm that overflows to Infinity; rescale the features');
  t.throws(() => firstBadRow(x, 3), { code: 'ERR_KINDLING_INVALID_ARG', message: /^firstBadRow: expected a length that is a multiple of d = 3 for x, got "8 values"/ });
  t.throws(() => firstBadRow(x, 0), { message: /^firstBadRow: expected .* for d/ });
  t.throws(() => native().firstBadRowF64(x, 3, 0), { name: 'RangeError', code: 'ERR_KINDLING_INVALID_ARG', message: /firstBadRowF64: x length is not a multiple of d/ });
  t.throws(() => native().firstBadRowF64(x, 2, 9), { message: /firstBadRowF64: unknown flags/ });
  t.equal(firstBadWeight(new Float64Array([0, 1, -0, 2])), -1);
});
