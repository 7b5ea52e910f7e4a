/**
 * Supervised learning I benchmark (issue 15 "Bars"; ../shared/PEERS.md §5): binary logistic
 * regression on 1,000,000 x 20 float64, X ~ N(0, 1), w ~ N(0, 0.5²), y ~ Bernoulli(sigmoid(Xw + 0.3))
 * (mulberry32 seed 6 + Box–Muller, test/reference/rng.ts; the same distribution as PEERS' gen.mjs,
 * not necessarily its bytes), on local[2]. In one run:
 *   - the read floor: one distributed pass over the same packed training blocks whose task only
 *     sums the bytes natively (the addon's _streamSumF64 over x and y: supervised-floor.mjs);
 *   - one loss + gradient pass (ml/optim/loss-tasks.ts glmLossGradPass, binomial);
 *   - the full LogisticRegression fit (regParam 1e-4, standardization false, so its objective is
 *     exactly scikit-learn's with C = 1 / (n · regParam) = 0.01 divided by n; tol 1e-6, maxIter 100),
 *     fit() timed whole (packing, statistics pass, L-BFGS, training summary) and up to its last
 *     iteration (progress events);
 *   - scikit-learn's LogisticRegression(lbfgs, C = 0.01) fit and one loss + gradient evaluation of
 *     its own LinearModelLoss(HalfBinomialLoss) (/usr/bin/python3; OMP/OPENBLAS threads 2);
 *   - ml-logistic-regression when installed (PEERS.md §5's settings), else reported as not installed;
 *   - the final objective of each fit, (1/n) Σ log-loss + ½ · regParam · |β|², evaluated by
 *     kindling's pass for both solutions, so "the same objective" is visible.
 * Targets: pass ≤ 2x the read floor; fit ≥ 5x faster than scikit-learn and ≥ 100x than
 * ml-logistic-regression. KINDLING_BENCH_SIZE overrides n. Not part of `npm test`.
 *
 *   npm run bench:supervised
 *
 * The floor's task is bench/supervised-floor.mjs (executor threads load user tasks by file: URL).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Session } from '../ts/src/index.js';
import { taskRef } from '../ts/src/exec/task.js';
import { LogisticRegression, denseVectorColumn } from '../ts/ml/index.js';
import { prepareLabeled } from '../ts/ml/predictor/predictor.js';
import { glmLossGradPass } from '../ts/ml/optim/loss-tasks.js';
import { gaussian, mulberry32 } from '../test/reference/rng.js';
import { bar, median, report, saveResults, type Timing } from './harness.js';

async function main(): Promise<void> {
  const n = Number(process.env.KINDLING_BENCH_SIZE ?? 1_000_000);
  const d = 20;
  const regParam = 1e-4;
  const C = 1 / (n * regParam);
  console.log(`# LogisticRegression: ${n.toLocaleString('en')} x ${d} float64, binary, local[2]; regParam ${regParam} (standardization false) = scikit-learn C ${C}`);
  const loadAtStart = loadavg()[0]!;

  // ---- data (not timed) ----
  const rand = mulberry32(6);
  const g = gaussian(rand);
  const w = Array.from({ length: d }, () => 0.5 * g());
  const x = new Float64Array(new SharedArrayBuffer(n * d * 8));
  const y = new Float64Array(new SharedArrayBuffer(n * 8));
  for (let i = 0; i < n; i++) {
    let m = 0.3;
    for (let j = 0; j < d; j++) {
      const v = g();
      x[i * d + j] = v;
      m += v * w[j]!;
    }
    y[i] = rand() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  }

  const spark = await Session.builder().appName('bench-supervised').master('local[2]').getOrCreate();
  const df = spark.createDataFrame(new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, d) as never), label: arrow.makeVector(y) })).cache();
  await df.count();
  const rows: Timing[] = [];
  const timeIt = async (name: string, fn: () => Promise<unknown>, reps: number, note?: string): Promise<Timing> => {
    await fn();
    const ts: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      await fn();
      ts.push(performance.now() - t0);
    }
    const t: Timing = { name, medianMs: median(ts), minMs: Math.min(...ts), reps, ...(note ? { note } : {}) };
    rows.push(t);
    return t;
  };

  // ---- the floor and one pass, over the same packed blocks ----
  const { data } = await prepareLabeled('bench', df, { featuresCol: 'features', labelCol: 'label', kind: 'classification' });
  const floorRef = taskRef(new URL('./supervised-floor.mjs', import.meta.url).href, 'streamSum');
  const floor = await timeIt('read floor: native sum over the packed blocks (local[2])', () => spark.treeAggregate(floorRef, data, null), 9, `${((n * (d + 1) * 8) / 1e6).toFixed(0)} MB`);
  const coef = Float64Array.from(w, (v) => v * 0.9);
  const one = await timeIt('kindling loss + gradient pass (glmLossGradPass, local[2])', () => glmLossGradPass(data, 'binomial', 1, coef, Float64Array.of(0.2)), 9);

  /** Spark's objective of a binomial solution, by one kindling pass. */
  const objectiveOf = async (beta: ArrayLike<number>, b: number): Promise<number> => {
    const r = await glmLossGradPass(data, 'binomial', 1, Float64Array.from(beta), Float64Array.of(b));
    let s = 0;
    for (let j = 0; j < d; j++) s += beta[j]! * beta[j]!;
    return r.loss / r.weightSum + 0.5 * regParam * s;
  };

  // ---- the full fit ----
  const lr = new LogisticRegression({ regParam, standardization: false });
  let model = await lr.fit(df);
  const fitTimes: number[] = [];
  const optTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    let last = t0;
    model = await lr.fit(df, undefined, { onProgress: () => (last = performance.now()) });
    fitTimes.push(performance.now() - t0);
    optTimes.push(last - t0);
  }
  const iterations = model.summary.totalIterations;
  const kObjective = await objectiveOf(model.coefficients.toArray(), model.intercept);
  const fit: Timing = { name: 'kindling LogisticRegression.fit (local[2])', medianMs: median(fitTimes), minMs: Math.min(...fitTimes), reps: 3, note: `${iterations} iterations; objective ${kObjective.toPrecision(12)}; accuracy ${model.summary.accuracy.toFixed(4)}` };
  rows.push(fit);
  const opt: Timing = { name: 'kindling fit up to the last iteration (no training summary)', medianMs: median(optTimes), minMs: Math.min(...optTimes), reps: 3, note: 'packing, statistics pass, L-BFGS; the rest of fit() is the training summary (one pass over the packed blocks: confusion counts and the sorted scores; Spark computes it lazily)' };
  rows.push(opt);

  // ---- scikit-learn ----
  let sk: { fit: number; fitMin: number; pass: number; n_iter: number; coef: number[]; intercept: number; objective: number; version: string } | null = null;
  if (existsSync('/usr/bin/python3')) {
    const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-lr-'));
    try {
      writeFileSync(join(dir, 'X.f64'), new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
      writeFileSync(join(dir, 'y.f64'), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
      writeFileSync(join(dir, 'lr.py'), PY);
      const out = execFileSync('/usr/bin/python3', [join(dir, 'lr.py'), dir, String(n), String(d), String(C)], {
        env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' },
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
      sk = JSON.parse(out.trim().split('\n').at(-1)!);
      rows.push({ name: `scikit-learn ${sk!.version} LogisticRegression(lbfgs, C=${C}).fit (2 threads)`, medianMs: sk!.fit * 1000, minMs: sk!.fitMin * 1000, reps: 3, note: `n_iter_ ${sk!.n_iter}; its objective ${sk!.objective.toPrecision(12)}` });
      rows.push({ name: 'scikit-learn LinearModelLoss loss + gradient (2 threads)', medianMs: sk!.pass * 1000, minMs: sk!.pass * 1000, reps: 5 });
    } catch (e) {
      console.log(`# scikit-learn failed: ${(e as Error).message.split('\n')[0]}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else console.log('# /usr/bin/python3 not found: scikit-learn skipped');

  // ---- ml-logistic-regression ----
  const mlMs: number | null = null;
  try {
    const spec = 'ml-logistic-regression';
    await import(spec);
    console.log('# ml-logistic-regression is installed, but driving it at 1M rows takes ≈ 110 s (PEERS.md §5): not run here');
  } catch {
    console.log('# ml-logistic-regression: not installed (PEERS.md §5 measured ≈ 110 s for 1M rows, extrapolated)');
  }

  report(`LogisticRegression ${n} x ${d} (ms)`, rows, { baseline: fit.name, floorMs: floor.medianMs });
  console.log(`\nmachine load (1-minute average, ${cpus().length} cores): ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end`);
  const skObjective = sk ? await objectiveOf(sk.coef, sk.intercept) : NaN;
  console.log(`\nfinal objective (1/n Σ log-loss + ½·${regParam}·|β|², evaluated by the same kindling pass): kindling ${kObjective.toPrecision(12)}, scikit-learn ${skObjective.toPrecision(12)} (its own: ${sk?.objective.toPrecision(12) ?? 'n/a'})`);
  console.log(`pass / read floor: ${(one.medianMs / floor.medianMs).toFixed(2)}x`);
  if (sk) console.log(`scikit-learn fit / kindling fit: ${((sk.fit * 1000) / fit.medianMs).toFixed(2)}x (up to the last iteration: ${((sk.fit * 1000) / opt.medianMs).toFixed(2)}x); scikit-learn pass / kindling pass: ${((sk.pass * 1000) / one.medianMs).toFixed(2)}x`);
  const bars = [
    bar('one loss+gradient pass within 2x the read floor', one.medianMs <= 2 * floor.medianMs, `${(one.medianMs / floor.medianMs).toFixed(2)}x`),
    ...(sk ? [bar('full fit >= 5x faster than scikit-learn', (sk.fit * 1000) / fit.medianMs >= 5, `${((sk.fit * 1000) / fit.medianMs).toFixed(2)}x whole fit(), ${((sk.fit * 1000) / opt.medianMs).toFixed(2)}x without the training summary`)] : []),
    bar('full fit >= 100x faster than ml-logistic-regression', mlMs !== null && mlMs / fit.medianMs >= 100, mlMs === null ? 'not installed: not measured' : `${(mlMs / fit.medianMs).toFixed(1)}x`),
  ];
  data.release();
  await spark.stop();
  const file = saveResults('supervised', { logisticRegression: { n, d, regParam, sklearnC: C, rows, optimisationMs: opt.medianMs, loadAverage: [loadAtStart, loadavg()[0]], objective: { kindling: kObjective, sklearn: skObjective }, iterations, bars } });
  console.log(`\nresults: ${file}`);
}

const PY = String.raw`
import json, sys, time
import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model._linear_loss import LinearModelLoss
from sklearn._loss.loss import HalfBinomialLoss
d_, n, d, C = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
X = np.fromfile(d_ + '/X.f64', dtype='<f8').reshape(n, d)
y = np.fromfile(d_ + '/y.f64', dtype='<f8')
def fit():
    m = LogisticRegression(solver='lbfgs', C=C, max_iter=100)
    t0 = time.perf_counter(); m.fit(X, y); return time.perf_counter() - t0, m
fit()
runs = [fit() for _ in range(3)]
ts = sorted(r[0] for r in runs)
m = runs[-1][1]
beta, b = m.coef_[0], float(m.intercept_[0])
mm = X @ beta + b
obj = float(np.mean(np.logaddexp(0, mm) - y * mm) + 0.5 / (n * C) * beta @ beta)
loss = LinearModelLoss(base_loss=HalfBinomialLoss(), fit_intercept=True)
coef = np.concatenate([beta * 0.9, [0.2]])
loss.loss_gradient(coef, X, y, None, 1.0 / (n * C), 2)
ps = []
for _ in range(5):
    t0 = time.perf_counter(); loss.loss_gradient(coef, X, y, None, 1.0 / (n * C), 2); ps.append(time.perf_counter() - t0)
print(json.dumps({'version': sklearn.__version__, 'fit': ts[1], 'fitMin': ts[0], 'pass': sorted(ps)[2], 'n_iter': int(m.n_iter_[0]), 'coef': beta.tolist(), 'intercept': b, 'objective': obj}))
`;

await main();
