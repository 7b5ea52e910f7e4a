/**
 * KMeans's initial centres (kmeans.ts; Spark's ml.clustering.KMeans, docs/formats/SPARK_DEFINITIONS.md §9):
 * 'random' (k distinct rows) and k-means|| (`initSteps` rounds of cost-proportional
 * oversampling beside the blocks on the executors, then a local weighted k-means++ on the
 * candidates with java.util.Random(0), as Spark's LocalKMeans).
 */
import type { KMeansStepStats } from '../../src/kernels/distance.js';
import type { Instances } from '../data/instances.js';
import { JavaRandom, squaredDistance, nativeMeasure, type ClusteringDistance } from './kmeans-common.js';
import { kmeansInitCosts, kmeansPick, kmeansUpdateCosts, type CostsBroadcast, type PickBroadcast } from './kmeans-tasks.js';

/** Runs one Lloyd step over the training data (the estimator's treeAggregate of kmeansStats). */
export interface Aggregator {
  run(centers: Float64Array, k: number, weighted: boolean): Promise<KMeansStepStats>;
}

/** Distinct rows of a k x d matrix, first occurrence kept (Spark's `.distinct` on the vectors). */
function distinctRows(centers: Float64Array, d: number): Float64Array {
  const seen = new Set<string>();
  const keep: number[] = [];
  const k = centers.length / d;
  for (let j = 0; j < k; j++) {
    const key = Array.from(centers.subarray(j * d, (j + 1) * d), (v) => (Object.is(v, -0) ? '0' : String(v))).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    keep.push(j);
  }
  if (keep.length === k) return centers;
  const out = new Float64Array(keep.length * d);
  keep.forEach((j, r) => out.set(centers.subarray(j * d, (j + 1) * d), r * d));
  return out;
}

/** 'random': min(k, n) distinct rows chosen uniformly (java.util.Random(seed)), deduplicated by value. */
export async function initRandom(data: Instances, k: number, seed: number): Promise<Float64Array> {
  const rng = new JavaRandom(seed);
  const n = data.n;
  const m = Math.min(k, n);
  // partial Fisher-Yates over [0, n) with a sparse swap map
  const swapped = new Map<number, number>();
  const rows: number[] = [];
  for (let i = 0; i < m; i++) {
    const span = n - i;
    const r = i + (span <= 0x7fffffff ? rng.nextInt(span) : Math.floor(rng.nextDouble() * span));
    const pick = swapped.get(r) ?? r;
    swapped.set(r, swapped.get(i) ?? i);
    rows.push(pick);
  }
  return distinctRows(await data.gather(rows), data.d);
}

/**
 * Spark's LocalKMeans.kMeansPlusPlus: weighted k-means++ seeding on `points` (java.util.Random(seed)),
 * then up to `maxIterations` weighted Lloyd iterations (squared Euclidean distances, whatever the
 * model's measure, as Spark); an empty centre is re-seeded at a random point.
 */
export function kMeansPlusPlus(seed: number, points: Float64Array, weights: Float64Array, d: number, k: number, maxIterations: number): Float64Array {
  const rand = new JavaRandom(seed);
  const n = points.length / d;
  const centers = new Float64Array(k * d);
  const setCenter = (j: number, p: number) => centers.set(points.subarray(p * d, (p + 1) * d), j * d);
  // pickWeighted
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += weights[i]!;
  {
    const r = rand.nextDouble() * wsum;
    let i = 0;
    let cur = 0;
    while (i < n && cur < r) {
      cur += weights[i]!;
      i++;
    }
    setCenter(0, Math.max(i - 1, 0));
  }
  const cost = new Float64Array(n);
  for (let p = 0; p < n; p++) cost[p] = squaredDistance(points, p * d, centers, 0, d);
  for (let i = 1; i < k; i++) {
    let sum = 0;
    for (let p = 0; p < n; p++) sum += cost[p]! * weights[p]!;
    const r = rand.nextDouble() * sum;
    let cum = 0;
    let j = 0;
    while (j < n && cum < r) {
      cum += weights[j]! * cost[j]!;
      j++;
    }
    setCenter(i, j === 0 ? 0 : j - 1);
    for (let p = 0; p < n; p++) cost[p] = Math.min(squaredDistance(points, p * d, centers, i * d, d), cost[p]!);
  }
  const oldClosest = new Int32Array(n).fill(-1);
  let iteration = 0;
  let moved = true;
  while (moved && iteration < maxIterations) {
    moved = false;
    const counts = new Float64Array(k);
    const sums = new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let index = 0;
      for (let j = 0; j < k; j++) {
        const dist = squaredDistance(points, i * d, centers, j * d, d);
        if (dist < best) {
          best = dist;
          index = j;
        }
      }
      const w = weights[i]!;
      for (let t = 0; t < d; t++) sums[index * d + t] += w * points[i * d + t]!;
      counts[index] += w;
      if (index !== oldClosest[i]) {
        moved = true;
        oldClosest[i] = index;
      }
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) setCenter(j, rand.nextInt(n));
      else {
        const inv = 1 / counts[j]!;
        for (let t = 0; t < d; t++) centers[j * d + t] = sums[j * d + t]! * inv;
      }
    }
    iteration++;
  }
  return centers;
}

/**
 * Spark's k-means|| (initKMeansParallel): one uniformly chosen row, then `initSteps` rounds that
 * keep each row with probability 2·k·cost/Σcost (cost = distance to the nearest candidate so
 * far: squared Euclidean, or cosine distance); <= k distinct candidates are the result, else the
 * candidates weighted by how many rows are nearest to each go through kMeansPlusPlus(0, …, 30).
 * The costs stay on the executors beside the blocks (kmeans-tasks.ts); only candidates travel.
 */
export async function initKMeansParallel(data: Instances, k: number, initSteps: number, seed: number, measure: ClusteringDistance, agg: Aggregator): Promise<Float64Array> {
  const { d, n, session } = data;
  const rng = new JavaRandom(seed);
  const first = n <= 0x7fffffff ? rng.nextInt(n) : Math.floor(rng.nextDouble() * n);
  const chosen: Float64Array[] = [await data.gather([first])];
  let newCenters = chosen[0]!;
  const costs = await session.keepTasks<unknown, null, null>(kmeansInitCosts, data, null);
  try {
    for (let step = 0; step < initSteps; step++) {
      const sumCosts = await session.treeAggregate(kmeansUpdateCosts, data.zip(costs), { centers: newCenters, d, measure: nativeMeasure(measure) } satisfies CostsBroadcast);
      const picked = await session.runTasks(kmeansPick, data.zip(costs), { seed, step, k, sumCosts, rowBases: data.rowBases } satisfies PickBroadcast);
      newCenters = concatRows(picked);
      chosen.push(newCenters);
    }
  } finally {
    costs.release();
  }
  const distinct = distinctRows(concatRows(chosen), d);
  const m = distinct.length / d;
  if (m <= k) return distinct;
  const counts = (await agg.run(distinct, m, false)).weights;
  return kMeansPlusPlus(0, distinct, counts, d, k, 30);
}

function concatRows(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of parts) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
