/**
 * Spark's ml.linalg matrices. Storage is column-major as in Spark:
 *   - `DenseMatrix(numRows, numCols, values, isTransposed = false)`: entry (i, j) is
 *     values[i + numRows * j], or values[j + numCols * i] when isTransposed (the row-major
 *     view a transpose() returns without copying);
 *   - `SparseMatrix(numRows, numCols, colPtrs, rowIndices, values, isTransposed = false)`:
 *     compressed sparse column (CSC); when isTransposed the same arrays are read as CSR
 *     (colPtrs are row pointers, rowIndices column indices). As in Spark, the indices within a
 *     column need not be sorted (Spark's own doc example lists rows 2 then 1).
 * `toArray()` is always column-major. toString renders rows as Spark (Breeze) does: each cell
 * left-aligned in a column as wide as its longest entry plus two spaces.
 */
import { inspect } from 'node:util';
import { Errors } from '../../src/errors.js';
import { formatFloatList, formatIntList } from './repr.js';
import { matrixString } from '../../src/dataframe/format.js';
import { javaDoubleString } from '../../src/io/text-common/java-format.js';
import { DenseVector, isVector, type Vector } from './vectors.js';

export type Matrix = DenseMatrix | SparseMatrix;

function checkDims(api: string, numRows: number, numCols: number): void {
  if (!Number.isInteger(numRows) || numRows < 0) throw Errors.outOfRange(api, 'numRows', 'an integer >= 0', numRows);
  if (!Number.isInteger(numCols) || numCols < 0) throw Errors.outOfRange(api, 'numCols', 'an integer >= 0', numCols);
}

function checkEntry(api: string, i: number, j: number, numRows: number, numCols: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= numRows) throw Errors.outOfRange(api, 'i', `a row index in [0, ${numRows})`, i);
  if (!Number.isInteger(j) || j < 0 || j >= numCols) throw Errors.outOfRange(api, 'j', `a column index in [0, ${numCols})`, j);
}

function f64(api: string, name: string, v: ArrayLike<number>): Float64Array {
  if (v instanceof Float64Array) return v;
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw Errors.invalidArg(api, name, 'an array of numbers', v);
  return Float64Array.from(v);
}

function i32(api: string, name: string, v: ArrayLike<number>): Int32Array {
  if (v instanceof Int32Array) return v;
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') throw Errors.invalidArg(api, name, 'an array of integers', v);
  const out = new Int32Array(v.length);
  for (let k = 0; k < v.length; k++) {
    if (!Number.isInteger(v[k])) throw Errors.invalidArg(api, `${name}[${k}]`, 'an integer', v[k]);
    out[k] = v[k]!;
  }
  return out;
}

function renderRows(m: Matrix): string {
  return matrixString(m.numRows, m.numCols, (i, j) => m.apply(i, j));
}

function multiplyVector(api: string, m: Matrix, v: Vector): DenseVector {
  if (!isVector(v)) throw Errors.invalidArg(api, 'vector', 'a DenseVector or SparseVector', v);
  if (v.size !== m.numCols) throw Errors.outOfRange(api, 'vector.size', `numCols (${m.numCols})`, v.size);
  const out = new Float64Array(m.numRows);
  v.foreachActive((j, x) => {
    if (x === 0) return;
    m.foreachActiveInColumn(j, (i, a) => {
      out[i]! += a * x;
    });
  });
  return new DenseVector(out);
}

export class DenseMatrix {
  readonly numRows: number;
  readonly numCols: number;
  readonly values: Float64Array;
  readonly isTransposed: boolean;

  constructor(numRows: number, numCols: number, values: ArrayLike<number>, isTransposed = false) {
    const api = 'DenseMatrix';
    checkDims(api, numRows, numCols);
    const vs = f64(api, 'values', values);
    if (vs.length !== numRows * numCols) throw Errors.outOfRange(api, 'values.length', `numRows * numCols = ${numRows * numCols}`, vs.length);
    this.numRows = numRows;
    this.numCols = numCols;
    this.values = vs;
    this.isTransposed = isTransposed === true;
  }

  /** Position of entry (i, j) in `values`. */
  index(i: number, j: number): number {
    return this.isTransposed ? j + this.numCols * i : i + this.numRows * j;
  }

  apply(i: number, j: number): number {
    checkEntry('DenseMatrix.apply', i, j, this.numRows, this.numCols);
    return this.values[this.index(i, j)]!;
  }

  get(i: number, j: number): number {
    return this.apply(i, j);
  }

  /** Column-major copy of the entries. */
  toArray(): Float64Array {
    if (!this.isTransposed) return this.values.slice();
    const out = new Float64Array(this.numRows * this.numCols);
    for (let j = 0; j < this.numCols; j++) for (let i = 0; i < this.numRows; i++) out[i + this.numRows * j] = this.values[j + this.numCols * i]!;
    return out;
  }

  /** Rows as arrays (convenience for tests and display). */
  toRows(): number[][] {
    return Array.from({ length: this.numRows }, (_, i) => Array.from({ length: this.numCols }, (_, j) => this.values[this.index(i, j)]!));
  }

  transpose(): DenseMatrix {
    return new DenseMatrix(this.numCols, this.numRows, this.values, !this.isTransposed);
  }

  foreachActiveInColumn(j: number, f: (i: number, v: number) => void): void {
    for (let i = 0; i < this.numRows; i++) f(i, this.values[this.index(i, j)]!);
  }

  foreachActive(f: (i: number, j: number, v: number) => void): void {
    for (let j = 0; j < this.numCols; j++) for (let i = 0; i < this.numRows; i++) f(i, j, this.values[this.index(i, j)]!);
  }

  get numNonzeros(): number {
    let n = 0;
    for (const v of this.values) if (v !== 0) n++;
    return n;
  }

  get numActives(): number {
    return this.values.length;
  }

  /** y = A x. */
  multiply(x: Vector): DenseVector;
  /** C = A B. */
  multiply(b: Matrix): DenseMatrix;
  multiply(x: Vector | Matrix): DenseVector | DenseMatrix {
    if (x instanceof DenseMatrix || x instanceof SparseMatrix) return multiplyMatrix('DenseMatrix.multiply', this, x);
    return multiplyVector('DenseMatrix.multiply', this, x);
  }

  toDense(): DenseMatrix {
    return this;
  }

  /** A CSC SparseMatrix of the non-zero entries. */
  toSparse(): SparseMatrix {
    const colPtrs = new Int32Array(this.numCols + 1);
    const rows: number[] = [];
    const vals: number[] = [];
    for (let j = 0; j < this.numCols; j++) {
      for (let i = 0; i < this.numRows; i++) {
        const v = this.values[this.index(i, j)]!;
        if (v !== 0) {
          rows.push(i);
          vals.push(v);
        }
      }
      colPtrs[j + 1] = rows.length;
    }
    return new SparseMatrix(this.numRows, this.numCols, colPtrs, rows, vals);
  }

  copy(): DenseMatrix {
    return new DenseMatrix(this.numRows, this.numCols, this.values.slice(), this.isTransposed);
  }

  equals(other: unknown): boolean {
    return matricesEqual(this, other);
  }

  toString(): string {
    return renderRows(this);
  }

  /** PySpark's repr: `DenseMatrix(2, 2, [1.0, 2.0, 3.0, 4.0], False)`. */
  [inspect.custom](): string {
    return `DenseMatrix(${this.numRows}, ${this.numCols}, [${formatFloatList(this.values)}], ${this.isTransposed ? 'True' : 'False'})`;
  }
}

export class SparseMatrix {
  readonly numRows: number;
  readonly numCols: number;
  readonly colPtrs: Int32Array;
  readonly rowIndices: Int32Array;
  readonly values: Float64Array;
  readonly isTransposed: boolean;
  /** Spark accepts unsorted row indices within a column (its doc example has them); lookups then scan. */
  private readonly sortedIndices: boolean;

  constructor(numRows: number, numCols: number, colPtrs: ArrayLike<number>, rowIndices: ArrayLike<number>, values: ArrayLike<number>, isTransposed = false) {
    const api = 'SparseMatrix';
    checkDims(api, numRows, numCols);
    const cp = i32(api, 'colPtrs', colPtrs);
    const ri = i32(api, 'rowIndices', rowIndices);
    const vs = f64(api, 'values', values);
    const major = isTransposed ? numRows : numCols;
    const minor = isTransposed ? numCols : numRows;
    if (cp.length !== major + 1) throw Errors.outOfRange(api, 'colPtrs.length', `${isTransposed ? 'numRows' : 'numCols'} + 1 = ${major + 1}`, cp.length);
    if (ri.length !== vs.length) throw Errors.outOfRange(api, 'rowIndices.length', `values.length (${vs.length})`, ri.length);
    if (cp[0] !== 0 || cp[major] !== vs.length) throw Errors.outOfRange(api, 'colPtrs', `pointers from 0 to values.length (${vs.length})`, Array.from(cp));
    let sorted = true;
    for (let c = 0; c < major; c++) {
      if (cp[c + 1]! < cp[c]!) throw Errors.outOfRange(api, `colPtrs[${c + 1}]`, `a pointer >= colPtrs[${c}] (${cp[c]})`, cp[c + 1]);
      let prev = -1;
      for (let k = cp[c]!; k < cp[c + 1]!; k++) {
        const r = ri[k]!;
        if (r < 0 || r >= minor) throw Errors.outOfRange(api, `rowIndices[${k}]`, `an index in [0, ${minor})`, r);
        if (r <= prev) sorted = false;
        prev = r;
      }
    }
    this.sortedIndices = sorted;
    this.numRows = numRows;
    this.numCols = numCols;
    this.colPtrs = cp;
    this.rowIndices = ri;
    this.values = vs;
    this.isTransposed = isTransposed === true;
  }

  /** A CSC matrix from (i, j, value) entries; duplicates are summed (Spark's fromCOO). */
  static fromCOO(numRows: number, numCols: number, entries: ReadonlyArray<readonly [number, number, number]>): SparseMatrix {
    checkDims('SparseMatrix.fromCOO', numRows, numCols);
    const sorted = entries.map((e, k) => {
      if (!Array.isArray(e) || e.length !== 3) throw Errors.invalidArg('SparseMatrix.fromCOO', `entries[${k}]`, 'an [i, j, value] triple', e);
      checkEntry('SparseMatrix.fromCOO', e[0], e[1], numRows, numCols);
      return e;
    }).slice().sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const colPtrs = new Int32Array(numCols + 1);
    const rows: number[] = [];
    const vals: number[] = [];
    let lastI = -1;
    let lastJ = -1;
    for (const [i, j, v] of sorted) {
      if (i === lastI && j === lastJ) vals[vals.length - 1]! += v;
      else {
        rows.push(i);
        vals.push(v);
        colPtrs[j + 1]!++;
        lastI = i;
        lastJ = j;
      }
    }
    for (let j = 0; j < numCols; j++) colPtrs[j + 1]! += colPtrs[j]!;
    return new SparseMatrix(numRows, numCols, colPtrs, rows, vals);
  }

  /** Position of entry (i, j) in `values`, or -1 when it is not stored. */
  index(i: number, j: number): number {
    const [major, minor] = this.isTransposed ? [i, j] : [j, i];
    let lo = this.colPtrs[major]!;
    let hi = this.colPtrs[major + 1]! - 1;
    if (!this.sortedIndices) {
      for (let k = lo; k <= hi; k++) if (this.rowIndices[k] === minor) return k;
      return -1;
    }
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.rowIndices[mid]!;
      if (r === minor) return mid;
      if (r < minor) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  apply(i: number, j: number): number {
    checkEntry('SparseMatrix.apply', i, j, this.numRows, this.numCols);
    const k = this.index(i, j);
    return k < 0 ? 0 : this.values[k]!;
  }

  get(i: number, j: number): number {
    return this.apply(i, j);
  }

  foreachActive(f: (i: number, j: number, v: number) => void): void {
    const major = this.isTransposed ? this.numRows : this.numCols;
    for (let c = 0; c < major; c++) {
      for (let k = this.colPtrs[c]!; k < this.colPtrs[c + 1]!; k++) {
        if (this.isTransposed) f(c, this.rowIndices[k]!, this.values[k]!);
        else f(this.rowIndices[k]!, c, this.values[k]!);
      }
    }
  }

  foreachActiveInColumn(j: number, f: (i: number, v: number) => void): void {
    if (!this.isTransposed) {
      for (let k = this.colPtrs[j]!; k < this.colPtrs[j + 1]!; k++) f(this.rowIndices[k]!, this.values[k]!);
      return;
    }
    for (let i = 0; i < this.numRows; i++) {
      const k = this.index(i, j);
      if (k >= 0) f(i, this.values[k]!);
    }
  }

  /** Column-major dense copy of the entries. */
  toArray(): Float64Array {
    const out = new Float64Array(this.numRows * this.numCols);
    this.foreachActive((i, j, v) => {
      out[i + this.numRows * j] = v;
    });
    return out;
  }

  toRows(): number[][] {
    return this.toDense().toRows();
  }

  transpose(): SparseMatrix {
    return new SparseMatrix(this.numCols, this.numRows, this.colPtrs, this.rowIndices, this.values, !this.isTransposed);
  }

  get numNonzeros(): number {
    let n = 0;
    for (const v of this.values) if (v !== 0) n++;
    return n;
  }

  get numActives(): number {
    return this.values.length;
  }

  multiply(x: Vector): DenseVector;
  multiply(b: Matrix): DenseMatrix;
  multiply(x: Vector | Matrix): DenseVector | DenseMatrix {
    if (x instanceof DenseMatrix || x instanceof SparseMatrix) return multiplyMatrix('SparseMatrix.multiply', this, x);
    return multiplyVector('SparseMatrix.multiply', this, x);
  }

  toDense(): DenseMatrix {
    return new DenseMatrix(this.numRows, this.numCols, this.toArray());
  }

  toSparse(): SparseMatrix {
    return this;
  }

  copy(): SparseMatrix {
    return new SparseMatrix(this.numRows, this.numCols, this.colPtrs.slice(), this.rowIndices.slice(), this.values.slice(), this.isTransposed);
  }

  equals(other: unknown): boolean {
    return matricesEqual(this, other);
  }

  /**
   * Spark's SparseMatrix.toString, Breeze's CSCMatrix.toString: `2 x 2 CSCMatrix`, then one line
   * `(i,j) v` per stored entry in column-major order (Java's Double.toString), at most 196 entries
   * (Breeze: terminalHeight 200 - 3 lines, less the header).
   */
  toString(): string {
    const lines = [`${this.numRows} x ${this.numCols} CSCMatrix`];
    const entries: Array<[number, number, number]> = [];
    this.foreachActive((i, j, v) => entries.push([i, j, v]));
    if (this.isTransposed) entries.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [i, j, v] of entries.slice(0, 196)) lines.push(`(${i},${j}) ${javaDoubleString(v)}`);
    return lines.join('\n');
  }

  /** PySpark's repr: `SparseMatrix(2, 2, [0, 1, 2], [0, 1], [1.0, 2.0], False)`. */
  [inspect.custom](): string {
    return `SparseMatrix(${this.numRows}, ${this.numCols}, [${formatIntList(this.colPtrs)}], [${formatIntList(this.rowIndices)}], [${formatFloatList(this.values)}], ${this.isTransposed ? 'True' : 'False'})`;
  }
}

function multiplyMatrix(api: string, a: Matrix, b: Matrix): DenseMatrix {
  if (b.numRows !== a.numCols) throw Errors.outOfRange(api, 'other.numRows', `numCols (${a.numCols})`, b.numRows);
  const out = new Float64Array(a.numRows * b.numCols);
  for (let j = 0; j < b.numCols; j++) {
    b.foreachActiveInColumn(j, (k, bkj) => {
      if (bkj === 0) return;
      a.foreachActiveInColumn(k, (i, aik) => {
        out[i + a.numRows * j]! += aik * bkj;
      });
    });
  }
  return new DenseMatrix(a.numRows, b.numCols, out);
}

function matricesEqual(a: Matrix, b: unknown): boolean {
  if (!(b instanceof DenseMatrix || b instanceof SparseMatrix)) return false;
  if (a.numRows !== b.numRows || a.numCols !== b.numCols) return false;
  const x = a.toArray();
  const y = b.toArray();
  for (let k = 0; k < x.length; k++) if (!(x[k] === y[k] || (Number.isNaN(x[k]!) && Number.isNaN(y[k]!)))) return false;
  return true;
}

export const Matrices = {
  /** A column-major dense matrix. */
  dense(numRows: number, numCols: number, values: ArrayLike<number>): DenseMatrix {
    return new DenseMatrix(numRows, numCols, values);
  },

  /** A CSC sparse matrix. */
  sparse(numRows: number, numCols: number, colPtrs: ArrayLike<number>, rowIndices: ArrayLike<number>, values: ArrayLike<number>): SparseMatrix {
    return new SparseMatrix(numRows, numCols, colPtrs, rowIndices, values);
  },

  zeros(numRows: number, numCols: number): DenseMatrix {
    checkDims('Matrices.zeros', numRows, numCols);
    return new DenseMatrix(numRows, numCols, new Float64Array(numRows * numCols));
  },

  ones(numRows: number, numCols: number): DenseMatrix {
    checkDims('Matrices.ones', numRows, numCols);
    return new DenseMatrix(numRows, numCols, new Float64Array(numRows * numCols).fill(1));
  },

  /** The n x n identity as a DenseMatrix. */
  eye(n: number): DenseMatrix {
    checkDims('Matrices.eye', n, n);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) m[i + n * i] = 1;
    return new DenseMatrix(n, n, m);
  },

  /** The n x n identity as a SparseMatrix. */
  speye(n: number): SparseMatrix {
    checkDims('Matrices.speye', n, n);
    return new SparseMatrix(n, n, Int32Array.from({ length: n + 1 }, (_, i) => i), Int32Array.from({ length: n }, (_, i) => i), new Float64Array(n).fill(1));
  },

  /** A square DenseMatrix with the vector on its diagonal. */
  diag(v: Vector): DenseMatrix {
    if (!isVector(v)) throw Errors.invalidArg('Matrices.diag', 'vector', 'a DenseVector or SparseVector', v);
    const n = v.size;
    const m = new Float64Array(n * n);
    v.foreachActive((i, x) => {
      m[i + n * i] = x;
    });
    return new DenseMatrix(n, n, m);
  },
};
