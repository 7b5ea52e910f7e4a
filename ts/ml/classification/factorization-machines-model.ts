/**
 * What FMClassificationModel and FMRegressionModel share: the model's data (intercept, linear
 * terms, factors) as Spark exposes it, the scoring state, and Spark's saved layout — `data/` one
 * row `intercept` double, `linear` VectorUDT (an empty sparse vector when fitLinear is false, as
 * Spark's splitCoefficients), `factors` MatrixUDT (numFeatures x factorSize; Spark writes it
 * row-major with isTransposed = true, kindling column-major: the same matrix to Spark's reader).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { numericValues } from '../../src/dataframe/eval.js';
import { matrixFromStruct, matrixStructColumn } from '../clustering/gmm-persistence.js';
import { vectorAt, vectorStructColumn } from '../linalg/columns.js';
import { DenseMatrix } from '../linalg/matrices.js';
import { DenseVector, isVector, SparseVector, type Vector } from '../linalg/vectors.js';
import { readData, writeData, firstRow } from '../persist.js';
import type { FMState } from './factorization-machines-tasks.js';

/** A fitted FM model's data: d features, k factors; linear null when the model has no linear terms. */
export interface FMData {
  intercept: number;
  linear: Float64Array | null;
  /** d x k, row-major. */
  factors: Float64Array;
  d: number;
  k: number;
}

export const NO_FM_DATA: FMData = { intercept: 0, linear: null, factors: new Float64Array(0), d: 0, k: 0 };

/** The constructor options of the FM models: Spark's fields. */
export interface FMDataOptions {
  intercept?: number;
  linear?: Vector | readonly number[];
  factors?: DenseMatrix | readonly (readonly number[])[];
}

/** FMData from user values (the models' constructor), checked. */
export function fmDataOf(api: string, o: FMDataOptions): FMData | null {
  if (o.linear === undefined && o.factors === undefined && o.intercept === undefined) return null;
  if (o.factors === undefined) throw Errors.invalidArg(api, 'factors', 'a DenseMatrix (numFeatures x factorSize) or an array of rows', undefined);
  const rows = o.factors as unknown;
  const isRows = Array.isArray(rows) && rows.length > 0 && rows.every((r) => Array.isArray(r) && r.length === (rows[0] as unknown[]).length && r.every((v) => typeof v === 'number'));
  const m = o.factors instanceof DenseMatrix ? o.factors : isRows ? new DenseMatrix(rows.length, (rows[0] as number[]).length, (rows as number[][]).flat(), true) : null;
  if (m === null || m.numRows === 0 || m.numCols === 0) throw Errors.invalidArg(api, 'factors', 'a non-empty DenseMatrix (numFeatures x factorSize) or an array of rows', o.factors);
  const d = m.numRows;
  const k = m.numCols;
  const factors = new Float64Array(d * k);
  for (let i = 0; i < d; i++) for (let f = 0; f < k; f++) factors[i * k + f] = m.get(i, f);
  let linear: Float64Array | null = null;
  if (o.linear !== undefined) {
    if (!(isVector(o.linear) || (Array.isArray(o.linear) && o.linear.every((x) => typeof x === 'number')))) throw Errors.invalidArg(api, 'linear', 'a Vector or an array of numbers', o.linear);
    const v = isVector(o.linear) ? o.linear.toArray() : Float64Array.from(o.linear as number[]);
    if (v.length !== d) throw Errors.invalidArg(api, 'linear', `a vector of ${d} values (one per row of factors)`, `${v.length} values`);
    linear = v;
  }
  const intercept = o.intercept ?? 0;
  if (typeof intercept !== 'number') throw Errors.invalidArg(api, 'intercept', 'a number', intercept);
  if (![intercept, ...factors, ...(linear ?? [])].every(Number.isFinite)) throw Errors.invalidArg(api, 'intercept, linear and factors', 'finite numbers', 'a non-finite value');
  return { intercept, linear, factors, d, k };
}

/** The scoring state (the coefficient vector in Spark's layout). */
export function fmStateOf(m: FMData): FMState {
  const { d, k } = m;
  const fitLinear = m.linear !== null;
  const coef = new Float64Array(d * k + (fitLinear ? d : 0) + 1);
  coef.set(m.factors, 0);
  if (m.linear) coef.set(m.linear, d * k);
  coef[coef.length - 1] = m.intercept;
  return { d, k, fitIntercept: true, fitLinear, coef };
}

export function fmLinearVector(m: FMData): Vector {
  return m.linear ? new DenseVector(m.linear.slice()) : new SparseVector(m.d, [], []);
}

/** Spark's factors: DenseMatrix(numFeatures, factorSize, values, isTransposed = true). */
export function fmFactorsMatrix(m: FMData): DenseMatrix {
  return new DenseMatrix(m.d, m.k, m.factors.slice(), true);
}

export async function writeFMData(path: string, m: FMData): Promise<void> {
  const intercept = arrow.makeData({ type: new arrow.Float64(), length: 1, data: Float64Array.of(m.intercept), nullCount: 0 }) as AnyData;
  const linear = vectorStructColumn([fmLinearVector(m)]);
  const factors = matrixStructColumn([fmFactorsMatrix(m)]);
  const schema = new arrow.Schema([new arrow.Field('intercept', intercept.type, false), new arrow.Field('linear', linear.type, true), new arrow.Field('factors', factors.type, true)]);
  await writeData(path, { schema, batches: [makeBatch(schema, [intercept, linear, factors], 1)] });
}

export async function readFMData(api: string, path: string): Promise<FMData> {
  const table = await readData(path, 'data', api);
  const row = firstRow(table, api, path, 'model');
  const col = (n: string) => {
    const i = row.schema.fields.findIndex((f) => f.name === n);
    if (i < 0) throw Errors.load(`${api}: the model data at ${path} has no ${n} column (expected intercept, linear, factors)`);
    return row.data.children[i] as AnyData;
  };
  const intercept = Number((numericValues(col('intercept')) as ArrayLike<number>)[0]);
  const lin = vectorAt(col('linear'), 0);
  const fm = matrixFromStruct(api, col('factors'), 0, path);
  if (!lin) throw Errors.load(`${api}: the model data at ${path} has a null linear vector`);
  const d = fm.numRows;
  const k = fm.numCols;
  if (lin.size !== d) throw Errors.load(`${api}: the model data at ${path} has ${lin.size} linear terms for ${d} rows of factors`);
  const factors = new Float64Array(d * k);
  for (let i = 0; i < d; i++) for (let f = 0; f < k; f++) factors[i * k + f] = fm.get(i, f);
  // an empty sparse vector is Spark's "no linear terms" (fitLinear = false)
  const linear = lin instanceof SparseVector && lin.indices.length === 0 ? null : lin.toArray();
  return { intercept, linear, factors, d, k };
}
