/**
 * Word2Vec's executor work (word2vec.ts has the rules), as Spark's mllib.feature.Word2Vec.fit:
 *
 *   1. `w2vVocab` (summary): word counts of each partition, merged by adding (fpm/items.ts);
 *   2. `w2vEncode` (map): each sentence as vocabulary indices (unknown words dropped), cut into
 *      chunks of at most maxSentenceLength (Spark's `grouped`);
 *   3. `w2vKeep` keeps each training partition's sentences on the executors once; then per
 *      iteration `w2vTrain` (summary): one training partition's pass (the native kernel,
 *      ts/src/kernels/word2vec.ts) from the broadcast vectors; the partial is the sum of the
 *      rows it changed and how many partitions changed each, so the driver can average them
 *      (Spark's reduceByKey + sscal(1 / count));
 *   4. `w2vTransform` (map): Word2VecModel.transform, the mean of a document's word vectors.
 * A null document or word is an error naming the row over the whole DataFrame.
 */
import * as arrow from 'apache-arrow';
import { appendColumn } from '../../../src/dataframe/batch.js';
import { defineSummary, defineTask, type Kept } from '../../../src/exec/task.js';
import { word2vecTrainRaw, type HuffmanTree } from '../../../src/kernels/word2vec.js';
import { Rng } from '../../clustering/lda-math.js';
import { columnOf } from '../../data/checked-summary.js';
import { badRowError } from '../../data/predictions.js';
import { countItems, mergeCounts, readItemRows, zeroCounts, type ItemCounts } from '../../fpm/items.js';
import { vectorColumn } from '../../linalg/columns.js';
import { DenseVector, SparseVector, type Vector } from '../../linalg/vectors.js';

interface ReadBroadcast {
  api: string;
  inputCol: string;
}

/** The documents of a batch as word arrays; a null document or word fails naming its row. */
function documents(batch: arrow.RecordBatch, b: ReadBroadcast, ctx: { partition: number; rowBase?: number }): string[][] {
  const rows = readItemRows(columnOf(batch, b.inputCol));
  return rows.map((row, i) => {
    const why = row === null ? 'is null (Word2Vec needs an array of strings in every row)' : row.some((w) => w === null) ? 'holds a null word' : null;
    if (why !== null) throw badRowError(b.api, { row: i, what: `column ${b.inputCol}`, why }, ctx.partition, ctx.rowBase);
    return row as string[];
  });
}

export const w2vVocab = defineSummary<ItemCounts, arrow.RecordBatch, ReadBroadcast>('feature.w2vVocab', {
  zero: zeroCounts,
  add: (s, batch, b, ctx) => {
    const docs = documents(batch, b, ctx);
    return countItems(s, docs.length, (bump) => {
      for (const doc of docs) for (const w of doc) bump(w);
    });
  },
  merge: mergeCounts,
});

/** Sentences as word indices: sentence s is words[sentOff[s] .. sentOff[s + 1]). */
export interface Sentences {
  words: Int32Array;
  sentOff: Int32Array;
}

export const w2vEncode = defineTask<arrow.RecordBatch, ReadBroadcast & { vocab: string[]; maxSentenceLength: number }, Sentences>('feature.w2vEncode', (batch, b, ctx) => {
  const index = new Map<string, number>();
  b.vocab.forEach((w, i) => index.set(w, i));
  const words: number[] = [];
  const sentOff: number[] = [0];
  for (const doc of documents(batch, b, ctx)) {
    let inChunk = 0;
    for (const w of doc) {
      const i = index.get(w);
      if (i === undefined) continue;
      words.push(i);
      if (++inChunk === b.maxSentenceLength) {
        sentOff.push(words.length);
        inChunk = 0;
      }
    }
    if (inChunk > 0) sentOff.push(words.length);
  }
  return { words: Int32Array.from(words), sentOff: Int32Array.from(sentOff) };
});

/** A training partition's sentences, kept on the executors for every iteration (in shared memory on a pool). */
export const w2vKeep = defineTask<Sentences, null, Kept<null>>('feature.w2vKeep', (s, _b, ctx) => ({ kept: [{ words: ctx.share(s.words), sentOff: ctx.share(s.sentOff) }], meta: null }));

/** What every training partition needs: the model so far, the tree and Spark's schedule. */
export interface TrainBroadcast {
  tree: HuffmanTree;
  d: number;
  syn0: Float32Array;
  syn1: Float32Array;
  expTable: Float32Array;
  window: number;
  seed: number;
  /** The iteration, from 1. */
  iter: number;
  learningRate: number;
  numPartitions: number;
  wordsBefore: number;
  totalWords: number;
}

/** The rows a partition changed, summed, with how many partitions changed each. */
export interface TrainStats {
  sum0: Float32Array;
  cnt0: Int32Array;
  sum1: Float32Array;
  cnt1: Int32Array;
}

/** The xorshift32 seed of training partition `partition` in iteration `iter` (Spark: seed ^ ((idx + 1) << 16) ^ ((-k - 1) << 8)): one stream of the repository's seeded Rng each. */
export function streamSeed(seed: number, partition: number, iter: number): number {
  return new Rng(seed, iter * 1048576 + partition + 1).nextUint32() || 1;
}

/** Spark's initial syn0: (nextFloat() - 0.5f) / d per entry, from stream 0 of the seed. */
export function initialVectors(v: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed, 0);
  const f = Math.fround;
  return Float32Array.from({ length: v * d }, () => f(f(f(rng.nextDouble()) - 0.5) / d));
}

function addRows(sum: Float32Array, cnt: Int32Array, syn: Float32Array, mod: Int32Array, d: number): void {
  for (let w = 0; w < mod.length; w++) {
    if (mod[w] === 0) continue;
    cnt[w]! += 1;
    for (let e = w * d; e < (w + 1) * d; e++) sum[e] = sum[e]! + syn[e]!;
  }
}

export const w2vTrain = defineSummary<TrainStats, Sentences, TrainBroadcast>('feature.w2vTrain', {
  zero: (b) => {
    const v = b.tree.codeOff.length - 1;
    return { sum0: new Float32Array(v * b.d), cnt0: new Int32Array(v), sum1: new Float32Array(v * b.d), cnt1: new Int32Array(v) };
  },
  add: (s, part, b, ctx) => {
    const v = b.tree.codeOff.length - 1;
    const syn0 = b.syn0.slice();
    const syn1 = b.syn1.slice();
    const syn0Mod = new Int32Array(v);
    const syn1Mod = new Int32Array(v);
    const seed = streamSeed(b.seed, ctx.partition, b.iter);
    word2vecTrainRaw({ ...b, words: part.words, sentOff: part.sentOff, syn0, syn1, syn0Mod, syn1Mod, seed });
    addRows(s.sum0, s.cnt0, syn0, syn0Mod, b.d);
    addRows(s.sum1, s.cnt1, syn1, syn1Mod, b.d);
    return s;
  },
  merge: (a, b) => {
    for (let i = 0; i < a.sum0.length; i++) {
      a.sum0[i] = a.sum0[i]! + b.sum0[i]!;
      a.sum1[i] = a.sum1[i]! + b.sum1[i]!;
    }
    for (let w = 0; w < a.cnt0.length; w++) {
      a.cnt0[w]! += b.cnt0[w]!;
      a.cnt1[w]! += b.cnt1[w]!;
    }
    return a;
  },
});

/** Rows some partition changed become the mean of the partitions' rows (float, as Spark's sscal); the others keep their value. */
export function averageInto(syn: Float32Array, sum: Float32Array, cnt: Int32Array, d: number): void {
  for (let w = 0; w < cnt.length; w++) {
    if (cnt[w] === 0) continue;
    const inv = Math.fround(1 / cnt[w]!);
    for (let e = w * d; e < (w + 1) * d; e++) syn[e] = sum[e]! * inv;
  }
}

export interface W2VTransformBroadcast extends ReadBroadcast {
  outputCol: string;
  words: string[];
  vectors: Float32Array;
  d: number;
}

/** Spark's Word2VecModel.transform of one document: empty → sparse zeros; else the sum of known words' vectors times 1 / (number of words, known or not). */
export function documentVector(doc: readonly string[], index: Map<string, number>, vectors: Float32Array, d: number): Vector {
  if (doc.length === 0) return new SparseVector(d, [], []);
  const out = new Float64Array(d);
  for (const w of doc) {
    const i = index.get(w);
    if (i === undefined) continue;
    for (let e = 0; e < d; e++) out[e] += vectors[i * d + e]!;
  }
  const scale = 1.0 / doc.length;
  for (let e = 0; e < d; e++) out[e] *= scale;
  return new DenseVector(out);
}

export const w2vTransform = defineTask<arrow.RecordBatch, W2VTransformBroadcast, arrow.RecordBatch>('feature.w2vTransform', (batch, b, ctx) => {
  const index = new Map<string, number>();
  b.words.forEach((w, i) => index.set(w, i));
  const col = columnOf(batch, b.inputCol);
  const docs = readItemRows(col);
  const out = docs.map((doc, i) => {
    if (doc === null) throw badRowError(b.api, { row: i, what: `column ${b.inputCol}`, why: 'is null (Word2VecModel needs an array of strings in every row)' }, ctx.partition, ctx.rowBase);
    return documentVector(doc as string[], index, b.vectors, b.d);
  });
  const outCol = vectorColumn(out, 'struct');
  return appendColumn(batch, b.outputCol, outCol);
});
