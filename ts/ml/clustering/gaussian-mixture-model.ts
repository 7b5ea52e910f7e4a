/**
 * GaussianMixtureModel and its training summary (Spark's ml.clustering.GaussianMixtureModel,
 * docs/formats/SPARK_DEFINITIONS.md §11): `weights`, `gaussians` (MultivariateGaussian: mean
 * DenseVector, cov DenseMatrix), `gaussiansDF` (mean, cov), `predict`, `predictProbability`
 * (Spark's computeProbabilities: (EPSILON + w_c pdf_c) / Σ), `transform` (appends the probability
 * vector column, then the int prediction = its argmax, as Spark's transform), `summary`
 * (GaussianMixtureSummary: predictions, probability, cluster, clusterSizes, logLikelihood,
 * numIter, k, and what the fit did to degenerate components). A model given by value
 * (`new GaussianMixtureModel({ mixture })`) or loaded with a singular covariance is regularised
 * (scale 1) with a warning (gmm-gaussian.ts).
 */
import * as arrow from 'apache-arrow';
import { predictInput, withPredictions } from '../data/predictions.js';
import { gmmPredict, type GmmPredictBroadcast } from './gmm-tasks.js';
import { Errors, KindlingError } from '../../src/errors.js';
import { makeBatch } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Types } from '../../src/dataframe/types.js';
import { gmmPosteriors, packedSize, unpackUpper, type GmmComponents } from '../../src/kernels/gmm.js';
import { Session } from '../../src/session.js';
import { denseVectorColumn } from '../linalg/columns.js';
import { DenseMatrix } from '../linalg/matrices.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { Model } from '../stage.js';
import { ClusteringSummary, trainingSummaryOf } from './clustering-summary.js';
import { GaussianMixtureParamsMixin, type GaussianMixtureParamsOptions } from './clustering-params.js';
import { MultivariateGaussian, mixtureOf, preparedComponents, type GaussianMixtureInit, type GmmPseudoInverse, type GmmRegularization, type MixtureState } from './gmm-gaussian.js';
import { matrixStructColumn } from './gmm-persistence.js';
import { argmax } from './gmm-tasks.js';
import { checkFeaturesColumn, pointOf } from './kmeans-common.js';

export interface GaussianMixtureModelOptions extends GaussianMixtureParamsOptions {
  /** The mixture (weights, means, covariances). */
  mixture?: GaussianMixtureInit;
}

/** A component whose total responsibility fell below 1e-6 of an average row's weight in an E-step (it collapsed; EM went on, as Spark's). */
export interface GmmCollapse {
  /** The EM iteration whose E-step found it. */
  iteration: number;
  component: number;
  /** Its total responsibility in that E-step. */
  responsibility: number;
}

export function validateInitialModel(v: unknown): string | null {
  const what = 'a GaussianMixtureModel or { weights, means, covariances } of one length';
  if (v instanceof GaussianMixtureModel) return null;
  if (v === null || typeof v !== 'object') return what;
  const o = v as Partial<GaussianMixtureInit>;
  if (!(Array.isArray(o.weights) || o.weights instanceof Float64Array) || !Array.isArray(o.means) || !Array.isArray(o.covariances)) return what;
  if (o.weights.length === 0 || o.means.length !== o.weights.length || o.covariances.length !== o.weights.length) return what;
  return null;
}

/** Spark's schema checks: a vector-compatible features column; prediction and probability columns must not exist. */
export function outputSchema(api: string, schema: arrow.Schema, featuresCol: string, predictionCol: string, probabilityCol: string, k: number): arrow.Schema {
  checkFeaturesColumn(api, schema, featuresCol);
  for (const [param, name] of [['predictionCol', predictionCol], ['probabilityCol', probabilityCol]] as const) {
    if (schema.fields.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
      throw Errors.schema(`${api}: Column ${name} already exists (${param}); choose another ${param} or drop the column first`);
    }
  }
  if (predictionCol.toLowerCase() === probabilityCol.toLowerCase()) throw Errors.schema(`${api}: predictionCol and probabilityCol are both ${predictionCol}`);
  return new arrow.Schema([...schema.fields, new arrow.Field(probabilityCol, Types.vector(k), false), new arrow.Field(predictionCol, new arrow.Int32(), false)]);
}

/** Spark's GaussianMixtureSummary (ClusteringSummary). */
export class GaussianMixtureSummary extends ClusteringSummary {
  constructor(
    predictions: DataFrame,
    predictionCol: string,
    readonly probabilityCol: string,
    featuresCol: string,
    k: number,
    /** The total (weighted) log-likelihood of the last E-step, i.e. of the mixture before the last M-step (Spark's). */
    readonly logLikelihood: number,
    /** EM iterations run. */
    numIter: number,
    /** Rows whose most probable component is each component (length k). */
    clusterSizes: number[],
    /** kindling: every covariance the regulariser touched (empty when none was singular). */
    readonly regularizations: GmmRegularization[] = [],
    /** kindling: every covariance evaluated as Spark's degenerate Gaussian (pseudo-inverse, pseudo-determinant). */
    readonly pseudoInverses: GmmPseudoInverse[] = [],
    /** kindling: every collapse of a component (total responsibility ~0), by iteration. */
    readonly collapsed: GmmCollapse[] = [],
    /** kindling: the share of the weight whose every w_c pdf_c was at most Spark's EPSILON in the last E-step (0 without one). */
    readonly flooredFraction = 0,
  ) {
    super(predictions, predictionCol, featuresCol, k, numIter, clusterSizes);
  }

  protected get headline(): [string, number] {
    return ['logLikelihood', this.logLikelihood];
  }

  /** The probability column alone. */
  get probability(): DataFrame {
    return this.predictions.select(this.probabilityCol);
  }
}

export class GaussianMixtureModel extends MLWritable(GaussianMixtureParamsMixin(Model)) {
  private state: MixtureState | null = null;
  private comps: GmmComponents | null = null;
  private trainingSummary: GaussianMixtureSummary | null = null;

  constructor(options?: GaussianMixtureModelOptions, uid?: string) {
    super(uid);
    const { mixture, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (mixture !== undefined) {
      const api = this.stageName;
      if (validateInitialModel(mixture) !== null) throw Errors.invalidArg(api, 'mixture', '{ weights, means, covariances } of one length', mixture);
      const s = mixtureOf(api, 'mixture', mixture);
      this.setMixture(s, preparedComponents(api, this.uid, s));
    }
  }

  /** @internal Sets the mixture and its prepared components. */
  setMixture(state: MixtureState, comps: GmmComponents): this {
    this.state = state;
    this.comps = comps;
    return this;
  }

  /** @internal A copy of the mixture as plain arrays. */
  mixtureState(): MixtureState {
    const s = this.fitted('GaussianMixtureModel');
    return { k: s.k, d: s.d, weights: s.weights.slice(), means: s.means.slice(), covs: s.covs.slice() };
  }

  /** @internal */
  setSummary(summary: GaussianMixtureSummary | null): this {
    this.trainingSummary = summary;
    return this;
  }

  private fitted(api: string): MixtureState {
    if (this.state === null) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${this.uid} has no mixture (construct it with a mixture, fit a GaussianMixture, or load one)`);
    return this.state;
  }

  private components(api: string): GmmComponents {
    this.fitted(api);
    return this.comps!;
  }

  /** The mixture weights (sum to 1). */
  get weights(): number[] {
    return Array.from(this.fitted(`${this.stageName}.weights`).weights);
  }

  /** The components: mean DenseVector and covariance DenseMatrix each. */
  get gaussians(): MultivariateGaussian[] {
    const s = this.fitted(`${this.stageName}.gaussians`);
    const tri = packedSize(s.d);
    const out: MultivariateGaussian[] = [];
    for (let j = 0; j < s.k; j++) {
      const full = unpackUpper(s.covs.subarray(j * tri, (j + 1) * tri), s.d);
      out.push(new MultivariateGaussian(new DenseVector(s.means.slice(j * s.d, (j + 1) * s.d)), new DenseMatrix(s.d, s.d, full)));
    }
    return out;
  }

  /** The components as a DataFrame of the active session: `mean` (vector) and `cov` (Spark's MatrixUDT struct, dense column-major), one row each. */
  get gaussiansDF(): DataFrame {
    const api = `${this.stageName}.gaussiansDF`;
    const s = this.fitted(api);
    const session = Session.active;
    if (session === null) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: needs an active Session (Session.builder().getOrCreate())`);
    const tri = packedSize(s.d);
    const covs = Array.from({ length: s.k }, (_, j) => new DenseMatrix(s.d, s.d, unpackUpper(s.covs.subarray(j * tri, (j + 1) * tri), s.d)));
    const mean = denseVectorColumn(s.means.slice(), s.d);
    const cov = matrixStructColumn(covs);
    const schema = new arrow.Schema([new arrow.Field('mean', mean.type, true), new arrow.Field('cov', cov.type, true)]);
    return session.createDataFrame(new arrow.Table(schema, [makeBatch(schema, [mean, cov], s.k)]));
  }

  /** Number of features. */
  get numFeatures(): number {
    return this.state?.d ?? 0;
  }

  /** True when the model came from fit() in this process (Spark's hasSummary). */
  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): GaussianMixtureSummary {
    return trainingSummaryOf(this, this.trainingSummary);
  }

  /** Spark's predictProbability: (EPSILON + w_c pdf_c(x)) / Σ over the components. */
  predictProbability(features: Vector | readonly number[]): DenseVector {
    const api = `${this.stageName}.predictProbability`;
    const c = this.components(api);
    const x = pointOf(api, features, c.d);
    if (!x.every(Number.isFinite)) throw Errors.invalidArg(api, 'features', 'finite numbers', features);
    return new DenseVector(gmmPosteriors(x, c.d, c));
  }

  /** The most probable component (the first on ties). */
  predict(features: Vector | readonly number[]): number {
    const p = this.predictProbability(features).toArray();
    return argmax(p, 0, p.length);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return outputSchema(this.stageName, schema, this.getFeaturesCol(), this.getPredictionCol(), this.getProbabilityCol(), this.state?.k ?? this.getK());
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = this.stageName;
    const comps = this.components(`${api}.transform`);
    const featuresCol = this.getFeaturesCol();
    const outSchema = outputSchema(api, df.schema, featuresCol, this.getPredictionCol(), this.getProbabilityCol(), comps.k);
    const input = predictInput(api, df, featuresCol, comps.d, {});
    const b: GmmPredictBroadcast = { input, comps, probabilityCol: this.getProbabilityCol(), predictionCol: this.getPredictionCol() };
    return withPredictions(df, gmmPredict, b, outSchema);
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: GaussianMixtureModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    if (this.state !== null) that.setMixture(this.state, this.comps!);
    that.setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `GaussianMixtureModel: uid=${this.uid}, k=${this.state?.k ?? 0}, numFeatures=${this.numFeatures}`;
  }
}
