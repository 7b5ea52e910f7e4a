/**
 * What KMeans and BisectingKMeans share:
 *   - the features column rules (Spark's validateVectorCompatibleColumn: a vector column, dense
 *     or VectorUDT struct, or an array of numbers) and the prediction column they append (int,
 *     refused when it exists);
 *   - `readTrainingData`: every partition's features as one row-major Float64Array (plus the
 *     weights), checked once on the driver — a null row, a non-finite value, vectors of
 *     different sizes, a zero vector under the cosine measure, a bad weight, or an empty
 *     DataFrame fail naming the column and the row (rows count from 0 over the whole DataFrame
 *     in partition order). For a `local[N]` session the arrays live in SharedArrayBuffers, so
 *     every iteration's tasks reach the worker threads without a copy (Spark's cached input; a
 *     dense vector column already backed by a SharedArrayBuffer is used in place);
 *   - `transformWithPredictions`: the lazy transform that appends the int prediction column;
 *   - the random streams: `JavaRandom` (java.util.Random, bit for bit: Spark's LocalKMeans and
 *     BisectingKMeans draw from it) and `uniformAt` (a counter-based uniform of (seed, step,
 *     row), so k-means|| samples the same points whatever the partitioning);
 *   - the distances Spark's two measures define and the `clusterIdx`/`clusterCenter` data table.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { castColumn, numericValues } from '../../src/dataframe/eval.js';
import { isNumericType, isVectorType, sparkTypeName, Types } from '../../src/dataframe/types.js';
import { checkNumeric, fieldOf, readWeights, weightColumnOf } from '../evaluation/common.js';
import { denseVectorColumn, denseVectorValues, isDenseVectorType, vectorAt, vectorSizeAt } from '../linalg/columns.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';

export type ClusteringDistance = 'euclidean' | 'cosine';

// ----- schema -----------------------------------------------------------------------------------

/** Spark's SchemaUtils.validateVectorCompatibleColumn: a vector column or an array of numbers. */
export function checkFeaturesColumn(api: string, schema: arrow.Schema, name: string): { index: number; isArray: boolean } {
  const { index, field } = fieldOf(api, schema, name);
  const t = field.type;
  if (isVectorType(t)) return { index, isArray: false };
  if (arrow.DataType.isList(t) && isNumericType(t.children[0]!.type)) return { index, isArray: true };
  throw Errors.schema(`${api}: column ${name} (featuresCol) must be a vector or an array of numbers (array<double> or array<float>), but is ${sparkTypeName(t)}`);
}

/** The schema with an int prediction column appended (Spark's SchemaUtils.appendColumn refuses an existing name). */
export function appendPredictionField(api: string, schema: arrow.Schema, name: string): arrow.Schema {
  if (schema.fields.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
    throw Errors.schema(`${api}: Column ${name} already exists (predictionCol); choose another predictionCol or drop the column first`);
  }
  return new arrow.Schema([...schema.fields, new arrow.Field(name, new arrow.Int32(), false)]);
}

/** fit's schema checks: features, an optional numeric weight column, and the prediction column. */
export function checkFitSchema(api: string, schema: arrow.Schema, featuresCol: string, predictionCol: string, weightCol: string | undefined): arrow.Schema {
  checkFeaturesColumn(api, schema, featuresCol);
  const w = weightColumnOf(weightCol);
  if (w !== null) checkNumeric(api, schema, 'weightCol', w);
  return appendPredictionField(api, schema, predictionCol);
}

// ----- features ---------------------------------------------------------------------------------

/** One partition of the training data: n x d row-major features and the weights (null: all 1). */
export interface FeaturePart {
  x: Float64Array;
  w: Float64Array | null;
  /** Global index of the first row. */
  rowBase: number;
  n: number;
}

export interface TrainingData {
  parts: FeaturePart[];
  d: number;
  n: number;
}

function sharedF64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(length, 1) * 8), 0, length);
}

/** Row-major features of one batch, each row checked (null, size). Returns a fresh array or a view. */
function batchFeatures(api: string, d: AnyData, name: string, isArray: boolean, rowBase: number, dim: number): { x: Float64Array; dim: number } {
  const n = d.length;
  if (d.nullCount > 0) for (let i = 0; i < n; i++) if (!isValidAt(d, i)) throw Errors.badRow(api, `column ${name}`, rowBase + i, 'is null; every row needs a feature vector');
  if (isDenseVectorType(d.type)) {
    const size = d.type.listSize;
    if (dim >= 0 && size !== dim) throw Errors.badRow(api, `column ${name}`, rowBase, `has ${size} features, but earlier rows have ${dim}; all feature vectors must have one size`);
    return { x: n === 0 ? new Float64Array(0) : denseVectorValues(d, size).values, dim: size };
  }
  if (isArray) {
    const off = d.valueOffsets as Int32Array;
    const child = d.children[0]! as AnyData;
    const start = off[0]!;
    const end = off[n]!;
    const elems = child.slice(start, end - start) as AnyData;
    const dd = arrow.DataType.isFloat(elems.type) && elems.type.precision === arrow.Precision.DOUBLE ? elems : castColumn(api, elems, Types.double());
    const vals = numericValues(dd) as Float64Array;
    for (let i = 0; i < n; i++) {
      const len = off[i + 1]! - off[i]!;
      if (dim < 0) dim = len;
      else if (len !== dim) throw Errors.badRow(api, `column ${name}`, rowBase + i, `has ${len} features, but earlier rows have ${dim}; all feature vectors must have one size`);
      for (let k = off[i]! - start; k < off[i + 1]! - start; k++) {
        if (!isValidAt(dd, k)) throw Errors.badRow(api, `column ${name}`, rowBase + i, `has a null element at index ${k - (off[i]! - start)}`);
      }
    }
    return { x: vals.length === n * Math.max(dim, 0) ? vals : vals.subarray(0, n * Math.max(dim, 0)), dim };
  }
  for (let i = 0; i < n; i++) {
    const size = vectorSizeAt(d, i);
    if (dim < 0) dim = size;
    else if (size !== dim) throw Errors.badRow(api, `column ${name}`, rowBase + i, `has ${size} features, but earlier rows have ${dim}; all feature vectors must have one size`);
  }
  if (n === 0) return { x: new Float64Array(0), dim };
  return { x: denseVectorValues(d, dim).values, dim };
}

/** Throws naming the first row of x that holds a non-finite value (or, for cosine, has zero norm). */
export function checkRows(api: string, name: string, x: Float64Array, d: number, rowBase: number, cosine: boolean): void {
  const n = x.length / d;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * d;
    for (let t = 0; t < d; t++) {
      const v = x[o + t]!;
      s += v * v;
      if (v - v !== 0) throw Errors.badRow(api, `column ${name}`, rowBase + i, `has a non-finite value (${v}) at index ${t}; features must be finite numbers`);
    }
    if (cosine && !(s > 0)) throw Errors.badRow(api, `column ${name}`, rowBase + i, 'is a zero vector, for which the cosine distance is undefined');
    if (s === Infinity) throw Errors.badRow(api, `column ${name}`, rowBase + i, 'has a squared norm that overflows to Infinity; rescale the features');
  }
}

/**
 * Reads and checks every partition (see the module comment). `shared` puts the arrays in
 * SharedArrayBuffers (for a worker pool). Fails on an empty DataFrame.
 */
export async function readTrainingData(
  api: string,
  df: DataFrame,
  featuresCol: string,
  weightCol: string | undefined,
  opts: { cosine: boolean; shared: boolean },
): Promise<TrainingData> {
  const schema = df.schema;
  const feat = checkFeaturesColumn(api, schema, featuresCol);
  const wName = weightColumnOf(weightCol);
  const wIdx = wName === null ? -1 : checkNumeric(api, schema, 'weightCol', wName);
  const batches = await df.partitions();
  const parts: FeaturePart[] = [];
  let dim = -1;
  let rowBase = 0;
  for (const b of batches) {
    const n = b.numRows;
    if (n === 0) continue;
    const got = batchFeatures(api, b.data.children[feat.index]! as AnyData, featuresCol, feat.isArray, rowBase, dim);
    dim = got.dim;
    if (dim === 0) throw Errors.badRow(api, `column ${featuresCol}`, rowBase, 'is an empty vector; features need at least one dimension');
    checkRows(api, featuresCol, got.x, dim, rowBase, opts.cosine);
    let x = got.x;
    if (opts.shared && !(x.buffer instanceof SharedArrayBuffer)) {
      x = sharedF64(got.x.length);
      x.set(got.x);
    }
    let w: Float64Array | null = null;
    if (wIdx >= 0) {
      const raw = readWeights(api, b.data.children[wIdx]! as AnyData, wName!, rowBase);
      w = opts.shared ? sharedF64(n) : new Float64Array(n);
      w.set(raw.subarray(0, n));
    }
    parts.push({ x, w, rowBase, n });
    rowBase += n;
  }
  if (rowBase === 0) throw Errors.schema(`${api}: the DataFrame has no rows (column ${featuresCol}); clustering needs at least one point`);
  return { parts, d: dim, n: rowBase };
}

/**
 * Task slices over the partitions: each partition, split into equal row ranges when there are
 * fewer partitions than `parallelism` (so a local[N] pool is kept busy). Slices are views of the
 * same (shared) buffers.
 */
export function taskSlices(data: TrainingData, parallelism: number): FeaturePart[] {
  const { parts, d } = data;
  const per = parts.length >= parallelism ? 1 : Math.ceil(parallelism / parts.length);
  if (per === 1) return parts;
  const out: FeaturePart[] = [];
  for (const p of parts) {
    for (let s = 0; s < per; s++) {
      const lo = Math.floor((s * p.n) / per);
      const hi = Math.floor(((s + 1) * p.n) / per);
      if (hi <= lo) continue;
      out.push({ x: p.x.subarray(lo * d, hi * d), w: p.w ? p.w.subarray(lo, hi) : null, rowBase: p.rowBase + lo, n: hi - lo });
    }
  }
  return out;
}

/** Row `i` (global) of the training data, copied. */
export function rowAt(data: TrainingData, i: number): Float64Array {
  for (const p of data.parts) {
    if (i < p.rowBase + p.n) return p.x.slice((i - p.rowBase) * data.d, (i - p.rowBase + 1) * data.d);
  }
  throw Errors.outOfRange('rowAt', 'row', `an index < ${data.n}`, i);
}

/** A vector argument (Vector or number[]) as a Float64Array of size d. */
export function pointOf(api: string, v: Vector | readonly number[] | Float64Array, d: number): Float64Array {
  let x: Float64Array;
  if (isVector(v)) x = Float64Array.from(v.toArray());
  else if (v instanceof Float64Array) x = v;
  else if (Array.isArray(v) && v.every((e) => typeof e === 'number')) x = Float64Array.from(v);
  else throw Errors.invalidArg(api, 'features', 'a Vector or an array of numbers', v);
  if (x.length !== d) throw Errors.outOfRange(api, 'features', `a vector of size ${d} (the model's number of features)`, `${x.length} features`);
  return x;
}

// ----- transform ------------------------------------------------------------------------------

/**
 * Appends the int prediction column, lazily, partition by partition: `predictRows(x, n, rowBase)`
 * receives the checked row-major features of a batch and returns the cluster of each row.
 */
export function transformWithPredictions(
  api: string,
  df: DataFrame,
  featuresCol: string,
  predictionCol: string,
  d: number,
  cosine: boolean,
  predictRows: (x: Float64Array, n: number, rowBase: number) => Int32Array,
): DataFrame {
  const schema = df.schema;
  const feat = checkFeaturesColumn(api, schema, featuresCol);
  const outSchema = appendPredictionField(api, schema, predictionCol);
  let rowBase = 0;
  return df.mapInArrow((b, partition) => {
    if (partition === 0) rowBase = 0;
    const n = b.numRows;
    let labels: Int32Array = new Int32Array(n);
    if (n > 0) {
      const got = batchFeatures(api, b.data.children[feat.index]! as AnyData, featuresCol, feat.isArray, rowBase, -1);
      if (got.dim !== d) throw Errors.badRow(api, `column ${featuresCol}`, rowBase, `has ${got.dim} features, but the model was fitted on ${d}`);
      checkRows(api, featuresCol, got.x, d, rowBase, cosine);
      labels = predictRows(got.x, n, rowBase);
    }
    rowBase += n;
    const pred = arrow.makeData({ type: new arrow.Int32(), length: n, data: labels, nullCount: 0 }) as AnyData;
    return makeBatch(outSchema, [...(b.data.children as AnyData[]), pred], n);
  }, outSchema);
}

// ----- distances (Spark's DistanceMeasure) ------------------------------------------------------

export function squaredDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const diff = a[ao + t]! - b[bo + t]!;
    s += diff * diff;
  }
  return s;
}

export function norm2(a: Float64Array, ao: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[ao + t]! * a[ao + t]!;
  return Math.sqrt(s);
}

/** 1 - a.b / (|a| |b|) (Spark's CosineDistanceMeasure.distance). */
export function cosineDistance(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let dot = 0;
  for (let t = 0; t < d; t++) dot += a[ao + t]! * b[bo + t]!;
  return 1 - dot / norm2(a, ao, d) / norm2(b, bo, d);
}

/** The point cost of a measure: squared Euclidean distance, or the cosine distance. */
export function costOf(measure: ClusteringDistance): (a: Float64Array, ao: number, b: Float64Array, bo: number, d: number) => number {
  return measure === 'cosine' ? cosineDistance : squaredDistance;
}

// ----- random streams -------------------------------------------------------------------------

const TWO24 = 16777216;

/** java.util.Random (the 48-bit LCG), bit for bit: next(bits), nextDouble(), nextInt(bound). */
export class JavaRandom {
  private hi: number;
  private lo: number;

  constructor(seed: number | bigint) {
    const s = BigInt.asUintN(48, BigInt(seed) ^ 0x5deece66dn);
    this.hi = Number(s >> 24n);
    this.lo = Number(s & 0xffffffn);
  }

  /** The next `bits` (<= 32) random bits, as Java's protected next(bits) (signed for bits = 32). */
  next(bits: number): number {
    // state = state * 0x5DEECE66D + 0xB mod 2^48, on two 24-bit halves (exact in doubles)
    const mh = 0x5de;
    const ml = 0xece66d;
    const p = this.lo * ml + 0xb;
    const lo = p % TWO24;
    const carry = Math.floor(p / TWO24);
    this.hi = (this.hi * ml + this.lo * mh + carry) % TWO24;
    this.lo = lo;
    const r = Math.floor((this.hi * TWO24 + this.lo) / 2 ** (48 - bits));
    return bits === 32 ? r | 0 : r;
  }

  nextDouble(): number {
    return (this.next(26) * 134217728 + this.next(27)) / 9007199254740992;
  }

  nextInt(bound: number): number {
    if (!(Number.isInteger(bound) && bound > 0 && bound <= 0x7fffffff)) throw Errors.outOfRange('JavaRandom.nextInt', 'bound', 'an integer in [1, 2^31)', bound);
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Math.floor((bound * r) / 2147483648); // exact: bound is a power of two
    for (let u = r; u - (r = u % bound) + m >= 2 ** 31; u = this.next(31));
    return r;
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A uniform double in [0, 1) that depends only on (seed, step, row): two rounds of MurmurHash3's
 * finaliser over the inputs, 53 bits. Partition-independent, unlike Spark's per-partition
 * XORShiftRandom streams.
 */
export function uniformAt(seed: number, step: number, row: number): number {
  const s0 = seed | 0;
  const s1 = Math.floor(seed / 4294967296) | 0;
  const rlo = row >>> 0;
  const rhi = Math.floor(row / 4294967296) >>> 0;
  const a = fmix32(fmix32(s0 ^ Math.imul(step + 1, 0x9e3779b9)) ^ fmix32(rlo + 0x7f4a7c15) ^ Math.imul(rhi, 0x27d4eb2f));
  const b = fmix32(a ^ fmix32(s1 ^ 0x165667b1) ^ Math.imul(rlo, 0x85ebca77));
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

// ----- data/ tables ---------------------------------------------------------------------------

/** Spark's KMeansModel data: clusterIdx int (not null) and clusterCenter vector, one row per centre. */
export function centersTable(centers: Float64Array, d: number): arrow.Table {
  const k = centers.length / d;
  const idx = arrow.makeData({ type: new arrow.Int32(), length: k, data: Int32Array.from({ length: k }, (_, i) => i), nullCount: 0 });
  const ctr = denseVectorColumn(centers.slice(), d);
  const schema = new arrow.Schema([new arrow.Field('clusterIdx', new arrow.Int32(), false), new arrow.Field('clusterCenter', ctr.type, true)]);
  return new arrow.Table(schema, [makeBatch(schema, [idx as AnyData, ctr], k)]);
}

/**
 * Centres from a KMeansModel data table: Spark 2.x/3.x rows (clusterIdx, clusterCenter), ordered
 * by clusterIdx; or the Spark 1.6 layout, one row with an array `clusterCenters`.
 */
export function centersFromTable(api: string, table: arrow.Table, path: string): { centers: Float64Array; d: number } {
  const vectors: Vector[] = [];
  const names = table.schema.fields.map((f) => f.name);
  if (names.includes('clusterIdx') && names.includes('clusterCenter')) {
    const rows: Array<[number, Vector]> = [];
    for (const b of table.batches) {
      const ix = b.getChild('clusterIdx')!.data[0]! as AnyData;
      const cc = b.getChild('clusterCenter')!.data[0]! as AnyData;
      const ixv = numericValues(arrow.DataType.isInt(ix.type) && ix.type.bitWidth === 32 ? ix : castColumn(api, ix, Types.int())) as Int32Array;
      for (let i = 0; i < b.numRows; i++) {
        const v = vectorAt(cc, i);
        if (v === null || !isValidAt(ix, i)) throw Errors.load(`${api}: the saved model at ${path} has a null cluster centre or index in data/ row ${i}`);
        rows.push([ixv[i]!, v]);
      }
    }
    rows.sort((a, b) => a[0] - b[0]);
    rows.forEach(([i], r) => {
      if (i !== r) throw Errors.load(`${api}: the saved model at ${path} has clusterIdx values ${rows.map((x) => x[0]).join(', ')}; expected 0..${rows.length - 1}`);
    });
    for (const [, v] of rows) vectors.push(v);
  } else if (names.includes('clusterCenters')) {
    const col = table.getChild('clusterCenters')!;
    const list = col.get(0) as arrow.Vector | null;
    if (!list) throw Errors.load(`${api}: the saved model at ${path} has no clusterCenters value`);
    const d = list.data[0]! as AnyData;
    for (let i = 0; i < d.length; i++) {
      const v = vectorAt(d, i);
      if (!v) throw Errors.load(`${api}: the saved model at ${path} has a null cluster centre at ${i}`);
      vectors.push(v);
    }
  } else {
    throw Errors.load(`${api}: the saved model at ${path} has data/ columns [${names.join(', ')}]; expected clusterIdx and clusterCenter (Spark 2.x/3.x) or clusterCenters (Spark 1.6)`);
  }
  if (vectors.length === 0) throw Errors.load(`${api}: the saved model at ${path} has no cluster centres`);
  const d = vectors[0]!.size;
  const centers = new Float64Array(vectors.length * d);
  vectors.forEach((v, j) => {
    if (v.size !== d) throw Errors.load(`${api}: the saved model at ${path} has centres of sizes ${d} and ${v.size}`);
    centers.set(v.toArray(), j * d);
  });
  return { centers, d };
}

/** Centres (k x d row-major) as DenseVectors. */
export function centerVectors(centers: Float64Array, d: number): DenseVector[] {
  const out: DenseVector[] = [];
  for (let j = 0; j < centers.length / d; j++) out.push(new DenseVector(centers.slice(j * d, (j + 1) * d)));
  return out;
}
