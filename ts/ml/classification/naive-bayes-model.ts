/**
 * NaiveBayesModel (Spark's ml.classification.NaiveBayesModel; the estimator is naive-bayes.ts):
 * `pi` (log class priors), `theta` (numClasses x numFeatures: log conditional probabilities;
 * per-class means for 'gaussian'; the negated complement log-probabilities for 'complement') and
 * `sigma` (per-class variances for 'gaussian', else 0 x 0). Transform and one-row predictions are
 * the Predictor core's (predictor/prediction-models.ts) with Spark's predictRaw and
 * raw2probability (naive-bayes-tasks.ts).
 *
 * Persistence is Spark 3.x's layout (SPARK_MODEL_FORMAT.md §3): metadata, and `data/` one row of
 * `pi` (VectorUDT), `theta` and `sigma` (MatrixUDT); a Spark 2.x file (pi and theta only) loads
 * with an empty sigma.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { matrixFromStruct, matrixStructColumn } from '../clustering/gmm-persistence.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { DenseMatrix } from '../linalg/matrices.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { getAndSetParams, readData, register, writeData, writeMetadata, firstRow } from '../persist.js';
import { ProbabilisticClassificationModelMixin } from '../predictor/prediction-models.js';
import { Model } from '../stage.js';
import { NaiveBayesParamsMixin, type NaiveBayesParamsOptions } from './naive-bayes-params.js';
import { naiveBayesScoring, naiveBayesState, type NaiveBayesModelType, type NaiveBayesState } from './naive-bayes-tasks.js';

export interface NaiveBayesModelOptions extends NaiveBayesParamsOptions {
  /** Log class priors (numClasses values). */
  pi?: Vector | readonly number[];
  /** numClasses x numFeatures (see the module comment). */
  theta?: DenseMatrix;
  /** numClasses x numFeatures variances ('gaussian'), else 0 x 0 (the default). */
  sigma?: DenseMatrix;
}

export class NaiveBayesModel extends MLWritable(ProbabilisticClassificationModelMixin(NaiveBayesParamsMixin(Model))) {
  private piValues: Float64Array = new Float64Array(0);
  /** numClasses x numFeatures, row-major. */
  private thetaValues: Float64Array = new Float64Array(0);
  private sigmaValues: Float64Array = new Float64Array(0);
  private d = 0;
  private cached: NaiveBayesState | null = null;

  constructor(options?: NaiveBayesModelOptions, uid?: string) {
    super(uid);
    const { pi, theta, sigma, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    if (pi !== undefined || theta !== undefined) {
      const api = this.stageName;
      if (pi === undefined || !(theta instanceof DenseMatrix)) throw Errors.invalidArg(api, 'theta', 'pi and theta (a DenseMatrix) given together', theta);
      const p = Float64Array.from(Array.isArray(pi) ? pi : (pi as Vector).toArray());
      this.setData(p, theta.numCols, theta.transpose().toArray(), sigma && sigma.numRows > 0 ? sigma.transpose().toArray() : new Float64Array(0));
    }
  }

  /** @internal Sets the model's data (θ and σ row-major numClasses x d; σ empty unless gaussian). */
  setData(pi: Float64Array, d: number, theta: Float64Array, sigma: Float64Array): this {
    const api = this.stageName;
    const k = pi.length;
    if (k < 1 || d < 1) throw Errors.invalidArg(api, 'pi', 'at least one class and one feature', `${k} classes, ${d} features`);
    if (theta.length !== k * d) throw Errors.invalidArg(api, 'theta', `a ${k} x ${d} matrix (numClasses x numFeatures)`, `${theta.length} values`);
    if (sigma.length !== 0 && sigma.length !== k * d) throw Errors.invalidArg(api, 'sigma', `a ${k} x ${d} matrix or an empty one`, `${sigma.length} values`);
    this.piValues = pi;
    this.thetaValues = theta;
    this.sigmaValues = sigma;
    this.d = d;
    this.cached = null;
    return this;
  }

  override get numFeatures(): number {
    return this.d;
  }

  override get numClasses(): number {
    return this.piValues.length;
  }

  /** Log of the class priors (Spark's pi). */
  get pi(): DenseVector {
    return new DenseVector(this.piValues.slice());
  }

  /** numClasses x numFeatures (Spark's theta; row-major, isTransposed as Spark's). */
  get theta(): DenseMatrix {
    return new DenseMatrix(this.numClasses, this.d, this.thetaValues.slice(), true);
  }

  /** Per-class feature variances ('gaussian'), else a 0 x 0 matrix (Spark's sigma). */
  get sigma(): DenseMatrix {
    return this.sigmaValues.length === 0 ? new DenseMatrix(0, 0, []) : new DenseMatrix(this.numClasses, this.d, this.sigmaValues.slice(), true);
  }

  override scoringOf() {
    const modelType = this.getModelType() as NaiveBayesModelType;
    if (this.cached === null || this.cached.modelType !== modelType) {
      if (modelType === 'gaussian' && this.sigmaValues.length === 0) {
        throw Errors.schema(`${this.stageName}: modelType is gaussian, but the model has no sigma (it was fitted as ${this.cached?.modelType ?? 'another type'}); set modelType back`);
      }
      this.cached = naiveBayesState(modelType, this.piValues, this.thetaValues, this.sigmaValues);
    }
    return { scoring: naiveBayesScoring, state: this.cached };
  }

  /** A copy with the same uid and data (Spark's NaiveBayesModel.copy). */
  override copy(extra?: ParamMap): this {
    const that = super.copy(extra);
    if (this.d > 0) that.setData(this.piValues, this.d, this.thetaValues, this.sigmaValues);
    if (this.parent) that.setParent(this.parent);
    return that;
  }

  /** @internal */
  hasData(): boolean {
    return this.d > 0;
  }

  override toString(): string {
    return `NaiveBayesModel: uid=${this.uid}, modelType=${this.getModelType()}, numClasses=${this.numClasses}, numFeatures=${this.numFeatures}`;
  }
}

register('org.apache.spark.ml.classification.NaiveBayesModel', NaiveBayesModel, {
  save: async (m, path, ctx) => {
    if (!m.hasData()) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no pi and theta to save`);
    await writeMetadata(m, path, ctx);
    const pi = m.pi;
    const cols: AnyData[] = [denseVectorColumn(Float64Array.from(pi.toArray()), pi.size), matrixStructColumn([m.theta]), matrixStructColumn([m.sigma])];
    const schema = new arrow.Schema([new arrow.Field('pi', cols[0]!.type, true), new arrow.Field('theta', cols[1]!.type, true), new arrow.Field('sigma', cols[2]!.type, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, cols, 1)] });
  },
  load: async (path, md, ctx) => {
    const table = await readData(path, 'data', ctx.api);
    const row = firstRow(table, ctx.api, path, 'NaiveBayesModel');
    const colOf = (n: string) => row.data.children[row.schema.fields.findIndex((f) => f.name === n)] as AnyData | undefined;
    const piCol = colOf('pi');
    const thetaCol = colOf('theta');
    if (!piCol || !thetaCol) throw Errors.load(`${ctx.api}: the NaiveBayesModel at ${path} has no pi or theta column`);
    const pi = vectorAt(piCol, 0);
    if (pi === null) throw Errors.load(`${ctx.api}: the NaiveBayesModel at ${path} has a null pi`);
    const theta = matrixFromStruct(ctx.api, thetaCol, 0, path);
    // Spark 2.x saved pi and theta only
    const sigmaCol = md.version[0] >= 3 ? colOf('sigma') : undefined;
    const sigma = sigmaCol ? matrixFromStruct(ctx.api, sigmaCol, 0, path) : new DenseMatrix(0, 0, []);
    const m = new NaiveBayesModel(undefined, md.uid);
    getAndSetParams(m, md, { api: ctx.api });
    return m.setData(Float64Array.from(pi.toArray()), theta.numCols, theta.transpose().toArray(), sigma.numRows > 0 ? sigma.transpose().toArray() : new Float64Array(0));
  },
});
