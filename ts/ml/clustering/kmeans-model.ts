/**
 * KMeansModel and KMeansSummary (Spark's ml.clustering.KMeansModel / KMeansSummary; the
 * estimator is kmeans.ts). transform appends the nearest centre's index as a task on the
 * executors (kmeans.predict); persistence is Spark's layout (one row per centre in `data/`,
 * Spark 1.6's one-row layout loads too).
 */
import type * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { prepareInstances } from '../data/instances.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../persist.js';
import { Model } from '../stage.js';
import { CostSummary, trainingSummaryOf } from './clustering-summary.js';
import { KMeansParamsMixin, type KMeansParamsOptions } from './clustering-params.js';
import { appendPredictionField, centerVectors, centersFromTable, centersTable, checkFeaturesColumn, costOf, pointOf, nativeMeasure } from './kmeans-common.js';
import { kmeansPredict, kmeansStats, type KMeansStepBroadcast, type PredictBroadcast } from './kmeans-tasks.js';
import { predictInput, withPredictions } from '../data/predictions.js';

export interface KMeansModelOptions extends KMeansParamsOptions {
  /** The centres (k vectors of one size). */
  clusterCenters?: ReadonlyArray<Vector | readonly number[]>;
}

/**
 * Spark's KMeansSummary: trainingCost is Σ weight x cost of the last Lloyd iteration's
 * assignment; numIter the Lloyd iterations run; clusterSizes the rows nearest to each final centre.
 */
export class KMeansSummary extends CostSummary {}

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
    return trainingSummaryOf(this, this.trainingSummary);
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
