/**
 * CountVectorizer's executor code (Spark's CountVectorizer.fit and CountVectorizerModel.transform,
 * ml/feature/CountVectorizer.scala):
 *   - `termCounts`: a partition summary of, per term, its total count and its document count,
 *     merged by term (Spark's reduceByKey of (count, 1) per distinct term of a document); a null
 *     token list is a bad row named over the whole DataFrame; null tokens are not counted;
 *   - `countVectorizerTransform`: a map task counting each document's vocabulary terms into a
 *     SparseVector of the vocabulary's size, keeping counts >= minTF (a count when minTF >= 1,
 *     else a fraction of the document's token count, nulls and unknown terms included), 1.0 each
 *     when binary.
 */
import * as arrow from 'apache-arrow';
import { appendColumn } from '../../../src/dataframe/batch.js';
import { defineTask, type Summary } from '../../../src/exec/task.js';
import { batchSummary, columnOf, type BatchRead } from '../../data/checked-summary.js';
import { refuseNulls, sparseRowsColumn, tokenListsOf, type RowSite } from './text-columns.js';

/** Per term: total count and document count (parallel arrays), plain data. */
export interface TermCounts {
  terms: string[];
  counts: Float64Array;
  docs: Float64Array;
}

function toMap(s: TermCounts): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  s.terms.forEach((t, k) => m.set(t, [s.counts[k]!, s.docs[k]!]));
  return m;
}

function fromMap(m: Map<string, [number, number]>): TermCounts {
  const terms = [...m.keys()];
  const counts = new Float64Array(terms.length);
  const docs = new Float64Array(terms.length);
  terms.forEach((t, k) => {
    const v = m.get(t)!;
    counts[k] = v[0];
    docs[k] = v[1];
  });
  return { terms, counts, docs };
}

export function termCountsMerge(a: TermCounts, b: TermCounts): TermCounts {
  if (b.terms.length === 0) return a;
  if (a.terms.length === 0) return b;
  const m = toMap(a);
  b.terms.forEach((t, k) => {
    const v = m.get(t);
    if (v) {
      v[0] += b.counts[k]!;
      v[1] += b.docs[k]!;
    } else m.set(t, [b.counts[k]!, b.docs[k]!]);
  });
  return fromMap(m);
}

/** The counts of a partition's documents. */
export function countTerms(docs: ReadonlyArray<ReadonlyArray<string | null>>): TermCounts {
  const m = new Map<string, [number, number]>();
  const seen = new Set<string>();
  for (const doc of docs) {
    seen.clear();
    for (const w of doc) {
      if (w === null) continue;
      let v = m.get(w);
      if (!v) m.set(w, (v = [0, 0]));
      v[0] += 1;
      if (!seen.has(w)) {
        seen.add(w);
        v[1] += 1;
      }
    }
  }
  return fromMap(m);
}

export const termCountsSummary: Summary<TermCounts, ReadonlyArray<ReadonlyArray<string | null>>, unknown> = {
  zero: () => ({ terms: [], counts: new Float64Array(0), docs: new Float64Array(0) }),
  add: (s, docs) => termCountsMerge(s, countTerms(docs)),
  merge: termCountsMerge,
};

/** A partition's token lists; the first null list stops the read. */
function readDocs(batch: arrow.RecordBatch, b: { inputCol: string }): BatchRead<Array<Array<string | null>>> {
  const col = columnOf(batch, b.inputCol);
  refuseNulls(col, b.inputCol);
  return { part: tokenListsOf(col, b.inputCol) };
}

export const termCounts = batchSummary('feature.countVectorizerTerms', termCountsSummary, readDocs);

/**
 * Spark's vocabulary: the terms with minDf <= docs <= maxDf, the vocabSize most frequent (total
 * count descending). Spark's `top` leaves ties in no defined order; kindling breaks them by the
 * term, ascending (Java's String.compareTo order), so a fit is deterministic.
 */
export function selectVocabulary(s: TermCounts, minDf: number, maxDf: number, vocabSize: number): string[] {
  const keep: number[] = [];
  for (let k = 0; k < s.terms.length; k++) if (s.docs[k]! >= minDf && s.docs[k]! <= maxDf) keep.push(k);
  keep.sort((x, y) => s.counts[y]! - s.counts[x]! || (s.terms[x]! < s.terms[y]! ? -1 : s.terms[x]! > s.terms[y]! ? 1 : 0));
  return keep.slice(0, vocabSize).map((k) => s.terms[k]!);
}

export interface CountBroadcast {
  api: string;
  inputCol: string;
  outputCol: string;
  vocabulary: string[];
  minTF: number;
  binary: boolean;
}

/** Spark's CountVectorizerModel on token lists: sparse rows over the vocabulary. */
export function countRows(docs: ReadonlyArray<ReadonlyArray<string | null>>, dict: Map<string, number>, minTF: number, binary: boolean): { rowOffsets: Int32Array; indices: Int32Array; values: Float64Array } {
  const rowOffsets = new Int32Array(docs.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  const counts = new Map<number, number>();
  docs.forEach((doc, i) => {
    counts.clear();
    for (const w of doc) {
      const j = w === null ? undefined : dict.get(w);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const effective = minTF >= 1 ? minTF : doc.length * minTF;
    for (const j of [...counts.keys()].sort((a, b) => a - b)) {
      const c = counts.get(j)!;
      if (c >= effective) {
        idx.push(j);
        val.push(binary ? 1 : c);
      }
    }
    rowOffsets[i + 1] = idx.length;
  });
  return { rowOffsets, indices: Int32Array.from(idx), values: Float64Array.from(val) };
}

export const countVectorizerTransform = defineTask<arrow.RecordBatch, CountBroadcast, arrow.RecordBatch>('feature.countVectorizerTransform', (b, t, ctx) => {
  const col = columnOf(b, t.inputCol);
  const site: RowSite = { api: t.api, column: t.inputCol, ctx };
  refuseNulls(col, site);
  const dict = new Map<string, number>();
  t.vocabulary.forEach((w, j) => dict.set(w, j)); // a repeated term maps to its last index, as Spark's toMapWithIndex
  const out = sparseRowsColumn(t.vocabulary.length, countRows(tokenListsOf(col, site), dict, t.minTF, t.binary));
  return appendColumn(b, t.outputCol, out);
});
