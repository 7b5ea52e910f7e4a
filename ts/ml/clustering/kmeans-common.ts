/**
 * What the clustering estimators share (kmeans, bisecting-kmeans, gaussian-mixture):
 *   - the fit schema rules: the features column (ml/data/features.ts, Spark's
 *     validateVectorCompatibleColumn), an optional numeric weight column, and the int prediction
 *     column they append (refused when it exists);
 *   - a point argument of `predict` / `computeCost` checked against the model's dimension;
 *   - the distances Spark's two measures define (docs/formats/SPARK_DEFINITIONS.md §9);
 *   - the random streams: `JavaRandom` (java.util.Random, bit for bit: Spark's LocalKMeans and
 *     BisectingKMeans draw from it) and `uniformAt` (a counter-based uniform of (seed, step,
 *     row), so k-means|| and takeSample pick the same rows whatever the partitioning);
 *   - the `clusterIdx`/`clusterCenter` data table of KMeansModel.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { isValidAt, makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { castColumn, numericValues } from '../../src/dataframe/eval.js';
import { Types } from '../../src/dataframe/types.js';
import { checkNumeric, weightColumnOf } from '../data/schema-checks.js';
import { checkFeaturesColumn } from '../data/features.js';
import { denseVectorColumn, vectorAt } from '../linalg/columns.js';
import { fmix32 } from '../../src/kernels/hash.js';
import { DenseVector, isVector, type Vector } from '../linalg/vectors.js';

export { checkFeaturesColumn };

export type ClusteringDistance = 'euclidean' | 'cosine';

// ----- schema -----------------------------------------------------------------------------------

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

// ----- points ---------------------------------------------------------------------------------

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

/** The native measure name of a Spark distance measure. */
export function nativeMeasure(m: ClusteringDistance): 'squaredEuclidean' | 'cosine' {
  return m === 'cosine' ? 'cosine' : 'squaredEuclidean';
}
