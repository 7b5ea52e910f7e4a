// The relational kernels (group ids, joins, argsort, Spark hash partitioning) on every compiled
// SIMD tier this CPU runs, against their JS reference twins, on seeded random data: lengths
// {0,1,3,7,8,9,15,16,17,63,64,65,1003}, validity bitmaps at bit offsets {0,1,3} or none, and
// the edge cases that matter for keys: all-equal, all-distinct, -0.0 vs 0.0, NaNs with different
// payloads, nulls, empty strings. Everything must match exactly.
import t from 'tap';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { native } from '../../ts/src/native.js';
import { GroupTable, GroupTableJs, hashGroup, hashGroupJs, type KeyColumn } from '../../ts/src/kernels/hash-group.js';
import { hashJoin, hashJoinJs, JoinTable, JoinTableJs, type JoinMode } from '../../ts/src/kernels/join.js';
import { argsort, argsortJs, argsortMulti, argsortMultiJs, type SortKey } from '../../ts/src/kernels/sort.js';
import { murmur3Column, murmur3ColumnJs, partitionIds, partitionIdsJs, scatterRows, scatterRowsJs, type HashColumn } from '../../ts/src/kernels/partition.js';
import { packStrings, type PackedStrings } from '../../ts/src/kernels/hash.js';
import { mulberry32, randomValidity } from '../reference/rng.js';
import type { Validity } from '../../ts/src/validate.js';

const require = createRequire(import.meta.url);
const LENGTHS = [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1003];
const OFFSETS = [0, 1, 3];
const variants = native()._variants();

// Doubles with the same value but different bits: -0.0 and NaNs with other payloads/signs.
const NAN_BITS: Array<[number, number]> = [[0x7ff80000, 0], [0xfff80000, 0], [0x7ff00000, 1], [0x7ff12345, 0x6789abcd]];
function nanWithBits(hi: number, lo: number): Float64Array {
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  w[0] = lo;
  w[1] = hi;
  return f;
}

type Rand = () => number;
/** Domain sizes: all-equal (1), few, many, all-distinct (n). */
function domains(n: number): number[] {
  return [...new Set([1, 3, 40, Math.max(1, n)])];
}

function i32Keys(rand: Rand, n: number, d: number): Int32Array {
  return Int32Array.from({ length: n }, () => (Math.floor(rand() * d) - (d >> 1)) * 65599);
}
function i64Keys(rand: Rand, n: number, d: number): BigInt64Array {
  return BigInt64Array.from({ length: n }, () => (BigInt(Math.floor(rand() * d)) - BigInt(d >> 1)) * 0x100000001n);
}
/** Writes doubles through a Uint32Array view, so NaN payloads survive. */
function f64Keys(rand: Rand, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  const w = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.08) {
      const [hi, lo] = NAN_BITS[Math.floor(rand() * NAN_BITS.length)]!;
      w[2 * i] = lo;
      w[2 * i + 1] = hi;
    } else if (r < 0.16) {
      out[i] = rand() < 0.5 ? -0 : 0;
    } else {
      out[i] = (Math.floor(rand() * d) - (d >> 1)) * 0.5;
    }
  }
  return out;
}
const ALPHABET = ['', 'a', 'b', 'ab', 'é', '日本', '😀', 'a\u0000', 'zzzzzzzzzzzzzzzzz', 'Spark'];
function strKeys(rand: Rand, n: number, d: number, off: number): PackedStrings {
  const words = Array.from({ length: n }, () => {
    const k = Math.floor(rand() * d);
    return ALPHABET[k % ALPHABET.length]! + (k >= ALPHABET.length ? String(k) : '');
  });
  // Start the bytes at `off`, so offsets[0] != 0 as in a sliced Arrow array.
  const p = packStrings(words);
  const bytes = new Uint8Array(off + p.bytes.length).fill(0xab);
  bytes.set(p.bytes, off);
  return { bytes, offsets: p.offsets.map((o) => o + off) };
}
function rowWords(rand: Rand, n: number, d: number, width: number, big: boolean): Uint32Array | BigUint64Array {
  const rows = Array.from({ length: Math.max(1, d) }, () => Array.from({ length: width }, () => Math.floor(rand() * 4) * 0x9e3779b1 >>> 0));
  if (big) {
    const out = new BigUint64Array(n * width);
    for (let i = 0; i < n; i++) rows[Math.floor(rand() * d)]!.forEach((x, j) => (out[i * width + j] = BigInt(x) << 31n | BigInt(x)));
    return out;
  }
  const out = new Uint32Array(n * width);
  for (let i = 0; i < n; i++) rows[Math.floor(rand() * d)]!.forEach((x, j) => (out[i * width + j] = x));
  return out;
}

/** Every key kind over one configuration. */
function keyColumns(rand: Rand, n: number, d: number, off: number, validity: Validity | null, w = 1 + Math.floor(rand() * 3)): Array<[string, KeyColumn]> {
  const pad = <T extends Int32Array | BigInt64Array | Float64Array>(mk: (m: number) => T) => mk(n + off).subarray(off) as T;
  return [
    ['i32', { kind: 'i32', values: pad((m) => i32Keys(rand, m, d)), validity }],
    ['i64', { kind: 'i64', values: pad((m) => i64Keys(rand, m, d)), validity }],
    ['f64', { kind: 'f64', values: pad((m) => f64Keys(rand, m, d)), validity }],
    ['string', { kind: 'string', strings: strKeys(rand, n, d, off), validity }],
    ['rows32', { kind: 'rows32', words: rowWords(rand, n, d, w, false) as Uint32Array, width: w }],
    ['rows64', { kind: 'rows64', words: rowWords(rand, n, d, w, true) as BigUint64Array, width: w }],
  ];
}

function sameI32(a: Int32Array, b: Int32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function configs(seed: number, each: (rand: Rand, n: number, d: number, off: number, validity: Validity | null, label: string) => void): void {
  const rand = mulberry32(seed);
  for (const n of LENGTHS) {
    for (const d of domains(n)) {
      for (const off of OFFSETS) {
        for (const withValidity of [false, true]) {
          const val = withValidity ? randomValidity(rand, n, off, 0.85) : null;
          const validity = val ? { bitmap: val.bitmap, offset: val.offset } : null;
          each(rand, n, d, off, validity, `n=${n} d=${d} off=${off} validity=${withValidity}`);
        }
      }
    }
  }
}

for (const v of variants) {
  t.test(`group ids on ${v.isa} equal the JS reference`, async (t) => {
    const failures: string[] = [];
    configs(101, (rand, n, d, off, validity, label) => {
      for (const [kind, keys] of keyColumns(rand, n, d, off, validity)) {
        const got = hashGroup(keys, v);
        const ref = hashGroupJs(keys);
        if (!sameI32(got.codes, ref.codes) || !sameI32(got.firstRow, ref.firstRow)) failures.push(`${kind} ${label}`);
      }
    });
    t.same(failures, []);
  });

  t.test(`GroupTable over several batches on ${v.isa} equals the JS reference`, async (t) => {
    const failures: string[] = [];
    configs(202, (rand, n, d, off, validity, label) => {
      if (off !== 0) return;
      for (const [kind, keys] of keyColumns(rand, n, d, 0, validity)) {
        const width = keys.kind === 'rows32' || keys.kind === 'rows64' ? keys.width : 1;
        const nt = new GroupTable(keys.kind, width, v);
        const jt = new GroupTableJs(keys.kind, width);
        // The same keys in 1, 2 and 3 batches: codes and sizes agree after every batch.
        for (const k of [keys, keys, keys]) {
          const a = nt.add(k);
          const b = jt.add(k);
          if (!sameI32(a.codes, b.codes) || !sameI32(a.firstRow, b.firstRow) || nt.size !== jt.size) failures.push(`${kind} add ${label}`);
        }
        if (!sameI32(nt.lookup(keys), jt.lookup(keys))) failures.push(`${kind} lookup ${label}`);
        const fresh = new GroupTable(keys.kind, width, v);
        const other = keyColumns(mulberry32(n + d), n, d, 0, null, width).find(([k]) => k === kind)![1];
        if (!sameI32(fresh.lookup(other), new GroupTableJs(keys.kind, width).lookup(other))) failures.push(`${kind} lookup on empty ${label}`);
        nt.dispose();
        fresh.dispose();
      }
    });
    t.same(failures, []);
  });

  t.test(`hash joins on ${v.isa} equal the JS reference`, async (t) => {
    const failures: string[] = [];
    configs(303, (rand, n, d, off, validity, label) => {
      const w = 1 + Math.floor(rand() * 3);
      const probes = keyColumns(rand, n, d, off, validity, w);
      const m = LENGTHS[Math.floor(rand() * LENGTHS.length)]!;
      const bval = randomValidity(rand, m, 0, 0.8);
      const builds = keyColumns(rand, m, Math.max(1, Math.min(d, m)), 0, { bitmap: bval.bitmap, offset: 0 }, w);
      for (let k = 0; k < probes.length; k++) {
        const [kind, probe] = probes[k]!;
        const build = builds[k]![1];
        for (const mode of ['inner', 'probeOuter', 'semi'] as JoinMode[]) {
          const got = hashJoin(probe, build, { mode }, v);
          const ref = hashJoinJs(probe, build, { mode });
          for (const f of ['left', 'right', 'unmatchedProbe'] as const) {
            if (!sameI32(got[f], ref[f])) failures.push(`${kind} ${mode} ${f} ${label} m=${m}`);
          }
          if (!Buffer.from(got.matchedBuild).equals(Buffer.from(ref.matchedBuild))) failures.push(`${kind} ${mode} matchedBuild ${label} m=${m}`);
        }
      }
    });
    t.same(failures, []);
  });

  t.test(`a JoinTable probed by several batches on ${v.isa} equals the JS reference`, async (t) => {
    const rand = mulberry32(404);
    const failures: string[] = [];
    for (const [kind, build] of keyColumns(rand, 300, 50, 0, randomValidity(rand, 300, 0, 0.9), 2)) {
      const nt = new JoinTable(build, v);
      const jt = new JoinTableJs(build);
      for (let b = 0; b < 4; b++) {
        const probe = keyColumns(rand, 65 * b, 80, 0, null, 2).find(([k]) => k === kind)![1];
        const mode = (['inner', 'probeOuter', 'semi'] as JoinMode[])[b % 3]!;
        const x = nt.probe(probe, { mode });
        const y = jt.probe(probe, { mode });
        if (!sameI32(x.left, y.left) || !sameI32(x.right, y.right) || !sameI32(x.unmatchedProbe, y.unmatchedProbe)) failures.push(`${kind} batch ${b}`);
        if (!Buffer.from(nt.matchedBuild()).equals(Buffer.from(jt.matchedBuild()))) failures.push(`${kind} matchedBuild after batch ${b}`);
      }
      nt.dispose();
    }
    t.same(failures, []);
  });

  t.test(`argsort on ${v.isa} equals the JS reference`, async (t) => {
    const failures: string[] = [];
    configs(505, (rand, n, d, off, validity, label) => {
      const cols: Array<[string, Int32Array | BigInt64Array | Float64Array]> = [
        ['i32', i32Keys(rand, n + off, d).subarray(off)],
        ['i32 full range', Int32Array.from({ length: n + off }, () => (rand() * 2 ** 32) | 0).subarray(off)],
        ['i64', i64Keys(rand, n + off, d).subarray(off)],
        ['f64', f64Keys(rand, n + off, d).subarray(off)],
        ['f64 specials', Float64Array.from({ length: n + off }, () => [Infinity, -Infinity, NaN, -0, 0, 1e-310, -1e308, Number.MIN_VALUE][Math.floor(rand() * 8)]!).subarray(off)],
      ];
      const perm = Int32Array.from({ length: Math.floor(rand() * (n + 1)) }, () => Math.floor(rand() * n));
      for (const [kind, values] of cols) {
        for (const descending of [false, true]) {
          for (const nullsFirst of [false, true]) {
            for (const p of n > 0 ? [null, perm] : [null]) {
              const o = { validity, descending, nullsFirst, perm: p };
              if (!sameI32(argsort(values, o, v), argsortJs(values, o))) failures.push(`${kind} desc=${descending} nullsFirst=${nullsFirst} perm=${p !== null} ${label}`);
            }
          }
        }
      }
    });
    t.same(failures, []);
  });

  t.test(`multi-key argsort on ${v.isa} equals the JS reference`, async (t) => {
    const rand = mulberry32(606);
    const failures: string[] = [];
    for (const n of LENGTHS) {
      const val = randomValidity(rand, n, 0, 0.8);
      const keys: SortKey[] = [
        { values: i32Keys(rand, n, 3), validity: { bitmap: val.bitmap, offset: 0 } },
        { values: strKeys(rand, n, 12, 2), descending: true },
        { values: f64Keys(rand, n, 5), nullsFirst: false },
        { values: i64Keys(rand, n, 4), descending: true, nullsFirst: true },
      ];
      if (!sameI32(argsortMulti(keys, v), argsortMultiJs(keys))) failures.push(`n=${n}`);
    }
    t.same(failures, []);
  });

  t.test(`Spark murmur3 columns on ${v.isa} equal the JS reference`, async (t) => {
    const failures: string[] = [];
    configs(707, (rand, n, d, off, validity, label) => {
      const cols: Array<[string, HashColumn]> = [
        ['int32', { type: 'int32', values: i32Keys(rand, n + off, d).subarray(off), validity }],
        ['int64', { type: 'int64', values: i64Keys(rand, n + off, d).subarray(off), validity }],
        ['float64', { type: 'float64', values: f64Keys(rand, n + off, d).subarray(off), validity }],
        ['float32', { type: 'float32', values: new Float32Array(f64Keys(rand, n + off, d)).subarray(off), validity }],
        ['boolean', { type: 'boolean', values: Uint8Array.from({ length: n }, () => Math.floor(rand() * 3)), validity }],
        ['string', { type: 'string', strings: strKeys(rand, n, d, off), validity }],
      ];
      const seeds = Int32Array.from({ length: n }, () => (rand() * 2 ** 32) | 0);
      for (const [type, col] of cols) {
        const got = murmur3Column(col, seeds.slice(), v);
        const ref = murmur3ColumnJs(col, seeds.slice());
        if (!sameI32(got, ref)) failures.push(`${type} ${label}`);
      }
      for (const parts of [1, 7, 200]) {
        const ids = partitionIds(seeds, parts, v);
        if (!sameI32(ids, partitionIdsJs(seeds, parts))) failures.push(`partitionIds ${parts} ${label}`);
        const a = scatterRows(ids, parts, v);
        const b = scatterRowsJs(ids, parts);
        if (!sameI32(a.offsets, b.offsets) || !sameI32(a.rows, b.rows)) failures.push(`scatterRows ${parts} ${label}`);
      }
    });
    t.same(failures, []);
  });

  t.test(`NaN payloads and -0.0 on ${v.isa}: one group, one join key, one hash`, async (t) => {
    const keys = new Float64Array(2 + NAN_BITS.length);
    keys[0] = 0;
    keys[1] = -0;
    NAN_BITS.forEach(([hi, lo], i) => keys.set(nanWithBits(hi, lo), 2 + i));
    const g = hashGroup({ kind: 'f64', values: keys }, v);
    t.same(Array.from(g.codes), [0, 0, 1, 1, 1, 1]);
    const j = hashJoin({ kind: 'f64', values: keys }, { kind: 'f64', values: new Float64Array([NaN, -0]) }, {}, v);
    t.same(Array.from(j.left), [0, 1, 2, 3, 4, 5]);
    t.same(Array.from(j.right), [1, 1, 0, 0, 0, 0]);
    const h = murmur3Column({ type: 'float64', values: keys }, new Int32Array(keys.length).fill(42), v);
    t.ok(h[0] === h[1] && new Set(h.subarray(2)).size === 1, 'hashes of 0/-0 agree, and of every NaN');
    const s = argsort(keys, { descending: true }, v);
    t.same(Array.from(s), [2, 3, 4, 5, 0, 1], 'descending: NaNs first (largest), then 0 and -0 as ties in input order');
  });
}

t.test('KeyTable / JoinTable handles work in 4 worker threads and survive their exit', async (t) => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // CommonJS eval worker: loads this thread's own addon instance (context-aware) and leaves
  // live handles behind when it exits (their finalizers run at the worker's env teardown).
  const code = `
    const { parentPort } = require('node:worker_threads');
    const addon = require(${JSON.stringify(require.resolve('node-gyp-build'))})(${JSON.stringify(root)});
    const held = [];
    let out = [];
    for (let i = 0; i < 20; i++) {
      const g = addon.keyTableNew('string', 1);
      const codes = g.add(new Uint8Array(Buffer.from('abcabcxyz')), new Int32Array([0, 3, 6, 9]), null, 0).codes;
      const j = addon.joinTableNew('i32', 1);
      j.build(Int32Array.from({ length: 5000 }, (_, k) => k % 100), null, null, 0);
      const p = j.probe(new Int32Array([7, 200]), null, null, 0, 0);
      out = [Array.from(codes), p.left.length, Array.from(p.unmatchedProbe)];
      held.push(g, j);
    }
    parentPort.postMessage(out);
  `;
  const results = await Promise.all(Array.from({ length: 4 }, () => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    let msg: unknown;
    w.on('message', (m) => (msg = m));
    w.on('error', reject);
    w.on('exit', (c) => (c === 0 ? resolve(msg) : reject(new Error(`worker exit ${c}`))));
  })));
  t.same(results, Array.from({ length: 4 }, () => [[0, 0, 1], 50, [1]]));
});
