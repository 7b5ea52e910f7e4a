/**
 * NaiveBayes (Spark's ml.classification.NaiveBayes, SPARK_DEFINITIONS.md §12), the estimator;
 * the model is naive-bayes-model.ts, the executor code naive-bayes-tasks.ts.
 *
 * Fit: the features, labels and weights are packed and checked on the executors once
 * (predictor.ts `prepareLabeled`: Spark's label checks, non-negative weights), then ONE pass
 * (`naiveBayesStats`) gives per class the rows, Σw, Σw·x (and Σw·x² for 'gaussian') and the
 * lowest row whose features the model type refuses (Spark's messages). From it, as Spark's
 * trainDiscreteImpl / trainGaussianImpl — with C the number of classes that have rows (Spark
 * groups by label, so a class without rows is no class of the model: it then has fewer classes
 * than the largest label + 1, and kindling warns) and N = Σ_c n_c the total weight, λ = smoothing:
 *   - pi_c = ln(n_c + λ) − ln(N + C·λ) (discrete), ln(n_c) − ln(N) (gaussian);
 *   - multinomial: θ_cj = ln(s_cj + λ) − ln(Σ_j s_cj + D·λ) with s = Σw·x of class c;
 *   - complement: the same of the complement sums t_c = Σ_{c'} s_c' − s_c, negated;
 *   - bernoulli: θ_cj = ln(s_cj + λ) − ln(n_c + 2λ);
 *   - gaussian: θ_cj = s_cj / n_c, σ_cj = ε + Σw·x²_cj / n_c − θ_cj², with ε = 1e-9 × the largest
 *     feature variance over all rows (scikit-learn's var_smoothing, as Spark).
 * thresholds, when set, must have one value per class (Spark's check against getNumClasses).
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import type { JobSource } from '../../src/exec/jobs.js';
import type { Instances } from '../data/instances.js';
import { MLWritable } from '../ml-writable.js';
import { register } from '../persist.js';
import { checkPredictorSchema, prepareLabeled } from '../predictor/predictor.js';
import { Estimator, type FitOptions } from '../stage.js';
import { NaiveBayesModel } from './naive-bayes-model.js';
import { NaiveBayesParamsMixin, type NaiveBayesParamsOptions } from './naive-bayes-params.js';
import { naiveBayesStats, type NaiveBayesModelType, type NaiveBayesStats, type NaiveBayesStatsBroadcast } from './naive-bayes-tasks.js';

export type { NaiveBayesParamsOptions };

/**
 * The largest label + 1 a fit accepts without a label attribute. Spark's NaiveBayes groups by
 * label and never applies Classifier.getNumClasses' limit of 100 (unless thresholds are set); the
 * pass here keeps one row of sums per label value up to the largest, so it stops at 10 000.
 */
const MAX_LABEL = 10_000;

/** The training blocks with each block's first global row, so a task can name a bad row over the DataFrame. */
export function withRowBases(data: Instances): { source(): JobSource } {
  return { source: () => ({ ...data.source(), rowBases: data.rowBases }) };
}

/** Spark's pi, theta and sigma from the pass's sums (the module comment); θ and σ row-major. */
export function naiveBayesParameters(s: NaiveBayesStats, d: number, modelType: NaiveBayesModelType, smoothing: number): { pi: Float64Array; theta: Float64Array; sigma: Float64Array; classes: number[] } {
  const classes: number[] = [];
  s.rows.forEach((r, c) => {
    if (r > 0) classes.push(c);
  });
  const k = classes.length;
  let total = 0;
  for (const c of classes) total += s.weightSum[c]!;
  const pi = new Float64Array(k);
  const theta = new Float64Array(k * d);
  const lambda = smoothing;
  if (modelType === 'gaussian') {
    const sigma = new Float64Array(k * d);
    let maxVar = -Infinity;
    for (let j = 0; j < d; j++) {
      let sum = 0;
      let sq = 0;
      for (const c of classes) {
        sum += s.sum[c * d + j]!;
        sq += s.sumSq[c * d + j]!;
      }
      maxVar = Math.max(maxVar, sq / total - (sum * sum) / total / total);
    }
    const eps = maxVar * 1e-9;
    const logTotal = Math.log(total);
    classes.forEach((c, i) => {
      const n = s.weightSum[c]!;
      pi[i] = Math.log(n) - logTotal;
      for (let j = 0; j < d; j++) {
        const m = s.sum[c * d + j]! / n;
        theta[i * d + j] = m;
        sigma[i * d + j] = eps + s.sumSq[c * d + j]! / n - m * m;
      }
    });
    return { pi, theta, sigma, classes };
  }
  let sums = classes.map((c) => s.sum.subarray(c * d, (c + 1) * d));
  if (modelType === 'complement') {
    const all = new Float64Array(d);
    for (const v of sums) for (let j = 0; j < d; j++) all[j] = all[j]! + v[j]!;
    sums = sums.map((v) => all.map((a, j) => a - v[j]!));
  }
  const piLogDenom = Math.log(total + k * lambda);
  classes.forEach((c, i) => {
    const n = s.weightSum[c]!;
    pi[i] = Math.log(n + lambda) - piLogDenom;
    const v = sums[i]!;
    let rowSum = 0;
    for (let j = 0; j < d; j++) rowSum += v[j]!;
    const thetaLogDenom = modelType === 'bernoulli' ? Math.log(n + 2 * lambda) : Math.log(rowSum + d * lambda);
    const sign = modelType === 'complement' ? -1 : 1;
    for (let j = 0; j < d; j++) theta[i * d + j] = sign * (Math.log(v[j]! + lambda) - thetaLogDenom);
  });
  return { pi, theta, sigma: new Float64Array(0), classes };
}

export class NaiveBayes extends MLWritable(NaiveBayesParamsMixin(Estimator<NaiveBayesModel>)) {
  constructor(options?: NaiveBayesParamsOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    checkPredictorSchema(this.stageName, schema, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol() });
    return new NaiveBayesModel(undefined, this.uid).transformSchema(schema);
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<NaiveBayesModel> {
    const api = this.stageName;
    const modelType = this.getModelType() as NaiveBayesModelType;
    const { data, numClasses } = await prepareLabeled(api, df, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol(), kind: 'classification', maxNumClasses: MAX_LABEL });
    try {
      const thresholds = this.getThresholds();
      if (thresholds !== undefined && thresholds.length !== numClasses) {
        throw Errors.schema(`${api}.train() called with non-matching numClasses and thresholds.length. numClasses=${numClasses}, but thresholds has length ${thresholds.length}`);
      }
      const d = data.d;
      const b: NaiveBayesStatsBroadcast = { modelType, numClasses, d, featuresCol: this.getFeaturesCol() };
      const stats = await df.session.treeAggregate(naiveBayesStats, withRowBases(data), b);
      if (stats.bad !== null) throw Errors.badRow(api, stats.bad.what, stats.bad.row, stats.bad.why);
      const total = stats.weightSum.reduce((a, w) => a + w, 0);
      if (!(total > 0)) throw Errors.schema(`${api}: the rows of column ${this.getLabelCol()} have a total weight of ${total}; a fit needs a positive total weight`);
      if (modelType === 'gaussian') {
        const empty = stats.rows.findIndex((r, c) => r > 0 && !(stats.weightSum[c]! > 0));
        if (empty >= 0) throw Errors.schema(`${api}: class ${empty} of column ${this.getLabelCol()} has rows but a total weight of 0; gaussian naive Bayes needs a positive weight in every class`);
      }
      const { pi, theta, sigma, classes } = naiveBayesParameters(stats, d, modelType, this.getSmoothing());
      if (classes.some((c, i) => c !== i)) {
        process.emitWarning(
          `${api} (${this.uid}): column ${this.getLabelCol()} has no rows of classes ${Array.from({ length: numClasses }, (_, c) => c).filter((c) => !classes.includes(c)).join(', ')}; ` +
            `as Spark, the model has ${classes.length} classes, the labels that have rows (${classes.join(', ')}) in order, and predicts their positions 0..${classes.length - 1}`,
          { type: 'KindlingWarning', code: 'KINDLING_NAIVE_BAYES_MISSING_CLASSES' },
        );
      }
      const model = this.copyValues(new NaiveBayesModel(undefined, this.uid));
      model.setData(pi, d, theta, sigma);
      return model;
    } finally {
      data.release();
    }
  }
}

register('org.apache.spark.ml.classification.NaiveBayes', NaiveBayes);
