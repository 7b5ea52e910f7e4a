/**
 * The estimator side of Spark's Predictor API: what every supervised fit does before its own
 * algorithm. `checkPredictorSchema` is Spark's validateAndTransformSchema for fit (features a
 * vector column or an array of numbers, label and weight numeric); `prepareLabeled` packs the
 * features, labels and weights once on the executors (ml/data/instances.ts, labels checked there
 * as Spark's checkClassificationLabels / checkRegressionLabels), learns the number of classes as
 * Spark's Classifier.getNumClasses does — the label column's nominal attribute when it has one
 * (StringIndexer writes it), else the largest label + 1, at most `maxNumClasses` (Spark: 100) —
 * and runs the one statistics pass (predictor-tasks.ts) the fit asks for.
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { RowChecks } from '../../src/kernels/validate-rows.js';
import { attributeOf, BinaryAttribute, NominalAttribute } from '../attribute/attributes.js';
import { checkFeaturesColumn } from '../data/features.js';
import { prepareInstances, type Instances, type InstancesOptions } from '../data/instances.js';
import { checkNumeric, columnField, weightColumnOf } from '../data/schema-checks.js';
import { trainingStats, type TrainingStats } from './predictor-tasks.js';

export interface PredictorColumns {
  featuresCol: string;
  labelCol: string;
  weightCol?: string;
}

/** Spark's Predictor.validateAndTransformSchema (fitting): throws naming the column and param. */
export function checkPredictorSchema(api: string, schema: arrow.Schema, cols: PredictorColumns): void {
  checkFeaturesColumn(api, schema, cols.featuresCol);
  checkNumeric(api, schema, 'labelCol', cols.labelCol);
  const w = weightColumnOf(cols.weightCol);
  if (w !== null) checkNumeric(api, schema, 'weightCol', w);
}

/** The number of classes a label column's metadata declares (Spark's MetadataUtils.getNumClasses), or undefined. */
export function metadataNumClasses(api: string, schema: arrow.Schema, labelCol: string): number | undefined {
  const attr = attributeOf(columnField(api, schema, labelCol).field);
  if (attr instanceof BinaryAttribute) return 2;
  if (attr instanceof NominalAttribute) return attr.getNumValues();
  return undefined;
}

export interface LabeledOptions extends PredictorColumns {
  kind: 'classification' | 'regression';
  /** Classification: the most classes inferred from the largest label (Spark's Classifier.getNumClasses: 100). */
  maxNumClasses?: number;
  /** Row checks of the features beyond finiteness (ml/data/features.ts). */
  checks?: RowChecks;
  /** Run the statistics pass (feature and label moments, class histogram). */
  stats?: boolean;
  /** Classification: the number of classes the estimator fixes (MLP's last layer, FMClassifier's 2), and where it comes from, for the error. */
  numClasses?: { value: number; from: string };
  /** A family's own pack task (ml/data/instances.ts InstancesOptions.pack: AFT's censors). */
  pack?: InstancesOptions['pack'];
  /** What to call an empty DataFrame an error for (default: 'a supervised fit needs at least one labeled row'). */
  emptyMessage?: string;
}

export interface Labeled {
  data: Instances;
  /** Classification: the number of classes (metadata, else largest label + 1); regression: 0. */
  numClasses: number;
  /** The statistics pass, when asked. */
  stats: TrainingStats | null;
}

/** Packs `df` for a supervised fit (the module comment); release `data` when done. */
export async function prepareLabeled(api: string, df: DataFrame, opts: LabeledOptions): Promise<Labeled> {
  checkPredictorSchema(api, df.schema, opts);
  const declared = opts.kind !== 'classification' ? undefined : opts.numClasses ? opts.numClasses.value : metadataNumClasses(api, df.schema, opts.labelCol);
  if (declared !== undefined && !(Number.isInteger(declared) && declared > 0)) {
    throw Errors.schema(`${api}: label column ${opts.labelCol} has a nominal attribute without a number of values; re-index it with StringIndexer`);
  }
  const data = await prepareInstances(api, df, {
    featuresCol: opts.featuresCol,
    weightCol: opts.weightCol,
    labelCol: opts.labelCol,
    label: { kind: opts.kind, numClasses: declared, numClassesFrom: opts.numClasses?.from },
    checks: opts.checks,
    emptyMessage: opts.emptyMessage ?? 'a supervised fit needs at least one labeled row',
    pack: opts.pack,
  });
  try {
    let numClasses = 0;
    if (opts.kind === 'classification') {
      if (declared !== undefined) numClasses = declared;
      else {
        numClasses = data.labelMax + 1;
        const max = opts.maxNumClasses ?? 100;
        if (numClasses > max) {
          throw Errors.schema(
            `${api}: inferred ${numClasses} classes from the largest label in column ${opts.labelCol}, more than the ${max} allowed to be inferred from values; ` +
              'give the column a nominal attribute with its number of values (apply StringIndexer to the label column)',
          );
        }
      }
    }
    const stats = opts.stats ? await df.session.treeAggregate(trainingStats, data, { d: data.d, numClasses }) : null;
    if (stats && !(stats.weightSum > 0)) throw Errors.schema(`${api}: the rows of column ${opts.labelCol} have a total weight of ${stats.weightSum}; a fit needs a positive total weight`);
    return { data, numClasses, stats };
  } catch (err) {
    data.release();
    throw err;
  }
}

/** Spark's weighted unbiased variance of each feature (Summarizer.variance): M2 / (Σw − Σw²/Σw), 0 when that is 0. */
export function featureVariance(s: TrainingStats): Float64Array {
  const denom = s.weightSum - s.weightSquareSum / s.weightSum;
  return s.m2.map((m) => (denom > 0 ? Math.max(m / denom, 0) : 0));
}

/** The label's weighted unbiased variance, as featureVariance. */
export function labelVariance(s: TrainingStats): number {
  const denom = s.weightSum - s.weightSquareSum / s.weightSum;
  return denom > 0 ? Math.max(s.labelM2 / denom, 0) : 0;
}
