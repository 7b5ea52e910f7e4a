/**
 * GeneralizedLinearRegression (Spark's ml.regression.GeneralizedLinearRegression); families and
 * links in generalized-linear-regression-family.ts, the model in -model.ts, the summary in
 * -summary.ts, the executor passes in -tasks.ts.
 *
 * Training, as Spark's train and IterativelyReweightedLeastSquares:
 *   - the family/link pair is checked (Spark's supportedFamilyAndLinkPairs and messages; the
 *     warnings when link is set for tweedie, variancePower or linkPower for another family);
 *     at most 4096 features (Spark's WeightedLeastSquares.MAX_NUM_FEATURES);
 *   - features, labels and weights are packed once on the executors (predictor.ts
 *     prepareLabeled: Spark's label checks, naming the row); with offsetCol, each row's offset
 *     travels as one more feature column (tasks `glrAppendOffset`; a null or NaN offset names its
 *     row) that the passes read as the offset;
 *   - gaussian with identity: one WeightedLeastSquares of (y − offset) with standardised
 *     features and label (linear-regression-wls.ts), numIterations 1;
 *   - otherwise IRLS: the first pass checks each label against the family's domain (the lowest
 *     bad row named, with Spark's words) and fits WLS (standardised) to link(initialize(y)) −
 *     offset; then each iteration is ONE pass of the reweighted statistics from the current
 *     coefficients and a WLS with regParam on the original scale (standardizeFeatures and
 *     standardizeLabel false), until the largest change of a coefficient or the intercept is
 *     below tol, or maxIter (then a KINDLING_GLR_NOT_CONVERGED warning);
 *   - the diagonal of the last WLS's (AᵀWA)⁻¹ gives the summary's standard errors.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Types } from '../../src/dataframe/types.js';
import { checkFeaturesColumn } from '../data/features.js';
import type { Instances } from '../data/instances.js';
import { checkNumeric } from '../data/schema-checks.js';
import { MLWritable } from '../ml-writable.js';
import { register } from '../persist.js';
import { checkPredictorSchema, prepareLabeled } from '../predictor/predictor.js';
import { Estimator, type FitOptions } from '../stage.js';
import { familyAndLinkOf, labelProblem, type FamilyAndLink } from './generalized-linear-regression-family.js';
import { GeneralizedLinearRegressionModel } from './generalized-linear-regression-model.js';
import type { GeneralizedLinearRegressionTrainingSummary } from './generalized-linear-regression-summary.js';
import { glrAppendOffset, glrWlsStats, type GlrOffsetBroadcast, type GlrWlsBroadcast } from './generalized-linear-regression-tasks.js';
import { GeneralizedLinearRegressionParamsMixin, type GeneralizedLinearRegressionParamsOptions } from './generalized-linear-regression-params.js';
import { MAX_NORMAL_FEATURES } from './linear-regression.js';
import { solveWls, type WlsSolution } from './linear-regression-wls.js';

export type GeneralizedLinearRegressionOptions = GeneralizedLinearRegressionParamsOptions;

function warn(message: string, code = 'KINDLING_GLR'): void {
  process.emitWarning(message, { type: 'KindlingWarning', code });
}

export class GeneralizedLinearRegression extends MLWritable(GeneralizedLinearRegressionParamsMixin(Estimator<GeneralizedLinearRegressionModel>)) {
  constructor(options?: GeneralizedLinearRegressionOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /** Spark's FamilyAndLink of the params, with its warnings and pair check (validateAndTransformSchema). */
  private familyAndLink(warnings: boolean): FamilyAndLink {
    const api = this.stageName;
    if (warnings) {
      if (this.getFamily().toLowerCase() === 'tweedie') {
        if (this.isSet(this.link)) warn(`${api}: When family is tweedie, use param linkPower to specify link function. Setting param link will take no effect.`);
      } else {
        if (this.isSet(this.variancePower)) warn(`${api}: When family is not tweedie, setting param variancePower will take no effect.`);
        if (this.isSet(this.linkPower)) warn(`${api}: When family is not tweedie, use param link to specify link function. Setting param linkPower will take no effect.`);
      }
    }
    return familyAndLinkOf(api, { family: this.getFamily(), variancePower: this.getVariancePower(), link: this.isSet(this.link) ? this.getLink() : undefined, linkPower: this.isSet(this.linkPower) ? this.getLinkPower() : undefined });
  }

  private offsetColumn(): string | null {
    const o = this.getOffsetCol();
    return o === undefined || o === '' ? null : o;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const api = this.stageName;
    this.familyAndLink(false);
    checkPredictorSchema(api, schema, { featuresCol: this.getFeaturesCol(), labelCol: this.getLabelCol(), weightCol: this.getWeightCol() });
    const off = this.offsetColumn();
    if (off !== null) checkNumeric(api, schema, 'offsetCol', off);
    return this.copyValues(new GeneralizedLinearRegressionModel(undefined, this.uid)).transformSchema(schema);
  }

  protected async fitImpl(df: DataFrame, options: FitOptions): Promise<GeneralizedLinearRegressionModel> {
    const api = this.stageName;
    const fl = this.familyAndLink(true);
    const offsetCol = this.offsetColumn();
    let train = df;
    let featuresCol = this.getFeaturesCol();
    if (offsetCol !== null) {
      const outCol = `__glr_features_offset_${this.uid}`;
      const b: GlrOffsetBroadcast = { api, featuresCol, isArray: checkFeaturesColumn(api, df.schema, featuresCol).isArray, offsetCol, outCol };
      train = df.mapInArrow(glrAppendOffset, new arrow.Schema([...df.schema.fields, new arrow.Field(outCol, Types.array(Types.double(), false), false)]), b);
      featuresCol = outCol;
    }
    const { data } = await prepareLabeled(api, train, { featuresCol, labelCol: this.getLabelCol(), weightCol: this.getWeightCol(), kind: 'regression' });
    let fit: { solution: WlsSolution; numIterations: number; converged: boolean };
    try {
      const k = offsetCol !== null ? data.d - 1 : data.d;
      if (k > MAX_NORMAL_FEATURES) {
        throw Errors.schema(`${api}: Currently, GeneralizedLinearRegression only supports number of features <= ${MAX_NORMAL_FEATURES}. Found ${k} in the input dataset.`);
      }
      if (k === 0 && !this.getFitIntercept()) {
        throw Errors.schema(`${api}: GeneralizedLinearRegression was given data with 0 features, and with Param fitIntercept set to false. To fit a model with 0 features, fitIntercept must be set to true.`);
      }
      fit = await this.irls(data, fl, k, offsetCol !== null, options);
    } finally {
      data.release();
    }
    const model = this.copyValues(new GeneralizedLinearRegressionModel(undefined, this.uid)).setData(fit.solution.coefficients, fit.solution.intercept);
    model.setParent(this);
    const summary = await model.summarize(df, { diagInvAtWA: fit.solution.diagInvAtWA, numIterations: fit.numIterations, converged: fit.converged });
    return model.setSummary(summary as GeneralizedLinearRegressionTrainingSummary);
  }

  private async pass(data: Instances, b: GlrWlsBroadcast): Promise<ReturnType<typeof glrWlsStats.zero>> {
    const s = await data.session.treeAggregate(glrWlsStats, data, b, { depth: this.getAggregationDepth() });
    if (s.bad !== null) {
      const [block, row, y] = s.bad;
      throw Errors.badRow(this.stageName, `label column ${this.getLabelCol()}`, data.rowBases[block]! + row, `is ${y}: ${labelProblem(b.fl, y)}`);
    }
    return s;
  }

  private wls(stats: ReturnType<typeof glrWlsStats.zero>, standardize: boolean): Promise<WlsSolution> {
    return solveWls(stats, {
      api: this.stageName,
      fitIntercept: this.getFitIntercept(),
      regParam: this.getRegParam(),
      elasticNetParam: 0,
      standardizeFeatures: standardize,
      standardizeLabel: standardize,
      solver: 'auto',
      maxIter: this.getMaxIter(),
      tol: this.getTol(),
    });
  }

  private async irls(data: Instances, fl: FamilyAndLink, k: number, hasOffset: boolean, options: FitOptions): Promise<{ solution: WlsSolution; numIterations: number; converged: boolean }> {
    const base = { fl, k, hasOffset, coefficients: new Float64Array(k), intercept: 0 };
    let model = await this.wls(await this.pass(data, { ...base, mode: 'init' }), true);
    if (fl.family === 'gaussian' && fl.link === 'identity') return { solution: model, numIterations: 1, converged: model.notConverged !== true };
    const maxIter = this.getMaxIter();
    const tol = this.getTol();
    let iter = 0;
    let converged = false;
    while (iter < maxIter && !converged) {
      const old = model;
      model = await this.wls(await this.pass(data, { ...base, mode: 'reweight', coefficients: old.coefficients, intercept: old.intercept }), false);
      let maxTol = Math.abs(old.intercept - model.intercept);
      for (let j = 0; j < k; j++) maxTol = Math.max(maxTol, Math.abs(old.coefficients[j]! - model.coefficients[j]!));
      if (!Number.isFinite(maxTol)) {
        throw new KindlingError('ERR_KINDLING_CONVERGENCE', `${this.stageName}: IRLS diverged at iteration ${iter + 1} (coefficients ${Array.from(model.coefficients).join(', ')}, intercept ${model.intercept}); check the family, link and data`);
      }
      converged = maxTol < tol;
      iter++;
      options.onProgress?.({ stage: this.uid, kind: 'iteration', current: iter, total: maxIter, message: `largest coefficient change ${maxTol}${converged ? ' (converged)' : ''}` });
    }
    if (!converged) {
      warn(`${this.stageName} (${this.uid}): IRLS reached the max number of iterations: ${maxIter} before converging (tol = ${tol})`, 'KINDLING_GLR_NOT_CONVERGED');
    }
    return { solution: model, numIterations: iter, converged };
  }
}

register('org.apache.spark.ml.regression.GeneralizedLinearRegression', GeneralizedLinearRegression);
