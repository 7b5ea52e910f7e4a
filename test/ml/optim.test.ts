/**
 * ts/ml/optim/minimize.ts: L-BFGS, OWL-QN and bounded L-BFGS on problems with known optima.
 * References: Rosenbrock's and the quadratic's optima by hand; the lasso by sklearn 1.2
 * `Lasso(alpha, fit_intercept=True, tol=1e-15)`; the bounded least squares by scipy 1.10
 * `minimize(method='L-BFGS-B', bounds=…, ftol=1e-15, gtol=1e-12)` (values pasted below).
 */
import t from 'tap';
import { minimize, type Objective } from '../../ts/ml/optim/minimize.js';
import { glmLossGradJs } from '../../ts/src/kernels/glm.js';

const rosenbrock: Objective = (x, g) => {
  const [a, b] = [x[0]!, x[1]!];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

t.test('L-BFGS: Rosenbrock from (-1.2, 1) reaches (1, 1)', async (t) => {
  const seen: number[] = [];
  const r = await minimize(rosenbrock, Float64Array.of(-1.2, 1), { maxIter: 200, tol: 1e-12, onIteration: (i) => seen.push(i) });
  t.ok(r.converged, r.reason);
  t.ok(Math.abs(r.x[0]! - 1) < 1e-6 && Math.abs(r.x[1]! - 1) < 1e-6, `x = ${r.x}`);
  t.equal(r.objectiveHistory.length, r.iterations + 1);
  t.same(seen, Array.from({ length: r.iterations }, (_, i) => i + 1));
  for (let i = 1; i < r.objectiveHistory.length; i++) t.ok(r.objectiveHistory[i]! <= r.objectiveHistory[i - 1]!, 'values never rise');
});

t.test('L-BFGS: a quadratic ½xᵀAx - bᵀx reaches A⁻¹b; the gradient check stops it', async (t) => {
  // A = [[4, 1], [1, 3]], b = [1, 2]: A⁻¹b = [1/11, 7/11]
  const f: Objective = (x, g) => {
    g[0] = 4 * x[0]! + x[1]! - 1;
    g[1] = x[0]! + 3 * x[1]! - 2;
    return 0.5 * (4 * x[0]! ** 2 + 2 * x[0]! * x[1]! + 3 * x[1]! ** 2) - x[0]! - 2 * x[1]!;
  };
  const r = await minimize(f, new Float64Array(2), { maxIter: 100, tol: 1e-10 });
  t.equal(r.reason, 'gradient');
  // the gradient check stops at ‖g‖ <= max(tol·|f|, 1e-8)
  t.ok(Math.abs(r.x[0]! - 1 / 11) < 1e-8 && Math.abs(r.x[1]! - 7 / 11) < 1e-8, `x = ${r.x}`);
  t.ok(Math.abs(r.value - -(1 / 11 + 14 / 11) / 2) < 1e-14);
});

// the lasso of sklearn: (1/2n)‖y - Xw - b‖² + α‖w‖₁, the intercept unpenalised
const X = [[1, 2, 0.5], [2, 0.1, 1], [3, 1, -1], [4, -2, 0.3], [5, 0.5, 2], [6, 1.5, -0.7]];
const Y = [1.0, 2.2, 2.9, 4.1, 5.2, 5.8];
const lassoData: Objective = (x, g) => {
  g.fill(0);
  let f = 0;
  const n = X.length;
  X.forEach((row, i) => {
    const r = row.reduce((s, v, j) => s + v * x[j]!, x[3]!) - Y[i]!;
    f += (r * r) / (2 * n);
    row.forEach((v, j) => (g[j] = g[j]! + (r * v) / n));
    g[3] = g[3]! + r / n;
  });
  return f;
};

t.test('OWL-QN: lasso with a sparse solution equals sklearn Lasso', async (t) => {
  const l1 = Float64Array.of(0.3, 0.3, 0.3, 0);
  const r = await minimize(lassoData, new Float64Array(4), { maxIter: 200, tol: 1e-12, l1 });
  t.ok(r.converged, r.reason);
  // sklearn: coef [0.87428571, -0, 0], intercept 0.4733333333333336
  t.equal(r.x[1], 0, 'exactly zero');
  t.equal(r.x[2], 0, 'exactly zero');
  t.ok(Math.abs(r.x[0]! - 0.87428571428571) < 1e-7, `w0 = ${r.x[0]}`);
  t.ok(Math.abs(r.x[3]! - 0.4733333333333336) < 1e-6, `b = ${r.x[3]}`);
  // value includes the L1 term
  const g = new Float64Array(4);
  t.ok(Math.abs(r.value - (lassoData(r.x, g) as number) - 0.3 * Math.abs(r.x[0]!)) < 1e-15);
});

t.test('OWL-QN: a dense lasso solution equals sklearn Lasso (alpha 0.05)', async (t) => {
  const r = await minimize(lassoData, new Float64Array(4), { maxIter: 500, tol: 1e-14, l1: Float64Array.of(0.05, 0.05, 0.05, 0) });
  const want = [0.96021644, -0.02574652, 0.06957972, 0.1615252529701281];
  want.forEach((v, i) => t.ok(Math.abs(r.x[i]! - v) < 1e-6, `x[${i}] = ${r.x[i]} vs ${v}`));
});

t.test('bounded: least squares in a box equals scipy L-BFGS-B', async (t) => {
  const A = [[1, 2], [3, 1], [0.5, -1], [2, 2]];
  const b = [1, -2, 3, 0.5];
  const f: Objective = (x, g) => {
    g.fill(0);
    let v = 0;
    A.forEach((row, i) => {
      const r = row[0]! * x[0]! + row[1]! * x[1]! - b[i]!;
      v += 0.5 * r * r;
      g[0] = g[0]! + r * row[0]!;
      g[1] = g[1]! + r * row[1]!;
    });
    return v;
  };
  const r = await minimize(f, new Float64Array(2), { maxIter: 100, tol: 1e-12, lower: Float64Array.of(0, -1), upper: Float64Array.of(2, 0.5) });
  // scipy: x = [0, -0.2], fun = 6.925
  t.ok(r.converged, r.reason);
  t.ok(Math.abs(r.x[0]!) < 1e-12 && Math.abs(r.x[1]! + 0.2) < 1e-6, `x = ${r.x}`);
  t.ok(Math.abs(r.value - 6.925) < 1e-10);
  // unbounded: scipy x = [-0.113879, -0.10320285], fun = 6.879448398576512
  const u = await minimize(f, new Float64Array(2), { maxIter: 100, tol: 1e-12 });
  t.ok(Math.abs(u.x[0]! + 0.113879) < 1e-6 && Math.abs(u.x[1]! + 0.10320285) < 1e-6, `x = ${u.x}`);
});

t.test('maxIter reached: converged false, reason max iterations', async (t) => {
  const r = await minimize(rosenbrock, Float64Array.of(-1.2, 1), { maxIter: 3, tol: 1e-12 });
  t.equal(r.converged, false);
  t.equal(r.reason, 'max iterations');
  t.equal(r.iterations, 3);
  t.equal(r.objectiveHistory.length, 4);
  const z = await minimize(rosenbrock, Float64Array.of(-1.2, 1), { maxIter: 0, tol: 1e-12 });
  t.equal(z.iterations, 0);
  t.same(Array.from(z.x), [-1.2, 1]);
});

t.test('NaN from the objective is a clear error, never NaN coefficients', async (t) => {
  await t.rejects(minimize(() => NaN, new Float64Array(2), { maxIter: 10, tol: 1e-6 }), /objective is NaN at the initial point/);
  await t.rejects(
    minimize((x, g) => { g[0] = NaN; return 1; }, new Float64Array(2), { maxIter: 10, tol: 1e-6 }),
    /gradient is NaN at coordinate 0/,
  );
  // NaN away from the start: the line search steps back (as Breeze's), coefficients stay finite
  const f: Objective = (x, g) => {
    if (x[0]! > 0.5) return NaN;
    g[0] = 2 * (x[0]! - 0.4);
    return (x[0]! - 0.4) ** 2;
  };
  const r = await minimize(f, Float64Array.of(-3), { maxIter: 50, tol: 1e-10 });
  t.ok(Number.isFinite(r.x[0]!) && Math.abs(r.x[0]! - 0.4) < 1e-6, `x = ${r.x}`);
});

t.test('bad options are errors naming the option', async (t) => {
  const x0 = new Float64Array(2);
  const f = rosenbrock;
  await t.rejects(minimize(f, x0, { maxIter: -1, tol: 1e-6 }), /maxIter/);
  await t.rejects(minimize(f, x0, { maxIter: 1.5, tol: 1e-6 }), /maxIter/);
  await t.rejects(minimize(f, x0, { maxIter: 10, tol: NaN }), /tol/);
  await t.rejects(minimize(f, x0, { maxIter: 10, tol: 1e-6, m: 0 }), /\bm\b/);
  await t.rejects(minimize(f, x0, { maxIter: 10, tol: 1e-6, l1: -1 }), /l1/);
  await t.rejects(minimize(f, x0, { maxIter: 10, tol: 1e-6, l1: new Float64Array(3) }), /l1/);
  await t.rejects(minimize(f, x0, { maxIter: 10, tol: 1e-6, lower: new Float64Array(1) }), /lower/);
  await t.rejects(minimize(f, x0, { maxIter: 10, tol: 1e-6, lower: Float64Array.of(1, 1), upper: Float64Array.of(0, 2) }), /lower\[0\]/);
  await t.rejects(minimize(f, x0, { maxIter: 10, tol: 1e-6, l1: 0.1, upper: Float64Array.of(1, 1) }), /l1/);
  await t.rejects(minimize(f, Float64Array.of(NaN, 0), { maxIter: 10, tol: 1e-6 }), /x0\[0\]/);
});

// logistic regression end to end on the JS loss twin: (1/n) Σ loss + penalty, as Spark scales it
const LX = [[1.764, 0.4, 0.979], [2.241, 1.868, -0.977], [0.95, -0.151, -0.103], [0.411, 0.144, 1.454], [0.761, 0.122, 0.444], [0.334, 1.494, -0.205], [0.313, -0.854, -2.553], [0.654, 0.864, -0.742], [2.27, -1.454, 0.046], [-0.187, 1.533, 1.469], [0.155, 0.378, -0.888], [-1.981, -0.348, 0.156], [1.23, 1.202, -0.387], [-0.302, -1.049, -1.42], [-1.706, 1.951, -0.51], [-0.438, -1.253, 0.777], [-1.614, -0.213, -0.895], [0.387, -0.511, -1.181], [-0.028, 0.428, 0.067], [0.302, -0.634, -0.363], [-0.672, -0.36, -0.813], [-1.726, 0.177, -0.402], [-1.63, 0.463, -0.907], [0.052, 0.729, 0.129], [1.139, -1.235, 0.402], [-0.685, -0.871, -0.579], [-0.312, 0.056, -1.165], [0.901, 0.466, -1.536], [1.488, 1.896, 1.179], [-0.18, -1.071, 1.054], [-0.403, 1.222, 0.208], [0.977, 0.356, 0.707], [0.011, 1.786, 0.127], [0.402, 1.883, -1.348], [-1.27, 0.969, -1.173], [1.944, -0.414, -0.747], [1.923, 1.481, 1.868], [0.906, -0.861, 1.91], [-0.268, 0.802, 0.947], [-0.155, 0.614, 0.922]];
const LY = [1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0];
const logistic = (l2: number): Objective => {
  const args = { kind: 'binomial' as const, x: Float64Array.from(LX.flat()), y: Float64Array.from(LY), w: null, n: 40, d: 3, k: 1 };
  return (p, g) => {
    g.fill(0);
    const r = glmLossGradJs({ ...args, coef: p.subarray(0, 3), intercept: p.subarray(3) }, g);
    let v = r.loss / r.weightSum;
    for (let j = 0; j < 4; j++) g[j] = g[j]! / r.weightSum;
    for (let j = 0; j < 3; j++) {
      v += 0.5 * l2 * p[j]! ** 2;
      g[j] = g[j]! + l2 * p[j]!;
    }
    return v;
  };
};

t.test('L-BFGS / OWL-QN fit a logistic regression as sklearn LogisticRegression', async (t) => {
  // sklearn LogisticRegression(C=1/(40·0.05), tol=1e-14) stops at ‖g‖ = 4.6e-6 with [1.15145321, -1.55909683, 0.19818765],
  // 0.12588666; scipy L-BFGS-B on the same objective with gtol=1e-14, ftol=0 reaches ‖g‖ = 1.2e-10 at:
  const r = await minimize(logistic(0.05), new Float64Array(4), { maxIter: 100, tol: 1e-12 });
  [1.15143249, -1.55909967, 0.19820082, 0.1259163].forEach((v, i) => t.ok(Math.abs(r.x[i]! - v) < 1e-7, `l2 x[${i}] = ${r.x[i]} vs ${v}`));
  [1.15145321, -1.55909683, 0.19818765, 0.12588666].forEach((v, i) => t.ok(Math.abs(r.x[i]! - v) < 1e-4, `l2 x[${i}] near sklearn's ${v}`));
  // sklearn: LogisticRegression(penalty='l1', C=1/(40·0.05), solver='saga', tol=1e-15) -> [1.43109206, -1.93520318, 0], 0.14342301
  const l1 = await minimize(logistic(0), new Float64Array(4), { maxIter: 200, tol: 1e-12, l1: Float64Array.of(0.05, 0.05, 0.05, 0) });
  [1.43109206, -1.93520318, 0, 0.14342301].forEach((v, i) => t.ok(Math.abs(l1.x[i]! - v) < 1e-6, `l1 x[${i}] = ${l1.x[i]} vs ${v}`));
  t.equal(l1.x[2], 0, 'the third coefficient is exactly 0');
});

t.test('a line search that fails twice in a row stops with search failed (Breeze resets the history once)', async (t) => {
  // the gradient has the wrong sign: every search walks uphill and fails
  const f: Objective = (x, g) => {
    g[0] = -2 * (x[0]! - 1);
    return (x[0]! - 1) ** 2;
  };
  const r = await minimize(f, Float64Array.of(3), { maxIter: 50, tol: 1e-9 });
  t.equal(r.reason, 'search failed');
  t.equal(r.converged, false);
  t.equal(r.iterations, 0);
  t.same(Array.from(r.x), [3], 'the start, never a worse point');
  t.same(r.objectiveHistory, [4, 4, 4], 'the start, the state after the reset, the failed state (as Spark collects them)');
});

t.test('OWL-QN from a point where only the L1 term pulls: shrinks to 0', async (t) => {
  // f = 0 everywhere (gradient 0), l1 = 1: the minimum of |x| is 0
  const r = await minimize((_x, g) => { g.fill(0); return 0; }, Float64Array.of(2, -3), { maxIter: 50, tol: 1e-9, l1: 1 });
  t.same(Array.from(r.x), [0, 0]);
  t.equal(r.value, 0);
  t.ok(r.converged, r.reason);
});
