/**
 * KMeans (Spark's ml.clustering.KMeans, docs/formats/SPARK_DEFINITIONS.md §9) and KMeansModel.
 *
 * Training:
 *   - the features (a vector column or an array of numbers) and weights are packed once on the
 *     executors and checked natively where they are read (ml/data/instances.ts); they stay there,
 *     Spark's cached input, and every iteration below names them by block id;
 *   - initial centres: `initialModel` (a KMeansModel or number[][] with k rows: a warm start,
 *     beyond Spark's ml API), else k-means|| (`initSteps` rounds of oversampling 2k points with
 *     probability proportional to their cost, then — with more than k distinct candidates — a
 *     local weighted k-means++ with 30 Lloyd iterations on the candidates weighted by the number
 *     of points closest to each), else 'random' (k distinct rows, deduplicated). The algorithm is
 *     Spark's; the random streams are not: k-means|| decides row by row from `uniformAt(seed,
 *     step, row)`, so a seed gives the same model however the DataFrame is partitioned (the costs
 *     stay beside the blocks on the executors), and the local k-means++ draws from
 *     java.util.Random(0) as Spark's LocalKMeans does;
 *   - Lloyd: each iteration is one `session.treeAggregate` of the built-in summary `kmeansStats`
 *     (kmeans-tasks.ts; native: distances to all centres, argmin, per-centre weighted sums and
 *     weights, weighted cost) over those blocks, with the centres broadcast; the
 *     driver update `updateCenters` is pure: new centre = weighted mean (cosine: Spark's
 *     normalised mean of x/|x|), a centre with no weight keeps its place, converged when every
 *     centre moved by <= tol (Euclidean distance; cosine distance for 'cosine', as Spark's
 *     DistanceMeasure.isCenterConverged). One progress event per iteration;
 *   - fewer distinct centres than k (k larger than the number of distinct points, or a
 *     k-means|| sample with <= k distinct candidates): as Spark, the model keeps fewer centres;
 *     kindling says so with `process.emitWarning` (type 'KindlingWarning', code
 *     'KINDLING_KMEANS_FEWER_CENTERS'), which Node prints to stderr and which a
 *     process.on('warning') listener can catch;
 *   - summary (Spark's KMeansSummary): trainingCost is Spark's — Σ weight x cost of the last
 *     iteration's assignment (to the centres before the last update); clusterSizes count the rows
 *     nearest to each final centre (one more pass); numIter; k is the requested k; predictions is
 *     the model's transform of the training DataFrame. `computeCost(df)` (Spark 2.x's
 *     KMeansModel.computeCost, gone in 3.0) gives Σ weight x cost to the final centres, which is
 *     scikit-learn's inertia_.
 *
 * Errors name the column and the row: null vectors, non-finite values, vectors of different
 * sizes, a zero vector under 'cosine', bad weights (Spark's checkNonNegativeWeights), an empty
 * DataFrame, an initialModel whose k or dimension does not match.
 *
 * Persistence is Spark's: KMeans → `org.apache.spark.ml.clustering.KMeans` (metadata only;
 * `initialModel` is not a Spark param and is not saved, so Spark can load the file);
 * KMeansModel → `org.apache.spark.ml.clustering.KMeansModel` with `data/` holding one row per
 * centre (`clusterIdx` int, `clusterCenter` VectorUDT), as Spark 2.x/3.x write it; Spark 1.6's
 * one-row `clusterCenters` layout loads too.
 */
import { inspect } from 'node:util';
import type * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { KMeansStepStats } from '../../src/kernels/distance.js';
import { prepareInstances, type Instances } from '../data/instances.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { Param, ParamMap, ParamValue } from '../param/params.js';
import { encodeParams, getAndSetParams, readData, register, writeData, writeMetadata } from '../persist.js';
import { Estimator, Model, type FitOptions } from '../stage.js';
import { KMeansParamsMixin, type KMeansParams, type KMeansParamsOptions } from './clustering-params.js';
import {
  JavaRandom, appendPredictionField, centerVectors, centersFromTable, centersTable, checkFeaturesColumn, checkFitSchema, costOf, pointOf,
  squaredDistance,
  type ClusteringDistance,
} from './kmeans-common.js';
import { kmeansInitCosts, kmeansPick, kmeansPredict, kmeansStats, kmeansUpdateCosts, type CostsBroadcast, type KMeansStepBroadcast, type PickBroadcast, type PredictBroadcast } from './kmeans-tasks.js';
import { predictInput, withPredictions } from '../data/predictions.js';

export type KMeansInitMode = ParamValue<KMeansParams['initMode']>;
export type KMeansSolver = ParamValue<KMeansParams['solver']>;
export type { KMeansParamsOptions };

export interface KMeansOptions extends KMeansParamsOptions {
  /** Warm start (beyond Spark's ml API): Lloyd starts from these centres; their number must equal k. */
  initialModel?: KMeansModel | number[][];
}

export interface KMeansModelOptions extends KMeansParamsOptions {
  /** The centres (k vectors of one size). */
  clusterCenters?: ReadonlyArray<Vector | readonly number[]>;
}

/** The native measure name of a Spark distance measure. */
function nativeMeasure(m: ClusteringDistance): 'squaredEuclidean' | 'cosine' {
  return m === 'cosine' ? 'cosine' : 'squaredEuclidean';
}

// ----- the pure driver update ---------------------------------------------------------------------

export interface CenterUpdate {
  centers: Float64Array;
  /** Every centre moved by <= tol. */
  converged: boolean;
  /** The largest move (Euclidean distance; cosine distance for 'cosine') over updated centres. */
  maxShift: number;
}

/**
 * Spark's Lloyd update from merged step statistics: centre j with weight > 0 becomes
 * sums_j * (1 / weights_j) (cosine: that mean of x/|x|, normalised to unit length); a centre with
 * no weight (or, for cosine, a mean of zero length) keeps its place. Converged when every updated
 * centre moved by <= tol (squared Euclidean move <= tol²; cosine distance <= tol).
 */
export function updateCenters(stats: Pick<KMeansStepStats, 'sums' | 'weights'>, centers: Float64Array, d: number, measure: ClusteringDistance, tol: number): CenterUpdate {
  const k = centers.length / d;
  const next = centers.slice();
  let converged = true;
  let maxShift = 0;
  const c = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    const w = stats.weights[j]!;
    if (!(w > 0)) continue;
    const inv = 1 / w;
    for (let t = 0; t < d; t++) c[t] = stats.sums[j * d + t]! * inv;
    let shift: number;
    if (measure === 'cosine') {
      let s = 0;
      for (let t = 0; t < d; t++) s += c[t]! * c[t]!;
      const nrm = Math.sqrt(s);
      if (!(nrm > 0) || nrm === Infinity) continue;
      const invn = 1 / nrm;
      for (let t = 0; t < d; t++) c[t] = c[t]! * invn;
      let dot = 0;
      let on = 0;
      for (let t = 0; t < d; t++) {
        dot += centers[j * d + t]! * c[t]!;
        on += centers[j * d + t]! * centers[j * d + t]!;
      }
      shift = 1 - dot / Math.sqrt(on);
      if (!(shift <= tol)) converged = false;
    } else {
      shift = squaredDistance(c, 0, centers, j * d, d);
      if (!(shift <= tol * tol)) converged = false;
      shift = Math.sqrt(shift);
    }
    if (shift > maxShift) maxShift = shift;
    next.set(c, j * d);
  }
  return { centers: next, converged, maxShift };
}

// ----- initialisation -----------------------------------------------------------------------------

interface Aggregator {
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

// ----- the estimator ------------------------------------------------------------------------------

function validateInitialModel(v: unknown): string | null {
  const what = 'a KMeansModel or a non-empty array of centres (number[][] of one size, finite numbers)';
  if (v instanceof KMeansModel) return null;
  if (!Array.isArray(v) || v.length === 0) return what;
  const d = Array.isArray(v[0]) ? v[0].length : -1;
  if (d < 1) return what;
  for (const row of v) {
    if (!Array.isArray(row) || row.length !== d || !row.every((x) => typeof x === 'number' && Number.isFinite(x))) return what;
  }
  return null;
}

export class KMeans extends MLWritable(KMeansParamsMixin(Estimator<KMeansModel>)) {
  /** kindling: initial cluster centres for a warm start (a KMeansModel or an array of k centres); Lloyd starts from them instead of initMode. Not a Spark param: not saved. */
  readonly initialModel: Param<KMeansModel | number[][]> = this.param<KMeansModel | number[][]>(
    'initialModel',
    'kindling: initial cluster centres for a warm start (a KMeansModel or an array of k centres); Lloyd starts from them instead of initMode. Not a Spark param: not saved.',
    { validate: validateInitialModel },
  );

  constructor(options?: KMeansOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  getInitialModel(): KMeansModel | number[][] | undefined {
    return this.get(this.initialModel);
  }

  setInitialModel(value: KMeansModel | number[][]): this {
    return this.set(this.initialModel, value);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return checkFitSchema(this.stageName, schema, this.getFeaturesCol(), this.getPredictionCol(), this.getWeightCol());
  }

  /** The initialModel's centres (row-major) and dimension, checked against k. */
  private initialCenters(api: string, k: number): { centers: Float64Array; d: number } | null {
    const im = this.getInitialModel();
    if (im === undefined) return null;
    let centers: Float64Array;
    let d: number;
    if (im instanceof KMeansModel) {
      d = im.numFeatures;
      centers = im.centersArray().slice();
    } else {
      d = im[0]!.length;
      centers = new Float64Array(im.length * d);
      im.forEach((r, j) => centers.set(r, j * d));
    }
    const got = centers.length / d;
    if (got !== k) {
      throw Errors.invalidArg(api, 'initialModel', `a model with k = ${k} centres (mismatched cluster count: set k to ${got} or pass ${k} centres)`, `${got} centres`);
    }
    return { centers, d };
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<KMeansModel> {
    const api = this.stageName;
    const measure = this.getDistanceMeasure();
    const init = this.initialCenters(api, this.getK());
    const data = await prepareInstances(api, df, {
      featuresCol: this.getFeaturesCol(),
      weightCol: this.getWeightCol(),
      checks: { nonZeroNorm: measure === 'cosine', finiteNorm: true },
      emptyMessage: 'clustering needs at least one point',
    });
    try {
      return await this.lloyd(df, data, init, options);
    } finally {
      data.release();
    }
  }

  /** Initial centres, then Lloyd iterations, over training data kept on the executors. */
  private async lloyd(df: DataFrame, data: Instances, init: { centers: Float64Array; d: number } | null, options: FitOptions): Promise<KMeansModel> {
    const api = this.stageName;
    const k = this.getK();
    const maxIter = this.getMaxIter();
    const tol = this.getTol();
    const seed = this.getSeed();
    const measure = this.getDistanceMeasure();
    const d = data.d;
    const agg: Aggregator = {
      run: (centers, _kc, weighted) =>
        df.session.treeAggregate(kmeansStats, data, { centers, d, measure: nativeMeasure(measure), weighted: weighted && data.weighted } satisfies KMeansStepBroadcast),
    };

    let centers: Float64Array;
    if (init) {
      if (init.d !== d) throw Errors.invalidArg(api, 'initialModel', `centres with ${d} features (the size of column ${this.getFeaturesCol()})`, `${init.d} features`);
      if (measure === 'cosine') {
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += init.centers[j * d + t]! ** 2;
          if (!(s > 0)) throw Errors.invalidArg(api, 'initialModel', 'centres of non-zero norm (the cosine distance is undefined for a zero vector)', `centre ${j} = 0`);
        }
      }
      centers = init.centers;
    } else if (this.getInitMode() === 'random') {
      centers = await initRandom(data, k, seed);
    } else {
      centers = await initKMeansParallel(data, k, this.getInitSteps(), seed, measure, agg);
    }
    const kc = centers.length / d;
    if (kc < k) {
      process.emitWarning(
        `${api} (${this.uid}): found only ${kc} distinct cluster centres for k = ${k} (fewer distinct points than k, or a k-means|| sample with <= k distinct candidates); the model keeps ${kc} centres, as Spark does`,
        { type: 'KindlingWarning', code: 'KINDLING_KMEANS_FEWER_CENTERS' },
      );
    }

    let iteration = 0;
    let converged = false;
    let cost = 0;
    while (iteration < maxIter && !converged) {
      const stats = await agg.run(centers, kc, true);
      const up = updateCenters(stats, centers, d, measure, tol);
      centers = up.centers;
      converged = up.converged;
      cost = stats.cost;
      iteration++;
      options.onProgress?.({ stage: this.uid, kind: 'iteration', current: iteration, total: maxIter, message: `cost ${cost}, largest centre move ${up.maxShift}${converged ? ' (converged)' : ''}` });
    }
    const sizes = (await agg.run(centers, kc, false)).weights;

    const model = this.copyValues(new KMeansModel(undefined, this.uid));
    model.setCenters(centers, d);
    model.setParent(this);
    const clusterSizes = Array.from({ length: k }, (_, j) => (j < kc ? sizes[j]! : 0));
    model.setSummary(new KMeansSummary(model.transform(df), model.getPredictionCol(), model.getFeaturesCol(), k, iteration, cost, clusterSizes));
    return model;
  }
}

// ----- summary ------------------------------------------------------------------------------------

/** Spark's KMeansSummary (ClusteringSummary). */
export class KMeansSummary {
  constructor(
    /** The training DataFrame with the prediction column (the model's transform). */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    readonly featuresCol: string,
    /** The requested number of clusters. */
    readonly k: number,
    /** Lloyd iterations run. */
    readonly numIter: number,
    /** Σ weight x cost of the last iteration's assignment (Spark's trainingCost). */
    readonly trainingCost: number,
    /** Rows nearest to each final centre (length k; 0 past the model's centres). */
    readonly clusterSizes: number[],
  ) {}

  /** console.log shows the numbers, not the predictions DataFrame. */
  [inspect.custom](): string {
    return `KMeansSummary(k=${this.k}, numIter=${this.numIter}, trainingCost=${this.trainingCost}, clusterSizes=[${this.clusterSizes.join(', ')}])`;
  }

  /** The prediction column alone. */
  get cluster(): DataFrame {
    return this.predictions.select(this.predictionCol);
  }
}

// ----- the model ----------------------------------------------------------------------------------

export class KMeansModel extends MLWritable(KMeansParamsMixin(Model)) {
  private centers: Float64Array = new Float64Array(0);
  private dim = 0;
  private trainingSummary: KMeansSummary | null = null;

  constructor(options?: KMeansModelOptions, uid?: string) {
    super(uid);
    const { clusterCenters, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (clusterCenters !== undefined) {
      const api = this.stageName;
      if (!Array.isArray(clusterCenters) || clusterCenters.length === 0) throw Errors.invalidArg(api, 'clusterCenters', 'a non-empty array of vectors', clusterCenters);
      const first = clusterCenters[0]!;
      const d = isVector(first) ? first.size : Array.isArray(first) ? first.length : 0;
      if (d < 1) throw Errors.invalidArg(api, 'clusterCenters[0]', 'a Vector or an array of numbers', first);
      const flat = new Float64Array(clusterCenters.length * d);
      clusterCenters.forEach((c, j) => {
        const x = pointOf(api, c as Vector | number[], d);
        if (!x.every(Number.isFinite)) throw Errors.invalidArg(api, `clusterCenters[${j}]`, 'finite numbers', c);
        flat.set(x, j * d);
      });
      this.setCenters(flat, d);
    }
  }

  /** @internal Sets the centres (k x d row-major). */
  setCenters(centers: Float64Array, d: number): this {
    this.centers = centers;
    this.dim = d;
    return this;
  }

  /** @internal The centres, row-major (not a copy). */
  centersArray(): Float64Array {
    return this.centers;
  }

  /** @internal */
  setSummary(summary: KMeansSummary | null): this {
    this.trainingSummary = summary;
    return this;
  }

  private checkFitted(api: string): void {
    if (this.dim === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${this.uid} has no cluster centres (construct it with clusterCenters, fit a KMeans, or load one)`);
  }

  get clusterCenters(): DenseVector[] {
    return centerVectors(this.centers, this.dim);
  }

  /** Spark's clusterCenters (a method in PySpark). */
  getClusterCenters(): DenseVector[] {
    return this.clusterCenters;
  }

  /** Number of features of the centres. */
  get numFeatures(): number {
    return this.dim;
  }

  /** True when the model came from fit() in this process (Spark's hasSummary). */
  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): KMeansSummary {
    if (!this.trainingSummary) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${this.stageName}: No training summary available for this KMeansModel (${this.uid}); only a model returned by fit() has one`);
    return this.trainingSummary;
  }

  /** The index of the centre nearest to `features` (squared Euclidean or cosine distance; the first on ties). */
  predict(features: Vector | readonly number[]): number {
    const api = `${this.stageName}.predict`;
    this.checkFitted(api);
    const x = pointOf(api, features, this.dim);
    const cosine = this.getDistanceMeasure() === 'cosine';
    let s = 0;
    for (let t = 0; t < x.length; t++) s += x[t]! * x[t]!;
    if (!Number.isFinite(s)) throw Errors.invalidArg(api, 'features', 'finite numbers', features);
    if (cosine && !(s > 0)) throw Errors.invalidArg(api, 'features', 'a non-zero vector (the cosine distance is undefined for a zero vector)', features);
    const cost = costOf(this.getDistanceMeasure());
    let best = Infinity;
    let bj = 0;
    for (let j = 0; j < this.centers.length / this.dim; j++) {
      const v = cost(x, 0, this.centers, j * this.dim, this.dim);
      if (v < best) {
        best = v;
        bj = j;
      }
    }
    return bj;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    checkFeaturesColumn(api, schema, this.getFeaturesCol());
    return appendPredictionField(api, schema, this.getPredictionCol());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    this.checkFitted(`${api}.transform`);
    const measure = nativeMeasure(this.getDistanceMeasure());
    const input = predictInput(api, df, this.getFeaturesCol(), this.dim, { nonZeroNorm: measure === 'cosine', finiteNorm: true });
    const b: PredictBroadcast = { input, predictionCol: this.getPredictionCol(), centers: this.centers, measure };
    return withPredictions(df, kmeansPredict, b, this.transformSchema(df.schema));
  }

  /**
   * Σ weight x cost of every row to its nearest centre (squared Euclidean, or cosine distance),
   * weights from weightCol when set: Spark 2.x's computeCost, and scikit-learn's inertia_.
   */
  async computeCost(df: DataFrame): Promise<number> {
    const api = `${this.stageName}.computeCost`;
    this.checkFitted(api);
    const measure = this.getDistanceMeasure();
    const data = await prepareInstances(api, df, { featuresCol: this.getFeaturesCol(), weightCol: this.getWeightCol(), checks: { nonZeroNorm: measure === 'cosine', finiteNorm: true }, emptyMessage: 'clustering needs at least one point' });
    try {
      if (data.d !== this.dim) throw Errors.schema(`${api}: column ${this.getFeaturesCol()} has ${data.d} features, but the model was fitted on ${this.dim}`);
      const b: KMeansStepBroadcast = { centers: this.centers, d: this.dim, measure: nativeMeasure(measure), weighted: data.weighted };
      return (await df.session.treeAggregate(kmeansStats, data, b)).cost;
    } finally {
      data.release();
    }
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: KMeansModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    that.setCenters(this.centers, this.dim);
    that.setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `KMeansModel: uid=${this.uid}, k=${this.centers.length / Math.max(this.dim, 1)}, distanceMeasure=${this.getDistanceMeasure()}, numFeatures=${this.dim}`;
  }
}

register('org.apache.spark.ml.clustering.KMeans', KMeans, {
  save: async (stage, path, ctx) => {
    const { paramMap, defaultParamMap } = encodeParams(stage, ctx.api);
    delete paramMap.initialModel;
    delete defaultParamMap.initialModel;
    await writeMetadata(stage, path, ctx, { paramMap, defaultParamMap });
  },
});

register('org.apache.spark.ml.clustering.KMeansModel', KMeansModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no cluster centres to save`);
    await writeMetadata(m, path, ctx);
    await writeData(path, centersTable(m.centersArray(), m.numFeatures));
  },
  load: async (path, md, ctx) => {
    const { centers, d } = centersFromTable(ctx.api, await readData(path, 'data', ctx.api), path);
    const m = new KMeansModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setCenters(centers, d);
  },
});
