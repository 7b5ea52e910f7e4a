// The Gaussian-mixture E-step on every compiled SIMD tier this CPU runs, against the JS reference
// twin: lengths {0,1,3,7,8,9,15,16,17,63,64,65,1003}, start offsets {0,3}, d in {1,2,3,8,9},
// k in {1,2,5,8}, with and without row weights; sufficient statistics, log-likelihood and
// posteriors within 1e-10 relative; pseudo-inverse components (Spark's degenerate Gaussian) too.
// Plus hand values, Spark's EPSILON semantics far from every component, error rows, the summary
// algebra and a run through a local[2] worker pool.
import t from 'tap';
import { native, type NativeKernels } from '../../ts/src/native.js';
import {
  GMM_EPSILON, choleskyLower, gmmPosteriors, gmmPosteriorsJs, gmmStepAdd, gmmStepAddJs, gmmStepMerge, gmmStepZero,
  packedSize, unpackUpper, type GmmComponents, type GmmStepStats,
} from '../../ts/src/kernels/gmm.js';
import { localContext } from '../../ts/src/exec/task.js';
import { Session } from '../../ts/src/session.js';
import { gmmStats, type GmmStepBroadcast } from '../../ts/ml/clustering/gmm-tasks.js';
import { gaussian, mulberry32, relClose } from '../reference/rng.js';

const LENGTHS = [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003];
const REL = 1e-10;
const variants = native()._variants();

/** A random mixture: weights summing to 1, means, and SPD covariances A A^T + 0.3 I. */
function randomComponents(rand: () => number, k: number, d: number, scale = 1): GmmComponents {
  const g = gaussian(rand);
  const weights = new Float64Array(k).map(() => 0.2 + rand());
  const sw = weights.reduce((s, v) => s + v, 0);
  for (let j = 0; j < k; j++) weights[j] /= sw;
  const means = new Float64Array(k * d).map(() => g() * 2 * scale);
  const chol = new Float64Array(k * d * d);
  const logDet = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const a = new Float64Array(d * d).map(() => g() * 0.6 * scale);
    const cov = new Float64Array(d * d);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        let s = r === c ? 0.3 * scale * scale : 0;
        for (let u = 0; u < d; u++) s += a[r * d + u]! * a[c * d + u]!;
        cov[r * d + c] = s;
      }
    }
    const f = choleskyLower(cov, d)!;
    chol.set(f.chol, j * d * d);
    logDet[j] = f.logDet;
  }
  const shift = new Float64Array(d).map(() => g() * scale);
  return { k, d, weights, means, shift, chol, logDet };
}

function statsDiff(a: GmmStepStats, b: GmmStepStats, rel: number): string | null {
  if (a.count !== b.count) return `count ${a.count} vs ${b.count}`;
  if (!relClose(a.logLik, b.logLik, rel, rel)) return `logLik ${a.logLik} vs ${b.logLik}`;
  if (!relClose(a.flooredWeight, b.flooredWeight, rel, rel)) return `flooredWeight ${a.flooredWeight} vs ${b.flooredWeight}`;
  const scale = Math.max(1, ...Array.from(b.respSum));
  for (const key of ['respSum', 'sumX', 'sumXX'] as const) {
    const sx = Math.max(1e-300, ...Array.from(b[key], Math.abs));
    for (let i = 0; i < a[key].length; i++) {
      if (!relClose(a[key][i]!, b[key][i]!, rel, rel * Math.max(sx, scale))) return `${key}[${i}] ${a[key][i]} vs ${b[key][i]}`;
    }
  }
  return null;
}

t.ok(variants.length >= 1 && variants[0]!.isa === 'scalar', 'the scalar tier is always there');

for (const v of variants) {
  t.test(`gmm E-step on ${v.isa} agrees with the JS twin`, async (t) => {
    const rand = mulberry32(31);
    const g = gaussian(rand);
    const failures: string[] = [];
    let cases = 0;
    for (const n of LENGTHS) {
      for (const off of [0, 3]) {
        for (const d of [1, 2, 3, 8, 9]) {
          for (const k of [1, 2, 5, 8]) {
            const comps = randomComponents(rand, k, d);
            const x = new Float64Array((n + off) * d).map(() => g() * 2.5).subarray(off * d);
            const w = (n + d + k) % 2 === 1 ? new Float64Array(n).map(() => rand() * 3) : null;
            const got = gmmStepAdd(gmmStepZero(k, d), x, d, comps, { weights: w }, v);
            const ref = gmmStepAddJs(gmmStepZero(k, d), x, d, comps, { weights: w });
            const bad = statsDiff(got, ref, REL);
            if (bad) failures.push(`n=${n} off=${off} d=${d} k=${k} weights=${w !== null}: ${bad}`);
            const pg = gmmPosteriors(x, d, comps, {}, v);
            const pr = gmmPosteriorsJs(x, d, comps);
            for (let i = 0; i < pg.length; i++) {
              if (!relClose(pg[i]!, pr[i]!, REL, 1e-15)) {
                failures.push(`posteriors n=${n} d=${d} k=${k} [${i}]: ${pg[i]} vs ${pr[i]}`);
                break;
              }
            }
            cases++;
          }
        }
      }
    }
    t.same(failures, [], `${cases} cases agree within ${REL}`);
  });

  t.test(`gmm pseudo-inverse components on ${v.isa} agree with the JS twin`, async (t) => {
    const rand = mulberry32(41);
    const g = gaussian(rand);
    const failures: string[] = [];
    for (const n of [1, 9, 17, 65]) {
      for (const d of [1, 3, 8]) {
        const comps = randomComponents(rand, 3, d);
        // component 1: a random root pseudo-inverse W (row d - 1 zero: rank d - 1)
        const W = new Float64Array(d * d).map((_, e) => (Math.floor(e / d) === d - 1 ? 0 : g() * 0.7));
        comps.chol.set(W, d * d);
        comps.logDet[1] = 0.3 * (d - 1);
        comps.pseudo = Uint8Array.of(0, 1, 0);
        const x = new Float64Array(n * d).map(() => g() * 2);
        const w = new Float64Array(n).map(() => rand() * 2);
        const bad = statsDiff(gmmStepAdd(gmmStepZero(3, d), x, d, comps, { weights: w }, v), gmmStepAddJs(gmmStepZero(3, d), x, d, comps, { weights: w }), REL);
        if (bad) failures.push(`n=${n} d=${d}: ${bad}`);
        const pg = gmmPosteriors(x, d, comps, {}, v);
        const pr = gmmPosteriorsJs(x, d, comps);
        if (!pg.every((p, i) => relClose(p, pr[i]!, REL, 1e-15))) failures.push(`posteriors n=${n} d=${d}`);
      }
    }
    t.same(failures, [], 'pseudo-inverse components agree within 1e-10');
    // By hand: cov [[1, 1], [1, 1]] keeps eigenvalue 2 along (1, 1)/sqrt 2: W = [[1/2, 1/2], [0, 0]], log pdet = log 2,
    // log pdf(x) = -(2 log 2pi + log 2)/2 - (x0 + x1)^2/8 (Spark's MultivariateGaussian, d = 2 in the constant).
    const one: GmmComponents = { k: 1, d: 2, weights: Float64Array.of(1), means: new Float64Array(2), shift: new Float64Array(2), chol: Float64Array.of(0.5, 0.5, 0, 0), logDet: Float64Array.of(Math.log(2)), pseudo: Uint8Array.of(1) };
    const x = Float64Array.of(0, 0, 1, -1, 2, 1, -3, 0.5);
    const want = [0, 1, 2, 3].reduce((a, i) => a + Math.log(GMM_EPSILON + Math.exp(-0.5 * (2 * Math.log(2 * Math.PI) + Math.log(2)) - (x[2 * i]! + x[2 * i + 1]!) ** 2 / 8)), 0);
    const s = gmmStepAdd(gmmStepZero(1, 2), x, 2, one, {}, v);
    t.ok(relClose(s.logLik, want, 1e-14), `degenerate density by hand: ${s.logLik} vs ${want}`);
    t.throws(() => gmmStepAdd(gmmStepZero(1, 2), x, 2, { ...one, chol: Float64Array.of(0.5, NaN, 0, 0) }, {}, v), { message: /row 0 of components\.chol has a non-finite pseudo-inverse entry at 1/ });
    t.throws(() => gmmStepAdd(gmmStepZero(1, 2), x, 2, { ...one, pseudo: Uint8Array.of(1, 0) }, {}, v), { message: /components\.pseudo/ });
  });

  t.test(`gmm hand values and Spark's EPSILON on ${v.isa}`, async (t) => {
    // One 1-D component N(0, 1), weight 1: log p = log(EPSILON + pdf(x)).
    const one: GmmComponents = { k: 1, d: 1, weights: Float64Array.of(1), means: Float64Array.of(0), shift: Float64Array.of(0), chol: Float64Array.of(1), logDet: Float64Array.of(0) };
    const x = Float64Array.of(0, 1, -2, 3, 0.5, 0.25, -1, 2, 1.5);
    const s = gmmStepAdd(gmmStepZero(1, 1), x, 1, one, {}, v);
    const want = Array.from(x).reduce((acc, xi) => acc + Math.log(GMM_EPSILON + Math.exp(-0.5 * xi * xi) / Math.sqrt(2 * Math.PI)), 0);
    t.ok(relClose(s.logLik, want, 1e-14), `logLik ${s.logLik} vs ${want}`);
    t.ok(relClose(s.respSum[0]!, 9, 1e-15), 'one component takes every row');
    t.ok(relClose(s.sumX[0]!, Array.from(x).reduce((a, b) => a + b, 0), 1e-14), 'sumX');
    t.ok(relClose(s.sumXX[0]!, Array.from(x).reduce((a, b) => a + b * b, 0), 1e-14), 'sumXX');
    t.equal(s.count, 9);

    // Rows far from both components: Spark's p_c = EPSILON + w_c pdf_c with pdf_c = 0 in doubles
    // gives uniform responsibilities and log(2 EPSILON); the log-space form gives the same.
    const two: GmmComponents = {
      k: 2, d: 2, weights: Float64Array.of(0.3, 0.7), means: Float64Array.of(0, 0, 1, 1), shift: Float64Array.of(0.5, -0.25),
      chol: Float64Array.of(1, 0, 0, 1, 0.5, 0, 0.1, 0.5), logDet: Float64Array.of(0, 2 * Math.log(0.25)),
    };
    const far = new Float64Array(2 * 9).fill(1e3);
    const fs = gmmStepAdd(gmmStepZero(2, 2), far, 2, two, {}, v);
    t.ok(relClose(fs.logLik, 9 * Math.log(2 * GMM_EPSILON), 1e-14), `far rows: logLik ${fs.logLik}`);
    t.ok(relClose(fs.respSum[0]!, 4.5, 1e-14) && relClose(fs.respSum[1]!, 4.5, 1e-14), 'far rows: responsibilities 1/2 each');
    t.equal(fs.flooredWeight, 9, 'far rows: all floored by EPSILON');
    t.equal(s.flooredWeight, 0, 'rows near N(0, 1): none floored');
    // Spark's direct form on rows near the components (no under/overflow there).
    const near = Float64Array.of(0.1, -0.2, 0.9, 1.2, 0.5, 0.5, -1, 0.3, 1, 1, 2, 0, 0.3, 0.8, -0.5, -0.5, 1.1, 0.9);
    const ns = gmmStepAdd(gmmStepZero(2, 2), near, 2, two, { weights: new Float64Array(9).fill(2) }, v);
    const dens = (xi: number[], j: number) => {
      const c = j === 0 ? [1, 0, 0, 1] : [0.25, 0.05, 0.05, 0.26]; // L L^T
      const det = c[0]! * c[3]! - c[1]! * c[2]!;
      const dx = [xi[0]! - j, xi[1]! - j];
      const q = (c[3]! * dx[0]! * dx[0]! - 2 * c[1]! * dx[0]! * dx[1]! + c[0]! * dx[1]! * dx[1]!) / det;
      return Math.exp(-0.5 * q) / (2 * Math.PI * Math.sqrt(det));
    };
    let ll = 0;
    let r0 = 0;
    for (let i = 0; i < 9; i++) {
      const xi = [near[2 * i]!, near[2 * i + 1]!];
      const p = [GMM_EPSILON + 0.3 * dens(xi, 0), GMM_EPSILON + 0.7 * dens(xi, 1)];
      ll += Math.log(p[0]! + p[1]!) * 2;
      r0 += (p[0]! / (p[0]! + p[1]!)) * 2;
    }
    t.ok(relClose(ns.logLik, ll, 1e-13), `Spark's direct form: logLik ${ns.logLik} vs ${ll}`);
    t.ok(relClose(ns.respSum[0]!, r0, 1e-13), `Spark's direct form: responsibilities ${ns.respSum[0]} vs ${r0}`);
    // Mixed: half the rows far away, weighted 3.
    const mixed = new Float64Array(2 * 20).map((_, i) => (i < 20 ? near[i % 18]! : 500));
    const ms = gmmStepAdd(gmmStepZero(2, 2), mixed, 2, two, { weights: new Float64Array(20).fill(3) }, v);
    t.equal(ms.flooredWeight, 30, 'floored weight counts the far rows with their weights');
  });

  t.test(`gmm error rows on ${v.isa}`, async (t) => {
    const comps = randomComponents(mulberry32(5), 3, 2);
    for (const n of [1, 9, 17]) {
      for (const row of [0, n - 1, Math.floor(n / 2)]) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const x = new Float64Array(n * 2).map((_, i) => (i % 7) * 0.1);
          x[row * 2 + 1] = bad;
          t.throws(() => gmmStepAdd(gmmStepZero(3, 2), x, 2, comps, { rowBase: 100 }, v), { message: new RegExp(`^gmmStep: row ${100 + row} of x has a non-finite value \\(${bad}\\) at dimension 1`) }, `n=${n} row=${row} ${bad}`);
          t.throws(() => gmmPosteriors(x, 2, comps, {}, v), { message: new RegExp(`row ${row} of x has a non-finite value`) });
        }
      }
    }
    const x = new Float64Array(20).fill(1);
    const w = new Float64Array(10).fill(1);
    w[6] = -1;
    t.throws(() => gmmStepAdd(gmmStepZero(3, 2), x, 2, comps, { weights: w }, v), { message: /^gmmStep: row 6 of weights is -1; weights must be finite and >= 0/ });
    // Through the native call directly (bypassing the wrapper's checks): the kernel reports the row.
    w[6] = NaN;
    const s = gmmStepZero(3, 2);
    t.equal(v.gmmEStepF64(x, w, 2, 3, comps.shift, comps.weights, comps.means, comps.chol, comps.logDet, s.respSum, s.sumX, s.sumXX, new Float64Array(2), null, null), 6, 'the kernel reports a NaN weight');
    // Features so large that the forward substitution overflows: no finite density.
    // (z0 = +inf, z1 = -inf, then z2 = inf - inf = NaN.)
    const huge = Float64Array.of(0, 0, 0, 1e308, 0, 0, 0, 0, 0);
    const skew: GmmComponents = { k: 1, d: 3, weights: Float64Array.of(1), means: new Float64Array(3), shift: new Float64Array(3), chol: Float64Array.of(1e-300, 0, 0, 1, 1e-300, 0, 1, 1, 1), logDet: Float64Array.of(4 * Math.log(1e-300)) };
    t.throws(() => gmmStepAdd(gmmStepZero(1, 3), huge, 3, skew, {}, v), { message: /row 1 of x has no finite density/ });
    // Bad components are argument errors.
    const badChol = { ...comps, chol: comps.chol.slice() };
    badChol.chol[4 + 3] = 0;
    t.throws(() => gmmStepAdd(gmmStepZero(3, 2), x, 2, badChol, {}, v), { message: /row 1 of components\.chol has diagonal entry 0 at 1/ });
    // The native side checks shapes only (values are validated once, by the TS boundary above).
    t.equal(typeof v.gmmEStepF64(x, null, 2, 3, comps.shift, comps.weights, comps.means, badChol.chol, comps.logDet, null, null, null, null, new Float64Array(30), null), 'number', 'C++ does not re-check values');
    t.throws(() => v.gmmEStepF64(x, null, 2, 3, comps.shift, comps.weights, comps.means, comps.chol, comps.logDet, s.respSum, null, s.sumXX, null, null, null), { message: /must be given together/ });
    t.throws(() => v.gmmEStepF64(x, null, 2, 3, comps.shift, comps.weights, comps.means.subarray(1), comps.chol, comps.logDet, null, null, null, null, null, null), { message: /expected length 6 for means/ });
    t.throws(() => v.gmmEStepF64(x, null, 2, 3, comps.shift, comps.weights, comps.means, comps.chol, comps.logDet, null, null, null, null, null, new Uint8Array(2)), { message: /expected length 3 for pseudo/ });
  });
}

t.test('linear algebra helpers', async (t) => {
  const a = Float64Array.of(4, 2, 0.4, 2, 2, 0.5, 0.4, 0.5, 3);
  const f = choleskyLower(a, 3)!;
  const L = f.chol;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let u = 0; u < 3; u++) s += L[i * 3 + u]! * L[j * 3 + u]!;
      t.ok(relClose(s, a[i * 3 + j]!, 1e-15, 1e-15), `L L^T [${i},${j}]`);
    }
  }
  const det = 4 * (2 * 3 - 0.25) - 2 * (2 * 3 - 0.5 * 0.4) + 0.4 * (2 * 0.5 - 2 * 0.4);
  t.ok(relClose(f.logDet, Math.log(det), 1e-14), 'log det');
  t.equal(choleskyLower(Float64Array.of(1, 1, 1, 1), 2), null, 'singular: null');
  t.equal(choleskyLower(Float64Array.of(1, 2, 2, 1), 2), null, 'indefinite: null');
  t.same(Array.from(unpackUpper(Float64Array.of(1, 2, 3, 4, 5, 6), 3)), [1, 2, 4, 2, 3, 5, 4, 5, 6], "Spark's packed upper layout");
  t.equal(packedSize(8), 36);
});

t.test('summary algebra: zero is the identity, splits agree', async (t) => {
  const rand = mulberry32(77);
  const g = gaussian(rand);
  const comps = randomComponents(rand, 4, 3);
  const x = new Float64Array(501 * 3).map(() => g() * 2);
  const w = new Float64Array(501).map(() => rand() * 2);
  const whole = gmmStepAdd(gmmStepZero(4, 3), x, 3, comps, { weights: w });
  const viaZero = gmmStepMerge(gmmStepZero(4, 3), gmmStepAdd(gmmStepZero(4, 3), x, 3, comps, { weights: w }));
  t.equal(statsDiff(viaZero, whole, 0), null, 'merge(zero, s) = s');
  for (const parts of [2, 5, 8]) {
    let acc = gmmStepZero(4, 3);
    for (let p = 0; p < parts; p++) {
      const lo = Math.floor((p * 501) / parts);
      const hi = Math.floor(((p + 1) * 501) / parts);
      const b: GmmStepBroadcast = { comps, rowBases: [0], api: 'test', featuresCol: 'x' };
      acc = gmmStepMerge(acc, gmmStats.add(gmmStats.zero(b), { x: x.subarray(lo * 3, hi * 3), w: w.subarray(lo, hi), n: hi - lo, d: 3 }, b, localContext()));
    }
    t.equal(statsDiff(acc, whole, 1e-12), null, `${parts} partitions`);
  }
  // The shift moves the sums, not the densities: sum r x' = sum r x - W shift.
  const unshifted = gmmStepAdd(gmmStepZero(4, 3), x, 3, { ...comps, shift: new Float64Array(3) }, { weights: w });
  t.ok(relClose(unshifted.logLik, whole.logLik, 1e-12), 'the log-likelihood does not depend on the shift');
  for (let j = 0; j < 4; j++) {
    t.ok(relClose(unshifted.respSum[j]!, whole.respSum[j]!, 1e-12), `responsibilities of ${j} do not depend on the shift`);
    for (let f = 0; f < 3; f++) t.ok(relClose(whole.sumX[j * 3 + f]!, unshifted.sumX[j * 3 + f]! - whole.respSum[j]! * comps.shift[f]!, 1e-10, 1e-10), `sumX[${j}][${f}] moves by W shift`);
  }
  t.throws(() => gmmStepMerge(gmmStepAdd(gmmStepZero(4, 3), x, 3, comps), unshifted), { message: /the same shift/ });
});

t.test('the summary runs in local[2] workers (gmmStats)', async (t) => {
  const spark = await Session.builder().appName('gmm-parity').master('local[2]').getOrCreate();
  t.teardown(() => spark.stop());
  const rand = mulberry32(9);
  const g = gaussian(rand);
  const comps = randomComponents(rand, 3, 4);
  const x = new Float64Array(400 * 4).map(() => g());
  const parts = [0, 1, 2, 3].map((p) => ({ x: x.slice(p * 400, (p + 1) * 400), w: null, n: 100, d: 4 }));
  const b: GmmStepBroadcast = { comps, rowBases: [0, 100, 200, 300], api: 'test', featuresCol: 'features' };
  const got = await spark.treeAggregate(gmmStats, parts, b);
  const ref = gmmStepAddJs(gmmStepZero(3, 4), x, 4, comps);
  t.equal(statsDiff(got, ref, 1e-10), null, 'workers agree with the JS twin');
  const bad = x.slice(800, 1200);
  bad[7] = NaN;
  // A row the kernel cannot use (prepared data never holds one; components that diverged can) fails naming its global row, as a convergence failure.
  await t.rejects(spark.treeAggregate(gmmStats, { inputs: [{ value: { x: bad, w: null, n: 100, d: 4 } }], partitions: [2] }, b), { message: /^test: EM did not converge: row 201 of column features has no finite density/, code: 'ERR_KINDLING_CONVERGENCE' });
});

void (null as unknown as NativeKernels);
