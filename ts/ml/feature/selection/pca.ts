/**
 * PCA (Spark's ml.feature.PCA): projects vectors onto their top k principal components.
 *
 *   - fit, as Spark's RowMatrix.computePrincipalComponentsAndExplainedVariance: the column mean
 *     (one pass, StandardScaler's summary), then the centred Gram matrix (one pass, pca-tasks.ts),
 *     the covariance with the sample normalisation 1 / (n - 1) (Spark requires n > 1), and its
 *     eigen-decomposition on the driver (linalg/symmetric-eigen.ts, Jacobi). Spark takes the SVD
 *     of the covariance (LAPACK dgesdd through Breeze): `pc` = the first k left singular vectors
 *     (d x k DenseMatrix), `explainedVariance` = the first k singular values over their sum
 *     (DenseVector). The singular vectors of a covariance are its eigenvectors up to sign; LAPACK's
 *     sign is a by-product of its bidiagonalisation, which kindling does not replay. kindling's
 *     rule: each component's first non-zero entry is negative. It gives Spark's documented
 *     signs (the PySpark docstring's pc) and, over random covariances, LAPACK's sign of the
 *     first component in about 9 cases of 10; a component may come out negated relative to
 *     Spark, and so its projections (both are valid principal components).
 *   - transform: pc^T x with no centring (Spark's PCAModel), a dense vector of size k; sparse
 *     inputs are read sparsely; a null row stays null.
 *   - Spark's errors: k > the vector size ("source vector size 3 must be no less than k=4"),
 *     fewer than 2 rows, vectors of more than 65535 features.
 *   - persistence: org.apache.spark.ml.feature.PCA / PCAModel, data/ `pc` (MatrixUDT),
 *     `explainedVariance` (VectorUDT), as Spark 2+ writes them.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../../src/errors.js';
import { makeBatch, type AnyData } from '../../../src/dataframe/batch.js';
import type { DataFrame } from '../../../src/dataframe/dataframe.js';
import { denseVectorColumn, vectorAt } from '../../linalg/columns.js';
import { DenseMatrix } from '../../linalg/matrices.js';
import { DenseVector } from '../../linalg/vectors.js';
import { symmetricEigen } from '../../linalg/symmetric-eigen.js';
import { MLWritable } from '../../ml-writable.js';
import { getAndSetParams, readData, register, writeData, writeMetadata } from '../../persist.js';
import { Estimator, Model, type FitOptions } from '../../stage.js';
import { aggregateRows } from '../../data/checked-summary.js';
import { checkVector } from '../../data/schema-checks.js';
import { matrixFromStruct, matrixStructColumn } from '../../clustering/gmm-persistence.js';
import { PCAParamsMixin, type PCAParamsOptions } from './selection-params.js';
import { FEATURES } from '../scaling/standard-scaler-tasks.js';
import { fitColStats } from '../scaling/scaling-common.js';
import { pcaGram, pcaProject, pcaSizeMismatch, type ProjectBroadcast } from './pca-tasks.js';

export type PCAOptions = PCAParamsOptions;

function checkInput(api: string, schema: arrow.Schema, inputCol: string, outputCol: string, k: number | undefined): arrow.Schema {
  checkVector(api, schema, 'inputCol', inputCol);
  if (schema.fields.some((f) => f.name.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: output column ${outputCol} already exists`);
  const type = k === undefined ? new arrow.FixedSizeList(0, new arrow.Field('element', new arrow.Float64(), false)) : new arrow.FixedSizeList(k, new arrow.Field('element', new arrow.Float64(), false));
  return new arrow.Schema([...schema.fields, new arrow.Field(outputCol, type, true)]);
}

/** The first k components of the eigen-decomposition, each with its first non-zero entry negative (see the file's doc). */
export function principalComponents(cov: Float64Array, d: number, k: number): { pc: Float64Array; explained: Float64Array } {
  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (const v of values) total += Math.abs(v);
  const pc = new Float64Array(d * k);
  const explained = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const col = vectors.subarray(c * d, (c + 1) * d);
    const first = col.find((x) => Math.abs(x) > 1e-12) ?? 0;
    const sign = first > 0 ? -1 : 1;
    for (let j = 0; j < d; j++) pc[c * d + j] = sign * col[j]! + 0;
    explained[c] = total > 0 ? Math.abs(values[c]!) / total : 0;
  }
  return { pc, explained };
}

export class PCA extends MLWritable(PCAParamsMixin(Estimator<PCAModel>)) {
  constructor(options?: PCAOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return checkInput(this.stageName, schema, this.getInputCol(), this.getOutputCol(), this.getK());
  }

  protected async fitImpl(df: DataFrame, _options: FitOptions): Promise<PCAModel> {
    const api = `${this.stageName}.fit`;
    const inputCol = this.getInputCol();
    const k = this.getK();
    const stats = await fitColStats(api, df, inputCol, FEATURES, true);
    const d = stats.mean.length;
    if (stats.n > 0 && k > d) throw Errors.outOfRange(api, 'k', `at most the vector size: source vector size ${d} must be no less than k=${k}`, k);
    // Spark's RowMatrix.checkNumColumns: the d x d covariance must fit
    if (d > 65535) throw Errors.outOfRange(api, 'vector size', 'at most 65535 (Argument with more than 65535 cols)', d);
    if (stats.n <= 1) throw Errors.schema(`${api}: RowMatrix.computeCovariance called on matrix with only ${stats.n} rows.  Cannot compute the covariance of a RowMatrix with <= 1 row.`);
    const { value: g } = await aggregateRows(api, df, pcaGram, [inputCol], { inputCol, mean: stats.mean }, pcaSizeMismatch);
    const cov = new Float64Array(d * d);
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        // the corrected two-pass form: the sums of x - mean are 0 up to rounding, and remove it
        const c = (g.gram[a * d + b]! - (g.sums[a]! * g.sums[b]!) / stats.n) / (stats.n - 1);
        cov[a * d + b] = c;
        cov[b * d + a] = c;
      }
    }
    const { pc, explained } = principalComponents(cov, d, k);
    const model = new PCAModel({ pc: new DenseMatrix(d, k, pc), explainedVariance: new DenseVector(explained) }, this.uid);
    this.copyValues(model);
    return model;
  }
}

export class PCAModel extends MLWritable(PCAParamsMixin(Model)) {
  /** d x k: the principal components as columns. */
  pc: DenseMatrix;
  /** The proportion of variance each component explains. */
  explainedVariance: DenseVector;

  constructor(state?: { pc: DenseMatrix; explainedVariance: DenseVector } & PCAOptions, uid?: string) {
    super(uid);
    this.pc = state?.pc ?? new DenseMatrix(0, 0, []);
    this.explainedVariance = state?.explainedVariance ?? new DenseVector([]);
    if (state) {
      const { pc: _p, explainedVariance: _e, ...opts } = state;
      this.setParams(opts as Record<string, unknown>);
    }
  }

  override copy(extra?: Parameters<Model['copy']>[0]): this {
    const that = super.copy(extra);
    that.pc = this.pc;
    that.explainedVariance = this.explainedVariance;
    that.parent = this.parent;
    return that;
  }

  transformSchema(schema: arrow.Schema): arrow.Schema {
    return checkInput(this.stageName, schema, this.getInputCol(), this.getOutputCol(), this.pc.numCols);
  }

  protected transformImpl(df: DataFrame): DataFrame {
    const api = `${this.stageName}.transform`;
    if (this.pc.numRows === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${api}: ${this.uid} has no principal components`);
    const b: ProjectBroadcast = { api, inputCol: this.getInputCol(), outputCol: this.getOutputCol(), pc: Float64Array.from(this.pc.toArray()), d: this.pc.numRows, k: this.pc.numCols };
    return df.mapInArrow(pcaProject, this.transformSchema(df.schema), b);
  }
}

register('org.apache.spark.ml.feature.PCA', PCA);
register('org.apache.spark.ml.feature.PCAModel', PCAModel, {
  async save(model, path, ctx) {
    if (model.pc.numRows === 0) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${model.uid} has no principal components to save`);
    await writeMetadata(model, path, ctx);
    const pc = matrixStructColumn([model.pc]);
    const ev = model.explainedVariance.size;
    const explained = denseVectorColumn(Float64Array.from(model.explainedVariance.toArray()), ev);
    const schema = new arrow.Schema([new arrow.Field('pc', pc.type, true), new arrow.Field('explainedVariance', explained.type, true)]);
    await writeData(path, { schema, batches: [makeBatch(schema, [pc, explained], 1)] });
  },
  async load(path, metadata, ctx) {
    const table = await readData(path, 'data', ctx.api);
    const row = table.batches.find((b) => b.numRows > 0);
    if (!row) throw Errors.load(`${ctx.api}: the PCAModel at ${path} has no data row`);
    const colOf = (n: string) => row.data.children[row.schema.fields.findIndex((f) => f.name === n)] as AnyData | undefined;
    const pcCol = colOf('pc');
    if (!pcCol) throw Errors.load(`${ctx.api}: the PCAModel at ${path} has no pc column`);
    const pc = matrixFromStruct(ctx.api, pcCol, 0, path);
    // Spark 1.x saved pc alone
    const evCol = colOf('explainedVariance');
    const ev = evCol ? vectorAt(evCol, 0) : null;
    const model = new PCAModel({ pc, explainedVariance: new DenseVector(ev ? ev.toArray() : new Float64Array(pc.numCols)) }, metadata.uid);
    getAndSetParams(model, metadata, { api: ctx.api });
    return model;
  },
});
