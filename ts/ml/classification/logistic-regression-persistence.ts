/**
 * Saving and loading LogisticRegression and LogisticRegressionModel in Spark's layout
 * (SPARK_MODEL_FORMAT.md §3): the estimator is metadata only; the model's `data/` is one row of
 * numClasses INT32, numFeatures INT32, interceptVector Vector, coefficientMatrix Matrix,
 * isMultinomial BOOLEAN (Spark 2.1+), the matrix written dense and row-major (isTransposed, as
 * Spark's binomial `coefficients` requires). Loading reads every MatrixUDT form (the 3.5.0
 * fixture's sparse all-zero CSR matrix included) and Spark 2.0's layout (numClasses,
 * numFeatures, intercept, coefficients). The bound params are saved as Spark's Matrix / Vector
 * JSON values.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingError } from '../../src/errors.js';
import { boolAt, makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import { matrixFromStruct, matrixStructColumn } from '../clustering/gmm-persistence.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { DenseMatrix } from '../linalg/matrices.js';
import type { Params } from '../param/params.js';
import { encodeParamFor, getAndSetParams, readData, register, writeData, writeMetadata, type Metadata, firstRow } from '../persist.js';
import { LogisticRegression } from './logistic-regression.js';
import { LogisticRegressionModel, rowMajor } from './logistic-regression-model.js';
import { BOUND_PARAMS } from './logistic-regression-bounds.js';
import { matrixFromJsonValue, matrixJsonValue, vectorFromJsonValue, vectorJsonValue } from '../linalg/param-json.js';
import type { Matrix } from '../linalg/matrices.js';
import type { Vector } from '../linalg/vectors.js';

/** The metadata with the bound params as Spark's JSON values. */
async function writeLogisticMetadata(stage: Params, path: string, api: string): Promise<void> {
  const { paramMap, defaultParamMap } = stage.paramValues();
  const enc = (m: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(m).map(([k, v]) => [
        k,
        k.endsWith('OnCoefficients') ? matrixJsonValue(v as Matrix) : k.endsWith('OnIntercepts') ? vectorJsonValue(v as Vector) : encodeParamFor(api, stage, stage.getParam(k), v),
      ]),
    );
  await writeMetadata(stage, path, { api }, { paramMap: enc(paramMap), defaultParamMap: enc(defaultParamMap) });
}

/** Sets the params of `md` on `stage`, the bound params decoded from Spark's JSON. */
function setLogisticParams(stage: Params, md: Metadata, api: string): void {
  getAndSetParams(stage, md, { api, skipParams: [...BOUND_PARAMS] });
  for (const name of BOUND_PARAMS) {
    const raw = md.paramMap[name];
    if (raw === undefined) continue;
    stage.set(name, name.endsWith('OnCoefficients') ? matrixFromJsonValue(api, name, raw) : vectorFromJsonValue(api, name, raw));
  }
}

/** The one-row `data/` table of a model (Spark 2.1+ layout). */
export function logisticDataBatch(m: LogisticRegressionModel): arrow.RecordBatch {
  const md = m.modelData();
  const k = md.intercept.length;
  const d = md.numFeatures;
  // the MatrixUDT struct of a k x d matrix whose values are row-major (isTransposed = true)
  const base = matrixStructColumn([new DenseMatrix(k, d, new Float64Array(k * d))]);
  const children = base.children.slice() as AnyData[];
  children[5] = arrow.makeData({ type: children[5]!.type, length: 1, valueOffsets: Int32Array.of(0, k * d), child: arrow.makeData({ type: new arrow.Float64(), length: k * d, data: md.coef.slice(), nullCount: 0 }), nullCount: 0 } as never) as AnyData;
  children[6] = arrow.makeData({ type: new arrow.Bool(), length: 1, data: Uint8Array.of(1), nullCount: 0 }) as AnyData;
  const matrix = arrow.makeData({ type: base.type, length: 1, children, nullCount: 0 } as never) as AnyData;
  const intercept = denseVectorColumn(md.intercept.slice(), k);
  const int = (v: number) => arrow.makeData({ type: new arrow.Int32(), length: 1, data: Int32Array.of(v), nullCount: 0 }) as AnyData;
  const schema = new arrow.Schema([
    new arrow.Field('numClasses', new arrow.Int32(), false),
    new arrow.Field('numFeatures', new arrow.Int32(), false),
    new arrow.Field('interceptVector', intercept.type, true),
    new arrow.Field('coefficientMatrix', matrix.type, true),
    new arrow.Field('isMultinomial', new arrow.Bool(), false),
  ]);
  const multi = arrow.makeData({ type: new arrow.Bool(), length: 1, data: Uint8Array.of(md.isMultinomial ? 1 : 0), nullCount: 0 }) as AnyData;
  return makeBatch(schema, [int(md.numClasses), int(d), intercept, matrix, multi], 1);
}

function readModel(api: string, table: arrow.Table, path: string, uid: string): LogisticRegressionModel {
  const row = firstRow(table, api, path, 'LogisticRegressionModel');
  const names = row.schema.fields.map((f) => f.name);
  const col = (n: string): AnyData => {
    const i = names.indexOf(n);
    if (i < 0) throw Errors.load(`${api}: the LogisticRegressionModel at ${path} has data/ columns [${names.join(', ')}]; column ${n} is missing`);
    return row.data.children[i]! as AnyData;
  };
  const intOf = (n: string) => Number(numericValues(castColumn(api, col(n), Types.int()))[0]);
  const numClasses = intOf('numClasses');
  const numFeatures = intOf('numFeatures');
  const model = new LogisticRegressionModel(undefined, uid);
  if (names.includes('coefficientMatrix')) {
    const m = matrixFromStruct(api, col('coefficientMatrix'), 0, path);
    const iv = vectorAt(col('interceptVector'), 0);
    if (iv === null) throw Errors.load(`${api}: the LogisticRegressionModel at ${path} has a null interceptVector`);
    const isMultinomial = boolAt(col('isMultinomial'), 0);
    if (m.numCols !== numFeatures || iv.size !== m.numRows) throw Errors.load(`${api}: the LogisticRegressionModel at ${path} has a ${m.numRows} x ${m.numCols} coefficientMatrix, ${iv.size} intercepts and numFeatures = ${numFeatures}; they must agree`);
    model.setData({ coef: rowMajor(m), intercept: Float64Array.from(iv.toArray()), numFeatures, numClasses, isMultinomial });
  } else {
    // Spark 2.0 and before: one intercept and a coefficients vector, binomial
    const c = vectorAt(col('coefficients'), 0);
    if (c === null) throw Errors.load(`${api}: the LogisticRegressionModel at ${path} has null coefficients`);
    const intercept = Number(numericValues(castColumn(api, col('intercept'), Types.double()))[0]);
    model.setData({ coef: Float64Array.from(c.toArray()), intercept: Float64Array.of(intercept), numFeatures, numClasses, isMultinomial: false });
  }
  return model;
}

register('org.apache.spark.ml.classification.LogisticRegression', LogisticRegression, {
  save: async (stage, path, ctx) => writeLogisticMetadata(stage, path, ctx.api),
  load: async (_path, md, ctx) => {
    const stage = new LogisticRegression(undefined, md.uid);
    setLogisticParams(stage, md, ctx.api);
    return stage;
  },
});

register('org.apache.spark.ml.classification.LogisticRegressionModel', LogisticRegressionModel, {
  save: async (m, path, ctx) => {
    if (m.numFeatures === 0 && !m.hasData) throw new KindlingError('ERR_KINDLING_NOT_FITTED', `${ctx.api}: ${m.uid} has no coefficients to save`);
    await writeLogisticMetadata(m, path, ctx.api);
    const batch = logisticDataBatch(m);
    await writeData(path, { schema: batch.schema, batches: [batch] });
  },
  load: async (path, md, ctx) => {
    const model = readModel(ctx.api, await readData(path, 'data', ctx.api), path, md.uid);
    setLogisticParams(model, md, ctx.api);
    return model;
  },
});
