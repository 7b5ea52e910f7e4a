/**
 * LDA's models in Spark's saved layout (docs/formats/SPARK_MODEL_FORMAT.md); lda.ts registers
 * the three classes with these writers and readers:
 *   LDA                  metadata only ('org.apache.spark.ml.clustering.LDA').
 *   LocalLDAModel        metadata + data/: one row (vocabSize int, topicsMatrix MatrixUDT (dense,
 *                        column-major, isTransposed false; Spark itself writes λᵀ as a
 *                        transposed view — both read the same), docConcentration VectorUDT,
 *                        topicConcentration double, gammaShape double).
 *   DistributedLDAModel  metadata + oldModel/ in spark.mllib's DistributedLDAModel format 1.0:
 *                        oldModel/metadata (one JSON line: class, version "1.0", k, vocabSize,
 *                        docConcentration, topicConcentration, iterationTimes, gammaShape),
 *                        oldModel/data/globalTopicTotals (globalTopicTotals Vector),
 *                        oldModel/data/topicCounts (id long, topicWeights Vector: documents at
 *                        id = row, terms at id = −(1 + term)), oldModel/data/tokenCounts (srcId,
 *                        dstId long, tokenCounts double); vectors there carry mllib's VectorUDT,
 *                        as Spark's loader checks.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { fromValues, makeBatch, makePrimitive, valueAt, type AnyData } from '../../src/dataframe/batch.js';
import type { SessionLike } from '../../src/dataframe/dataframe.js';
import { Types } from '../../src/dataframe/types.js';
import { partFileName } from '../../src/io/dataset.js';
import { sparkSchemaJson, writeParquetPart } from '../../src/io/parquet/index.js';
import { Session } from '../../src/session.js';
import { vectorAt, vectorStructColumn } from '../linalg/columns.js';
import { DenseMatrix, SparseMatrix } from '../linalg/matrices.js';
import { DenseVector } from '../linalg/vectors.js';
import { SPARK_VERSION, parseSparkJson, readData, toSparkJson, writeData, writeMetadata, getAndSetParams, JsonDouble, type JsonKind, type Metadata, type ReadContext, type WriteContext } from '../persist.js';
import { GAMMA_SHAPE, type EmGraphState } from './lda-common.js';
import { DistributedLDAModel } from './lda-distributed-model.js';
import { LocalLDAModel } from './lda-model.js';

/** How each LDA param is written in Spark's metadata JSON. */
export const JSON_KINDS: Readonly<Record<string, JsonKind>> = {
  k: 'int',
  maxIter: 'int',
  checkpointInterval: 'int',
  seed: 'int',
  docConcentration: 'double',
  topicConcentration: 'double',
  learningOffset: 'double',
  learningDecay: 'double',
  subsamplingRate: 'double',
};

const MATRIX_TYPE = new arrow.Struct([
  new arrow.Field('type', new arrow.Int8(), false),
  new arrow.Field('numRows', new arrow.Int32(), false),
  new arrow.Field('numCols', new arrow.Int32(), false),
  new arrow.Field('colPtrs', new arrow.List(new arrow.Field('element', new arrow.Int32(), false)), true),
  new arrow.Field('rowIndices', new arrow.List(new arrow.Field('element', new arrow.Int32(), false)), true),
  new arrow.Field('values', new arrow.List(new arrow.Field('element', new arrow.Float64(), false)), true),
  new arrow.Field('isTransposed', new arrow.Bool(), false),
]);

function columnOf(api: string, table: arrow.Table, name: string, path: string): AnyData {
  const i = table.schema.fields.findIndex((f) => f.name === name);
  const batch = table.batches.find((b) => b.numRows > 0);
  if (i < 0 || !batch) throw Errors.load(`${api}: the model data at ${path} has no ${batch ? `column ${name}` : 'rows'}`);
  return batch.data.children[i]! as AnyData;
}

/** A saved MatrixUDT value as column-major values. */
function matrixValues(api: string, raw: unknown, path: string): { numRows: number; numCols: number; values: Float64Array } {
  const m = raw as { type: number; numRows: number; numCols: number; colPtrs: number[] | null; rowIndices: number[] | null; values: number[]; isTransposed: boolean } | null;
  if (!m || typeof m !== 'object') throw Errors.load(`${api}: topicsMatrix at ${path} is null`);
  const mat =
    Number(m.type) === 1
      ? new DenseMatrix(m.numRows, m.numCols, m.values, m.isTransposed)
      : new SparseMatrix(m.numRows, m.numCols, m.colPtrs ?? [], m.rowIndices ?? [], m.values, m.isTransposed);
  return { numRows: m.numRows, numCols: m.numCols, values: mat.toArray() };
}

export async function saveLocal(model: LocalLDAModel, path: string, ctx: WriteContext): Promise<void> {
  await writeMetadata(model, path, ctx);
  const s = model.getState();
  const schema = new arrow.Schema([
    new arrow.Field('vocabSize', Types.int(), false),
    new arrow.Field('topicsMatrix', MATRIX_TYPE, true),
    new arrow.Field('docConcentration', Types.vectorStruct(), true),
    new arrow.Field('topicConcentration', Types.double(), false),
    new arrow.Field('gammaShape', Types.double(), false),
  ]);
  const matrix = fromValues(MATRIX_TYPE, [{ type: 1, numRows: s.vocabSize, numCols: s.k, colPtrs: null, rowIndices: null, values: Array.from(s.lambda), isTransposed: false }]);
  const batch = makeBatch(schema, [
    makePrimitive(Types.int(), Int32Array.of(s.vocabSize), null) as AnyData,
    matrix,
    vectorStructColumn([new DenseVector(s.alpha)]),
    makePrimitive(Types.double(), Float64Array.of(s.eta), null) as AnyData,
    makePrimitive(Types.double(), Float64Array.of(s.gammaShape), null) as AnyData,
  ]);
  await writeData(path, { schema, batches: [batch] });
}

function modelSession(ctx: ReadContext): SessionLike | null {
  return ctx.session ?? Session.active;
}

export async function loadLocal(path: string, md: Metadata, ctx: ReadContext): Promise<LocalLDAModel> {
  const api = ctx.api;
  const table = await readData(path, 'data', api);
  const vocabSize = Number(valueAt(columnOf(api, table, 'vocabSize', path), 0));
  const m = matrixValues(api, valueAt(columnOf(api, table, 'topicsMatrix', path), 0), path);
  const alpha = vectorAt(columnOf(api, table, 'docConcentration', path), 0);
  const eta = Number(valueAt(columnOf(api, table, 'topicConcentration', path), 0));
  const gammaShape = Number(valueAt(columnOf(api, table, 'gammaShape', path), 0));
  if (m.numRows !== vocabSize) throw Errors.load(`${api}: topicsMatrix at ${path} has ${m.numRows} rows, but vocabSize is ${vocabSize}`);
  if (!alpha || alpha.size !== m.numCols) throw Errors.load(`${api}: docConcentration at ${path} has ${alpha?.size ?? 0} entries, but topicsMatrix has ${m.numCols} topics`);
  const model = new LocalLDAModel(undefined, md.uid, { k: m.numCols, vocabSize, lambda: m.values, alpha: alpha.toArray(), eta, gammaShape });
  getAndSetParams(model, md, { api });
  model.session = modelSession(ctx);
  return model;
}

const MLLIB_VECTOR_UDT = { class: 'org.apache.spark.mllib.linalg.VectorUDT', pyClass: 'pyspark.mllib.linalg.VectorUDT' };

/** Writes `<dir>/part-00000-….snappy.parquet` + _SUCCESS with mllib's VectorUDT in Spark's row metadata. */
async function writeMllibData(dir: string, schema: arrow.Schema, batch: arrow.RecordBatch): Promise<void> {
  await mkdir(dir, { recursive: true });
  const rowMetadata = sparkSchemaJson(schema).replaceAll('"org.apache.spark.ml.linalg.VectorUDT"', JSON.stringify(MLLIB_VECTOR_UDT.class)).replaceAll('"pyspark.ml.linalg.VectorUDT"', JSON.stringify(MLLIB_VECTOR_UDT.pyClass));
  await writeParquetPart(join(dir, partFileName(0, randomUUID(), '.snappy.parquet')), schema, batch.numRows > 0 ? [batch] : [], {
    kvMetadata: { 'org.apache.spark.sql.parquet.row.metadata': rowMetadata, 'org.apache.spark.version': SPARK_VERSION },
  });
  await writeFile(join(dir, '_SUCCESS'), '');
}

const MLLIB_DISTRIBUTED = 'org.apache.spark.mllib.clustering.DistributedLDAModel';

export async function saveDistributed(model: DistributedLDAModel, path: string, ctx: WriteContext): Promise<void> {
  await writeMetadata(model, path, ctx);
  const g = model.getGraph();
  const { k, vocabSize } = g;
  const old = join(path, 'oldModel');
  await mkdir(join(old, 'metadata'), { recursive: true });
  const meta = toSparkJson({
    class: MLLIB_DISTRIBUTED,
    version: '1.0',
    k,
    vocabSize,
    docConcentration: Array.from({ length: k }, () => new JsonDouble(g.alpha)),
    topicConcentration: new JsonDouble(g.eta),
    iterationTimes: g.iterationTimes.map((x) => new JsonDouble(x)),
    gammaShape: new JsonDouble(g.gammaShape),
  });
  await writeFile(join(old, 'metadata', 'part-00000'), `${meta}\n`);
  await writeFile(join(old, 'metadata', '_SUCCESS'), '');
  const data = join(old, 'data');
  // globalTopicTotals
  const gSchema = new arrow.Schema([new arrow.Field('globalTopicTotals', Types.vectorStruct(), true)]);
  await writeMllibData(join(data, 'globalTopicTotals'), gSchema, makeBatch(gSchema, [vectorStructColumn([new DenseVector(g.topicTotals)])]));
  // topicCounts: document vertices (id = row), then term vertices (id = −(1 + term))
  const ids: bigint[] = [];
  const vectors: DenseVector[] = [];
  for (let j = 0; j < g.docIds.length; j++) {
    ids.push(g.docIds[j]!);
    vectors.push(new DenseVector(g.docTopic.subarray(j * k, (j + 1) * k)));
  }
  for (let w = 0; w < vocabSize; w++) {
    if (!g.termPresent[w]) continue;
    ids.push(-BigInt(w + 1));
    vectors.push(new DenseVector(g.termTopic.subarray(w * k, (w + 1) * k)));
  }
  const vSchema = new arrow.Schema([new arrow.Field('id', Types.bigint(), false), new arrow.Field('topicWeights', Types.vectorStruct(), true)]);
  await writeMllibData(join(data, 'topicCounts'), vSchema, makeBatch(vSchema, [makePrimitive(Types.bigint(), BigInt64Array.from(ids), null) as AnyData, vectorStructColumn(vectors)], ids.length));
  // tokenCounts: one edge per (document, term)
  const m = g.terms.length;
  const src = new BigInt64Array(m);
  const dst = new BigInt64Array(m);
  for (let j = 0; j < g.docIds.length; j++) {
    for (let e = g.indptr[j]!; e < g.indptr[j + 1]!; e++) {
      src[e] = g.docIds[j]!;
      dst[e] = -BigInt(g.terms[e]! + 1);
    }
  }
  const eSchema = new arrow.Schema([new arrow.Field('srcId', Types.bigint(), false), new arrow.Field('dstId', Types.bigint(), false), new arrow.Field('tokenCounts', Types.double(), false)]);
  await writeMllibData(
    join(data, 'tokenCounts'),
    eSchema,
    makeBatch(eSchema, [makePrimitive(Types.bigint(), src, null) as AnyData, makePrimitive(Types.bigint(), dst, null) as AnyData, makePrimitive(Types.double(), g.counts.slice(), null) as AnyData], m),
  );
}

function rowsOf(table: arrow.Table): arrow.RecordBatch[] {
  return table.batches.filter((b) => b.numRows > 0);
}

function bigintAt(d: AnyData, i: number): bigint {
  const v = valueAt(d, i);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw Errors.load(`expected an integer id, got ${String(v)}`);
}

export async function loadDistributed(path: string, md: Metadata, ctx: ReadContext): Promise<DistributedLDAModel> {
  const api = ctx.api;
  const old = join(path, 'oldModel');
  let names: string[];
  try {
    names = (await readdir(join(old, 'metadata'))).filter((n) => !n.startsWith('_') && !n.startsWith('.')).sort();
  } catch (e) {
    throw Errors.load(`${api}: the saved DistributedLDAModel at ${path} has no oldModel/metadata`, e);
  }
  if (names.length === 0) throw Errors.load(`${api}: no metadata file in ${join(old, 'metadata')}`);
  const line = (await readFile(join(old, 'metadata', names[0]!), 'utf8')).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const meta = parseSparkJson(line) as Record<string, unknown>;
  if (meta.class !== MLLIB_DISTRIBUTED || meta.version !== '1.0') {
    throw Errors.load(`${api}: DistributedLDAModel.load did not recognize model with (className, format version):(${String(meta.class)}, ${String(meta.version)}).  Supported: (${MLLIB_DISTRIBUTED}, 1.0)`);
  }
  const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v === 'NaN' ? NaN : Number(v));
  const k = num(meta.k);
  const vocabSize = num(meta.vocabSize);
  const dc = (meta.docConcentration as unknown[]).map(num);
  const eta = num(meta.topicConcentration);
  const iterationTimes = ((meta.iterationTimes as unknown[]) ?? []).map(num);
  const gammaShape = meta.gammaShape === undefined ? GAMMA_SHAPE : num(meta.gammaShape);
  const data = join(old, 'data');
  const totalsTable = await readData(data, 'globalTopicTotals', api);
  const totals = vectorAt(columnOf(api, totalsTable, 'globalTopicTotals', path), 0);
  if (!totals || totals.size !== k) throw Errors.load(`${api}: globalTopicTotals at ${path} has ${totals?.size ?? 0} topics, the metadata says k = ${k}`);
  // vertices
  const docRows = new Map<bigint, Float64Array>();
  const termTopic = new Float64Array(vocabSize * k);
  const termPresent = new Uint8Array(vocabSize);
  for (const b of rowsOf(await readData(data, 'topicCounts', api))) {
    const idCol = b.data.children[b.schema.fields.findIndex((f) => f.name === 'id')]! as AnyData;
    const wCol = b.data.children[b.schema.fields.findIndex((f) => f.name === 'topicWeights')]! as AnyData;
    for (let i = 0; i < b.numRows; i++) {
      const id = bigintAt(idCol, i);
      const v = vectorAt(wCol, i)!.toArray();
      if (id >= 0n) docRows.set(id, v);
      else {
        const w = Number(-id - 1n);
        if (w >= vocabSize) throw Errors.load(`${api}: term vertex ${id} at ${path} is outside vocabSize ${vocabSize}`);
        termTopic.set(v, w * k);
        termPresent[w] = 1;
      }
    }
  }
  // edges, grouped by document id
  const edges = new Map<bigint, Array<[number, number]>>();
  for (const b of rowsOf(await readData(data, 'tokenCounts', api))) {
    const col = (n: string) => b.data.children[b.schema.fields.findIndex((f) => f.name === n)]! as AnyData;
    const s = col('srcId');
    const d = col('dstId');
    const c = col('tokenCounts');
    for (let i = 0; i < b.numRows; i++) {
      const id = bigintAt(s, i);
      const list = edges.get(id) ?? [];
      list.push([Number(-bigintAt(d, i) - 1n), Number(valueAt(c, i))]);
      edges.set(id, list);
    }
  }
  const docIds = [...docRows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const indptr = new Int32Array(docIds.length + 1);
  const terms: number[] = [];
  const counts: number[] = [];
  const docTopic = new Float64Array(docIds.length * k);
  docIds.forEach((id, j) => {
    docTopic.set(docRows.get(id)!, j * k);
    for (const [w, n] of (edges.get(id) ?? []).sort((a, b) => a[0] - b[0])) {
      terms.push(w);
      counts.push(n);
    }
    indptr[j + 1] = terms.length;
  });
  const graph: EmGraphState = {
    k,
    vocabSize,
    docIds: BigInt64Array.from(docIds),
    indptr,
    terms: Int32Array.from(terms),
    counts: Float64Array.from(counts),
    docTopic,
    termTopic,
    termPresent,
    topicTotals: totals.toArray(),
    alpha: dc[0] ?? 50 / k + 1,
    eta,
    gammaShape,
    iterationTimes,
  };
  const model = new DistributedLDAModel(undefined, md.uid, graph);
  getAndSetParams(model, md, { api });
  model.session = modelSession(ctx);
  return model;
}
