/**
 * The objective Spark's linear classifiers minimise (LogisticRegression, and LinearSVC with the
 * hinge loss), in Spark's standardised space (SPARK_DEFINITIONS.md §13; ts/ml/optim/regularization.ts):
 *
 *   f(x) = (1 / Σw) Σ_i w_i · loss(y_i, margins_i)  +  ½ · regParam · (1 − α) · Σ (scaled x_j)²
 *
 * with x = k rows of d standardised coefficients (β_j · std_j) then, with fitIntercept, k
 * intercepts; the L1 part is OWL-QN's (l1Weights). As Spark 3.x's Binary/Multinomial
 * LogisticBlockAggregator and HingeBlockAggregator, the intercept is fitted against centred
 * features when there is an intercept without bounds on it (`fitWithMean`): margin =
 * Σ_j x_cj (v_j − mean_j) / std_j + b_c. That changes the parametrisation (and the path the
 * optimiser takes, which is Spark's), not the optimum: `toOriginalSpace` maps the solution back
 * (b_c − Σ_j x_cj mean_j / std_j, β_cj = x_cj / std_j; 0 for a feature with std 0).
 * Each evaluation is ONE distributed pass: glmLossGradPass (ml/optim/loss-tasks.ts) with the
 * effective coefficients over the raw packed features.
 */
import type { GlmLossKind } from '../../src/kernels/glm.js';
import type { Instances } from '../data/instances.js';
import { glmLossGradPass } from '../optim/loss-tasks.js';
import type { Objective } from '../optim/minimize.js';
import { addL2, unscaleCoefficients, type PenaltySpec } from '../optim/regularization.js';

export interface GlmObjectiveSpec {
  data: Instances;
  kind: GlmLossKind;
  /** Coefficient sets (numClasses for multinomial, else 1). */
  k: number;
  fitIntercept: boolean;
  fitWithMean: boolean;
  featuresMean: Float64Array;
  featuresStd: Float64Array;
  penalty: PenaltySpec;
  aggregationDepth: number;
}

/** Σ_j x_cj · mean_j / std_j for each row c (Spark's `adapt`). */
export function interceptShift(x: Float64Array, spec: Pick<GlmObjectiveSpec, 'k' | 'featuresMean' | 'featuresStd'>): Float64Array {
  const d = spec.featuresStd.length;
  const out = new Float64Array(spec.k);
  for (let c = 0; c < spec.k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const std = spec.featuresStd[j]!;
      if (std !== 0) s += (x[c * d + j]! * spec.featuresMean[j]!) / std;
    }
    out[c] = s;
  }
  return out;
}

/** The effective (raw-feature) coefficients and intercepts of a point x of the optimised space. */
export function effectiveOf(x: Float64Array, spec: Omit<GlmObjectiveSpec, 'data' | 'kind' | 'penalty' | 'aggregationDepth'>): { coef: Float64Array; intercept: Float64Array } {
  const d = spec.featuresStd.length;
  const k = spec.k;
  const coef = unscaleCoefficients(x, spec.featuresStd, k);
  const intercept = new Float64Array(k);
  if (spec.fitIntercept) {
    const shift = spec.fitWithMean ? interceptShift(x, spec) : null;
    for (let c = 0; c < k; c++) intercept[c] = x[k * d + c]! - (shift ? shift[c]! : 0);
  }
  return { coef, intercept };
}

/** The objective and its gradient, one glmLossGradPass per evaluation (the module comment). */
export function glmObjective(spec: GlmObjectiveSpec): Objective {
  const { data, kind, k, featuresStd, featuresMean } = spec;
  const d = featuresStd.length;
  return async (x, grad) => {
    const { coef, intercept } = effectiveOf(x, spec);
    const r = await glmLossGradPass(data, kind, k, coef, intercept, spec.aggregationDepth);
    const W = r.weightSum;
    const g = r.grad;
    for (let c = 0; c < k; c++) {
      const gi = g[k * d + c]!;
      for (let j = 0; j < d; j++) {
        const std = featuresStd[j]!;
        // d margin / d x_cj = (v_j − mean_j) / std_j with centring, v_j / std_j without
        grad[c * d + j] = std !== 0 ? (g[c * d + j]! - (spec.fitWithMean ? gi * featuresMean[j]! : 0)) / std / W : 0;
      }
      if (spec.fitIntercept) grad[k * d + c] = gi / W;
    }
    return r.loss / W + addL2(x, grad, spec.penalty);
  };
}

/** The solution on the original scale: k x d coefficients (row-major) and k intercepts (zeros without fitIntercept). */
export function toOriginalSpace(x: Float64Array, spec: Omit<GlmObjectiveSpec, 'data' | 'kind' | 'penalty' | 'aggregationDepth'>): { coef: Float64Array; intercept: Float64Array } {
  return effectiveOf(x, spec);
}

/** Spark's `adapt` of an initial point into the centred parametrisation: b_c += Σ_j x_cj mean_j / std_j. */
export function toCentred(x0: Float64Array, spec: Omit<GlmObjectiveSpec, 'data' | 'kind' | 'penalty' | 'aggregationDepth'>): Float64Array {
  if (!spec.fitIntercept || !spec.fitWithMean) return x0;
  const d = spec.featuresStd.length;
  const shift = interceptShift(x0, spec);
  const out = x0.slice();
  for (let c = 0; c < spec.k; c++) out[spec.k * d + c] = out[spec.k * d + c]! + shift[c]!;
  return out;
}
