/**
 * KMeans (Spark's ml.clustering.KMeans, docs/formats/SPARK_DEFINITIONS.md §9), the estimator;
 * its initial centres are in kmeans-init.ts, KMeansModel and KMeansSummary in kmeans-model.ts.
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
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { KMeansStepStats } from '../../src/kernels/distance.js';
import { prepareInstances, type Instances } from '../data/instances.js';
import { MLWritable } from '../ml-writable.js';
import type { Param, ParamValue } from '../param/params.js';
import { encodeParams, register, writeMetadata } from '../persist.js';
import { Estimator, type FitOptions } from '../stage.js';
import { KMeansParamsMixin, type KMeansParams, type KMeansParamsOptions } from './clustering-params.js';
import { checkFitSchema, squaredDistance, nativeMeasure, type ClusteringDistance } from './kmeans-common.js';
import { kmeansStats, type KMeansStepBroadcast } from './kmeans-tasks.js';
import { initKMeansParallel, initRandom, type Aggregator } from './kmeans-init.js';
import { KMeansModel, KMeansSummary } from './kmeans-model.js';

export type KMeansInitMode = ParamValue<KMeansParams['initMode']>;
export type KMeansSolver = ParamValue<KMeansParams['solver']>;
export type { KMeansParamsOptions };

export interface KMeansOptions extends KMeansParamsOptions {
  /** Warm start (beyond Spark's ml API): Lloyd starts from these centres; their number must equal k. */
  initialModel?: KMeansModel | number[][];
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

register('org.apache.spark.ml.clustering.KMeans', KMeans, {
  save: async (stage, path, ctx) => {
    const { paramMap, defaultParamMap } = encodeParams(stage, ctx.api);
    delete paramMap.initialModel;
    delete defaultParamMap.initialModel;
    await writeMetadata(stage, path, ctx, { paramMap, defaultParamMap });
  },
});
