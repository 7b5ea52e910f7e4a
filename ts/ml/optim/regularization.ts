/**
 * The penalty of Spark's linear models (LogisticRegression, LinearRegression, LinearSVC, AFT),
 * which optimise in the standardised space — coefficient j multiplies x_j / std_j — and return
 * coefficients on the original scale (SPARK_DEFINITIONS.md §13):
 *
 *   penalty(β) = regParam · ( (1 − α)/2 · Σ_j (β_j · s_j)²  +  α · Σ_j |β_j| · s_j' )
 *
 * over the coefficients only (never the intercepts), α = elasticNetParam. With
 * `standardization` true the penalty is on the standardised coefficients (s_j = 1); with it false
 * it is on the original-scale ones, β_j / std_j, so Spark's L2Regularization divides by std_j²
 * and its OWL-QN L1 weight by std_j; a feature with std 0 is not penalised (its coefficient is 0).
 * The L2 part is added to the objective here (`addL2`); the L1 part is OWL-QN's per-coordinate
 * weights (`l1Weights`, for optim/minimize.ts's `l1`).
 *
 * Layout of the optimised vector: k rows of d coefficients (row-major), then — with fitIntercept —
 * k intercepts (Spark's multinomial layout; k = 1 for binomial and regression).
 */
export interface PenaltySpec {
  regParam: number;
  elasticNetParam: number;
  standardization: boolean;
  /** Per-feature standard deviation of the training data (Spark's Summarizer std). */
  featuresStd: Float64Array;
  /** Rows of coefficients (classes of a multinomial model; 1 otherwise). */
  k: number;
}

/** Adds ½ · regParam · (1 − α) · Σ (scaled β_j)² to the objective (returned) and its gradient into `grad` (Spark's L2Regularization). */
export function addL2(x: Float64Array, grad: Float64Array, p: PenaltySpec): number {
  const l2 = p.regParam * (1 - p.elasticNetParam);
  if (l2 === 0) return 0;
  const d = p.featuresStd.length;
  let sum = 0;
  for (let c = 0; c < p.k; c++) {
    for (let j = 0; j < d; j++) {
      const i = c * d + j;
      const b = x[i]!;
      if (p.standardization) {
        sum += b * b;
        grad[i] = grad[i]! + l2 * b;
      } else {
        const std = p.featuresStd[j]!;
        if (std === 0) continue;
        const t = b / (std * std);
        sum += b * t;
        grad[i] = grad[i]! + l2 * t;
      }
    }
  }
  return 0.5 * l2 * sum;
}

/** OWL-QN's L1 weight of every coordinate of the optimised vector (0 for intercepts), or 0 when there is no L1 part. */
export function l1Weights(p: PenaltySpec, fitIntercept: boolean): Float64Array | 0 {
  const l1 = p.regParam * p.elasticNetParam;
  if (l1 === 0) return 0;
  const d = p.featuresStd.length;
  const w = new Float64Array(p.k * d + (fitIntercept ? p.k : 0));
  for (let c = 0; c < p.k; c++) {
    for (let j = 0; j < d; j++) {
      const std = p.featuresStd[j]!;
      w[c * d + j] = p.standardization ? l1 : std !== 0 ? l1 / std : 0;
    }
  }
  return w;
}

/**
 * The kernel's effective coefficients of standardised ones: β_j / std_j (0 where std_j is 0),
 * for k rows of d (ts/src/kernels/glm.ts takes raw features).
 */
export function unscaleCoefficients(scaled: Float64Array, featuresStd: Float64Array, k: number): Float64Array {
  const d = featuresStd.length;
  const out = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) out[c * d + j] = featuresStd[j]! !== 0 ? scaled[c * d + j]! / featuresStd[j]! : 0;
  return out;
}

/** The gradient over effective coefficients turned into the standardised space's (chain rule: divide by std_j; 0 where std_j is 0), in place over the first k·d entries. */
export function scaleGradient(grad: Float64Array, featuresStd: Float64Array, k: number): void {
  const d = featuresStd.length;
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) grad[c * d + j] = featuresStd[j]! !== 0 ? grad[c * d + j]! / featuresStd[j]! : 0;
}
