/**
 * IterativeImputer (kindling, beyond Spark: the Spark ML book's multivariate imputation;
 * scikit-learn's IterativeImputer with estimator=LinearRegression(), sample_posterior=False,
 * imputation_order='ascending', initial_strategy='mean', skip_complete=False):
 *
 *   - missing: null, NaN or missingValue (default NaN); a column with nothing observed is an
 *     error naming it (as Imputer).
 *   - fit: start from the column means; then up to maxIter (default 10) rounds, each regressing
 *     every feature in turn (fewest missing first, ties in column order) on all the others by
 *     ordinary least squares with an intercept (not BayesianRidge: the minimum-norm least-squares
 *     solution, as LinearRegression's lstsq, through the eigen-decomposition of the centred
 *     normal equations), fitted on the rows where the feature is observed, and replacing its
 *     missing entries by the predictions at once (Gauss-Seidel). It stops after a round whose
 *     largest row sum of absolute changes, max_i Σ_j |ΔX_ij| (NumPy's inf-norm of the matrix),
 *     is below tol (default 1e-3) times the largest absolute observed value.
 *   - the model keeps the means and every round's regressions; transform replays them per row on
 *     the executors (iterative-imputer-tasks.ts), outputs keep the input types.
 *   - seed: kept for the book's API; with the ascending order and no posterior sampling the fit
 *     is deterministic and the seed is not used.
 *   - limits: the fit reads the input columns to the driver (n x d doubles) and iterates there;
 *     each regression is O(n d^2).
 *   - persistence: kindling's own class names `org.kindling.ml.feature.IterativeImputer` / `…Model`;
 *     data/ one row per step: `feature` (int, -1 for the row of means), `intercept` (double),
 *     `coef` (array<double>; the means on the -1 row).
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../../src/errors.js';
import { makeBatch, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { castColumn, numericValues } from '../../../src/dataframe/eval.js';
import { Types } from '../../../src/dataframe/types.js';
import { javaDoubleString } from '../../../src/io/text-common/java-format.js';
import { symmetricEigen } from '../../linalg/symmetric-eigen.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata, KINDLING_FEATURE_NS } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { columnField } from '../../data/schema-checks.js';
import { IterativeImputerParamsMixin, type IterativeImputerParamsOptions } from './imputation-params.js';
import { appendSameTypeColumns } from './imputer.js';
import { applyChain, iterativeImpute, readMatrix, type ChainBroadcast, type ImputationStep } from './iterative-imputer-tasks.js';

export type IterativeImputerOptions = IterativeImputerParamsOptions;

/** Least squares with intercept of y on the columns `cols` of the rows `rows` of x (n x d): the minimum-norm solution. */
export function leastSquares(x: Float64Array, d: number, rows: readonly number[], cols: readonly number[], target: number): { intercept: number; coef: Float64Array } {
  const p = cols.length;
  const m = rows.length;
  const xm = new Float64Array(p);
  let ym = 0;
  for (const i of rows) {
    ym += x[i * d + target]!;
    cols.forEach((c, k) => (xm[k] += x[i * d + c]!));
  }
  ym /= m;
  for (let k = 0; k < p; k++) xm[k] /= m;
  const g = new Float64Array(p * p);
  const r = new Float64Array(p);
  for (const i of rows) {
    const yc = x[i * d + target]! - ym;
    for (let a = 0; a < p; a++) {
      const xa = x[i * d + cols[a]!]! - xm[a]!;
      r[a] += xa * yc;
      for (let b = a; b < p; b++) g[a * p + b] += xa * (x[i * d + cols[b]!]! - xm[b]!);
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) g[a * p + b] = g[b * p + a]!;
  const { values, vectors } = symmetricEigen(g, p);
  const cutoff = Math.max(values[0] ?? 0, 0) * p * 1e-13;
  const beta = new Float64Array(p);
  for (let e = 0; e < p; e++) {
    if (!(values[e]! > cutoff)) continue;
    let proj = 0;
    for (let k = 0; k < p; k++) proj += vectors[e * p + k]! * r[k]!;
    proj /= values[e]!;
    for (let k = 0; k < p; k++) beta[k] += proj * vectors[e * p + k]!;
  }
  let intercept = ym;
  for (let k = 0; k < p; k++) intercept -= beta[k]! * xm[k]!;
  const coef = new Float64Array(d);
  cols.forEach((c, k) => (coef[c] = beta[k]!));
  return { intercept, coef };
}

/** scikit-learn's fit loop over n x d values with their missing mask; returns the means and the steps. */
export function fitChain(x: Float64Array, missing: Uint8Array, n: number, d: number, maxIter: number, tol: number): { means: Float64Array; steps: ImputationStep[]; nIter: number } {
  const means = new Float64Array(d);
  const counts = new Float64Array(d);
  let maxAbs = 0;
  for (let i = 0; i < n * d; i++) {
    if (missing[i]) continue;
    means[i % d] += x[i]!;
    counts[i % d]++;
    maxAbs = Math.max(maxAbs, Math.abs(x[i]!));
  }
  for (let j = 0; j < d; j++) means[j] /= counts[j]!;
  const xt = Float64Array.from(x);
  for (let i = 0; i < n * d; i++) if (missing[i]) xt[i] = means[i % d]!;
  const steps: ImputationStep[] = [];
  const anyMissing = missing.some((m) => m === 1);
  if (maxIter === 0 || !anyMissing) return { means, steps, nIter: 0 };
  const order = Array.from({ length: d }, (_, j) => j).sort((a, b) => n - counts[a]! - (n - counts[b]!) || a - b);
  const observedRows = order.map((j) => Array.from({ length: n }, (_, i) => i).filter((i) => !missing[i * d + j]));
  const normalizedTol = tol * maxAbs;
  const prev = Float64Array.from(xt);
  let nIter = 0;
  for (let it = 1; it <= maxIter; it++) {
    nIter = it;
    order.forEach((j, o) => {
      const others = Array.from({ length: d }, (_, k) => k).filter((k) => k !== j);
      const { intercept, coef } = leastSquares(xt, d, observedRows[o]!, others, j);
      steps.push({ feature: j, intercept, coef });
      for (let i = 0; i < n; i++) {
        if (!missing[i * d + j]) continue;
        let v = intercept;
        for (const k of others) v += coef[k]! * xt[i * d + k]!;
        xt[i * d + j] = v;
      }
    });
    let infNorm = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += Math.abs(xt[i * d + j]! - prev[i * d + j]!);
      infNorm = Math.max(infNorm, s);
    }
    if (infNorm < normalizedTol) break;
    prev.set(xt);
  }
  return { means, steps, nIter };
}

/** inputCols and outputCols (both required), as many of each, no duplicates. */
function columnsOf(stage: { getInputCols(): string[]; getOutputCols(): string[]; stageName: string }): { inputs: string[]; outputs: string[]; param: string } {
  const inputs = stage.getInputCols();
  const outputs = stage.getOutputCols();
  if (inputs.length !== outputs.length) throw Errors.schema(`${stage.stageName}: inputCols(${inputs.length}) and outputCols(${outputs.length}) should have the same length`);
  if (new Set(inputs).size !== inputs.length) throw Errors.schema(`${stage.stageName}: inputCols contains duplicates: (${inputs.join(', ')})`);
  return { inputs, outputs, param: 'inputCols' };
}

export class IterativeImputer extends MLWritable(IterativeImputerParamsMixin(Estimator<IterativeImputerModel>)) {
  constructor(options?: IterativeImputerOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return appendSameTypeColumns(this.stageName, schema, columnsOf(this));
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<IterativeImputerModel> {
    const api = `${this.stageName}.fit`;
    const inputs = this.getInputCols();
    const names = inputs.map((c) => columnField(api, df.schema, c).field.name);
    const missingValue = this.getMissingValue();
    const table = await df.select(names).toArrow();
    const d = names.length;
    const parts = table.batches.map((b) => readMatrix(api, b, names, missingValue));
    const n = table.numRows;
    const x = new Float64Array(n * d);
    const missing = new Uint8Array(n * d);
    let at = 0;
    for (const p of parts) {
      x.set(p.x, at);
      missing.set(p.missing, at);
      at += p.x.length;
    }
    const empty = inputs.filter((_, j) => Array.from({ length: n }, (_, i) => missing[i * d + j]).every((m) => m === 1));
    if (empty.length > 0) throw Errors.schema(`${api}: surrogate cannot be computed. All the values in ${empty.join(',')} are Null, Nan or missingValue(${javaDoubleString(missingValue)})`);
    const { means, steps, nIter } = fitChain(x, missing, n, d, this.getMaxIter(), this.getTol());
    const model = new IterativeImputerModel({ means, steps, nIter }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class IterativeImputerModel extends MLWritable(IterativeImputerParamsMixin(Model)) {
  /** The initial fill: each input column's mean. */
  means: Float64Array;
  /** Every round's regressions, in the order they ran. */
  steps: ImputationStep[];
  /** Rounds run (scikit-learn's n_iter_). */
  nIter: number;

  constructor(state?: { means: Float64Array; steps: ImputationStep[]; nIter?: number } & IterativeImputerOptions, uid?: string) {
    super(uid);
    this.means = state?.means ?? new Float64Array(0);
    this.steps = state?.steps ?? [];
    this.nIter = state?.nIter ?? 0;
    if (state) {
      const { means: _m, steps: _s, nIter: _n, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    Object.assign(that, { means: this.means, steps: this.steps, nIter: this.nIter, parent: this.parent });
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    const cols = columnsOf(this);
    if (cols.inputs.length !== this.means.length) throw Errors.schema(`${this.stageName}: the model was fitted on ${this.means.length} columns, inputCols has ${cols.inputs.length}`);
    return appendSameTypeColumns(this.stageName, schema, cols);
  }

  /** The imputed values of n x d row-major rows (NaN = missing), on this thread. */
  imputeRows(x: Float64Array, n: number): Float64Array {
    const d = this.means.length;
    const out = Float64Array.from(x);
    applyChain(out, Uint8Array.from(x, (v) => (Number.isNaN(v) ? 1 : 0)), n, d, this.means, this.steps);
    return out;
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    const schema = this.transformSchema(df.schema);
    const b: ChainBroadcast = { api, inputCols: this.getInputCols().map((c) => columnField(api, df.schema, c).field.name), outputCols: this.getOutputCols(), missingValue: this.getMissingValue(), means: this.means, steps: this.steps };
    return df.mapInArrow(iterativeImpute, schema, b);
  }
}

register(`${KINDLING_FEATURE_NS}.IterativeImputer`, IterativeImputer);
register(`${KINDLING_FEATURE_NS}.IterativeImputerModel`, IterativeImputerModel, {
  async save(model, path, ctx) {
    if (model.means.length === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${model.uid} is not fitted`);
    await writeMetadata(model, path, ctx, { extraMetadata: { nIter: model.nIter } });
    const rows = [{ feature: -1, intercept: 0, coef: model.means }, ...model.steps];
    const feature = arrow.makeData({ type: new arrow.Int32(), length: rows.length, data: Int32Array.from(rows, (r) => r.feature), nullCount: 0 }) as AnyData;
    const intercept = arrow.makeData({ type: new arrow.Float64(), length: rows.length, data: Float64Array.from(rows, (r) => r.intercept), nullCount: 0 }) as AnyData;
    const d = model.means.length;
    const all = new Float64Array(rows.length * d);
    rows.forEach((r, i) => all.set(r.coef, i * d));
    const child = arrow.makeData({ type: new arrow.Float64(), length: all.length, data: all, nullCount: 0 });
    const coef = arrow.makeData({ type: new arrow.List(new arrow.Field('element', new arrow.Float64(), false)), length: rows.length, valueOffsets: Int32Array.from({ length: rows.length + 1 }, (_, i) => i * d), child, nullCount: 0 } as never) as AnyData;
    const schema = new arrow.Schema([new arrow.Field('feature', new arrow.Int32(), false), new arrow.Field('intercept', new arrow.Float64(), false), new arrow.Field('coef', coef.type, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [feature, intercept, coef], rows.length)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const rows: ImputationStep[] = [];
    for (const b of table.batches) {
      const col = (n: string) => {
        const i = b.schema.fields.findIndex((f) => f.name === n);
        if (i < 0) throw Errors.load(`${ctx.api}: the IterativeImputerModel at ${path} has no ${n} column`);
        return b.data.children[i]! as AnyData;
      };
      const f = numericValues(castColumn(ctx.api, col('feature'), Types.double())) as Float64Array;
      const ic = numericValues(castColumn(ctx.api, col('intercept'), Types.double())) as Float64Array;
      const cl = col('coef');
      const off = cl.valueOffsets as Int32Array;
      const cv = numericValues(castColumn(ctx.api, cl.children[0]! as AnyData, Types.double())) as Float64Array;
      for (let i = 0; i < b.numRows; i++) rows.push({ feature: f[i]!, intercept: ic[i]!, coef: Float64Array.from(cv.subarray(off[i]!, off[i + 1]!)) });
    }
    const meansRow = rows.find((r) => r.feature === -1);
    if (!meansRow) throw Errors.load(`${ctx.api}: the IterativeImputerModel at ${path} has no row of means`);
    const model = new IterativeImputerModel({ means: meansRow.coef, steps: rows.filter((r) => r !== meansRow), nIter: Number(metadata.metadata.nIter ?? 0) }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
