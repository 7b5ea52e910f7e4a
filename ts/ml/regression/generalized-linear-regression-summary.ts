/**
 * Spark's GeneralizedLinearRegressionSummary and GeneralizedLinearRegressionTrainingSummary.
 * Spark computes the fields lazily from the predictions DataFrame; kindling runs the passes once,
 * when the summary is made (`glrSummary`), with the summaries of generalized-linear-regression-tasks.ts:
 *   - one pass: numInstances, Σw, deviance, Pearson's chi-squared, Σw(y − offset), AIC terms;
 *   - the null model's intercept: link(Σw(y − offset)/Σw) without an offset (or for gaussian
 *     identity), else an intercept-only model fitted by IRLS passes (Spark fits it with the
 *     estimator on an empty features column); none without fitIntercept;
 *   - one pass: the null deviance (and gamma's AIC terms, which need the dispersion deviance/Σw).
 * Then, as Spark: rank = p (+1 with an intercept), degreesOfFreedom = residualDegreeOfFreedom =
 * n − rank, residualDegreeOfFreedomNull = n − 1 (n without an intercept); dispersion 1 for binomial
 * and poisson, else Pearson / degreesOfFreedom; aic = the family's AIC + 2·rank (tweedie: none);
 * standard errors √(diagInvAtWA · dispersion), t = estimate / error, p = 2(1 − Φ(|t|)) for binomial
 * and poisson, 2(1 − T_dof(|t|)) otherwise (training summary of an IRLS/WLS fit only).
 */
import { inspect } from 'node:util';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import * as arrow from 'apache-arrow';
import { KindlingError, Errors } from '../../src/errors.js';
import { aggregateRows } from '../data/checked-summary.js';
import { tPValue, zPValue } from '../stat/distributions.js';
import { link, type FamilyAndLink } from './generalized-linear-regression-family.js';
import { glrNullStats, glrResiduals, glrSummaryStats, type GlrResidualsType, type GlrSummaryColumns } from './generalized-linear-regression-tasks.js';

export interface GlrSummaryModel {
  fl: FamilyAndLink;
  featuresCol: string;
  /** The family param as set (Spark's dispersion and p-values test the param, not the resolved family). */
  familyParam: string;
  coefficients: Float64Array;
  intercept: number;
  fitIntercept: boolean;
  maxIter: number;
  tol: number;
}

const RESIDUALS: readonly GlrResidualsType[] = ['deviance', 'pearson', 'working', 'response'];

export class GeneralizedLinearRegressionSummary {
  constructor(
    /** The DataFrame with the model's predictions. */
    readonly predictions: DataFrame,
    readonly predictionCol: string,
    private readonly cols: GlrSummaryColumns,
    protected readonly model: GlrSummaryModel,
    readonly numInstances: number,
    /** The deviance of the fitted model. */
    readonly deviance: number,
    /** The deviance of the null (intercept-only, or zero) model. */
    readonly nullDeviance: number,
    private readonly pearson: number,
    private readonly aicValue: number,
  ) {}

  /** The numeric rank of the fitted linear model. */
  get rank(): number {
    return this.model.coefficients.length + (this.model.fitIntercept ? 1 : 0);
  }

  get degreesOfFreedom(): number {
    return this.numInstances - this.rank;
  }

  get residualDegreeOfFreedom(): number {
    return this.degreesOfFreedom;
  }

  get residualDegreeOfFreedomNull(): number {
    return this.model.fitIntercept ? this.numInstances - 1 : this.numInstances;
  }

  /** 1 for binomial and poisson; else Pearson's chi-squared / degreesOfFreedom. */
  get dispersion(): number {
    const f = this.model.familyParam.toLowerCase();
    return f === 'binomial' || f === 'poisson' ? 1 : this.pearson / this.degreesOfFreedom;
  }

  /** Akaike's information criterion (none for the tweedie family, as Spark). */
  get aic(): number {
    if (this.model.fl.family === 'tweedie') throw new KindlingError('ERR_KINDLING_UNSUPPORTED', 'GeneralizedLinearRegressionSummary: No AIC available for the tweedie family');
    return this.aicValue;
  }

  /** The residuals of a type: deviance (default), pearson, working or response; a one-column DataFrame named `<type>Residuals`. */
  residuals(residualsType: GlrResidualsType = 'deviance'): DataFrame {
    if (!RESIDUALS.includes(residualsType)) {
      throw Errors.invalidArg('GeneralizedLinearRegressionSummary.residuals', 'residualsType', `one of ${RESIDUALS.join(', ')} (The residuals type ${String(residualsType)} is not supported by Generalized Linear Regression.)`, residualsType);
    }
    const outCol = `${residualsType}Residuals`;
    const schema = new arrow.Schema([new arrow.Field(outCol, new arrow.Float64(), false)]);
    const names = [this.cols.labelCol, this.predictionCol, this.cols.weightCol, this.cols.offsetCol].filter((n): n is string => n !== null);
    return this.predictions.select(...names).mapInArrow(glrResiduals, schema, { ...this.cols, predictionCol: this.predictionCol, fl: this.model.fl, type: residualsType, outCol });
  }

  [inspect.custom](): string {
    return `${this.constructor.name}(numInstances=${this.numInstances}, deviance=${this.deviance}, nullDeviance=${this.nullDeviance}, dispersion=${this.dispersion})`;
  }
}

export class GeneralizedLinearRegressionTrainingSummary extends GeneralizedLinearRegressionSummary {
  /** IRLS iterations run (1 for gaussian with identity, solved directly). */
  numIterations = 0;
  /** The solver ('irls'). */
  solver = 'irls';
  /** kindling: false when IRLS stopped at maxIter before the coefficients settled within tol. */
  converged = true;
  /** @internal */
  diagInvAtWA: Float64Array = new Float64Array([0]);

  private get isNormalSolver(): boolean {
    return this.diagInvAtWA.length !== 1 || this.diagInvAtWA[0] !== 0;
  }

  get coefficientStandardErrors(): number[] {
    if (!this.isNormalSolver) throw new KindlingError('ERR_KINDLING_UNSUPPORTED', 'GeneralizedLinearRegressionTrainingSummary: No Std. Error of coefficients available for this GeneralizedLinearRegressionModel');
    const disp = this.dispersion;
    return Array.from(this.diagInvAtWA, (v) => Math.sqrt(v * disp));
  }

  get tValues(): number[] {
    if (!this.isNormalSolver) throw new KindlingError('ERR_KINDLING_UNSUPPORTED', 'GeneralizedLinearRegressionTrainingSummary: No t-statistic available for this GeneralizedLinearRegressionModel');
    const est = [...this.model.coefficients, ...(this.model.fitIntercept ? [this.model.intercept] : [])];
    const se = this.coefficientStandardErrors;
    return est.map((e, i) => e / se[i]!);
  }

  get pValues(): number[] {
    if (!this.isNormalSolver) throw new KindlingError('ERR_KINDLING_UNSUPPORTED', 'GeneralizedLinearRegressionTrainingSummary: No p-value available for this GeneralizedLinearRegressionModel');
    const f = this.model.familyParam.toLowerCase();
    const dof = this.degreesOfFreedom;
    return this.tValues.map((t) => (f === 'binomial' || f === 'poisson' ? zPValue(t) : tPValue(t, dof)));
  }

  /**
   * Spark's R-like summary text (GeneralizedLinearRegressionTrainingSummary.toString): the
   * coefficients with their statistics (the intercept first), rounded half-up to 4 decimals and
   * cut to 20 characters, the dispersion, the deviances and the AIC (not for tweedie).
   */
  override toString(): string {
    if (!this.isNormalSolver) throw new KindlingError('ERR_KINDLING_UNSUPPORTED', 'GeneralizedLinearRegressionTrainingSummary: No summary available for this GeneralizedLinearRegressionModel');
    const round = (x: number) => roundHalfUp4(x);
    const names = Array.from(this.model.coefficients, (_, i) => `${this.model.featuresCol}_${i}`);
    const est = [...this.model.coefficients];
    let index = names.map((_, i) => i);
    if (this.model.fitIntercept) {
      names.push('(Intercept)');
      est.push(this.model.intercept);
      index = [est.length - 1, ...index];
    }
    const se = this.coefficientStandardErrors;
    const tv = this.tValues;
    const pv = this.pValues;
    const cut = (str: string) => (str.length > 20 ? `${str.slice(0, 17)}...` : str);
    const header = ['Feature', 'Estimate', 'Std Error', 'T Value', 'P Value'];
    const rows = index.map((i) => [cut(names[i]!), ...[est[i]!, se[i]!, tv[i]!, pv[i]!].map((v) => cut(round(v)))]);
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join(' ');
    const nd = `Null deviance: ${round(this.nullDeviance)} on ${this.degreesOfFreedom} degrees of freedom`;
    const rd = `Residual deviance: ${round(this.deviance)} on ${this.residualDegreeOfFreedom} degrees of freedom`;
    const l = Math.max(nd.length, rd.length);
    let out = `Coefficients:\n${line(header)}\n${rows.map(line).join('\n')}\n\n(Dispersion parameter for ${this.model.fl.family} family taken to be ${round(this.dispersion)})\n${nd.padStart(l)}\n${rd.padStart(l)}`;
    if (this.model.fl.family !== 'tweedie') out += `\nAIC: ${round(this.aic)}`;
    return out;
  }
}

/** Scala's BigDecimal(x).setScale(4, HALF_UP).toString: from x's shortest decimal form. */
export function roundHalfUp4(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const neg = x < 0;
  const [int, frac = ''] = Math.abs(x).toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }).split('.');
  let digits = int! + (frac + '0000').slice(0, 4);
  if ((frac[4] ?? '0') >= '5') digits = (BigInt(digits) + 1n).toString().padStart(digits.length, '0');
  const s = `${digits.slice(0, -4) || '0'}.${digits.slice(-4)}`;
  return neg && /[1-9]/.test(s) ? `-${s}` : s;
}

/** The passes over `predictions` and the summary of them (the module comment). */
export async function glrSummary(
  api: string,
  predictions: DataFrame,
  cols: GlrSummaryColumns,
  model: GlrSummaryModel,
  training: { diagInvAtWA: Float64Array; numIterations: number; converged: boolean } | null,
): Promise<GeneralizedLinearRegressionSummary> {
  const fl = model.fl;
  const names = [cols.labelCol, cols.predictionCol, cols.weightCol, cols.offsetCol];
  const base = { ...cols, fl };
  const s = (await aggregateRows(api, predictions, glrSummaryStats, names, base)).value;
  let intercept = 0;
  if (model.fitIntercept) {
    if (cols.offsetCol === null || (fl.family === 'gaussian' && fl.link === 'identity')) {
      intercept = link(fl, s.labelSum / s.weightSum);
    } else {
      // an intercept-only model by IRLS (Spark fits one with the estimator and an empty features column)
      const step = async (irls: 'init' | 'reweight', b: number) => {
        const r = (await aggregateRows(api, predictions, glrNullStats, names, { ...base, intercept: b, gammaDispersion: 1, irls })).value;
        return r.wz / r.wSum;
      };
      intercept = await step('init', 0);
      for (let it = 0; it < model.maxIter; it++) {
        const next = await step('reweight', intercept);
        const done = Math.abs(next - intercept) < model.tol;
        intercept = next;
        if (done) break;
      }
    }
  }
  const gammaDispersion = s.deviance / s.weightSum;
  const n = (await aggregateRows(api, predictions, glrNullStats, names, { ...base, intercept, gammaDispersion, irls: null })).value;
  const rank = model.coefficients.length + (model.fitIntercept ? 1 : 0);
  let aic: number;
  switch (fl.family) {
    case 'gaussian': aic = s.rows * (Math.log((s.deviance / s.rows) * 2 * Math.PI) + 1) + 2 - s.aic; break;
    case 'gamma': aic = n.gammaAic + 2; break;
    default: aic = s.aic;
  }
  aic += 2 * rank;
  const args = [predictions, cols.predictionCol, cols, model, s.rows, s.deviance, n.nullDeviance, s.pearson, aic] as const;
  if (training === null) return new GeneralizedLinearRegressionSummary(...args);
  const t = new GeneralizedLinearRegressionTrainingSummary(...args);
  t.diagInvAtWA = training.diagInvAtWA;
  t.numIterations = training.numIterations;
  t.converged = training.converged;
  return t;
}
