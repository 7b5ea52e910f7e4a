/**
 * GaussianMixtureModel's data in Spark's layout (docs/ARCHITECTURE.md, "Interoperability";
 * docs/formats/SPARK_MODEL_FORMAT.md): `data/` holds one row — `weights` array<double>, `mus`
 * array<vector>, `sigmas` array<matrix> — as Spark's writer, with the old spark.mllib VectorUDT /
 * MatrixUDT names (Spark's reader casts the elements to mllib types), dense covariances
 * column-major. Also the MatrixUDT struct column that `gaussiansDF` shows.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { boolAt, isValidAt, makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import { partFileName } from '../../src/io/dataset.js';
import { sparkSchemaJson, writeParquetPart } from '../../src/io/parquet/index.js';
import { packedSize, unpackUpper } from '../../src/kernels/gmm.js';
import { vectorAt, vectorStructColumn } from '../linalg/columns.js';
import { DenseMatrix, SparseMatrix } from '../linalg/matrices.js';
import { DenseVector, type Vector } from '../linalg/vectors.js';
import { SPARK_VERSION } from '../persist.js';
import { mixtureOf, type MixtureState } from './gmm-gaussian.js';

/** Spark's MatrixUDT struct type. */
function matrixStructType(): arrow.Struct {
  const ints = () => new arrow.List(new arrow.Field('element', new arrow.Int32(), false));
  return new arrow.Struct([
    new arrow.Field('type', new arrow.Int8(), false),
    new arrow.Field('numRows', new arrow.Int32(), false),
    new arrow.Field('numCols', new arrow.Int32(), false),
    new arrow.Field('colPtrs', ints(), true),
    new arrow.Field('rowIndices', ints(), true),
    new arrow.Field('values', new arrow.List(new arrow.Field('element', new arrow.Float64(), false)), true),
    new arrow.Field('isTransposed', new arrow.Bool(), false),
  ]);
}

/** Dense matrices as Spark's MatrixUDT struct rows (type 1, column-major values, colPtrs / rowIndices null). */
export function matrixStructColumn(ms: DenseMatrix[]): AnyData {
  const n = ms.length;
  const st = matrixStructType();
  const [fType, fRows, fCols, fPtrs, fIdx, fVals, fT] = st.children as arrow.Field[];
  const nullBits = new Uint8Array(Math.ceil(n / 8)); // all null (dense rows have no colPtrs / rowIndices)
  const emptyOffsets = new Int32Array(n + 1);
  const intList = (f: arrow.Field) =>
    arrow.makeData({ type: f.type as arrow.List, length: n, valueOffsets: emptyOffsets, child: arrow.makeData({ type: new arrow.Int32(), length: 0, data: new Int32Array(0), nullCount: 0 }), nullBitmap: nullBits, nullCount: n } as never);
  const offsets = new Int32Array(n + 1);
  ms.forEach((m, i) => (offsets[i + 1] = offsets[i]! + m.numRows * m.numCols));
  const values = new Float64Array(offsets[n]!);
  ms.forEach((m, i) => values.set(m.toArray(), offsets[i]!));
  const children = [
    arrow.makeData({ type: fType!.type as arrow.Int8, length: n, data: new Int8Array(n).fill(1), nullCount: 0 }),
    arrow.makeData({ type: fRows!.type as arrow.Int32, length: n, data: Int32Array.from(ms, (m) => m.numRows), nullCount: 0 }),
    arrow.makeData({ type: fCols!.type as arrow.Int32, length: n, data: Int32Array.from(ms, (m) => m.numCols), nullCount: 0 }),
    intList(fPtrs!),
    intList(fIdx!),
    arrow.makeData({ type: fVals!.type as arrow.List, length: n, valueOffsets: offsets, child: arrow.makeData({ type: new arrow.Float64(), length: values.length, data: values, nullCount: 0 }), nullCount: 0 } as never),
    arrow.makeData({ type: fT!.type as arrow.Bool, length: n, data: new Uint8Array(Math.ceil(n / 8)), nullCount: 0 }),
  ];
  return arrow.makeData({ type: st, length: n, children, nullCount: 0 } as never) as AnyData;
}

/** A one-row list column holding `child` (n elements). */
function listOf(child: AnyData, elementNullable: boolean): AnyData {
  const type = new arrow.List(new arrow.Field('element', child.type, elementNullable));
  return arrow.makeData({ type, length: 1, valueOffsets: Int32Array.of(0, child.length), child, nullCount: 0 } as never) as AnyData;
}

/** Spark's GaussianMixtureModel data: one row (weights array<double>, mus array<vector>, sigmas array<matrix>). */
export function gaussianMixtureTable(s: MixtureState): arrow.Table {
  const tri = packedSize(s.d);
  const weights = listOf(arrow.makeData({ type: new arrow.Float64(), length: s.k, data: s.weights.slice(), nullCount: 0 }) as AnyData, false);
  const mus = listOf(vectorStructColumn(Array.from({ length: s.k }, (_, j) => new DenseVector(s.means.slice(j * s.d, (j + 1) * s.d)))), true);
  const sigmas = listOf(matrixStructColumn(Array.from({ length: s.k }, (_, j) => new DenseMatrix(s.d, s.d, unpackUpper(s.covs.subarray(j * tri, (j + 1) * tri), s.d)))), true);
  const schema = new arrow.Schema([new arrow.Field('weights', weights.type, true), new arrow.Field('mus', mus.type, true), new arrow.Field('sigmas', sigmas.type, true)]);
  return new arrow.Table(schema, [makeBatch(schema, [weights, mus, sigmas], 1)]);
}

/** A matrix from a MatrixUDT struct row (dense or sparse, either orientation). */
function matrixAt(api: string, d: AnyData, i: number, path: string): DenseMatrix {
  const [ty, nr, nc, cp, ri, vl, tr] = d.children as AnyData[];
  const int = (c: AnyData) => numericValues(arrow.DataType.isInt(c.type) && c.type.bitWidth === 32 ? c : castColumn(api, c, Types.int())) as Int32Array;
  const listValues = (c: AnyData, f64: boolean): Float64Array | Int32Array => {
    const off = c.valueOffsets as Int32Array;
    const child = c.children[0]! as AnyData;
    const vals = f64 ? (numericValues(arrow.DataType.isFloat(child.type) ? child : castColumn(api, child, Types.double())) as Float64Array) : int(child);
    return vals.slice(off[i]!, off[i + 1]!);
  };
  const type = numericValues(ty!)[i] as number;
  const numRows = int(nr!)[i]!;
  const numCols = int(nc!)[i]!;
  const values = listValues(vl!, true) as Float64Array;
  const isTransposed = isValidAt(tr!, i) && boolAt(tr!, i);
  if (type === 1) return new DenseMatrix(numRows, numCols, values, isTransposed).toDense();
  if (!isValidAt(cp!, i) || !isValidAt(ri!, i)) throw Errors.load(`${api}: the saved model at ${path} has a sparse covariance without colPtrs / rowIndices`);
  return new SparseMatrix(numRows, numCols, listValues(cp!, false) as Int32Array, listValues(ri!, false) as Int32Array, values, isTransposed).toDense();
}

/** The mixture from Spark's data/ table. */
export function mixtureFromTable(api: string, table: arrow.Table, path: string): MixtureState {
  const names = table.schema.fields.map((f) => f.name);
  for (const n of ['weights', 'mus', 'sigmas']) {
    if (!names.includes(n)) throw Errors.load(`${api}: the saved model at ${path} has data/ columns [${names.join(', ')}]; expected weights, mus and sigmas`);
  }
  const batch = table.batches.find((b) => b.numRows > 0);
  if (!batch) throw Errors.load(`${api}: the saved model at ${path} has no data row`);
  const colOf = (n: string) => batch.data.children[batch.schema.fields.findIndex((f) => f.name === n)]! as AnyData;
  const elements = (c: AnyData, n: string): { child: AnyData; lo: number; hi: number } => {
    if (!isValidAt(c, 0)) throw Errors.load(`${api}: the saved model at ${path} has a null ${n}`);
    const off = c.valueOffsets as Int32Array;
    return { child: c.children[0]! as AnyData, lo: off[0]!, hi: off[1]! };
  };
  const w = elements(colOf('weights'), 'weights');
  const wv = numericValues(arrow.DataType.isFloat(w.child.type) ? w.child : castColumn(api, w.child, Types.double())) as Float64Array;
  const weights = Float64Array.from(wv.subarray(w.lo, w.hi));
  const mu = elements(colOf('mus'), 'mus');
  const sg = elements(colOf('sigmas'), 'sigmas');
  const k = weights.length;
  if (mu.hi - mu.lo !== k || sg.hi - sg.lo !== k) throw Errors.load(`${api}: the saved model at ${path} has ${k} weights, ${mu.hi - mu.lo} means and ${sg.hi - sg.lo} covariances; they must match`);
  const means: Vector[] = [];
  const covariances: DenseMatrix[] = [];
  for (let j = 0; j < k; j++) {
    const v = vectorAt(mu.child, mu.lo + j);
    if (v === null) throw Errors.load(`${api}: the saved model at ${path} has a null mean for component ${j}`);
    means.push(v);
    if (!isValidAt(sg.child, sg.lo + j)) throw Errors.load(`${api}: the saved model at ${path} has a null covariance for component ${j}`);
    covariances.push(matrixAt(api, sg.child, sg.lo + j, path));
  }
  try {
    return mixtureOf(api, 'data', { weights, means, covariances });
  } catch (e) {
    throw Errors.load(`${api}: the saved model at ${path} holds an invalid mixture: ${(e as Error).message}`, e);
  }
}

/** Writes `data/` as Spark does, with the spark.mllib UDT names Spark's GaussianMixtureModel reader expects. */
export async function writeMixtureData(path: string, s: MixtureState): Promise<void> {
  const table = gaussianMixtureTable(s);
  const rowMeta = sparkSchemaJson(table.schema)
    .replaceAll('"org.apache.spark.ml.linalg.', '"org.apache.spark.mllib.linalg.')
    .replaceAll('"pyspark.ml.linalg.', '"pyspark.mllib.linalg.');
  const dir = join(path, 'data');
  await mkdir(dir, { recursive: true });
  await writeParquetPart(join(dir, partFileName(0, randomUUID(), '.snappy.parquet')), table.schema, table.batches, {
    kvMetadata: { 'org.apache.spark.sql.parquet.row.metadata': rowMeta, 'org.apache.spark.version': SPARK_VERSION },
  });
  await writeFile(join(dir, '_SUCCESS'), '');
}

/** A dense matrix from row `i` of a MatrixUDT struct column (any of Spark's four forms): for other stages' model data (PCAModel's `pc`). */
export function matrixFromStruct(api: string, d: AnyData, i: number, path: string): DenseMatrix {
  return matrixAt(api, d, i, path);
}
