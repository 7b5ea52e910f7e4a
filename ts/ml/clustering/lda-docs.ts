/**
 * LDA's documents as a CSR block, read from one column of a batch: row r of the block holds the
 * terms `indices[indptr[r] .. indptr[r+1])` (increasing) with their counts, non-zero counts only.
 * The column is a vector column (dense, or the VectorUDT struct) or array<double>/array<float>
 * (Spark 3 accepts both); every document must be a term-count vector of length vocabSize.
 *
 * It runs on the executors (the fit's pack task, lda-tasks.ts) and in the models' transform, so
 * a bad row comes back as data (`BadRow`: the row in its batch, the column, why), and the caller
 * names it over the whole DataFrame (ml/data/features.ts `throwBadRow`). Rows are checked in
 * order — null, then size, then each count — so the first bad row and its reason do not depend
 * on how the rows are split.
 */
import { isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import type { TaskContext } from '../../src/exec/task.js';
import { isDenseVectorType, isVectorStructType } from '../linalg/columns.js';
import type { BadRow } from '../data/features.js';

/** Documents as CSR: `rows` documents, `indptr` (rows + 1) into `indices` (term ids) and `counts`. */
export interface DocBlock {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  counts: Float64Array;
}

/** The vocabulary size the documents must have: `size` −1 until the first row sets it, unless `fixed` (a model's vocabSize). */
export interface Vocab {
  size: number;
  fixed: boolean;
}

/** Why a row of size `s` is refused when the vocabulary has `size` terms. */
export function sizeMismatch(s: number, size: number, fixed: boolean): string {
  return `has size ${s}, but ${fixed ? 'the model has vocabSize' : 'the first row has size'} ${size}; every document must be a term-count vector of length vocabSize`;
}

type Alloc = TaskContext['alloc'];
const plainAlloc: Alloc = (ctor, length) => new ctor(length) as never;

/** Pushes row r's non-zero counts into idx/cts, or says why the row cannot be a document. */
type RowReader = (r: number) => string | null;

/**
 * Rows [lo, hi) of column `d` (named `name`) as a DocBlock (arrays from `alloc`: a task's shared
 * memory), or the first bad row (numbered within the batch). `vocab.size` is set by the first
 * row when not fixed.
 */
export function readDocs(d: AnyData, name: string, lo: number, hi: number, vocab: Vocab, alloc: Alloc = plainAlloc): DocBlock | { bad: BadRow } {
  const idx: number[] = [];
  const cts: number[] = [];
  const checkSize = (s: number): string | null => {
    if (vocab.size < 0) vocab.size = s;
    return s === vocab.size ? null : sizeMismatch(s, vocab.size, vocab.fixed);
  };
  const push = (j: number, x: number): string | null => {
    if (x === 0) return null;
    if (!(x >= 0) || x === Infinity) return `has term count ${x} at index ${j}; LDA needs finite, non-negative term counts`;
    idx.push(j);
    cts.push(x);
    return null;
  };
  const read = rowReader(d, checkSize, push, idx, cts);
  const indptr = alloc(Int32Array, hi - lo + 1);
  for (let r = lo; r < hi; r++) {
    const why = isValidAt(d, r) ? read(r) : 'is null; LDA needs a term-count vector in every row';
    if (why !== null) return { bad: { row: r, what: `column ${name}`, why } };
    indptr[r - lo + 1] = idx.length;
  }
  const indices = alloc(Int32Array, idx.length);
  indices.set(idx);
  const counts = alloc(Float64Array, cts.length);
  counts.set(cts);
  return { rows: hi - lo, indptr, indices, counts };
}

function rowReader(d: AnyData, checkSize: (s: number) => string | null, push: (j: number, x: number) => string | null, idx: number[], cts: number[]): RowReader {
  const t = d.type;
  if (isDenseVectorType(t)) {
    const dim = t.listSize;
    const vs = d.children[0]!.values as Float64Array;
    return (r) => {
      let why = checkSize(dim);
      for (let j = 0; j < dim && why === null; j++) why = push(j, vs[r * dim + j]!);
      return why;
    };
  }
  if (isVectorStructType(t)) {
    const [ty, sz, ix, vl] = d.children as AnyData[];
    const vOff = vl!.valueOffsets as Int32Array;
    const vData = vl!.children[0]!.values as Float64Array;
    const iOff = ix!.valueOffsets as Int32Array;
    const iData = ix!.children[0]?.values as Int32Array | undefined;
    const types = ty!.values as Int8Array;
    const sizes = sz!.values as Int32Array;
    return (r) => {
      let why: string | null;
      if (types[r] === 1) {
        why = checkSize(vOff[r + 1]! - vOff[r]!);
        for (let p = vOff[r]!, j = 0; p < vOff[r + 1]! && why === null; p++, j++) why = push(j, vData[p]!);
        return why;
      }
      why = checkSize(sizes[r]!);
      // Sparse rows may list indices in any order; sort each row's entries by index.
      const start = idx.length;
      for (let q = iOff[r]!, p = vOff[r]!; q < iOff[r + 1]! && why === null; q++, p++) why = push(iData![q]!, vData[p]!);
      if (why === null) sortRowEntries(idx, cts, start);
      return why;
    };
  }
  // array<double> / array<float>
  const off = d.valueOffsets as Int32Array;
  const child = d.children[0]! as AnyData;
  const xs = child.values as Float64Array | Float32Array;
  return (r) => {
    let why = checkSize(off[r + 1]! - off[r]!);
    for (let p = off[r]!, j = 0; p < off[r + 1]! && why === null; p++, j++) {
      why = child.nullCount > 0 && !isValidAt(child, p) ? `has a null term count at index ${j}` : push(j, xs[p]!);
    }
    return why;
  };
}

function sortRowEntries(idx: number[], cts: number[], start: number): void {
  let sorted = true;
  for (let i = start + 1; i < idx.length; i++) if (idx[i]! <= idx[i - 1]!) sorted = false;
  if (sorted) return;
  const pairs = idx.slice(start).map((j, p) => [j, cts[start + p]!] as const);
  pairs.sort((a, b) => a[0] - b[0]);
  // merge duplicate indices (a malformed sparse row) by summing them
  let w = start;
  for (let p = 0; p < pairs.length; p++) {
    if (w > start && idx[w - 1] === pairs[p]![0]) cts[w - 1] += pairs[p]![1];
    else {
      idx[w] = pairs[p]![0];
      cts[w] = pairs[p]![1];
      w++;
    }
  }
  idx.length = w;
  cts.length = w;
}
