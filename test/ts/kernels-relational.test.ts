// The relational kernels by hand and against Spark: group ids, hash joins, argsort with Spark's
// ordering, Spark's hash()/HashPartitioning values, and the error contract (messages naming the
// argument or row).
import t from 'tap';
import { GroupTable, GroupTableJs, hashGroup, hashGroupF64, hashGroupI32, hashGroupI64, hashGroupJs, hashGroupRows, hashGroupStrings } from '../../ts/src/kernels/hash-group.js';
import { hashJoin, hashJoinJs, JoinTable } from '../../ts/src/kernels/join.js';
import { argsort, argsortF64, argsortI32, argsortI64, argsortJs, argsortMulti, argsortStrings } from '../../ts/src/kernels/sort.js';
import { hashPartition, murmur3Column, partitionIds, partitionIdsJs, scatterRows, sparkHash, sparkHashJs, type HashColumn } from '../../ts/src/kernels/partition.js';
import { packStrings } from '../../ts/src/kernels/hash.js';

/** Validity for rows given as booleans (bit offset `offset`). */
function bits(valid: boolean[], offset = 0) {
  const bitmap = new Uint8Array(Math.ceil((offset + valid.length) / 8) + 1);
  valid.forEach((v, i) => { if (v) bitmap[(offset + i) >> 3] |= 1 << ((offset + i) & 7); });
  return { bitmap, offset };
}
const arr = (a: ArrayLike<number>) => Array.from(a);

t.test('group ids: first-appearance codes, nulls one group, Spark double normalisation', async (t) => {
  const g = hashGroupI32(new Int32Array([7, 3, 7, 0, 3, 7]));
  t.same(arr(g.codes), [0, 1, 0, 2, 1, 0]);
  t.same(arr(g.firstRow), [0, 1, 3]);
  const n = hashGroupI32(new Int32Array([5, 9, 5, 9, 1]), bits([false, true, false, true, true]));
  t.same(arr(n.codes), [0, 1, 0, 1, 2], 'the null rows form group 0');
  const n2 = hashGroupI32(new Int32Array([5, 9, 6]), bits([false, true, false], 3));
  t.same(arr(n2.codes), [0, 1, 0], 'nulls group together whatever their values (bit offset 3)');
  const f = hashGroupF64(new Float64Array([0, -0, NaN, -NaN, 1.5, Infinity, -Infinity, 1.5]));
  t.same(arr(f.codes), [0, 0, 1, 1, 2, 3, 4, 2], '-0.0 == 0.0 and every NaN is one key');
  const l = hashGroupI64(new BigInt64Array([2n ** 62n, -1n, 2n ** 62n, 0n]));
  t.same(arr(l.codes), [0, 1, 0, 2]);
  const s = hashGroupStrings(packStrings(['a', '', 'b', 'a', 'é', 'e\u0301', '']), bits([true, true, true, true, true, true, false]));
  t.same(arr(s.codes), [0, 1, 2, 0, 3, 4, 5], "exact bytes: '' is not null, é (precomposed) != e + combining accent");
  const rows = hashGroupRows(new Uint32Array([1, 2, 1, 3, 1, 2]), 2);
  t.same(arr(rows.codes), [0, 1, 0]);
  const r64 = hashGroupRows(new BigUint64Array([1n, 2n ** 64n - 1n, 1n]), 1);
  t.same(arr(r64.codes), [0, 1, 0]);
});

t.test('group ids: empty, one row, all equal, all distinct', async (t) => {
  t.same(arr(hashGroupI32(new Int32Array(0)).codes), []);
  t.same(arr(hashGroupI32(new Int32Array(0)).firstRow), []);
  t.same(arr(hashGroupF64(new Float64Array([NaN])).firstRow), [0]);
  t.same(arr(hashGroupI32(new Int32Array(1000).fill(-4)).firstRow), [0]);
  const distinct = Int32Array.from({ length: 5000 }, (_, i) => i * 7919 - 20_000_000);
  const d = hashGroupI32(distinct);
  t.same(arr(d.codes), arr(Int32Array.from({ length: 5000 }, (_, i) => i)));
  t.same(hashGroup({ kind: 'string', strings: packStrings([]) }).codes.length, 0);
});

t.test('GroupTable merges partial group tables of several partitions', async (t) => {
  // Two partitions grouped locally; their distinct keys (at firstRow) are added to one table,
  // whose codes are the global group ids of the local groups.
  const p1 = new Int32Array([10, 20, 10, 30]);
  const p2 = new Int32Array([30, 40, 40, 10]);
  const g1 = hashGroupI32(p1);
  const g2 = hashGroupI32(p2);
  const table = new GroupTable('i32');
  const k1 = table.add({ kind: 'i32', values: Int32Array.from(g1.firstRow, (r) => p1[r]!) });
  const k2 = table.add({ kind: 'i32', values: Int32Array.from(g2.firstRow, (r) => p2[r]!) });
  t.same(arr(k1.codes), [0, 1, 2], 'partition 1: 10, 20, 30');
  t.same(arr(k2.codes), [2, 3, 0], 'partition 2: 30 (known), 40 (new), 10 (known)');
  t.same(arr(k2.firstRow), [1], 'only 40 is new: row 1 of that batch');
  t.equal(table.size, 4);
  t.same(arr(table.lookup({ kind: 'i32', values: new Int32Array([40, 50, 10]), validity: bits([true, true, false]) })), [3, -1, -1], 'absent and null keys look up as -1');
  const s = new GroupTable('string');
  s.add({ kind: 'string', strings: packStrings(['x', 'y']) });
  t.same(arr(s.add({ kind: 'string', strings: packStrings(['y', 'z', 'x']) }).codes), [1, 2, 0]);
  table.dispose();
  table.dispose();
  t.throws(() => table.add({ kind: 'i32', values: new Int32Array(1) }), /GroupTable.add: expected a GroupTable that is not disposed/);
  const js = new GroupTableJs('i32');
  t.same(arr(js.add({ kind: 'i32', values: new Int32Array([4, 4, 5]) }).codes), [0, 0, 1]);
});

t.test('hash join: many-to-many pairs in probe order then build order; null keys never match', async (t) => {
  const probe = { kind: 'i32' as const, values: new Int32Array([2, 9, 1, 2, 7]), validity: bits([true, true, true, true, false]) };
  const build = { kind: 'i32' as const, values: new Int32Array([1, 2, 3, 2, 7, 2]), validity: bits([true, true, true, true, true, false]) };
  const inner = hashJoin(probe, build);
  t.same(arr(inner.left), [0, 0, 2, 3, 3]);
  t.same(arr(inner.right), [1, 3, 0, 1, 3], 'build row 5 (key 2) is null: never matched; probe row 4 (null) likewise');
  t.same(arr(inner.unmatchedProbe), [1, 4]);
  t.same(arr(inner.matchedBuild), [1, 1, 0, 1, 0, 0]);
  const outer = hashJoin(probe, build, { mode: 'probeOuter' });
  t.same(arr(outer.left), [0, 0, 1, 2, 3, 3, 4]);
  t.same(arr(outer.right), [1, 3, -1, 0, 1, 3, -1]);
  const semi = hashJoin(probe, build, { mode: 'semi' });
  t.same(arr(semi.left), [0, 2, 3]);
  t.same(arr(semi.right), []);
  t.same(hashJoinJs(probe, build, { mode: 'semi' }), semi);
  const f = hashJoin({ kind: 'f64', values: new Float64Array([-0, NaN]) }, { kind: 'f64', values: new Float64Array([0, -NaN]) });
  t.same([arr(f.left), arr(f.right)], [[0, 1], [0, 1]], 'doubles join by normalised value (Spark NormalizeFloatingNumbers)');
  const s = hashJoin({ kind: 'string', strings: packStrings(['b', 'a', 'c']) }, { kind: 'string', strings: packStrings(['a', 'b', 'a']) });
  t.same([arr(s.left), arr(s.right)], [[0, 1, 1], [1, 0, 2]]);
  const empty = hashJoin({ kind: 'i64', values: new BigInt64Array(0) }, { kind: 'i64', values: new BigInt64Array([1n]) });
  t.same([empty.left.length, empty.unmatchedProbe.length, arr(empty.matchedBuild)], [0, 0, [0]]);
});

t.test('JoinTable: build once, probe several batches; matchedBuild accumulates', async (t) => {
  const jt = new JoinTable({ kind: 'rows32', words: new Uint32Array([1, 1, 2, 2, 1, 1]), width: 2 });
  t.equal(jt.buildRows, 3);
  const a = jt.probe({ kind: 'rows32', words: new Uint32Array([2, 2]), width: 2 });
  t.same([arr(a.left), arr(a.right)], [[0], [1]]);
  t.same(arr(jt.matchedBuild()), [0, 1, 0]);
  jt.probe({ kind: 'rows32', words: new Uint32Array([1, 1, 9, 9]), width: 2 }, { mode: 'semi' });
  t.same(arr(jt.matchedBuild()), [1, 1, 1]);
  t.throws(() => jt.probe({ kind: 'rows32', words: new Uint32Array([1, 1, 1]), width: 3 }), /JoinTable.probe: expected the build side's width 2 for probe.width, got 3/);
  jt.dispose();
});

t.test('argsort: Spark ordering, stable, nulls first ascending / last descending', async (t) => {
  const x = new Float64Array([3, NaN, -0, 0, -1, Infinity, -Infinity, 7, 0]);
  const v = bits([true, true, true, true, true, true, true, false, true]);
  t.same(arr(argsortF64(x, { validity: v })), [7, 6, 4, 2, 3, 8, 0, 5, 1], 'ASC NULLS FIRST; -0 and 0 tie in input order; NaN last');
  t.same(arr(argsortF64(x, { validity: v, descending: true })), [1, 5, 0, 2, 3, 8, 4, 6, 7], 'DESC NULLS LAST; ties stay in input order');
  t.same(arr(argsortF64(x, { validity: v, descending: true, nullsFirst: true })), [7, 1, 5, 0, 2, 3, 8, 4, 6]);
  t.same(arr(argsortI32(new Int32Array([5, -2147483648, 2147483647, 5, 0]))), [1, 4, 0, 3, 2]);
  t.same(arr(argsortI64(new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n), 0n]), { descending: true })), [0, 2, 1]);
  t.same(arr(argsort(new Int32Array([3, 1, 2]), { perm: new Int32Array([2, 0]) })), [2, 0], 'sorts only the rows in perm');
  t.same(arr(argsort(new Int32Array(0))), []);
  t.same(arr(argsort(new Float64Array([NaN]))), [0]);
  const big = Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) / 7 - 300);
  t.same(argsort(big), argsortJs(big), 'radix path (> 64 rows) equals the JS reference');
});

t.test('argsortStrings: UTF-8 byte order (Spark binary collation), not UTF-16 order', async (t) => {
  const s = packStrings(['b', 'a', '\uff61', '😀', 'Z', '', 'ab', 'a']);
  // UTF-8: '\uff61' = EF BD A1 < '😀' = F0 9F 98 80 (UTF-16 would put the surrogate pair first).
  t.same(arr(argsortStrings(s)), [5, 4, 1, 7, 6, 0, 2, 3]);
  t.same(arr(argsortStrings(s, { descending: true })), [3, 2, 0, 6, 1, 7, 4, 5]);
  t.same(arr(argsortStrings(packStrings(['x', 'a']), { validity: bits([false, true]) })), [0, 1]);
});

t.test('argsortMulti: last key first, refined by earlier keys (LSD over keys)', async (t) => {
  const dept = packStrings(['b', 'a', 'b', 'a', 'b']);
  const salary = new Float64Array([10, 30, 30, 20, NaN]);
  const order = argsortMulti([{ values: dept }, { values: salary, descending: true }]);
  t.same(arr(order), [1, 3, 4, 2, 0], 'dept ASC, then salary DESC (NaN largest)');
});

// Spark-generated hash() values: apache/spark via rapidsai/cudf spark_murmurhash3_x86_32 tests
// (seed 42; the -0.0 rows there predate Spark 3.2, which hashes -0.0 as 0.0: so do we).
t.test("sparkHash: Spark's hash() of every supported type", async (t) => {
  const strs = ['', 'The quick brown fox', 'jumps over the lazy dog.', 'All work and no play makes Jack a dull boy', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\ud720\ud721'];
  const str: HashColumn = { type: 'string', strings: packStrings(strs) };
  t.same(arr(sparkHash([str])), [142593372, 1217302703, -715697185, -2061143941, -111635966]);
  t.same(arr(sparkHash([str], 314)), [1467149710, 723257560, -1620282500, -2001858707, 1588473657], 'seed 314');
  t.same(arr(sparkHash([{ type: 'float64', values: new Float64Array([0, -0, -NaN, -Number.MAX_VALUE, Number.MAX_VALUE]) }])), [-1670924195, -1670924195, -1281358385, 1897734433, -508695674]);
  t.same(arr(sparkHash([{ type: 'int64', values: new BigInt64Array([0n, 100n, -100n, -(2n ** 63n), 2n ** 63n - 1n]) }])), [-1670924195, 1114849490, 904948192, -853646085, -1604625029]);
  t.same(arr(sparkHash([{ type: 'int64', values: new BigInt64Array([0n, 100n, -100n, -9223372036854n, 9223372036854n]) }])), [-1670924195, 1114849490, 904948192, -1832979433, 1752430209], 'timestamps (microseconds)');
  t.same(arr(sparkHash([{ type: 'float32', values: new Float32Array([0, -0, -NaN, -3.4028234663852886e38, 3.4028234663852886e38]) }])), [933211791, 933211791, -349261430, -1225560532, -338752985]);
  t.same(arr(sparkHash([{ type: 'int32', values: new Int32Array([0, 100, -100, -(2 ** 31), 2 ** 31 - 1]) }])), [933211791, 751823303, -1080202046, 723455942, 133916647]);
  t.same(arr(sparkHash([{ type: 'int32', values: new Int32Array([0, 100, -100, -21474836, 21474836]) }])), [933211791, 751823303, -1080202046, -1906567553, -1503850410], 'dates (days)');
  t.same(arr(sparkHash([{ type: 'boolean', values: new Uint8Array([0, 1, 2, 255, 0]) }])), [933211791, -559580957, -559580957, -559580957, 933211791]);
  // struct<a: int, b: string, c: struct<x: float, y: long>> hashes its fields in order: the
  // same chain as four columns.
  const struct: HashColumn[] = [
    { type: 'int32', values: new Int32Array([0, 100, -100, 0x12345678, -0x76543210]) },
    { type: 'string', strings: packStrings(['a', 'bc', 'def', 'ghij', 'klmno']) },
    { type: 'float32', values: new Float32Array([0, 100, -100, Infinity, -Infinity]) },
    { type: 'int64', values: new BigInt64Array([0n, 100n, -100n, 0x0123456789abcdefn, -0x0123456789abcdefn]) },
  ];
  t.same(arr(sparkHash(struct)), [-105406170, 90479889, -678041645, 1667387937, 301478567], 'multi-column chain (struct fields)');
  t.same(sparkHashJs(struct), sparkHash(struct));
});

t.test("sparkHash: Spark's documented examples", async (t) => {
  // SQL reference: SELECT hash('Spark', array(123), 2) -> -1321691492 (an array hashes its elements in turn).
  const cols: HashColumn[] = [
    { type: 'string', strings: packStrings(['Spark']) },
    { type: 'int32', values: new Int32Array([123]) },
    { type: 'int32', values: new Int32Array([2]) },
  ];
  t.same(arr(sparkHash(cols)), [-1321691492]);
  // PySpark docs: hash('ABC') = -757602832, hash('ABC', 'DEF') = 599895104.
  t.same(arr(sparkHash([{ type: 'string', strings: packStrings(['ABC']) }])), [-757602832]);
  t.same(arr(sparkHash([{ type: 'string', strings: packStrings(['ABC']) }, { type: 'string', strings: packStrings(['DEF']) }])), [599895104]);
  const nulls = sparkHash([{ type: 'int32', values: new Int32Array([1, 1]), validity: bits([false, true]) }]);
  t.equal(nulls[0], 42, 'a null leaves the seed unchanged');
});

t.test('partitioning: pmod, stable scatter, hashPartition', async (t) => {
  const h = new Int32Array([-1, 0, 7, -2147483648, 2147483647, -9]);
  t.same(arr(partitionIds(h, 4)), [3, 0, 3, 0, 3, 3]);
  t.same(partitionIds(h, 7), partitionIdsJs(h, 7));
  t.same(arr(partitionIds(h, 1)), [0, 0, 0, 0, 0, 0]);
  const sc = scatterRows(new Int32Array([1, 0, 1, 2, 1]), 4);
  t.same([arr(sc.offsets), arr(sc.rows)], [[0, 1, 4, 5, 5], [1, 0, 2, 4, 3]]);
  const p = hashPartition([{ type: 'int32', values: new Int32Array([1, 2, 3, 4, 5, 6]) }], 3);
  t.same(arr(p.ids), arr(partitionIdsJs(sparkHashJs([{ type: 'int32', values: new Int32Array([1, 2, 3, 4, 5, 6]) }]), 3)));
  t.equal(p.rows.length, 6);
  const hashes = new Int32Array([42, 42]);
  t.equal(murmur3Column({ type: 'int32', values: new Int32Array([1, 0]) }, hashes), hashes, 'in place');
  t.same(arr(hashes), [-559580957, 933211791], 'hashInt(1) = 0xdea578e3, hashInt(0) = 0x379fae8f');
});

t.test('errors name the argument or the row', async (t) => {
  t.throws(() => hashGroup({ kind: 'i32', values: new Float64Array(2) } as never), { name: 'KindlingTypeError', code: 'ERR_KINDLING_INVALID_ARG', message: 'hashGroup: expected Int32Array for keys.values, got Float64Array(2) (object)' });
  t.throws(() => hashGroup({ kind: 'u8' } as never), /hashGroup: expected one of i32, i64, f64, string, rows32, rows64 for keys.kind, got "u8" \(string\)/);
  t.throws(() => hashGroupRows(new Uint32Array(5), 2), { name: 'KindlingRangeError', code: 'ERR_KINDLING_INVALID_ARG', message: 'hashGroup: expected a multiple of width 2 for keys.words.length, got 5 (number)' });
  t.throws(() => hashGroupI32(new Int32Array(20), { bitmap: new Uint8Array(1), offset: 0 }), /hashGroup: expected at least 3 bytes for 20 rows at bit offset 0 for validity.bitmap.length/);
  const bad = { bytes: new Uint8Array(4), offsets: new Int32Array([0, 3, 2]) };
  t.throws(() => hashGroupStrings(bad), /hashGroup: row 2 of offsets \(2\) is smaller than the previous offset \(3\)/);
  t.throws(() => hashGroupJs({ kind: 'string', strings: bad }), /GroupTableJs.add: row 2 of keys.strings.offsets \(2\) is smaller than the previous offset \(3\)/);
  t.throws(() => hashGroupStrings({ bytes: new Uint8Array(2), offsets: new Int32Array([0, 3]) }), /hashGroup: expected offsets ending within bytes.length 2 for offsets, got 3/);
  t.throws(() => new GroupTable('i32', 2), /GroupTable: expected integer in \[1, 1\] for width, got 2/);
  t.throws(() => new GroupTable('i32').add({ kind: 'i64', values: new BigInt64Array(1) }), /GroupTable.add: expected the table's kind i32 for keys.kind, got "i64"/);
  t.throws(() => hashJoin({ kind: 'i32', values: new Int32Array(1) }, { kind: 'i64', values: new BigInt64Array(1) }), /hashJoin: expected the build side's kind i64 for probe.kind, got "i32"/);
  t.throws(() => hashJoin({ kind: 'i32', values: new Int32Array(1) }, { kind: 'i32', values: new Int32Array(1) }, { mode: 'left' as never }), /hashJoin: expected one of inner, probeOuter, semi for options.mode, got "left"/);
  t.throws(() => argsort(new Int32Array([1, 2]), { perm: new Int32Array([0, 2]) }), { name: 'KindlingRangeError', code: 'ERR_KINDLING_INVALID_ARG', message: 'argsort: row 1 of perm holds 2, outside [0, 2)' });
  t.throws(() => argsortJs(new Int32Array([1, 2]), { perm: new Int32Array([0, 2]) }), { name: 'KindlingRangeError', code: 'ERR_KINDLING_INVALID_ARG', message: 'argsortJs: row 1 of perm holds 2, outside [0, 2)' });
  t.throws(() => argsort(new Uint8Array(2) as never), /argsort: expected Int32Array, BigInt64Array or Float64Array for values, got Uint8Array\(2\)/);
  t.throws(() => argsort(new Int32Array(2), { descending: 1 as never }), /argsort: expected boolean for options.descending, got 1 \(number\)/);
  t.throws(() => argsortMulti([{ values: new Int32Array(2) }, { values: new Int32Array(3) }]), /argsortMulti: expected 2 \(the rows of keys\[0\]\) for keys\[1\] rows, got 3/);
  t.throws(() => scatterRows(new Int32Array([0, 5, 1]), 3), { name: 'KindlingRangeError', code: 'ERR_KINDLING_INVALID_ARG', message: 'scatterRows: row 1 of ids holds 5, outside [0, 3)' });
  t.throws(() => partitionIds(new Int32Array(1), 0), /partitionIds: expected integer in \[1, 2147483647\] for numPartitions, got 0/);
  t.throws(() => sparkHash([{ type: 'int32', values: new Int32Array(2) }, { type: 'int64', values: new BigInt64Array(3) }]), /sparkHash: expected 2 \(the rows of columns\[0\]\) for columns\[1\] rows, got 3/);
  t.throws(() => murmur3Column({ type: 'int32', values: new Int32Array(2) }, new Int32Array(3)), /murmur3Column: expected 2 for hashes.length, got 3/);
  t.throws(() => sparkHash([{ type: 'decimal' } as never]), /sparkHash: expected one of int32, int64, float64, float32, boolean, string for columns\[0\].type, got "decimal"/);
});
