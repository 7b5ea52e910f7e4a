/**
 * Word2Vec's training pass (Spark's mllib.feature.Word2Vec: skip-gram, hierarchical softmax):
 * the Huffman tree of the vocabulary (`huffmanTree`, word2vec.c's CreateBinaryTree as Spark
 * ports it), Spark's sigmoid table (`expTable`), and one partition's pass over its sentences —
 * `word2vecTrainRaw` (one native call, native/include/kindling/kernels/word2vec.h has the
 * contract), the validated `word2vecTrain`, and `word2vecTrainJs`, the JS twin: the same update
 * in float32 arithmetic (Math.fround after every operation) and the same xorshift32 stream, so
 * the scalar tier and JS give identical vectors for the same seed, the AVX2 tier the same within
 * float rounding (test/native/word2vec-parity.test.ts).
 * The random numbers are not the JVM's (Spark's XORShiftRandom), so vectors never equal Spark's.
 */
import { Errors } from '../errors.js';
import { native, type NativeKernels } from '../native.js';

export const W2V_EXP_TABLE_SIZE = 1000;
export const W2V_MAX_EXP = 6;
export const W2V_MAX_CODE_LENGTH = 40;

/** Spark's createExpTable: sigmoid((2i / 1000 - 1) * 6) as floats. */
export function expTable(): Float32Array {
  const t = new Float32Array(W2V_EXP_TABLE_SIZE);
  for (let i = 0; i < W2V_EXP_TABLE_SIZE; i++) {
    const tmp = Math.exp(((2.0 * i) / W2V_EXP_TABLE_SIZE - 1.0) * W2V_MAX_EXP);
    t[i] = tmp / (tmp + 1.0);
  }
  return t;
}

/** Each word's path in the Huffman tree: codes / points of word w at codeOff[w] .. codeOff[w + 1]. */
export interface HuffmanTree {
  codeOff: Int32Array;
  codes: Uint8Array;
  points: Int32Array;
}

/**
 * Spark's createBinaryTree over counts sorted descending: repeatedly join the two smallest
 * nodes (leaves from the end of the list, inner nodes in creation order), the second one's bit
 * 1; a word's codes and inner-node points run root first (point 0 is the root, vocab - 2).
 */
export function huffmanTree(counts: ArrayLike<number>): HuffmanTree {
  const v = counts.length;
  const count = new Float64Array(2 * v + 1).fill(1e9);
  for (let a = 0; a < v; a++) count[a] = counts[a]!;
  const binary = new Uint8Array(2 * v + 1);
  const parent = new Int32Array(2 * v + 1);
  let pos1 = v - 1;
  let pos2 = v;
  const pick = (): number => {
    if (pos1 >= 0 && count[pos1]! < count[pos2]!) return pos1--;
    return pos2++;
  };
  for (let a = 0; a < v - 1; a++) {
    const min1 = pick();
    const min2 = pick();
    count[v + a] = count[min1]! + count[min2]!;
    parent[min1] = v + a;
    parent[min2] = v + a;
    binary[min2] = 1;
  }
  const codeOff = new Int32Array(v + 1);
  const codes: number[] = [];
  const points: number[] = [];
  for (let a = 0; a < v; a++) {
    const code: number[] = [];
    const point: number[] = [];
    for (let b = a; b !== 2 * v - 2 && v > 1; b = parent[b]!) {
      code.push(binary[b]!);
      point.push(b);
    }
    const len = code.length;
    if (len > W2V_MAX_CODE_LENGTH) throw Errors.outOfRange('Word2Vec', 'Huffman code length', `at most ${W2V_MAX_CODE_LENGTH}`, len);
    // root first: code reversed; point[0] = the root, then the inner nodes below it
    for (let b = 0; b < len; b++) codes.push(code[len - b - 1]!);
    points.push(v - 2);
    for (let b = len - 1; b >= 1; b--) points.push(point[b]! - v);
    if (len === 0) points.pop();
    codeOff[a + 1] = codes.length;
  }
  return { codeOff, codes: Uint8Array.from(codes), points: Int32Array.from(points) };
}

/** One partition's pass: its sentences, the model, the schedule. syn0/syn1 and the counters are updated in place. */
export interface TrainPass {
  words: Int32Array;
  sentOff: Int32Array;
  tree: HuffmanTree;
  d: number;
  syn0: Float32Array;
  syn1: Float32Array;
  syn0Mod: Int32Array;
  syn1Mod: Int32Array;
  expTable: Float32Array;
  window: number;
  /** xorshift32 seed (a non-zero uint32). */
  seed: number;
  learningRate: number;
  numPartitions: number;
  wordsBefore: number;
  totalWords: number;
}

/** One native call over already-checked data (the executor task's entry point). */
export function word2vecTrainRaw(p: TrainPass, impl: NativeKernels = native()): number {
  return impl.word2vecTrainF32(p.words, p.sentOff, p.tree.codeOff, p.tree.codes, p.tree.points, p.d, p.syn0, p.syn1, p.syn0Mod, p.syn1Mod, p.expTable, p.window, p.seed, p.learningRate, p.numPartitions, p.wordsBefore, p.totalWords);
}

/** The validated pass: shapes, indices and the schedule checked, then one native call. */
export function word2vecTrain(p: TrainPass, impl: NativeKernels = native()): number {
  const api = 'word2vecTrain';
  const v = p.tree.codeOff.length - 1;
  if (!Number.isInteger(p.d) || p.d < 1) throw Errors.outOfRange(api, 'd', 'an integer >= 1', p.d);
  if (!Number.isInteger(p.window) || p.window < 1) throw Errors.outOfRange(api, 'window', 'an integer >= 1', p.window);
  if (!Number.isInteger(p.seed) || p.seed < 1 || p.seed > 0xffffffff) throw Errors.outOfRange(api, 'seed', 'a non-zero 32-bit unsigned integer', p.seed);
  if (p.syn0.length !== v * p.d || p.syn1.length !== v * p.d) throw Errors.outOfRange(api, 'syn0/syn1 length', `vocab x d = ${v * p.d}`, `${p.syn0.length}/${p.syn1.length}`);
  for (let i = 0; i < p.words.length; i++) if (!(p.words[i]! >= 0 && p.words[i]! < v)) throw Errors.outOfRange(api, `words[${i}]`, `a word index below ${v}`, p.words[i]);
  return word2vecTrainRaw(p, impl);
}

function xorshift32(s: Uint32Array): number {
  let x = s[0]!;
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  s[0] = x;
  return x;
}

const f32 = Math.fround;

/** The JS twin of the native pass: the same loop in float32 arithmetic (the reference for parity tests). */
export function word2vecTrainJs(p: TrainPass): number {
  const { words, sentOff, d, syn0, syn1, syn0Mod, syn1Mod, window } = p;
  const { codeOff, codes, points } = p.tree;
  const lr = p.learningRate;
  const state = new Uint32Array([p.seed === 0 ? 1 : p.seed]);
  let alpha = lr;
  let wordCount = 0;
  let lastWordCount = 0;
  const neu1e = new Float32Array(d);
  for (let s = 0; s + 1 < sentOff.length; s++) {
    if (wordCount - lastWordCount > 10000) {
      lastWordCount = wordCount;
      alpha = lr * (1 - (p.numPartitions * wordCount + p.wordsBefore) / p.totalWords);
      if (alpha < lr * 0.0001) alpha = lr * 0.0001;
    }
    const start = sentOff[s]!;
    const len = sentOff[s + 1]! - start;
    wordCount += len;
    for (let pos = 0; pos < len; pos++) {
      const word = words[start + pos]!;
      const b = xorshift32(state) % window;
      for (let a = b; a < window * 2 + 1 - b; a++) {
        if (a === window) continue;
        const c = pos - window + a;
        if (c < 0 || c >= len) continue;
        const l1 = words[start + c]! * d;
        neu1e.fill(0);
        for (let q = codeOff[word]!; q < codeOff[word + 1]!; q++) {
          const l2 = points[q]! * d;
          let f = 0;
          for (let e = 0; e < d; e++) f = f32(f + f32(syn0[l1 + e]! * syn1[l2 + e]!));
          if (f > -W2V_MAX_EXP && f < W2V_MAX_EXP) {
            const ind = Math.trunc(f32(f + W2V_MAX_EXP) * 83.0);
            f = p.expTable[ind]!;
            const g = f32(f32(1 - codes[q]! - f) * alpha);
            for (let e = 0; e < d; e++) neu1e[e] = f32(neu1e[e]! + f32(g * syn1[l2 + e]!));
            for (let e = 0; e < d; e++) syn1[l2 + e] = f32(syn1[l2 + e]! + f32(g * syn0[l1 + e]!));
            syn1Mod[points[q]!]! += 1;
          }
        }
        for (let e = 0; e < d; e++) syn0[l1 + e] = f32(syn0[l1 + e]! + neu1e[e]!);
        syn0Mod[words[start + c]!]! += 1;
      }
    }
  }
  return wordCount;
}
