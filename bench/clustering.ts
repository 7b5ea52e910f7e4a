/**
 * KMeans benchmark (PEERS.md §2): 1,000,000 x 16 float64 points around 16 Gaussian blobs
 * (bench/data.ts `blobs`, seed 3: centres N(0, 0.25²), unit noise, so labels keep moving),
 * k = 16, exactly 10 Lloyd iterations from the same fixed centres (the first 16 points):
 *   - kindling KMeans on local[2] (and local, one thread): `fit()` timed whole — reading and
 *     checking the features column, 10 iterations of the native step merged by treeAggregate on
 *     the worker pool, and the final cluster-size pass; per-iteration times from the progress
 *     events;
 *   - ml-kmeans 7.0.1 (`initialization: C0, maxIterations: 10, tolerance: -1`), input as an
 *     array of arrays (conversion not timed), warmed up on a 100k prefix;
 *   - scikit-learn through /usr/bin/python3 when it is there: `KMeans(algorithm='lloyd',
 *     n_init=1, init=C0, max_iter=10, tol=0)` with OMP_NUM_THREADS=2 and OPENBLAS_NUM_THREADS=1,
 *     fit() timed (1 warm-up + 3 reps).
 * Every engine's final centres are scored with the same cost (Σ squared distance to the nearest
 * centre: scikit-learn's inertia_) and compared with kindling's. Ratios are printed against
 * kindling local[2]. KINDLING_BENCH_SIZE overrides n. Not part of `npm test`.
 *
 *   npm run bench:clustering
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Session } from '../ts/src/index.js';
import { KMeans, KMeansModel, denseVectorColumn } from '../ts/ml/index.js';
import { blobs } from './data.js';
import { median, report, saveResults, timeIterativeFit, type Timing } from './harness.js';

const n = Number(process.env.KINDLING_BENCH_SIZE ?? 1_000_000);
const d = 16;
const k = 16;
const ITERS = 10;

console.log(`# KMeans (Lloyd): ${n.toLocaleString('en')} x ${d} float64, k = ${k}, exactly ${ITERS} iterations from the first ${k} points`);
const x0 = blobs(n, d, k);
// the points in shared memory, as a cached DataFrame on local[N] holds them (generation not timed)
const x = new Float64Array(new SharedArrayBuffer(x0.byteLength));
x.set(x0);
const C0 = Array.from({ length: k }, (_, j) => Array.from(x.subarray(j * d, (j + 1) * d)));

type Row = Timing & { perIterMs?: number; cost?: number; c00?: number; maxCentreDiff?: number };
const rows: Row[] = [];
let reference: number[][] | null = null;

function maxDiff(a: number[][], b: number[][]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[i]!.length; j++) m = Math.max(m, Math.abs(a[i]![j]! - b[i]![j]!));
  return m;
}

async function kindling(master: string, reps: number): Promise<void> {
  const spark = await Session.builder().appName('bench-clustering').master(master).getOrCreate();
  const df = spark.createDataFrame(new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, d) as never) }));
  const { times, iters, model } = await timeIterativeFit((onProgress) => new KMeans({ k, initialModel: C0, maxIter: ITERS, tol: 0 }).fit(df, undefined, { onProgress }), reps);
  const centres = model.clusterCenters.map((c) => Array.from(c.values));
  reference ??= centres;
  const cost = await model.computeCost(df);
  rows.push({
    name: `kindling KMeans ${master}`,
    medianMs: median(times),
    minMs: Math.min(...times),
    reps,
    perIterMs: median(times) / ITERS,
    cost,
    c00: centres[0]![0]!,
    maxCentreDiff: maxDiff(centres, reference),
    note: `fit() whole; ${model.summary.numIter} iterations; median iteration ${median(iters).toFixed(1)} ms (2nd..10th)`,
  });
  await spark.stop();
}

/** The cost of centres on the data (kindling's computeCost, the same for every engine). */
async function costOf(centres: number[][]): Promise<number> {
  const spark = await Session.builder().appName('bench-cost').master('local').getOrCreate();
  const df = spark.createDataFrame(new arrow.Table({ features: arrow.makeVector(denseVectorColumn(x, d) as never) }));
  const c = await new KMeansModel({ clusterCenters: centres }).computeCost(df);
  await spark.stop();
  return c;
}

async function mlKmeans(reps: number): Promise<void> {
  let mod: typeof import('ml-kmeans');
  try {
    mod = await import('ml-kmeans');
  } catch {
    console.log('# ml-kmeans not installed: skipped');
    return;
  }
  const data: number[][] = new Array(n);
  for (let i = 0; i < n; i++) data[i] = Array.from(x.subarray(i * d, (i + 1) * d));
  const opts = { initialization: C0, maxIterations: ITERS, tolerance: -1 };
  mod.kmeans(data.slice(0, Math.min(n, 100_000)), k, opts); // warm-up on a prefix
  const times: number[] = [];
  let res: ReturnType<typeof mod.kmeans> | null = null;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    res = mod.kmeans(data, k, opts);
    times.push(performance.now() - t0);
  }
  const centres = res!.centroids;
  const cost = await costOf(centres);
  rows.push({
    name: 'ml-kmeans 7.0.1 (1 thread)',
    medianMs: median(times),
    minMs: Math.min(...times),
    reps,
    perIterMs: median(times) / ITERS,
    cost,
    c00: centres[0]![0]!,
    maxCentreDiff: reference ? maxDiff(centres, reference) : NaN,
    note: `${res!.iterations} iterations; array-of-arrays input (conversion not timed)`,
  });
}

const PY = String.raw`
import json, sys, time
import numpy as np
from sklearn.cluster import KMeans
import sklearn
n, d, k, iters = (int(v) for v in sys.argv[2:6])
X = np.fromfile(sys.argv[1], dtype='<f8').reshape(n, d)
C0 = X[:k].copy()
def fit():
    km = KMeans(n_clusters=k, init=C0, n_init=1, algorithm='lloyd', max_iter=iters, tol=0)
    t0 = time.perf_counter(); km.fit(X); return time.perf_counter() - t0, km
fit()
runs = [fit() for _ in range(3)]
ts = sorted(r[0] for r in runs)
km = runs[-1][1]
print(json.dumps({'version': sklearn.__version__, 'median': ts[1], 'min': ts[0], 'inertia': float(km.inertia_), 'n_iter': int(km.n_iter_), 'centers': km.cluster_centers_.tolist()}))
`;

async function sklearn(): Promise<void> {
  if (!existsSync('/usr/bin/python3')) {
    console.log('# /usr/bin/python3 not found: scikit-learn skipped');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kindling-bench-km-'));
  try {
    const file = join(dir, 'X.f64');
    writeFileSync(file, new Uint8Array(x0.buffer, x0.byteOffset, x0.byteLength));
    writeFileSync(join(dir, 'km.py'), PY);
    let out: string;
    try {
      out = execFileSync('/usr/bin/python3', [join(dir, 'km.py'), file, String(n), String(d), String(k), String(ITERS)], {
        env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '1' },
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
    } catch (e) {
      console.log(`# scikit-learn failed: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { version: string; median: number; min: number; inertia: number; n_iter: number; centers: number[][] };
    rows.push({
      name: `scikit-learn ${r.version} (2 threads)`,
      medianMs: r.median * 1000,
      minMs: r.min * 1000,
      reps: 3,
      perIterMs: (r.median * 1000) / ITERS,
      cost: r.inertia,
      c00: r.centers[0]![0]!,
      maxCentreDiff: reference ? maxDiff(r.centers, reference) : NaN,
      note: `n_iter_ ${r.n_iter}; OMP_NUM_THREADS=2, OPENBLAS_NUM_THREADS=1; fit() incl. validation and the final E-step`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await kindling('local[2]', 3);
await kindling('local', 3);
await mlKmeans(Number(process.env.KINDLING_BENCH_ML_KMEANS_REPS ?? 1));
await sklearn();

report(`KMeans ${n} x ${d}, k = ${k}, ${ITERS} iterations (ms for the whole fit)`, rows, { baseline: 'kindling KMeans local[2]' });
console.log('\n| engine | s / iteration (whole fit / 10) | final cost (Σ squared distance, same formula) | cost / kindling | c[0][0] | max |centre diff| vs kindling |');
console.log('|---|---|---|---|---|---|');
const base = rows[0]!;
for (const r of rows) {
  console.log(`| ${r.name} | ${((r.perIterMs ?? NaN) / 1000).toFixed(4)} | ${r.cost?.toFixed(4)} | ${((r.cost ?? NaN) / (base.cost ?? NaN)).toFixed(12)} | ${r.c00} | ${r.maxCentreDiff?.toExponential(2)} |`);
}
for (const r of rows.slice(1)) console.log(`${r.name} takes ${(r.medianMs / base.medianMs).toFixed(2)}x the time of kindling local[2] (whole fit, median)`);
const file = saveResults('clustering', { kmeans: { n, d, k, iterations: ITERS, rows } });
console.log(`\nresults: ${file}`);
