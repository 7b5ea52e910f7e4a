/**
 * The model side of Spark's Predictor API, as mixins applied over a family's params mixin:
 *
 *   class LinearRegressionModel extends MLWritable(RegressionModelMixin(LinearRegressionParamsMixin(Model))) { … }
 *   class LogisticRegressionModel extends MLWritable(ProbabilisticClassificationModelMixin(LogisticRegressionParamsMixin(Model))) { … }
 *
 * A family supplies `numFeatures`, (`numClasses`,) and `scoringOf()` — its scoring task and
 * scorer (scoring-tasks.ts) with the model's data as broadcast state — and gets Spark's
 * transformSchema (features column checked; the output columns appended, refused when they exist;
 * the prediction column carries a nominal attribute of numClasses values and the vectors an
 * attribute group of numClasses, as Spark's SchemaUtils.updateNumValues / updateAttributeGroupSize),
 * transform (one task per partition on the executors), and PySpark's one-row methods
 * `predict(features)`, `predictRaw(features)`, `predictProbability(features)` on the driver.
 */
import type * as arrow from 'apache-arrow';
import * as arr from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { Types } from '../../src/dataframe/types.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { AttributeGroup, NominalAttribute, withAttribute, withAttributeGroup } from '../attribute/attributes.js';
import { checkFeaturesColumn } from '../data/features.js';
import { predictInput, withPredictions } from '../data/predictions.js';
import type { RowChecks } from '../../src/kernels/validate-rows.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { pointOf } from '../clustering/kmeans-common.js';
import type { Model } from '../stage.js';
import type { Mixin } from '../param/spec.js';
import type { ClassifierParams, PredictorParams, ProbabilisticClassifierParams } from './predictor-params.js';
import { classifierFields, classify, type ClassifierScoring, type RegressorScoring } from './scoring-tasks.js';

/** The schema with `fields` appended; a name already in the schema is an error naming its param (Spark's SchemaUtils.appendColumn). */
export function appendOutputFields(api: string, schema: arrow.Schema, fields: ReadonlyArray<{ field: arrow.Field; param: string }>): arrow.Schema {
  for (const { field, param } of fields) {
    if (schema.fields.some((f) => f.name.toLowerCase() === field.name.toLowerCase())) {
      throw Errors.schema(`${api}: Column ${field.name} already exists (${param}); choose another ${param} or drop the column first`);
    }
  }
  return new arr.Schema([...schema.fields, ...fields.map((f) => f.field)], schema.metadata);
}

function notFitted(api: string, uid: string): KindlingError {
  return new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${uid} has no coefficients (fit an estimator, construct the model with its data, or load one)`);
}

type PredictionModelClass = abstract new (...args: any[]) => Model & PredictorParams;
type ClassificationModelClass = abstract new (...args: any[]) => Model & ClassifierParams;
type ProbabilisticModelClass = abstract new (...args: any[]) => Model & ProbabilisticClassifierParams;

/**
 * What a regression model class gets, and must give: `numFeatures` (0 until fitted) and
 * `scoringOf()` are the family's (the mixin declares them abstract); `predictChecks()` may be
 * overridden.
 */
export interface RegressionModelApi {
  readonly numFeatures: number;
  transformSchema(schema: arrow.Schema): arrow.Schema;
  /** @internal Transformer's transform body (public here so that the mixin's type carries it). */
  transformImpl(df: DataFrame): DataFrame;
  /** @internal The family's scoring and the model's data to broadcast. */
  scoringOf(): { scoring: RegressorScoring<any>; state: unknown };
  /** @internal What the features must satisfy beyond being finite (default: nothing). */
  predictChecks(): RowChecks;
  /** The prediction for one feature vector (PySpark's predict). */
  predict(features: Vector | readonly number[]): number;
}

/** What a classification model class gets, and must give (as RegressionModelApi, plus `numClasses`). */
export interface ClassificationModelApi {
  readonly numFeatures: number;
  transformSchema(schema: arrow.Schema): arrow.Schema;
  /** @internal Transformer's transform body (public here so that the mixin's type carries it). */
  transformImpl(df: DataFrame): DataFrame;
  readonly numClasses: number;
  /** @internal */
  scoringOf(): { scoring: ClassifierScoring<any>; state: unknown };
  /** @internal */
  predictChecks(): RowChecks;
  predictRaw(features: Vector | readonly number[]): DenseVector;
  predict(features: Vector | readonly number[]): number;
}

/** A probabilistic classification model's: ClassificationModelApi and the probabilities of one vector. */
export interface ProbabilisticClassificationModelApi extends ClassificationModelApi {
  predictProbability(features: Vector | readonly number[]): DenseVector;
}

/** Spark's RegressionModel: a double prediction column. */
export function RegressionModelMixin<B extends PredictionModelClass>(Base: B): B & Mixin<RegressionModelApi> {
  abstract class RegressionModelImpl extends Base implements RegressionModelApi {
    /** The number of features the model was fitted on (0: not fitted). */
    abstract get numFeatures(): number;
    abstract scoringOf(): { scoring: RegressorScoring<any>; state: unknown };
    predictChecks(): RowChecks {
      return {};
    }

    transformSchema(schema: arrow.Schema): arrow.Schema {
      const api = this.stageName;
      checkFeaturesColumn(api, schema, this.getFeaturesCol());
      const p = this.getPredictionCol();
      return p === '' ? schema : appendOutputFields(api, schema, [{ field: new arr.Field(p, new arr.Float64(), false), param: 'predictionCol' }]);
    }

    transformImpl(df: DataFrame): DataFrame {
      const api = this.stageName;
      if (this.numFeatures === 0) throw notFitted(`${api}.transform`, this.uid);
      if (this.getPredictionCol() === '') {
        process.emitWarning(`${api}.transform: predictionCol is empty; transform returns the input unchanged`, { type: 'KindlingWarning', code: 'KINDLING_NO_OUTPUT_COLUMNS' });
        return df;
      }
      const { scoring, state } = this.scoringOf();
      const input = predictInput(api, df, this.getFeaturesCol(), this.numFeatures, this.predictChecks());
      return withPredictions(df, scoring.task, { input, predictionCol: this.getPredictionCol(), state }, this.transformSchema(df.schema));
    }

    /** The prediction for one feature vector (PySpark's predict). */
    predict(features: Vector | readonly number[]): number {
      const api = `${this.stageName}.predict`;
      if (this.numFeatures === 0) throw notFitted(api, this.uid);
      const x = pointOf(api, features, this.numFeatures);
      if (!x.every(Number.isFinite)) throw Errors.invalidArg(api, 'features', 'finite numbers', features);
      const { scoring, state } = this.scoringOf();
      return scoring.scorer.predict(state, x, 1, this.numFeatures)[0]!;
    }
  }
  return RegressionModelImpl;
}

/**
 * Spark's ClassificationModel (rawPrediction and prediction columns: LinearSVC, OneVsRest) over a
 * family's ClassifierParams mixin. `ProbabilisticClassificationModelMixin` is the same class with
 * the probability column and thresholds of ProbabilisticClassifierParams.
 */
export function ClassificationModelMixin<B extends ClassificationModelClass>(Base: B): B & Mixin<ClassificationModelApi> {
  return classificationModel(Base);
}

/** Spark's ProbabilisticClassificationModel: rawPrediction, probability and prediction columns. */
export function ProbabilisticClassificationModelMixin<B extends ProbabilisticModelClass>(Base: B): B & Mixin<ProbabilisticClassificationModelApi> {
  return classificationModel(Base) as B & Mixin<ProbabilisticClassificationModelApi>;
}

function classificationModel<B extends ClassificationModelClass>(Base: B): B & Mixin<ClassificationModelApi> {
  abstract class ClassificationModelImpl extends Base implements ClassificationModelApi {
    abstract get numFeatures(): number;
    abstract get numClasses(): number;
    abstract scoringOf(): { scoring: ClassifierScoring<any>; state: unknown };
    predictChecks(): RowChecks {
      return {};
    }

    /** probabilityCol, or '' for a model without one (Spark's ClassificationModel). */
    private probabilityColOf(): string {
      const self = this as unknown as Partial<ProbabilisticClassifierParams>;
      return typeof self.getProbabilityCol === 'function' ? self.getProbabilityCol() : '';
    }

    /** @internal The thresholds param, checked against numClasses (Spark's transform check); null when unset or the model has none. */
    thresholdsFor(api: string): number[] | null {
      const self = this as unknown as Partial<ProbabilisticClassifierParams>;
      const t = typeof self.getThresholds === 'function' ? self.getThresholds() : undefined;
      if (t === undefined) return null;
      if (t.length !== this.numClasses) {
        throw Errors.schema(`${api}: thresholds has ${t.length} values, but the model has numClasses = ${this.numClasses}; give one threshold per class`);
      }
      return t;
    }

    transformSchema(schema: arrow.Schema): arrow.Schema {
      const api = this.stageName;
      checkFeaturesColumn(api, schema, this.getFeaturesCol());
      const k = this.numClasses;
      const cols = { numClasses: Math.max(k, 1), rawPredictionCol: this.getRawPredictionCol(), probabilityCol: this.probabilityColOf(), predictionCol: this.getPredictionCol() };
      const params = [cols.rawPredictionCol !== '' ? 'rawPredictionCol' : '', cols.probabilityCol !== '' ? 'probabilityCol' : '', cols.predictionCol !== '' ? 'predictionCol' : ''].filter((p) => p !== '');
      const fields = classifierFields(cols).map((f, i) => {
        const param = params[i]!;
        // an unfitted model (an estimator's transformSchema) does not know numClasses: its vectors are Spark's VectorUDT, of any size
        if (k < 1) return { field: param === 'predictionCol' ? f : new arr.Field(f.name, Types.vectorStruct(), false), param };
        const field = param === 'predictionCol' ? withAttribute(f, NominalAttribute.defaultAttr.withName(f.name).withNumValues(k)) : withAttributeGroup(f, new AttributeGroup(f.name, k));
        return { field, param };
      });
      return appendOutputFields(api, schema, fields);
    }

    transformImpl(df: DataFrame): DataFrame {
      const api = this.stageName;
      if (this.numFeatures === 0) throw notFitted(`${api}.transform`, this.uid);
      const thresholds = this.thresholdsFor(`${api}.transform`);
      const out = this.transformSchema(df.schema);
      if (out.fields.length === df.schema.fields.length) {
        process.emitWarning(`${api}.transform: every output column param is empty; transform returns the input unchanged`, { type: 'KindlingWarning', code: 'KINDLING_NO_OUTPUT_COLUMNS' });
        return df;
      }
      const { scoring, state } = this.scoringOf();
      const input = predictInput(api, df, this.getFeaturesCol(), this.numFeatures, this.predictChecks());
      const b = { input, numClasses: this.numClasses, rawPredictionCol: this.getRawPredictionCol(), probabilityCol: this.probabilityColOf(), predictionCol: this.getPredictionCol(), thresholds, state };
      return withPredictions(df, scoring.task, b, out);
    }

    private scoreOne(api: string, features: Vector | readonly number[], want: 'raw' | 'prob' | 'prediction'): Float64Array {
      if (this.numFeatures === 0) throw notFitted(api, this.uid);
      const x = pointOf(api, features, this.numFeatures);
      if (!x.every(Number.isFinite)) throw Errors.invalidArg(api, 'features', 'finite numbers', features);
      const { scoring, state } = this.scoringOf();
      const probabilistic = this.probabilityColOf() !== '' || want === 'prob';
      const b = { numClasses: this.numClasses, rawPredictionCol: 'r', probabilityCol: want !== 'raw' && probabilistic ? 'p' : '', predictionCol: want === 'prediction' ? 'y' : '', thresholds: this.thresholdsFor(api), state };
      const out = classify(scoring.scorer, b, x, 1, this.numFeatures);
      return want === 'raw' ? out.raw! : want === 'prob' ? out.prob! : out.prediction!;
    }

    /** The raw prediction (confidence) for each class of one feature vector (PySpark's predictRaw). */
    predictRaw(features: Vector | readonly number[]): DenseVector {
      return new DenseVector(this.scoreOne(`${this.stageName}.predictRaw`, features, 'raw'));
    }

    /** The probability of each class for one feature vector (PySpark's predictProbability; probabilistic models). */
    predictProbability(features: Vector | readonly number[]): DenseVector {
      return new DenseVector(this.scoreOne(`${this.stageName}.predictProbability`, features, 'prob'));
    }

    /** The predicted class of one feature vector, thresholds applied (PySpark's predict). */
    predict(features: Vector | readonly number[]): number {
      return this.scoreOne(`${this.stageName}.predict`, features, 'prediction')[0]!;
    }
  }
  return ClassificationModelImpl;
}
