/**
 * LogisticRegressionModel (Spark's ml.classification.LogisticRegressionModel; the estimator is
 * logistic-regression.ts, the scoring logistic-regression-tasks.ts, the saved layout
 * logistic-regression-persistence.ts). A binomial model has one row of coefficients and one
 * intercept (`coefficients`, `intercept`); a multinomial one numClasses rows
 * (`coefficientMatrix`, `interceptVector`); the binomial threshold rules are Spark's
 * (logistic-regression-tasks.ts). `summary` is the training summary of a model from fit();
 * `evaluate(df)` makes the same summary over another DataFrame.
 */
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { DenseMatrix, type Matrix } from '../linalg/matrices.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';
import { MLWritable } from '../ml-writable.js';
import type { ParamMap } from '../param/params.js';
import { Model } from '../stage.js';
import { ProbabilisticClassificationModelMixin } from '../predictor/prediction-models.js';
import { trainingSummaryOf } from '../clustering/clustering-summary.js';
import { pointOf } from '../clustering/kmeans-common.js';
import { LogisticRegressionParamsMixin, type LogisticRegressionParamsOptions } from './logistic-regression-params.js';
import { LogisticThresholdsMixin } from './logistic-regression-thresholds.js';
import { binaryThresholdsOf, logisticScoring, type LogisticState } from './logistic-regression-tasks.js';
import {
  BinaryLogisticRegressionSummary,
  BinaryLogisticRegressionTrainingSummary,
  LogisticRegressionSummary,
  type LogisticRegressionTrainingSummary,
  type LogisticSummaryColumns,
} from './logistic-regression-summary.js';

/** The model's data (Spark's LogisticRegressionModel constructor arguments). */
export interface LogisticModelData {
  /** k x d row-major coefficients (k = 1 for binomial). */
  coef: Float64Array;
  /** k intercepts. */
  intercept: Float64Array;
  numFeatures: number;
  /** As Spark stores it (1 for a binomial fit on one class). */
  numClasses: number;
  isMultinomial: boolean;
}

export interface LogisticRegressionModelOptions extends LogisticRegressionParamsOptions {
  /** Binomial: the coefficients (with `intercept`, default 0). */
  coefficients?: Vector | readonly number[];
  intercept?: number;
  /** Multinomial (or binomial with one row): the coefficient matrix and one intercept per row. */
  coefficientMatrix?: Matrix;
  interceptVector?: Vector | readonly number[];
  /** Default: 2 for one row, else the number of rows. */
  numClasses?: number;
  /** Default: more than one row. */
  isMultinomial?: boolean;
}

export class LogisticRegressionModel extends MLWritable(ProbabilisticClassificationModelMixin(LogisticThresholdsMixin(LogisticRegressionParamsMixin(Model)))) {
  private data: LogisticModelData | null = null;
  private trainingSummary: LogisticRegressionTrainingSummary | BinaryLogisticRegressionTrainingSummary | null = null;

  constructor(options?: LogisticRegressionModelOptions, uid?: string) {
    super(uid);
    const { coefficients, intercept, coefficientMatrix, interceptVector, numClasses, isMultinomial, ...params } = options ?? {};
    this.setParams(params as Record<string, unknown>);
    const api = this.stageName;
    if (coefficients !== undefined) {
      const c = isVector(coefficients) ? coefficients.toArray() : Float64Array.from(coefficients);
      if (intercept !== undefined && typeof intercept !== 'number') throw Errors.invalidArg(api, 'intercept', 'a number', intercept);
      this.setData({ coef: Float64Array.from(c), intercept: Float64Array.of(intercept ?? 0), numFeatures: c.length, numClasses: numClasses ?? 2, isMultinomial: false });
    } else if (coefficientMatrix !== undefined) {
      const k = coefficientMatrix.numRows;
      const d = coefficientMatrix.numCols;
      const iv = interceptVector === undefined ? new Float64Array(k) : isVector(interceptVector) ? interceptVector.toArray() : Float64Array.from(interceptVector);
      if (iv.length !== k) throw Errors.invalidArg(api, 'interceptVector', `a vector of size ${k} (Dimension mismatch! Expected coefficientMatrix.numRows == interceptVector.size)`, `size ${iv.length}`);
      this.setData({ coef: rowMajor(coefficientMatrix), intercept: Float64Array.from(iv), numFeatures: d, numClasses: numClasses ?? (k === 1 ? 2 : k), isMultinomial: isMultinomial ?? k > 1 });
    }
  }

  /** @internal */
  setData(data: LogisticModelData): this {
    const api = this.stageName;
    const k = data.intercept.length;
    if (data.coef.length !== k * data.numFeatures) throw Errors.invalidArg(api, 'coefficientMatrix', `${k} x ${data.numFeatures} values`, data.coef.length);
    if (!data.isMultinomial && k !== 1) throw Errors.invalidArg(api, 'coefficientMatrix', 'one row for a binomial model', `${k} rows`);
    if (data.isMultinomial && k !== data.numClasses) throw Errors.invalidArg(api, 'coefficientMatrix', `numClasses = ${data.numClasses} rows for a multinomial model`, `${k} rows`);
    this.data = data;
    return this;
  }

  /** @internal The model's data (not a copy). */
  modelData(): LogisticModelData {
    if (this.data === null) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${this.stageName}: ${this.uid} has no coefficients (fit a LogisticRegression, construct the model with its coefficients, or load one)`);
    return this.data;
  }

  /** @internal */
  setSummary(summary: LogisticRegressionTrainingSummary | BinaryLogisticRegressionTrainingSummary | null): this {
    this.trainingSummary = summary;
    return this;
  }

  /** @internal Whether the model has coefficients. */
  get hasData(): boolean {
    return this.data !== null;
  }

  override get numFeatures(): number {
    return this.data?.numFeatures ?? 0;
  }

  /** The number of classes (a binomial model scores 2 whatever it stores). */
  override get numClasses(): number {
    if (this.data === null) return 0;
    return this.data.isMultinomial ? this.data.numClasses : Math.max(this.data.numClasses, 2);
  }

  get isMultinomial(): boolean {
    return this.modelData().isMultinomial;
  }

  /** Binomial: the coefficients (Spark throws for a multinomial model). */
  get coefficients(): DenseVector {
    const m = this.modelData();
    if (m.isMultinomial) throw Errors.invalidArg(`${this.stageName}.coefficients`, 'model', 'a binomial model (Multinomial models contain a matrix of coefficients, use coefficientMatrix instead.)', 'multinomial');
    return new DenseVector(m.coef.slice());
  }

  /** Binomial: the intercept (Spark throws for a multinomial model). */
  get intercept(): number {
    const m = this.modelData();
    if (m.isMultinomial) throw Errors.invalidArg(`${this.stageName}.intercept`, 'model', 'a binomial model (Multinomial models contain a vector of intercepts, use interceptVector instead.)', 'multinomial');
    return m.intercept[0]!;
  }

  /** numCoefficientSets x numFeatures (row-major values, as Spark's isTransposed matrices). */
  get coefficientMatrix(): DenseMatrix {
    const m = this.modelData();
    return new DenseMatrix(m.intercept.length, m.numFeatures, m.coef.slice(), true);
  }

  get interceptVector(): DenseVector {
    return new DenseVector(this.modelData().intercept.slice());
  }

  override scoringOf() {
    const m = this.modelData();
    const state: LogisticState = { coef: m.coef, intercept: m.intercept, multinomial: m.isMultinomial, binaryThresholds: m.isMultinomial ? null : binaryThresholdsOf(this.getThreshold()) };
    return { scoring: logisticScoring, state };
  }

  /** Spark's predict: binomial, 1 when sigmoid(β·x + b) > threshold (the score itself, not 1 − p0); multinomial by the default rules. */
  override predict(features: Vector | readonly number[]): number {
    const m = this.modelData();
    if (m.isMultinomial) return super.predict(features);
    const api = `${this.stageName}.predict`;
    const x = pointOf(api, features, m.numFeatures);
    if (!x.every(Number.isFinite)) throw Errors.invalidArg(api, 'features', 'finite numbers', features);
    let margin = m.intercept[0]!;
    for (let j = 0; j < x.length; j++) margin += m.coef[j]! * x[j]!;
    return 1 / (1 + Math.exp(-margin)) > this.getThreshold() ? 1 : 0;
  }

  /**
   * @internal The thresholds the transform applies: Spark's ProbabilisticClassificationModel reads
   * the thresholds param itself (isDefined(thresholds)), not getThresholds — so a multinomial model
   * with only `threshold` set predicts by argmax; a binomial one applies getThreshold in its scorer.
   */
  thresholdsFor(api: string): number[] | null {
    const t = this.get(this.thresholds);
    if (t === undefined) return null;
    if (t.length !== this.numClasses) throw Errors.schema(`${api}: thresholds has ${t.length} values, but the model has numClasses = ${this.numClasses}; give one threshold per class`);
    return t;
  }

  override transformSchema(schema: import('apache-arrow').Schema): import('apache-arrow').Schema {
    this.checkThresholdConsistency(this.stageName);
    return super.transformSchema(schema);
  }

  get hasSummary(): boolean {
    return this.trainingSummary !== null;
  }

  get summary(): LogisticRegressionTrainingSummary | BinaryLogisticRegressionTrainingSummary {
    return trainingSummaryOf(this, this.trainingSummary);
  }

  /** Spark's binarySummary: the training summary of a binary model. */
  get binarySummary(): BinaryLogisticRegressionTrainingSummary {
    const s = this.summary;
    if (!(s instanceof BinaryLogisticRegressionTrainingSummary)) {
      throw Errors.invalidArg(`${this.stageName}.binarySummary`, 'model', `a binary model (Cannot create a binary summary for a non-binary model(numClasses=${this.numClasses}), use summary instead.)`, `numClasses = ${this.numClasses}`);
    }
    return s;
  }

  /** @internal The columns the summaries read (Spark's findSummaryModel: output params left empty get kindling's temporary names). */
  summaryModel(): { model: LogisticRegressionModel; cols: LogisticSummaryColumns } {
    let model: LogisticRegressionModel = this;
    if (this.getProbabilityCol() === '' || this.getPredictionCol() === '') {
      model = this.copy();
      if (this.getProbabilityCol() === '') model.setProbabilityCol(`probability_${this.uid}`);
      if (this.getPredictionCol() === '') model.setPredictionCol(`prediction_${this.uid}`);
    }
    const w = this.getWeightCol();
    return { model, cols: { probabilityCol: model.getProbabilityCol(), predictionCol: model.getPredictionCol(), labelCol: this.getLabelCol(), featuresCol: this.getFeaturesCol(), weightCol: w ?? '' } };
  }

  /** Spark's evaluate: the summary of this model's predictions on `df` (binary for at most 2 classes). */
  async evaluate(df: DataFrame): Promise<LogisticRegressionSummary> {
    const { model, cols } = this.summaryModel();
    const predictions = model.transform(df);
    return this.numClasses > 2 ? LogisticRegressionSummary.summaryOf(predictions, cols) : BinaryLogisticRegressionSummary.binaryOf(predictions, cols);
  }

  override copy(extra?: ParamMap): this {
    const Ctor = this.constructor as new (o?: LogisticRegressionModelOptions, uid?: string) => this;
    const that = this.copyValues(new Ctor(undefined, this.uid), extra);
    if (this.data) that.setData(this.data);
    that.setSummary(this.trainingSummary);
    return that.setParent(this.parent);
  }

  override toString(): string {
    return `LogisticRegressionModel: uid=${this.uid}, numClasses=${this.data?.numClasses ?? 0}, numFeatures=${this.numFeatures}`;
  }
}

/** A matrix's values row by row (the column-major values of its transpose). */
export function rowMajor(m: Matrix): Float64Array {
  return m.transpose().toArray();
}
