/**
 * LogisticRegression's box bounds (Spark's lowerBoundsOnCoefficients / upperBoundsOnCoefficients /
 * lowerBoundsOnIntercepts / upperBoundsOnIntercepts): the param validators, Spark's checks with
 * its messages (validateAndTransformSchema, assertBoundConstrainedOptimizationParamsValid), the
 * bounds in the optimised vector's layout (ts/ml/optim/regularization.ts: k rows of d
 * standardised coefficients, then k intercepts; a coefficient bound scaled by std_j as Spark's
 * createBounds), and the params' JSON as Spark's Param.jsonEncode writes a Matrix / Vector.
 */
import { Errors } from '../../src/errors.js';
import { DenseMatrix, SparseMatrix, type Matrix } from '../linalg/matrices.js';
import { isVector, type Vector } from '../linalg/vectors.js';

export function isMatrixValue(v: unknown): string | null {
  return v instanceof DenseMatrix || v instanceof SparseMatrix ? null : 'a Matrix (DenseMatrix or SparseMatrix)';
}

export function isVectorValue(v: unknown): string | null {
  return isVector(v) ? null : 'a Vector (DenseVector or SparseVector)';
}

export interface BoundParams {
  lowerBoundsOnCoefficients?: Matrix;
  upperBoundsOnCoefficients?: Matrix;
  lowerBoundsOnIntercepts?: Vector;
  upperBoundsOnIntercepts?: Vector;
}

export function usingBounds(b: BoundParams): boolean {
  return b.lowerBoundsOnCoefficients !== undefined || b.upperBoundsOnCoefficients !== undefined || b.lowerBoundsOnIntercepts !== undefined || b.upperBoundsOnIntercepts !== undefined;
}

/** Spark's LogisticRegressionParams.validateAndTransformSchema checks of the bounds. */
export function checkBoundParams(api: string, b: BoundParams, elasticNetParam: number, fitIntercept: boolean): void {
  if (usingBounds(b) && elasticNetParam !== 0) {
    throw Errors.invalidArg(api, 'elasticNetParam', `0 (Fitting under bound constrained optimization only supports L2 regularization, but got elasticNetParam = ${elasticNetParam})`, elasticNetParam);
  }
  if (!fitIntercept && (b.lowerBoundsOnIntercepts !== undefined || b.upperBoundsOnIntercepts !== undefined)) {
    throw Errors.invalidArg(api, 'lowerBoundsOnIntercepts/upperBoundsOnIntercepts', "unset when fitIntercept is false (Please don't set bounds on intercepts if fitting without intercept.)", 'set');
  }
}

/** Spark's assertBoundConstrainedOptimizationParamsValid, once k (coefficient sets) and d are known. */
export function checkBoundShapes(api: string, b: BoundParams, k: number, d: number): void {
  const shape = (name: string, m: Matrix | undefined) => {
    if (m !== undefined && (m.numRows !== k || m.numCols !== d)) {
      throw Errors.invalidArg(
        api,
        name,
        `a ${k} x ${d} matrix (The shape of ${name} must be compatible with (1, number of features) for binomial regression, or (number of classes, number of features) for multinomial regression)`,
        `(${m.numRows}, ${m.numCols})`,
      );
    }
  };
  shape('lowerBoundsOnCoefficients', b.lowerBoundsOnCoefficients);
  shape('upperBoundsOnCoefficients', b.upperBoundsOnCoefficients);
  const size = (name: string, v: Vector | undefined) => {
    if (v !== undefined && v.size !== k) {
      throw Errors.invalidArg(api, name, `a vector of size ${k} (The size of ${name} must be equal to 1 for binomial regression, or the number of classes for multinomial regression)`, `size ${v.size}`);
    }
  };
  size('lowerBoundsOnIntercepts', b.lowerBoundsOnIntercepts);
  size('upperBoundsOnIntercepts', b.upperBoundsOnIntercepts);
  const ordered = (lo: ArrayLike<number>, hi: ArrayLike<number>) => Array.from(lo).every((x, i) => x <= hi[i]!);
  if (b.lowerBoundsOnCoefficients && b.upperBoundsOnCoefficients && !ordered(b.lowerBoundsOnCoefficients.toArray(), b.upperBoundsOnCoefficients.toArray())) {
    throw Errors.invalidArg(api, 'lowerBoundsOnCoefficients', 'entries <= upperBoundsOnCoefficients (LowerBoundsOnCoefficients should always be less than or equal to upperBoundsOnCoefficients)', 'a larger entry');
  }
  if (b.lowerBoundsOnIntercepts && b.upperBoundsOnIntercepts && !ordered(b.lowerBoundsOnIntercepts.toArray(), b.upperBoundsOnIntercepts.toArray())) {
    throw Errors.invalidArg(api, 'lowerBoundsOnIntercepts', 'entries <= upperBoundsOnIntercepts (LowerBoundsOnIntercepts should always be less than or equal to upperBoundsOnIntercepts)', 'a larger entry');
  }
}

/** The bounds of the optimised vector (Spark's createBounds): coefficient bounds times std_j, intercept bounds as given, ±∞ elsewhere. */
export function boundArrays(b: BoundParams, k: number, d: number, fitIntercept: boolean, featuresStd: Float64Array): { lower: Float64Array; upper: Float64Array } {
  const n = k * d + (fitIntercept ? k : 0);
  const lower = new Float64Array(n).fill(-Infinity);
  const upper = new Float64Array(n).fill(Infinity);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) {
      if (b.lowerBoundsOnCoefficients) lower[c * d + j] = b.lowerBoundsOnCoefficients.apply(c, j) * featuresStd[j]!;
      if (b.upperBoundsOnCoefficients) upper[c * d + j] = b.upperBoundsOnCoefficients.apply(c, j) * featuresStd[j]!;
    }
    if (fitIntercept) {
      if (b.lowerBoundsOnIntercepts) lower[k * d + c] = b.lowerBoundsOnIntercepts.toArray()[c]!;
      if (b.upperBoundsOnIntercepts) upper[k * d + c] = b.upperBoundsOnIntercepts.toArray()[c]!;
    }
  }
  return { lower, upper };
}


export const BOUND_PARAMS = ['lowerBoundsOnCoefficients', 'upperBoundsOnCoefficients', 'lowerBoundsOnIntercepts', 'upperBoundsOnIntercepts'] as const;
