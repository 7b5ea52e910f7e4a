/**
 * Point-to-centre distances and the KMeans assignment step over row-major matrices.
 * `squaredEuclidean` is the direct sum of (x - c)^2 (no |x|^2 - 2x.c + |c|^2 expansion, so no
 * cancellation); `cosine` is 1 - x.c / (|x| |c|), as Spark's CosineDistanceMeasure.
 * The step is a mergeable partition summary: per-centre weighted sums (of x, or of x/|x| for
 * cosine, as Spark), per-centre weights and the cost.
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';
import { expectFloat64Array, expectInt32Array, expectInteger, expectLength, outputF64 } from '../validate.js';

export type DistanceMeasure = 'squaredEuclidean' | 'cosine';

const MEASURES: Record<DistanceMeasure, number> = { squaredEuclidean: 0, cosine: 1 };

export interface KMeansStepStats {
  k: number;
  d: number;
  /** k x d weighted sums of the points assigned to each centre. */
  sums: Float64Array;
  /** Total weight assigned to each centre. */
  weights: Float64Array;
  /** Sum of weight x distance to the nearest centre. */
  cost: number;
}

interface Shape {
  n: number;
  d: number;
  k: number;
  measure: number;
}

function checkShape(api: string, x: Float64Array, d: number, centers: Float64Array, measure: DistanceMeasure): Shape {
  expectFloat64Array(api, 'x', x);
  expectInteger(api, 'd', d, 1);
  if (x.length % d !== 0) throw Errors.outOfRange(api, 'x.length', `a multiple of d = ${d}`, x.length);
  expectFloat64Array(api, 'centers', centers);
  if (centers.length === 0 || centers.length % d !== 0) {
    throw Errors.outOfRange(api, 'centers.length', `a positive multiple of d = ${d}`, centers.length);
  }
  if (!(measure in MEASURES)) throw Errors.invalidArg(api, 'measure', "'squaredEuclidean' or 'cosine'", measure);
  const k = centers.length / d;
  for (let j = 0; j < k; j++) {
    let nrm2 = 0;
    for (let t = 0; t < d; t++) {
      const v = centers[j * d + t]!;
      if (!Number.isFinite(v)) throw Errors.badRow(api, 'centers', j, `has a non-finite value at dimension ${t}`);
      nrm2 += v * v;
    }
    if (measure === 'cosine' && nrm2 === 0) throw Errors.badRow(api, 'centers', j, 'has zero norm (undefined for the cosine measure)');
  }
  return { n: x.length / d, d, k, measure: MEASURES[measure] };
}

function badPoint(api: string, x: Float64Array, d: number, row: number, measure: DistanceMeasure): Error {
  for (let t = 0; t < d; t++) {
    if (!Number.isFinite(x[row * d + t]!)) return Errors.badRow(api, 'x', row, `has a non-finite value (${x[row * d + t]}) at dimension ${t}`);
  }
  if (measure === 'cosine') return Errors.badRow(api, 'x', row, 'has zero norm (undefined for the cosine measure)');
  return Errors.badRow(api, 'x', row, 'has no finite distance to any centre');
}

/** n x k distances from the rows of x (n x d, row-major) to the rows of centers (k x d). */
export function pairwiseDistances(x: Float64Array, d: number, centers: Float64Array, measure: DistanceMeasure = 'squaredEuclidean', impl: NativeKernels = native()): Float64Array {
  const api = 'pairwiseDistances';
  const s = checkShape(api, x, d, centers, measure);
  const out = outputF64(api, 'the distance matrix (rows of x by rows of centers)', s.n, s.k);
  let bad: number;
  try {
    bad = impl.pairwiseF64(x, d, centers, s.k, s.measure, out);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  if (bad >= 0) throw badPoint(api, x, d, bad, measure);
  return out;
}

export function kmeansStepZero(k: number, d: number): KMeansStepStats {
  expectInteger('kmeansStepZero', 'k', k, 1);
  expectInteger('kmeansStepZero', 'd', d, 1);
  return { k, d, sums: new Float64Array(k * d), weights: new Float64Array(k), cost: 0 };
}

export interface KMeansStepOptions {
  measure?: DistanceMeasure;
  /** Per-row weights (weightCol); each must be finite and >= 0. */
  weights?: Float64Array | null;
  /** Receives the index of each row's nearest centre. */
  labels?: Int32Array | null;
}

function checkStep(api: string, stats: KMeansStepStats, x: Float64Array, d: number, centers: Float64Array, opts: KMeansStepOptions): Shape {
  const measure = opts.measure ?? 'squaredEuclidean';
  const s = checkShape(api, x, d, centers, measure);
  if (!stats || stats.k !== s.k || stats.d !== d || !(stats.sums instanceof Float64Array) || stats.sums.length !== s.k * d) {
    throw Errors.invalidArg(api, 'stats', `KMeansStepStats for k = ${s.k}, d = ${d}`, stats);
  }
  if (opts.weights != null) {
    expectFloat64Array(api, 'weights', opts.weights);
    expectLength(api, 'weights', opts.weights, s.n);
    for (let i = 0; i < s.n; i++) {
      const w = opts.weights[i]!;
      if (!(w >= 0) || w === Infinity) throw Errors.badRow(api, 'weights', i, `is ${w}; weights must be finite and >= 0`);
    }
  }
  if (opts.labels != null) {
    expectInt32Array(api, 'labels', opts.labels);
    expectLength(api, 'labels', opts.labels, s.n);
  }
  return s;
}

/** Folds one partition's assignment step into `stats` (in place) and returns it. */
export function kmeansStepAdd(stats: KMeansStepStats, x: Float64Array, d: number, centers: Float64Array, opts: KMeansStepOptions = {}, impl: NativeKernels = native()): KMeansStepStats {
  const api = 'kmeansStep';
  const s = checkStep(api, stats, x, d, centers, opts);
  const cost = new Float64Array([stats.cost]);
  let bad: number;
  try {
    bad = impl.kmeansAssignF64(x, opts.weights ?? null, d, centers, s.k, s.measure, stats.sums, stats.weights, opts.labels ?? null, cost);
  } catch (err) {
    throw Errors.fromNative(api, err);
  }
  if (bad >= 0) throw badPoint(api, x, d, bad, opts.measure ?? 'squaredEuclidean');
  stats.cost = cost[0]!;
  return stats;
}

/**
 * Raw entry point for a summary over training data validated when it was prepared (ml/data/
 * instances.ts): one native call, no per-call checks. Adds into `stats` and returns -1, or the
 * first row with no finite distance to any centre.
 */
export function kmeansStepAddRaw(stats: KMeansStepStats, x: Float64Array, weights: Float64Array | null, d: number, centers: Float64Array, measure: DistanceMeasure, labels: Int32Array | null = null): number {
  const cost = new Float64Array([stats.cost]);
  const bad = native().kmeansAssignF64(x, weights, d, centers, centers.length / d, MEASURES[measure], stats.sums, stats.weights, labels, cost);
  stats.cost = cost[0]!;
  return bad;
}

/** Raw entry point: n x k distances into `out` (prepared data; see kmeansStepAddRaw). Returns -1 or the first unusable row. */
export function pairwiseRaw(x: Float64Array, d: number, centers: Float64Array, measure: DistanceMeasure, out: Float64Array): number {
  return native().pairwiseF64(x, d, centers, centers.length / d, MEASURES[measure], out);
}

/** Merges b into a (in place). Associative; `kmeansStepZero` is the identity. */
export function kmeansStepMerge(a: KMeansStepStats, b: KMeansStepStats): KMeansStepStats {
  if (a.k !== b.k || a.d !== b.d) throw Errors.outOfRange('kmeansStepMerge', 'b', `stats for k = ${a.k}, d = ${a.d}`, `k = ${b.k}, d = ${b.d}`);
  for (let i = 0; i < a.sums.length; i++) a.sums[i] += b.sums[i]!;
  for (let j = 0; j < a.k; j++) a.weights[j] += b.weights[j]!;
  a.cost += b.cost;
  return a;
}

// ---- JS reference (the test oracle and pure-JS baseline): same summation order as scalar ----

export function pairwiseDistancesJs(x: Float64Array, d: number, centers: Float64Array, measure: DistanceMeasure = 'squaredEuclidean'): Float64Array {
  return pairwiseJs(x, d, centers, measure, checkShape('pairwiseDistancesJs', x, d, centers, measure));
}

function pairwiseJs(x: Float64Array, d: number, centers: Float64Array, measure: DistanceMeasure, s: Shape): Float64Array {
  const out = outputF64('pairwiseDistancesJs', 'the distance matrix (rows of x by rows of centers)', s.n, s.k);
  const cn = new Float64Array(s.k);
  for (let j = 0; j < s.k; j++) {
    let a = 0;
    for (let t = 0; t < d; t++) a += centers[j * d + t]! * centers[j * d + t]!;
    cn[j] = Math.sqrt(a);
  }
  for (let i = 0; i < s.n; i++) {
    const xo = i * d;
    let inv = 1;
    if (measure === 'cosine') {
      let a = 0;
      for (let t = 0; t < d; t++) a += x[xo + t]! * x[xo + t]!;
      const nrm = Math.sqrt(a);
      if (!(nrm > 0) || nrm === Infinity) throw badPoint('pairwiseDistancesJs', x, d, i, measure);
      inv = 1 / nrm;
    }
    for (let j = 0; j < s.k; j++) {
      const co = j * d;
      let acc = 0;
      if (measure === 'cosine') {
        const ic = 1 / cn[j]!;
        for (let t = 0; t < d; t++) acc += x[xo + t]! * (centers[co + t]! * ic);
        out[i * s.k + j] = 1 - acc * inv;
      } else {
        for (let t = 0; t < d; t++) {
          const diff = x[xo + t]! - centers[co + t]!;
          acc += diff * diff;
        }
        out[i * s.k + j] = acc;
      }
    }
  }
  return out;
}

export function kmeansStepAddJs(stats: KMeansStepStats, x: Float64Array, d: number, centers: Float64Array, opts: KMeansStepOptions = {}): KMeansStepStats {
  const api = 'kmeansStepJs';
  const measure = opts.measure ?? 'squaredEuclidean';
  const s = checkStep(api, stats, x, d, centers, opts);
  const dist = pairwiseJs(x, d, centers, measure, s);
  for (let i = 0; i < s.n; i++) {
    let best = Infinity;
    let bj = -1;
    for (let j = 0; j < s.k; j++) {
      const v = dist[i * s.k + j]!;
      if (v < best) {
        best = v;
        bj = j;
      }
    }
    if (bj < 0) throw badPoint(api, x, d, i, measure);
    const w = opts.weights ? opts.weights[i]! : 1;
    let scale = w;
    if (measure === 'cosine') {
      let a = 0;
      for (let t = 0; t < d; t++) a += x[i * d + t]! * x[i * d + t]!;
      scale = w / Math.sqrt(a);
    }
    for (let t = 0; t < d; t++) stats.sums[bj * d + t] += scale * x[i * d + t]!;
    stats.weights[bj] += w;
    stats.cost += w * best;
    if (opts.labels) opts.labels[i] = bj;
  }
  return stats;
}
