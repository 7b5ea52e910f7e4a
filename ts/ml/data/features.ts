/**
 * Reading a batch's feature vectors as one row-major Float64Array, with Spark's column rules
 * (SchemaUtils.validateVectorCompatibleColumn: a vector column — dense, or the VectorUDT struct —
 * or an array of numbers) and the row checks a fit or a model needs, validated once, natively
 * (kernels/validate-rows.ts). A bad row is reported as data (`BadRow`: local row, what, why), so
 * an executor task can hand it to the driver, which names the row over the whole DataFrame.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import { castColumn, numericValues, resolveIndex } from '../../src/dataframe/eval.js';
import { isNumericType, isVectorType, sparkTypeName, Types } from '../../src/dataframe/types.js';
import { explainRow, firstBadRowRaw, firstBadWeightF64Raw, type RowChecks } from '../../src/kernels/validate-rows.js';
import { denseVectorValues, isDenseVectorType, vectorSizeAt } from '../linalg/columns.js';

/** A row a fit or model cannot use: its index in the batch, the column ("column features"), and why. */
export interface BadRow {
  row: number;
  what: string;
  why: string;
}

/** Throws the error of a bad row, numbered from `rowBase` (its partition's first row in the DataFrame). */
export function throwBadRow(api: string, bad: BadRow, rowBase: number): never {
  throw Errors.badRow(api, bad.what, rowBase + bad.row, bad.why);
}

/** Spark's validateVectorCompatibleColumn: the column's index, and whether it is an array of numbers. */
export function checkFeaturesColumn(api: string, schema: arrow.Schema, name: string): { index: number; isArray: boolean } {
  const index = resolveIndex(api, name, schema);
  const t = schema.fields[index]!.type;
  if (isVectorType(t)) return { index, isArray: false };
  if (arrow.DataType.isList(t) && isNumericType(t.children[0]!.type)) return { index, isArray: true };
  throw Errors.schema(`${api}: column ${name} (featuresCol) must be a vector or an array of numbers (array<double> or array<float>), but is ${sparkTypeName(t)}`);
}

const sizeMismatch = (size: number, dim: number) => `has ${size} features, but earlier rows have ${dim}; all feature vectors must have one size`;

/**
 * The n x dim row-major features of column `name` of a batch (a view where the column is a
 * dense vector column), or the first bad row: null, a size other than the first row's (or a
 * null element), an empty vector, a non-finite value, or failing `checks`. As `readWeights`: the
 * first null row and the first row of another shape before it are found first, and the native
 * check runs on the rows before both, so the lowest bad row is named whatever check it fails.
 * `dim` is the first row's size either way (−1 when the first row is null or there are no rows),
 * for callers that compare it with other partitions or a model.
 */
export function readFeatures(batch: arrow.RecordBatch, name: string, isArray: boolean, checks: RowChecks): { x: Float64Array; dim: number } | { bad: BadRow; dim: number } {
  const what = `column ${name}`;
  const d = batch.data.children[resolveIndex('features', name, batch.schema)]! as AnyData;
  const n = d.length;
  let nullAt = n;
  if (d.nullCount > 0) for (let i = 0; i < n && nullAt === n; i++) if (!isValidAt(d, i)) nullAt = i;
  if (nullAt === 0) return { bad: { row: 0, what, why: 'is null; every row needs a feature vector' }, dim: -1 };
  if (n === 0) return { x: new Float64Array(0), dim: isDenseVectorType(d.type) ? d.type.listSize : -1 };
  // dim: the first row's size; shape: the first row before nullAt of another size, or with a null element
  let dim: number;
  let shape: BadRow | null = null;
  /** The row-major values of rows [0, m), every one of size dim. */
  let values: (m: number) => Float64Array;
  if (isDenseVectorType(d.type)) {
    dim = d.type.listSize;
    values = (m) => denseVectorValues(d, dim).values.subarray(0, m * dim);
  } else if (isArray) {
    const off = d.valueOffsets as Int32Array;
    const start = off[0]!;
    const elems = (d.children[0]! as AnyData).slice(start, off[n]! - start) as AnyData;
    const dd = arrow.DataType.isFloat(elems.type) && elems.type.precision === arrow.Precision.DOUBLE ? elems : castColumn('features', elems, Types.double());
    dim = off[1]! - off[0]!;
    for (let i = 0; i < nullAt && shape === null; i++) {
      const len = off[i + 1]! - off[i]!;
      if (len !== dim) shape = { row: i, what, why: sizeMismatch(len, dim) };
      for (let k = off[i]! - start; k < off[i + 1]! - start && shape === null; k++) {
        if (!isValidAt(dd, k)) shape = { row: i, what, why: `has a null element at index ${k - (off[i]! - start)}` };
      }
    }
    values = (m) => (numericValues(dd) as Float64Array).subarray(0, m * dim);
  } else {
    dim = vectorSizeAt(d, 0);
    for (let i = 1; i < nullAt && shape === null; i++) {
      const size = vectorSizeAt(d, i);
      if (size !== dim) shape = { row: i, what, why: sizeMismatch(size, dim) };
    }
    values = (m) => denseVectorValues(m === n ? d : (d.slice(0, m) as AnyData), dim).values;
  }
  if (dim === 0) return { bad: { row: 0, what, why: 'is an empty vector; features need at least one dimension' }, dim };
  const end = Math.min(nullAt, shape?.row ?? n);
  const x = values(end);
  const bad = firstBadRowRaw(x, dim, checks);
  if (bad >= 0) return { bad: { row: bad, what, why: explainRow(x, dim, bad, checks) }, dim };
  if (shape !== null) return { bad: shape, dim };
  if (nullAt < n) return { bad: { row: nullAt, what, why: 'is null; every row needs a feature vector' }, dim };
  return { x, dim };
}

/** Spark's checkNonNegativeWeights over a numeric column of a batch: the weights as doubles, or the first bad one. */
export function readWeights(batch: arrow.RecordBatch, name: string): { w: Float64Array } | { bad: BadRow } {
  const what = `weight column ${name}`;
  const d = batch.data.children[resolveIndex('weightCol', name, batch.schema)]! as AnyData;
  const dd = arrow.DataType.isFloat(d.type) && d.type.precision === arrow.Precision.DOUBLE ? d : castColumn('weightCol', d, Types.double());
  const w = (numericValues(dd) as Float64Array).subarray(0, dd.length);
  let nullAt = -1;
  if (dd.nullCount > 0) for (let i = 0; i < dd.length && nullAt < 0; i++) if (!isValidAt(dd, i)) nullAt = i;
  let bad = firstBadWeightF64Raw(nullAt >= 0 ? w.subarray(0, nullAt) : w);
  if (bad < 0 && nullAt >= 0) bad = nullAt;
  if (bad < 0) return { w };
  const v = w[bad]!;
  if (bad === nullAt || Number.isNaN(v)) return { bad: { row: bad, what, why: 'is null or NaN: Weights MUST NOT be Null or NaN' } };
  return { bad: { row: bad, what, why: `is ${v}: Weights MUST NOT be Negative or Infinity` } };
}

/**
 * What a fit asks of its labels (Spark's checkClassificationLabels / checkRegressionLabels):
 * 'regression' — finite; 'classification' — an integer in [0, numClasses) (numClasses from the
 * label column's metadata, else unbounded until the driver infers it from the largest label).
 */
export interface LabelSpec {
  kind: 'classification' | 'regression';
  numClasses?: number;
  /** Where numClasses comes from, for the error ("from the column's metadata", "the last of layers"). */
  numClassesFrom?: string;
}

/** The labels of a numeric column of a batch as doubles, or the first bad one, with Spark's messages. */
export function readLabels(batch: arrow.RecordBatch, name: string, spec: LabelSpec): { y: Float64Array } | { bad: BadRow } {
  const what = `label column ${name}`;
  const d = batch.data.children[resolveIndex('labelCol', name, batch.schema)]! as AnyData;
  const dd = arrow.DataType.isFloat(d.type) && d.type.precision === arrow.Precision.DOUBLE ? d : castColumn('labelCol', d, Types.double());
  const y = (numericValues(dd) as Float64Array).subarray(0, dd.length);
  const hasNulls = dd.nullCount > 0;
  const classes = spec.kind === 'classification' ? spec.numClasses ?? Infinity : 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (hasNulls && !isValidAt(dd, i)) return { bad: { row: i, what, why: 'is null: Labels MUST NOT be Null or NaN' } };
    if (Number.isNaN(v)) return { bad: { row: i, what, why: 'is NaN: Labels MUST NOT be Null or NaN' } };
    if (spec.kind === 'regression') {
      if (!Number.isFinite(v)) return { bad: { row: i, what, why: `is ${v}: Labels MUST NOT be Infinity` } };
    } else if (!(v >= 0 && v < classes && Number.isInteger(v))) {
      const range = classes === Infinity ? '0, 1, 2, …' : `[0, ${classes}) (numClasses = ${classes}, ${spec.numClassesFrom ?? "from the column's metadata"})`;
      return { bad: { row: i, what, why: `is ${v}: a classifier's labels must be integers in ${range}; index string labels with StringIndexer` } };
    }
  }
  return { y };
}
