// The text kernels (scalar only, so every _variants() entry runs the same code) against their JS
// twins: HashingTF rows on seeded random token lists (null tokens, sliced list offsets, every
// numFeatures class, binary, Spark 2's legacy hash) and IDF document frequencies, exactly.
import t from 'tap';
import { native } from '../../ts/src/native.js';
import { docFreqDenseRaw, docFreqJs, docFreqSparseRaw, hashingTf, hashingTfJs, type TokenLists } from '../../ts/src/kernels/text.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function lists(n: number, seed: number, start: number): TokenLists {
  const r = rng(seed);
  const strs: string[] = [];
  const listOffsets = new Int32Array(n + 1);
  for (let k = 0; k < start; k++) strs.push('skipped');
  listOffsets[0] = start;
  for (let i = 0; i < n; i++) {
    const m = Math.floor(r() * 30);
    for (let k = 0; k < m; k++) strs.push(r() < 0.1 ? 'é中' + Math.floor(r() * 5) : 'w'.repeat(Math.floor(r() * 7)) + Math.floor(r() * 50));
    listOffsets[i + 1] = strs.length;
  }
  const enc = strs.map((s) => Buffer.from(s, 'utf8'));
  const strOffsets = new Int32Array(strs.length + 1);
  enc.forEach((b, j) => (strOffsets[j + 1] = strOffsets[j]! + b.length));
  const validity = new Uint8Array((strs.length + 8) >> 3).fill(0xff);
  for (let j = 0; j < strs.length; j++) if (r() < 0.03) validity[j >> 3]! &= ~(1 << (j & 7));
  return { bytes: new Uint8Array(Buffer.concat(enc)), strOffsets, validity, bitOffset: 0, listOffsets };
}

t.test('hashingTf equals its JS twin on every variant', async (t) => {
  for (const v of native()._variants()) {
    let ok = true;
    for (const n of [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003]) {
      for (const start of [0, 1, 3]) {
        const l = lists(n, n * 7 + start, start);
        for (const numFeatures of [1, 10, 1 << 18, 2 ** 31 - 1]) {
          for (const [binary, legacy] of [[false, false], [true, false], [false, true]] as const) {
            const a = hashingTf(l, { numFeatures, binary, legacy }, v);
            const b = hashingTfJs(l, { numFeatures, binary, legacy });
            ok &&= a.rowOffsets.join() === b.rowOffsets.join() && a.indices.join() === b.indices.join() && a.values.join() === b.values.join();
          }
        }
      }
    }
    t.ok(ok, `${v.isa}: hashingTf = hashingTfJs`);
  }
});

t.test('document frequencies equal the JS twin', async (t) => {
  const r = rng(5);
  const d = 13;
  const x = Float64Array.from({ length: 50 * d }, () => (r() < 0.6 ? 0 : r()));
  const dfN = new Float64Array(d);
  const dfJ = new Float64Array(d);
  docFreqDenseRaw(x, d, dfN);
  docFreqJs({ x }, d, dfJ);
  t.same(Array.from(dfN), Array.from(dfJ));
  const rows = { rowOffsets: Int32Array.from([0, 2, 2, 5]), indices: Int32Array.from([1, 12, 0, 3, 12]), values: Float64Array.from([1, 0, 2, 3, 4]) };
  const a = new Float64Array(d);
  const b = new Float64Array(d);
  t.equal(docFreqSparseRaw(rows, d, a), -1);
  t.equal(docFreqJs(rows, d, b), -1);
  t.same(Array.from(a), Array.from(b));
  t.same(Array.from(a.subarray(0, 4)), [1, 1, 0, 1]);
  t.equal(docFreqSparseRaw({ ...rows, indices: Int32Array.from([1, 12, 0, 3, 13]) }, d, a), 2, 'the row with index 13 >= d');
  t.throws(() => hashingTf({ ...lists(2, 1, 0), listOffsets: Int32Array.from([0, 5, 1]) }, { numFeatures: 10, binary: false, legacy: false }), { code: 'ERR_KINDLING_INVALID_ARG', message: /hashingTf: row 2 of listOffsets \(1\) is smaller than the previous offset \(5\)/ });
  t.throws(() => hashingTf(lists(2, 1, 0), { numFeatures: 0, binary: false, legacy: false }), /hashingTf: expected integer in \[1, 2147483647\] for numFeatures, got 0/);
});
