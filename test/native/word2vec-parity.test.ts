// Word2Vec's training pass (issue 14, area word2vec) on every compiled tier this CPU runs against
// the JS twin: for the same seed the scalar tier gives bit-identical vectors and counters, the
// SIMD tiers (FMA, a reassociated dot product) the same within float rounding, on random corpora
// (vocabularies 1..40 words, d in {1, 3, 8, 17}, windows 1..5, the alpha schedule crossing its
// 10,000-word step); Spark's Huffman tree by hand; the validated wrapper's errors.
import t from 'tap';
import { native } from '../../ts/src/native.js';
import { expTable, huffmanTree, word2vecTrain, word2vecTrainJs, type TrainPass } from '../../ts/src/kernels/word2vec.js';
import { mulberry32 } from '../reference/rng.js';

const variants = native()._variants();
const near = (a: number, b: number, rel: number) => Math.abs(a - b) <= Math.max(1e-6, rel * Math.max(Math.abs(a), Math.abs(b)));

t.test("huffmanTree: Spark's createBinaryTree by hand for counts [4, 2, 1, 1]", async (t) => {
  // joins: (3, 2) → node 4 (count 2), (4, 1) → node 5 (count 4), (5, 0) → root 6; the second of
  // each pair gets bit 1; codes root first, points are inner nodes minus the vocabulary size
  const tree = huffmanTree([4, 2, 1, 1]);
  t.same(Array.from(tree.codeOff), [0, 1, 3, 6, 9]);
  t.same(Array.from(tree.codes), [1, 0, 1, 0, 0, 1, 0, 0, 0]);
  t.same(Array.from(tree.points), [2, 2, 1, 2, 1, 0, 2, 1, 0]);
  const one = huffmanTree([7]);
  t.same([Array.from(one.codeOff), one.codes.length, one.points.length], [[0, 0], 0, 0], 'one word: no path, nothing to train');
});

t.test("expTable: Spark's sigmoid table", async (t) => {
  const e = expTable();
  t.equal(e.length, 1000);
  t.equal(e[500], Math.fround(0.5));
  t.equal(e[0], Math.fround(Math.exp(-6) / (Math.exp(-6) + 1)));
});

function corpus(rand: () => number, v: number, nSent: number, maxLen: number): { words: Int32Array; sentOff: Int32Array; counts: number[] } {
  const words: number[] = [];
  const sentOff = [0];
  for (let s = 0; s < nSent; s++) {
    const len = Math.floor(rand() * maxLen);
    // skewed word choice, so Huffman paths differ in length
    for (let k = 0; k < len; k++) words.push(Math.min(v - 1, Math.floor(v * rand() * rand())));
    sentOff.push(words.length);
  }
  const counts = new Array<number>(v).fill(1);
  for (const w of words) counts[w]! += 1;
  // the tree wants descending counts: relabel by rank
  const order = counts.map((c, w) => [c, w] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const rank = new Int32Array(v);
  order.forEach(([, w], r) => (rank[w] = r));
  return { words: Int32Array.from(words, (w) => rank[w]!), sentOff: Int32Array.from(sentOff), counts: order.map(([c]) => c) };
}

function pass(rand: () => number, v: number, d: number, window: number, nSent: number, maxLen: number): TrainPass {
  const c = corpus(rand, v, nSent, maxLen);
  return {
    words: c.words, sentOff: c.sentOff, tree: huffmanTree(c.counts), d,
    syn0: Float32Array.from({ length: v * d }, () => (rand() - 0.5) / d), syn1: Float32Array.from({ length: v * d }, () => rand() - 0.5),
    syn0Mod: new Int32Array(v), syn1Mod: new Int32Array(v), expTable: expTable(), window, seed: 1 + Math.floor(rand() * 0xfffffffe),
    learningRate: 0.05, numPartitions: 2, wordsBefore: 10, totalWords: c.words.length * 2 + 1,
  };
}

function copy(p: TrainPass): TrainPass {
  return { ...p, syn0: p.syn0.slice(), syn1: p.syn1.slice(), syn0Mod: p.syn0Mod.slice(), syn1Mod: p.syn1Mod.slice() };
}

t.test('every tier == the JS twin, bit for bit, for the same seed', async (t) => {
  const rand = mulberry32(14);
  let cases = 0;
  for (const v of [1, 2, 5, 40]) {
    for (const d of [1, 3, 8, 17]) {
      for (const window of [1, 2, 5]) {
        const p = pass(rand, v, d, window, 30, 15);
        const js = copy(p);
        const nJs = word2vecTrainJs(js);
        for (const impl of variants) {
          const nat = copy(p);
          const n = word2vecTrain(nat, impl);
          const eq = (a: Float32Array, b: Float32Array) => a.every((x, i) => (impl.isa === 'scalar' ? Object.is(x, b[i]) : near(x, b[i]!, 1e-4)));
          const same = n === nJs && eq(nat.syn0, js.syn0) && eq(nat.syn1, js.syn1) &&
            nat.syn0Mod.every((x, i) => x === js.syn0Mod[i]) && nat.syn1Mod.every((x, i) => x === js.syn1Mod[i]);
          if (!same) t.fail(`${impl.isa}: v=${v} d=${d} window=${window}`);
          cases++;
        }
      }
    }
  }
  // a long corpus: the alpha schedule steps every 10,000 words
  const long = pass(rand, 30, 4, 3, 900, 40);
  const js = copy(long);
  word2vecTrainJs(js);
  for (const impl of variants) {
    const nat = copy(long);
    t.ok(word2vecTrain(nat, impl) > 10000);
    // SIMD rounding differences grow over a long pass: compare the whole matrix (relative Frobenius norm; measured ~2e-4)
    let diff = 0;
    let norm = 0;
    nat.syn0.forEach((x, i) => {
      diff += (x - js.syn0[i]!) ** 2;
      norm += js.syn0[i]! ** 2;
    });
    const same = impl.isa === 'scalar' ? nat.syn0.every((x, i) => Object.is(x, js.syn0[i])) : Math.sqrt(diff / norm) <= 2e-3;
    t.ok(same, `${impl.isa}: 17,000+ words, alpha decays (scalar bit for bit, SIMD within 2e-3 relative norm)`);
  }
  t.ok(cases >= 48);
});

t.test('the validated wrapper names what is wrong', async (t) => {
  const p = pass(mulberry32(1), 3, 2, 2, 3, 4);
  t.throws(() => word2vecTrain({ ...copy(p), d: 0 }), { code: 'ERR_KINDLING_INVALID_ARG', message: /word2vecTrain: .*d.*an integer >= 1/ });
  t.throws(() => word2vecTrain({ ...copy(p), seed: 0 }), /seed/);
  t.throws(() => word2vecTrain({ ...copy(p), words: Int32Array.of(0, 7), sentOff: Int32Array.of(0, 2) }), /expected a word index below 3 for words\[1\], got 7/);
  t.throws(() => word2vecTrain({ ...copy(p), syn0: new Float32Array(1) }), /syn0\/syn1 length/);
});
