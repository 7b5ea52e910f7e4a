/**
 * Spark's ml.linalg vectors: `DenseVector` (a Float64Array) and `SparseVector` (size, strictly
 * increasing Int32 indices, Float64 values), and the `Vectors` factory. Semantics follow
 * org.apache.spark.ml.linalg:
 *   - toString: `[1.0,2.0]` and `(4,[0,2],[1.0,3.0])` with Java's Double.toString digits;
 *   - equals compares size and the non-zero entries, so a dense and a sparse vector with the
 *     same entries are equal (as Spark's Vectors.equals);
 *   - numNonzeros counts entries != 0.0 (NaN counts); `compressed` picks the smaller storage:
 *     sparse when 1.5 * (nnz + 1) < size, else dense;
 *   - norm(p) needs p >= 1 (1, 2, Infinity or a general p); sqdist/dot need equal sizes.
 * `DenseVector.toArray()` returns the backing array itself, as Spark does (no copy).
 */
import { inspect } from 'node:util';
import { Errors } from '../../src/errors.js';
import { formatFloat, formatFloatList } from './repr.js';
import { javaDoubleString } from '../../src/io/text-common/java-format.js';

export type Vector = DenseVector | SparseVector;

function toFloat64(api: string, name: string, values: ArrayLike<number>): Float64Array {
  if (values instanceof Float64Array) return values;
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number') {
    throw Errors.invalidArg(api, name, 'an array of numbers', values);
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw Errors.invalidArg(api, `${name}[${i}]`, 'a number', v);
    out[i] = v;
  }
  return out;
}

function checkIndex(api: string, i: number, size: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= size) throw Errors.outOfRange(api, 'index', `an integer in [0, ${size})`, i);
}

/** A vector, or a plain array of numbers read as a dense vector (PySpark's _convert_to_vector). */
export type VectorLike = Vector | ArrayLike<number>;

function asVector(api: string, v: VectorLike): Vector {
  if (isVector(v)) return v;
  if (v !== null && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number') return new DenseVector(toFloat64(api, 'other', v));
  throw Errors.invalidArg(api, 'other', 'a DenseVector, SparseVector or an array of numbers', v);
}

/**
 * PySpark's DenseVector arithmetic (`v + u`, `v - 2`, `u / v`, `u % 2`, …): elementwise with a
 * number or a same-size vector or array, always a new DenseVector; `%` and floor division follow
 * Python (the sign of the divisor), as numpy does.
 */
function elementwise(api: string, a: DenseVector, other: number | VectorLike, op: (x: number, y: number) => number): DenseVector {
  const x = a.values;
  if (typeof other === 'number') return new DenseVector(Float64Array.from(x, (v) => op(v, other)));
  const b = asVector(api, other);
  if (b.size !== x.length) throw Errors.outOfRange(api, 'other.size', `the same size as this vector (${x.length})`, b.size);
  const y = b.toArray();
  return new DenseVector(Float64Array.from(x, (v, i) => op(v, y[i]!)));
}

const pyMod = (x: number, y: number): number => {
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
};

function checkSameSize(api: string, a: Vector, b: Vector): void {
  if (!isVector(b)) throw Errors.invalidArg(api, 'other', 'a DenseVector or SparseVector', b);
  if (a.size !== b.size) throw Errors.outOfRange(api, 'other.size', `the same size as this vector (${a.size})`, b.size);
}

/** True for DenseVector and SparseVector instances. */
export function isVector(v: unknown): v is Vector {
  return v instanceof DenseVector || v instanceof SparseVector;
}

export class DenseVector {
  readonly values: Float64Array;

  constructor(values: ArrayLike<number>) {
    this.values = toFloat64('DenseVector', 'values', values);
  }

  get size(): number {
    return this.values.length;
  }

  /** The backing array (not a copy), as Spark's DenseVector.toArray. */
  toArray(): Float64Array {
    return this.values;
  }

  /** Element i (Spark's apply). */
  apply(i: number): number {
    checkIndex('DenseVector.apply', i, this.values.length);
    return this.values[i]!;
  }

  get(i: number): number {
    return this.apply(i);
  }

  get numActives(): number {
    return this.values.length;
  }

  get numNonzeros(): number {
    let nnz = 0;
    for (const v of this.values) if (v !== 0) nnz++;
    return nnz;
  }

  /** Calls f(index, value) for every stored entry. */
  foreachActive(f: (i: number, v: number) => void): void {
    const vs = this.values;
    for (let i = 0; i < vs.length; i++) f(i, vs[i]!);
  }

  foreachNonZero(f: (i: number, v: number) => void): void {
    const vs = this.values;
    for (let i = 0; i < vs.length; i++) if (vs[i] !== 0) f(i, vs[i]!);
  }

  /** The dot product with a vector or a plain array of the same size. */
  dot(otherLike: VectorLike): number {
    const other = asVector('DenseVector.dot', otherLike);
    checkSameSize('DenseVector.dot', this, other);
    const a = this.values;
    if (other instanceof DenseVector) {
      const b = other.values;
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
      return s;
    }
    let s = 0;
    const idx = other.indices;
    const vs = other.values;
    for (let k = 0; k < idx.length; k++) s += a[idx[k]!]! * vs[k]!;
    return s;
  }

  norm(p: number): number {
    return Vectors.norm(this, p);
  }

  /** The squared Euclidean distance to a vector or a plain array of the same size. */
  squaredDistance(other: VectorLike): number {
    return Vectors.sqdist(this, asVector('squaredDistance', other));
  }

  /** PySpark's `v + other`: a new DenseVector (other: a number, or a same-size vector or array). */
  add(other: number | VectorLike): DenseVector {
    return elementwise('DenseVector.add', this, other, (x, y) => x + y);
  }

  /** PySpark's `v - other`. */
  subtract(other: number | VectorLike): DenseVector {
    return elementwise('DenseVector.subtract', this, other, (x, y) => x - y);
  }

  /** PySpark's `v * other` (elementwise). */
  multiply(other: number | VectorLike): DenseVector {
    return elementwise('DenseVector.multiply', this, other, (x, y) => x * y);
  }

  /** PySpark's `v / other` (elementwise). */
  divide(other: number | VectorLike): DenseVector {
    return elementwise('DenseVector.divide', this, other, (x, y) => x / y);
  }

  /** PySpark's `v // other` (floor division). */
  floorDivide(other: number | VectorLike): DenseVector {
    return elementwise('DenseVector.floorDivide', this, other, (x, y) => Math.floor(x / y));
  }

  /** PySpark's `v % other` (Python's modulo: the result has the divisor's sign). */
  mod(other: number | VectorLike): DenseVector {
    return elementwise('DenseVector.mod', this, other, pyMod);
  }

  /** PySpark's `other - v` (`2 - v`). */
  rsubtract(other: number | VectorLike): DenseVector {
    return elementwise('DenseVector.rsubtract', this, other, (x, y) => y - x);
  }

  /** PySpark's `other / v`. */
  rdivide(other: number | VectorLike): DenseVector {
    return elementwise('DenseVector.rdivide', this, other, (x, y) => y / x);
  }

  /** PySpark's `-v`. */
  negate(): DenseVector {
    return new DenseVector(Float64Array.from(this.values, (x) => -x));
  }

  /** Index of the largest value (the first one on ties), -1 for an empty vector. */
  argmax(): number {
    const vs = this.values;
    if (vs.length === 0) return -1;
    let best = 0;
    for (let i = 1; i < vs.length; i++) if (vs[i]! > vs[best]!) best = i;
    return best;
  }

  toDense(): DenseVector {
    return this;
  }

  toSparse(): SparseVector {
    const nnz = this.numNonzeros;
    const idx = new Int32Array(nnz);
    const vs = new Float64Array(nnz);
    let k = 0;
    this.foreachNonZero((i, v) => {
      idx[k] = i;
      vs[k++] = v;
    });
    return new SparseVector(this.size, idx, vs);
  }

  /** Dense or sparse, whichever Spark would store in fewer bytes. */
  get compressed(): Vector {
    return compress(this);
  }

  copy(): DenseVector {
    return new DenseVector(this.values.slice());
  }

  equals(other: unknown): boolean {
    return vectorsEqual(this, other);
  }

  toString(): string {
    return `[${Array.from(this.values, javaDoubleString).join(',')}]`;
  }

  /** PySpark's repr: `DenseVector([1.0, 2.5])` (console.log shows it). */
  [inspect.custom](): string {
    return `DenseVector([${formatFloatList(this.values, false)}])`;
  }

  /** Spark's Vector.toJson: {"type":1,"values":[…]}. */
  toJson(): string {
    return JSON.stringify({ type: 1, values: Array.from(this.values) });
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this.values[Symbol.iterator]();
  }
}

export class SparseVector {
  readonly size: number;
  readonly indices: Int32Array;
  readonly values: Float64Array;

  constructor(size: number, indices: ArrayLike<number>, values: ArrayLike<number>) {
    const api = 'SparseVector';
    if (!Number.isInteger(size) || size < 0 || size > 2147483647) throw Errors.outOfRange(api, 'size', 'an integer >= 0', size);
    const vs = toFloat64(api, 'values', values);
    let idx: Int32Array;
    if (indices instanceof Int32Array) idx = indices;
    else {
      if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') throw Errors.invalidArg(api, 'indices', 'an array of integers', indices);
      idx = new Int32Array(indices.length);
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k]!;
        if (!Number.isInteger(i)) throw Errors.invalidArg(api, `indices[${k}]`, 'an integer', i);
        idx[k] = i;
      }
    }
    if (idx.length !== vs.length) {
      throw Errors.outOfRange(api, 'values.length', `the number of indices (${idx.length}): sparse vectors need one value per index`, vs.length);
    }
    let prev = -1;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      if (i < 0) throw Errors.outOfRange(api, `indices[${k}]`, 'an index >= 0', i);
      if (i <= prev) throw Errors.outOfRange(api, `indices[${k}]`, `an index > ${prev} (indices must be strictly increasing)`, i);
      if (i >= size) throw Errors.outOfRange(api, `indices[${k}]`, `an index < size ${size}`, i);
      prev = i;
    }
    this.size = size;
    this.indices = idx;
    this.values = vs;
  }

  /** A dense copy of the entries. */
  toArray(): Float64Array {
    const out = new Float64Array(this.size);
    const idx = this.indices;
    const vs = this.values;
    for (let k = 0; k < idx.length; k++) out[idx[k]!] = vs[k]!;
    return out;
  }

  apply(i: number): number {
    checkIndex('SparseVector.apply', i, this.size);
    const idx = this.indices;
    let lo = 0;
    let hi = idx.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = idx[mid]!;
      if (m === i) return this.values[mid]!;
      if (m < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  get(i: number): number {
    return this.apply(i);
  }

  get numActives(): number {
    return this.values.length;
  }

  get numNonzeros(): number {
    let nnz = 0;
    for (const v of this.values) if (v !== 0) nnz++;
    return nnz;
  }

  foreachActive(f: (i: number, v: number) => void): void {
    const idx = this.indices;
    const vs = this.values;
    for (let k = 0; k < idx.length; k++) f(idx[k]!, vs[k]!);
  }

  foreachNonZero(f: (i: number, v: number) => void): void {
    const idx = this.indices;
    const vs = this.values;
    for (let k = 0; k < idx.length; k++) if (vs[k] !== 0) f(idx[k]!, vs[k]!);
  }

  /** The dot product with a vector or a plain array of the same size. */
  dot(otherLike: VectorLike): number {
    const other = asVector('SparseVector.dot', otherLike);
    checkSameSize('SparseVector.dot', this, other);
    if (other instanceof DenseVector) return other.dot(this);
    const ai = this.indices;
    const av = this.values;
    const bi = other.indices;
    const bv = other.values;
    let s = 0;
    let p = 0;
    let q = 0;
    while (p < ai.length && q < bi.length) {
      if (ai[p]! === bi[q]!) s += av[p++]! * bv[q++]!;
      else if (ai[p]! < bi[q]!) p++;
      else q++;
    }
    return s;
  }

  norm(p: number): number {
    return Vectors.norm(this, p);
  }

  /** The squared Euclidean distance to a vector or a plain array of the same size. */
  squaredDistance(other: VectorLike): number {
    return Vectors.sqdist(this, asVector('squaredDistance', other));
  }

  /** Index of the largest value (implicit zeros included; the first on ties), -1 when size is 0. */
  argmax(): number {
    if (this.size === 0) return -1;
    const dense = this.toArray();
    let best = 0;
    for (let i = 1; i < dense.length; i++) if (dense[i]! > dense[best]!) best = i;
    return best;
  }

  toDense(): DenseVector {
    return new DenseVector(this.toArray());
  }

  /** This vector without explicit zeros (itself when it has none). */
  toSparse(): SparseVector {
    const nnz = this.numNonzeros;
    if (nnz === this.values.length) return this;
    const idx = new Int32Array(nnz);
    const vs = new Float64Array(nnz);
    let k = 0;
    this.foreachNonZero((i, v) => {
      idx[k] = i;
      vs[k++] = v;
    });
    return new SparseVector(this.size, idx, vs);
  }

  get compressed(): Vector {
    return compress(this);
  }

  copy(): SparseVector {
    return new SparseVector(this.size, this.indices.slice(), this.values.slice());
  }

  equals(other: unknown): boolean {
    return vectorsEqual(this, other);
  }

  toString(): string {
    return `(${this.size},[${Array.from(this.indices).join(',')}],[${Array.from(this.values, javaDoubleString).join(',')}])`;
  }

  /** PySpark's repr: `SparseVector(4, {1: 1.0, 3: 5.5})`. */
  [inspect.custom](): string {
    return `SparseVector(${this.size}, {${Array.from(this.indices, (i, k) => `${i}: ${formatFloat(this.values[k]!)}`).join(', ')}})`;
  }

  /** Spark's Vector.toJson: {"type":0,"size":n,"indices":[…],"values":[…]}. */
  toJson(): string {
    return JSON.stringify({ type: 0, size: this.size, indices: Array.from(this.indices), values: Array.from(this.values) });
  }
}

function compress(v: Vector): Vector {
  const nnz = v.numNonzeros;
  // A dense vector needs 8 * size + 8 bytes, a sparse one 12 * nnz + 20 bytes (Spark's rule).
  return 1.5 * (nnz + 1.0) < v.size ? v.toSparse() : v.toDense();
}

function vectorsEqual(a: Vector, b: unknown): boolean {
  if (!isVector(b)) return false;
  if (a === b) return true;
  if (a.size !== b.size) return false;
  if (a instanceof DenseVector && b instanceof DenseVector) {
    const x = a.values;
    const y = b.values;
    for (let i = 0; i < x.length; i++) if (!(x[i] === y[i] || (Number.isNaN(x[i]!) && Number.isNaN(y[i]!)))) return false;
    return true;
  }
  // Compare the non-zero entries in index order (Spark's Vectors.equals).
  const nz = (v: Vector): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    v.foreachNonZero((i, x) => out.push([i, x]));
    return out;
  };
  const ea = nz(a);
  const eb = nz(b);
  if (ea.length !== eb.length) return false;
  for (let k = 0; k < ea.length; k++) {
    const [i, x] = ea[k]!;
    const [j, y] = eb[k]!;
    if (i !== j || !(x === y || (Number.isNaN(x) && Number.isNaN(y)))) return false;
  }
  return true;
}

function parseJsonVector(json: string): Vector {
  let o: unknown;
  try {
    o = JSON.parse(json);
  } catch (cause) {
    throw Errors.invalidArg('Vectors.fromJson', 'json', 'a JSON vector ({"type":1,"values":[…]} or {"type":0,"size":n,"indices":[…],"values":[…]})', json);
  }
  const r = o as { type?: number; size?: number; indices?: number[]; values?: number[] };
  if (r && r.type === 1 && Array.isArray(r.values)) return new DenseVector(r.values);
  if (r && r.type === 0 && Array.isArray(r.values) && Array.isArray(r.indices) && typeof r.size === 'number') return new SparseVector(r.size, r.indices, r.values);
  throw Errors.invalidArg('Vectors.fromJson', 'json', 'a JSON vector ({"type":1,"values":[…]} or {"type":0,"size":n,"indices":[…],"values":[…]})', json);
}

export const Vectors = {
  /** Vectors.dense([1, 2]) or Vectors.dense(1, 2). */
  dense(first: ArrayLike<number> | number, ...rest: number[]): DenseVector {
    if (typeof first === 'number') return new DenseVector([first, ...rest]);
    return new DenseVector(first);
  },

  /**
   * Vectors.sparse(size, indices, values), Vectors.sparse(size, [[i, v], …]) or
   * Vectors.sparse(size, { i: v }) (pairs are sorted by index; duplicates are refused).
   */
  sparse(size: number, indicesOrPairs: ArrayLike<number> | ReadonlyArray<readonly [number, number]> | Record<number, number>, values?: ArrayLike<number>): SparseVector {
    if (values !== undefined) return new SparseVector(size, indicesOrPairs as ArrayLike<number>, values);
    let pairs: Array<[number, number]>;
    if (Array.isArray(indicesOrPairs)) {
      pairs = (indicesOrPairs as unknown[]).map((p, k) => {
        if (!Array.isArray(p) || p.length !== 2) throw Errors.invalidArg('Vectors.sparse', `elements[${k}]`, 'an [index, value] pair', p);
        return [p[0] as number, p[1] as number];
      });
    } else if (indicesOrPairs !== null && typeof indicesOrPairs === 'object' && !ArrayBuffer.isView(indicesOrPairs)) {
      pairs = Object.entries(indicesOrPairs as Record<string, number>).map(([k, v]) => [Number(k), v]);
    } else throw Errors.invalidArg('Vectors.sparse', 'elements', 'indices and values, [index, value] pairs or { index: value }', indicesOrPairs);
    pairs.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < pairs.length; k++) {
      if (pairs[k]![0] === pairs[k - 1]![0]) throw Errors.invalidArg('Vectors.sparse', 'elements', 'distinct indices', pairs[k]![0]);
    }
    return new SparseVector(size, pairs.map((p) => p[0]), pairs.map((p) => p[1]));
  },

  zeros(size: number): DenseVector {
    if (!Number.isInteger(size) || size < 0) throw Errors.outOfRange('Vectors.zeros', 'size', 'an integer >= 0', size);
    return new DenseVector(new Float64Array(size));
  },

  /** The p-norm (p >= 1; Infinity for the max norm), over the stored values as Spark. */
  norm(v: Vector, p: number): number {
    if (!isVector(v)) throw Errors.invalidArg('Vectors.norm', 'vector', 'a DenseVector or SparseVector', v);
    if (typeof p !== 'number' || !(p >= 1)) throw Errors.outOfRange('Vectors.norm', 'p', 'a number >= 1', p);
    const vs = v.values;
    if (p === 1) {
      let s = 0;
      for (const x of vs) s += Math.abs(x);
      return s;
    }
    if (p === 2) {
      let s = 0;
      for (const x of vs) s += x * x;
      return Math.sqrt(s);
    }
    if (p === Infinity) {
      let m = 0;
      for (const x of vs) {
        const a = Math.abs(x);
        if (a > m || Number.isNaN(a)) m = a;
      }
      return m;
    }
    let s = 0;
    for (const x of vs) s += Math.pow(Math.abs(x), p);
    return Math.pow(s, 1 / p);
  },

  /** Squared Euclidean distance. */
  sqdist(a: Vector, b: Vector): number {
    if (!isVector(a)) throw Errors.invalidArg('Vectors.sqdist', 'v1', 'a DenseVector or SparseVector', a);
    checkSameSize('Vectors.sqdist', a, b);
    if (a instanceof DenseVector && b instanceof DenseVector) {
      const x = a.values;
      const y = b.values;
      let s = 0;
      for (let i = 0; i < x.length; i++) {
        const d = x[i]! - y[i]!;
        s += d * d;
      }
      return s;
    }
    if (a instanceof SparseVector && b instanceof SparseVector) {
      let s = 0;
      let p = 0;
      let q = 0;
      const ai = a.indices;
      const bi = b.indices;
      while (p < ai.length || q < bi.length) {
        let d: number;
        if (q >= bi.length || (p < ai.length && ai[p]! < bi[q]!)) d = a.values[p++]!;
        else if (p >= ai.length || bi[q]! < ai[p]!) d = -b.values[q++]!;
        else d = a.values[p++]! - b.values[q++]!;
        s += d * d;
      }
      return s;
    }
    const sp = (a instanceof SparseVector ? a : b) as SparseVector;
    const dn = (a instanceof DenseVector ? a : b) as DenseVector;
    const y = dn.values;
    let s = 0;
    let k = 0;
    for (let i = 0; i < y.length; i++) {
      let d: number;
      if (k < sp.indices.length && sp.indices[k] === i) d = sp.values[k++]! - y[i]!;
      else d = y[i]!;
      s += d * d;
    }
    return s;
  },

  /** PySpark's Vectors.squared_distance(v1, v2): vectors or plain arrays of the same size. */
  squaredDistance(a: VectorLike, b: VectorLike): number {
    return Vectors.sqdist(asVector('Vectors.squaredDistance', a), asVector('Vectors.squaredDistance', b));
  },

  /** PySpark's name of `squaredDistance`. */
  squared_distance(a: VectorLike, b: VectorLike): number {
    return Vectors.squaredDistance(a, b);
  },

  /** Parses Spark's Vector.toJson form. */
  fromJson(json: string): Vector {
    return parseJsonVector(json);
  },
};
