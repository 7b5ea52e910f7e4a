// Arrow IPC reader and writer: file and stream formats detected by magic bytes, batches as read
// (projection and batchSize splitting share the reader's buffers), truncation and garbage
// rejected naming the file, and writing that streams to disk.
import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { arrowSource, writeArrowPart } from '../../../ts/src/io/arrow-ipc.js';
import type { DataSource, ScanOptions } from '../../../ts/src/io/source.js';
import { Types } from '../../../ts/src/dataframe/types.js';

function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof arrow.Vector) return [...v].map(plain);
  if (v instanceof Uint8Array) return Array.from(v);
  if (typeof v === 'object') {
    const j = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON: () => Record<string, unknown> }).toJSON() : (v as Record<string, unknown>);
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(j)) o[k] = plain(j[k]);
    return o;
  }
  return v;
}

async function batchesOf(src: DataSource, opts?: ScanOptions): Promise<arrow.RecordBatch[]> {
  const out: arrow.RecordBatch[] = [];
  for await (const b of src.scan(opts)) out.push(b);
  return out;
}

async function collect(src: DataSource, opts?: ScanOptions): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (const b of await batchesOf(src, opts)) for (const r of b) rows.push(plain(r));
  return rows;
}

function col(values: unknown[], type: arrow.DataType): arrow.Data {
  return arrow.vectorFromArray(values, type).data[0]!;
}

const schema = new arrow.Schema([
  new arrow.Field('id', Types.int(), false),
  new arrow.Field('x', Types.double(), true),
  new arrow.Field('s', Types.string(), true),
  new arrow.Field('tags', Types.array(Types.string()), true),
  new arrow.Field('v', Types.vector(2), true),
  new arrow.Field('ts', Types.timestamp(), true),
]);

function batch(start: number, n: number): arrow.RecordBatch {
  const ids = Array.from({ length: n }, (_, i) => start + i);
  const children = [
    col(ids, Types.int()),
    col(ids.map((i) => (i % 4 === 0 ? null : i / 2)), Types.double()),
    col(ids.map((i) => (i % 5 === 0 ? null : `s${i}`)), Types.string()),
    col(ids.map((i) => (i % 3 === 0 ? null : [`t${i}`, null])), Types.array(Types.string())),
    arrow.makeData({ type: Types.vector(2), length: n, nullCount: 0, child: arrow.makeData({ type: Types.double(), length: 2 * n, data: Float64Array.from({ length: 2 * n }, (_, k) => start * 2 + k) }) }),
    col(ids.map((i) => i * 1000), Types.timestamp()),
  ];
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children }));
}

const expected = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return { id: i, x: i % 4 === 0 ? null : i / 2, s: i % 5 === 0 ? null : `s${i}`, tags: i % 3 === 0 ? null : [`t${i}`, null], v: [i * 2, i * 2 + 1], ts: i * 1000 };
  });

t.test('file and stream formats round-trip, detected by magic bytes', async (t) => {
  const dir = t.testdir();
  for (const format of ['file', 'stream'] as const) {
    const f = join(dir, `data.${format}`);
    await writeArrowPart(f, schema, [batch(0, 10), batch(10, 5), batch(15, 0), batch(15, 20)], { format });
    const head = readFileSync(f).subarray(0, 6).toString('latin1');
    t.equal(head === 'ARROW1', format === 'file', `${format}: magic`);
    const src = await arrowSource([f]);
    t.same(src.schema.fields.map((x) => `${x.name}:${x.type}:${x.nullable}`), schema.fields.map((x) => `${x.name}:${x.type}:${x.nullable}`));
    t.equal(src.description, `arrow [${f}]`);
    t.same(src.files, [f]);
    const bs = await batchesOf(src);
    t.same(bs.map((b) => b.numRows), [10, 5, 20], `${format}: batches as written (empty ones dropped)`);
    t.same(await collect(src), expected(0, 35));
    const ts = bs[0]!.getChild('ts')!.data[0]!.values as BigInt64Array;
    t.equal(ts[3], 3_000_000n, 'timestamps keep µs');
  }
  // a file named .arrow holding a stream still reads
  const mislabeled = join(dir, 'stream-content.arrow');
  await writeArrowPart(mislabeled, schema, [batch(0, 3)], { format: 'stream' });
  t.same(await collect(await arrowSource([mislabeled])), expected(0, 3));
  // several files of both formats in one source
  const both = await arrowSource([join(dir, 'data.file'), join(dir, 'data.stream')]);
  t.equal((await collect(both)).length, 70);
});

t.test('projection and batchSize splitting are zero-copy slices', async (t) => {
  const dir = t.testdir();
  const f = join(dir, 'big.arrow');
  await writeArrowPart(f, schema, [batch(0, 1000)]);
  const src = await arrowSource([f]);
  const bs = await batchesOf(src, { columns: ['s', 'id'], batchSize: 300 });
  t.same(bs.map((b) => b.numRows), [300, 300, 300, 100]);
  t.same(bs[0]!.schema.fields.map((x) => x.name), ['s', 'id']);
  const ids = bs.map((b) => b.getChild('id')!.data[0]!.values as Int32Array);
  t.ok(ids.every((a) => a.buffer === ids[0]!.buffer), 'every slice views the same buffer the reader produced');
  t.same(Array.from(ids[3]!.subarray(0, 3)), [900, 901, 902]);
  t.same((await collect(src, { columns: ['id'], batchSize: 300 })).slice(299, 301), [{ id: 299 }, { id: 300 }]);
  t.throws(() => src.scan({ columns: ['nope'] }), { code: 'ERR_KINDLING_SCHEMA', message: /^arrow: cannot resolve column "nope" among \[id, x, s, tags, v, ts\]/ });
  t.throws(() => src.scan({ batchSize: -1 }), { code: 'ERR_KINDLING_INVALID_ARG', message: /batchSize/ });
});

t.test('an empty input writes a valid file with the schema', async (t) => {
  const dir = t.testdir();
  for (const format of ['file', 'stream'] as const) {
    const f = join(dir, `empty.${format}`);
    await writeArrowPart(f, schema, [], { format });
    const src = await arrowSource([f]);
    t.same(src.schema.fields.map((x) => x.name), ['id', 'x', 's', 'tags', 'v', 'ts']);
    t.same(await batchesOf(src), []);
  }
});

t.test('dictionary-encoded and nested columns pass through', async (t) => {
  const dir = t.testdir();
  const dictType = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
  const s = new arrow.Schema([new arrow.Field('d', dictType, true), new arrow.Field('st', new arrow.Struct([new arrow.Field('a', Types.int(), true)]), true)]);
  const b = new arrow.RecordBatch(s, arrow.makeData({ type: new arrow.Struct(s.fields), length: 3, nullCount: 0, children: [col(['a', null, 'a'], dictType), col([{ a: 1 }, null, { a: null }], s.fields[1]!.type)] }));
  for (const format of ['file', 'stream'] as const) {
    const f = join(dir, `dict.${format}`);
    await writeArrowPart(f, s, [b], { format });
    const src = await arrowSource([f]);
    t.ok(arrow.DataType.isDictionary(src.schema.fields[0]!.type));
    t.same(await collect(src), [{ d: 'a', st: { a: 1 } }, { d: null, st: null }, { d: 'a', st: { a: null } }]);
  }
});

t.test('truncated, garbage and empty inputs fail naming the file', async (t) => {
  const dir = t.testdir();
  const good = join(dir, 'good.arrow');
  const goodStream = join(dir, 'good.stream');
  await writeArrowPart(good, schema, [batch(0, 100), batch(100, 100)]);
  await writeArrowPart(goodStream, schema, [batch(0, 100), batch(100, 100)], { format: 'stream' });
  const file = readFileSync(good);
  const stream = readFileSync(goodStream);
  const cases: [string, Uint8Array, RegExp][] = [
    ['cut.arrow', file.subarray(0, file.length - 40), /^arrow: cannot read .*cut\.arrow: file is truncated or not Arrow IPC \(no ARROW1 footer\)$/],
    ['half.arrow', file.subarray(0, file.length >> 1), /half\.arrow: file is truncated or not Arrow IPC \(no ARROW1 footer\)/],
    ['cut.stream', stream.subarray(0, stream.length - 100), /^arrow: cannot read .*cut\.stream: stream is truncated \(no end-of-stream marker\)$/],
    ['garbage.arrow', Uint8Array.from({ length: 3000 }, (_, i) => (i * 131 + 7) & 0x7f), /garbage\.arrow: not an Arrow IPC file or stream/],
    ['empty.arrow', new Uint8Array(0), /^arrow: cannot read .*empty\.arrow: file is empty \(0 bytes\), not Arrow IPC$/],
    ['badfooter.arrow', Buffer.concat([file.subarray(0, file.length - 10), Buffer.from([0x7f, 0xff, 0xff, 0x7f]), file.subarray(file.length - 6)]), /badfooter\.arrow: file is truncated or corrupt \(footer length/],
  ];
  for (const [name, bytes, re] of cases) {
    const p = join(dir, name);
    await writeFile(p, bytes);
    await t.rejects(arrowSource([p]), { code: 'ERR_KINDLING_LOAD', message: re }, name);
  }
  // a stream cut inside a record batch, with an end marker glued on: the message walk finds the
  // batch whose body runs past the end before anything is decoded
  const glued = join(dir, 'glued.stream');
  await writeFile(glued, Buffer.concat([stream.subarray(0, stream.length - 3000), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]));
  await t.rejects(arrowSource([glued]), { code: 'ERR_KINDLING_LOAD', message: /^arrow: cannot read .*glued\.stream: file is corrupt \(message 2 declares a 5808-byte body at byte 6656, past the end\)$/ });
  await t.rejects(arrowSource([join(dir, 'missing.arrow')]), { message: /^arrow: cannot read .*missing\.arrow: no such file$/ });
  await t.rejects(arrowSource([]), { code: 'ERR_KINDLING_INVALID_ARG' });
});

t.test('files with different columns are refused; nullability merges', async (t) => {
  const dir = t.testdir();
  const a = join(dir, 'a.arrow');
  const b = join(dir, 'b.arrow');
  const c = join(dir, 'c.arrow');
  const s1 = new arrow.Schema([new arrow.Field('k', Types.int(), false)]);
  const s2 = new arrow.Schema([new arrow.Field('k', Types.int(), true)]);
  const s3 = new arrow.Schema([new arrow.Field('k', Types.string(), true)]);
  const mk = (s: arrow.Schema, vals: unknown[]) => new arrow.RecordBatch(s, arrow.makeData({ type: new arrow.Struct(s.fields), length: vals.length, nullCount: 0, children: [col(vals, s.fields[0]!.type)] }));
  await writeArrowPart(a, s1, [mk(s1, [1, 2])]);
  await writeArrowPart(b, s2, [mk(s2, [null])]);
  await writeArrowPart(c, s3, [mk(s3, ['x'])]);
  const src = await arrowSource([a, b]);
  t.equal(src.schema.fields[0]!.nullable, true);
  t.same(await collect(src), [{ k: 1 }, { k: 2 }, { k: null }]);
  await t.rejects(arrowSource([a, c]), { code: 'ERR_KINDLING_SCHEMA', message: /^arrow: .*c\.arrow has columns \[k: string\] but .*a\.arrow has \[k: int\]$/ });
});

t.test('writer: async sources, schema checks, no partial file on failure, large outputs stream', async (t) => {
  const dir = t.testdir();
  const f = join(dir, 'async.arrow');
  async function* gen() {
    for (let i = 0; i < 20; i++) yield batch(i * 50, 50);
  }
  await writeArrowPart(f, schema, gen(), { format: 'stream' });
  t.same(await collect(await arrowSource([f])), expected(0, 1000));

  const bad = join(dir, 'bad.arrow');
  const other = new arrow.Schema([new arrow.Field('q', Types.int(), true)]);
  const ob = new arrow.RecordBatch(other, arrow.makeData({ type: new arrow.Struct(other.fields), length: 1, nullCount: 0, children: [col([1], Types.int())] }));
  await t.rejects(writeArrowPart(bad, schema, [batch(0, 5), ob]), { code: 'ERR_KINDLING_SCHEMA', message: /^writeArrowPart: a batch's columns \[q: int\] do not match the schema \[id: int, x: double/ });
  t.throws(() => statSync(bad), 'the partial file is removed');
  async function* failing() {
    yield batch(0, 5);
    throw new RangeError('source failed');
  }
  await t.rejects(writeArrowPart(bad, schema, failing()), { message: /^writeArrowPart: cannot write .*bad\.arrow: source failed$/ });
  t.throws(() => statSync(bad));
  await t.rejects(writeArrowPart(bad, schema, [], { format: 'feather' as never }), { code: 'ERR_KINDLING_INVALID_ARG', message: /^writeArrowPart: expected 'file' or 'stream' for format, got "feather"/ });

  // ~100 MB through the 64 MiB back-pressure window
  const wide = new arrow.Schema([new arrow.Field('x', Types.double(), false)]);
  const n = 1 << 20;
  const chunk = new arrow.RecordBatch(wide, arrow.makeData({ type: new arrow.Struct(wide.fields), length: n, nullCount: 0, children: [arrow.makeData({ type: Types.double(), length: n, data: Float64Array.from({ length: n }, (_, i) => i) })] }));
  const big = join(dir, 'big.arrow');
  await writeArrowPart(big, wide, Array.from({ length: 12 }, () => chunk));
  t.ok(statSync(big).size > 12 * 8 * n);
  let rows = 0;
  let last = -1;
  for await (const b of (await arrowSource([big])).scan({ batchSize: n })) {
    rows += b.numRows;
    last = (b.getChild('x')!.data[0]!.values as Float64Array)[n - 1]!;
  }
  t.equal(rows, 12 * n);
  t.equal(last, n - 1);
});

t.test('damaged metadata is a coded error naming the file and batch, never a hang (issue 10)', async (t) => {
  const dir = t.testdir();
  const s = new arrow.Schema([new arrow.Field('k', Types.int(), false)]);
  const mk = (n: number) => new arrow.RecordBatch(s, arrow.makeData({ type: new arrow.Struct(s.fields), length: n, nullCount: 0, children: [col(Array.from({ length: n }, (_, i) => i), Types.int())] }));
  for (const format of ['file', 'stream'] as const) {
    const f = join(dir, `len.${format}`);
    await writeArrowPart(f, s, [mk(1234), mk(1234)], { format });
    const bytes = Buffer.from(readFileSync(f));
    // the second batch's row count (int64 1234 in its metadata) becomes 2^40: before the fix the
    // reader yielded 65,536-row slices of it for hours
    // (in each batch's metadata 1234 appears twice: the batch length and the column's node length)
    const find = (from: number) => bytes.indexOf(Buffer.from([0xd2, 0x04, 0, 0, 0, 0, 0, 0]), from);
    let at = -1;
    for (let k = 0; k < 3; k++) at = find(at + 1);
    t.ok(at > 0);
    for (const p of [at, find(at + 1)]) bytes.writeBigInt64LE(1n << 40n, p);
    const bad = join(dir, `bad-len.${format}`);
    await writeFile(bad, bytes);
    if (format === 'file') {
      // kindling's own file: the batch checksum catches it first
      await t.rejects(collect(await arrowSource([bad])), { code: 'ERR_KINDLING_LOAD', message: /^arrow: cannot read .*bad-len\.file: file is corrupt \(batch 1 fails its checksum \(bytes \d+-\d+: stored CRC-32 [0-9a-f]{8}, computed [0-9a-f]{8}\)\)$/ });
    }
    const src = await arrowSource([bad], { verifyChecksums: false });
    const e = await collect(src).then(() => null, (x: Error) => x);
    t.match(e, { code: 'ERR_KINDLING_LOAD', message: new RegExp(`^arrow: cannot read .*bad-len\\.${format}: batch 1 is corrupt \\(column k: 1234 values in its buffer for 1099511627776 rows\\)$`) }, format);
  }
  // a schema whose field count is damaged (fields vector length 2^24): refused before decoding
  const f = join(dir, 'fields.stream');
  await writeArrowPart(f, s, [mk(3)], { format: 'stream' });
  const bytes = Buffer.from(readFileSync(f));
  const schemaMsg = new arrow.Schema([new arrow.Field('k', Types.int(), false)]);
  t.ok(schemaMsg.fields.length === 1);
  let hit = -1;
  for (let i = 8; i < bytes.readInt32LE(4) + 8 - 4; i += 4) if (bytes.readUInt32LE(i) === 1 && hit < 0) hit = i; // the first vector of length 1: the fields
  bytes.writeUInt32LE(1 << 24, hit);
  const bad = join(dir, 'bad-fields.stream');
  await writeFile(bad, bytes);
  await t.rejects(arrowSource([bad]), { code: 'ERR_KINDLING_LOAD', message: /^arrow: cannot read .*bad-fields\.stream: file is corrupt \(/ });

  // an end-of-stream marker, then a message with a negative length: apache-arrow read on past
  // the marker, turned the length into a negative file position and re-read 0 bytes forever
  const whole = readFileSync(f);
  const schemaEnd = 8 + whole.readInt32LE(4);
  const eos = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
  const trailing = join(dir, 'after-eos.stream');
  await writeFile(trailing, Buffer.concat([whole.subarray(0, schemaEnd), eos, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0xff, 0xff]), whole.subarray(schemaEnd)]));
  const afterEos = new RegExp(`^arrow: cannot read .*after-eos\\.stream: file is corrupt \\(${whole.length - schemaEnd + 8} bytes follow the end-of-stream marker at byte ${schemaEnd}\\)$`);
  await t.rejects(arrowSource([trailing]), { code: 'ERR_KINDLING_LOAD', message: afterEos });
  // the same damage appearing after the source was made: the scan checks the messages again
  const later = join(dir, 'later.stream');
  await writeFile(later, whole);
  const src2 = await arrowSource([later]);
  await writeFile(later, readFileSync(trailing));
  await t.rejects(collect(src2), { code: 'ERR_KINDLING_LOAD', message: new RegExp(afterEos.source.replace('after-eos', 'later')) });
});

t.test('files kindling writes carry a CRC-32 per batch in the footer; damage is found, other files still read', async (t) => {
  const dir = t.testdir();
  const f = join(dir, 'sums.arrow');
  await writeArrowPart(f, schema, [batch(0, 50), batch(50, 50), batch(100, 50)]);
  const bytes = Buffer.from(readFileSync(f));
  // the footer (the last bytes) holds the key; the schema message at the start does not
  const keyAt = bytes.lastIndexOf(Buffer.from('kindling.batch_crc32'));
  t.ok(keyAt > bytes.length - bytes.readInt32LE(bytes.length - 10) - 10, 'in the footer');
  t.equal(bytes.indexOf(Buffer.from('kindling.batch_crc32')), keyAt, 'only there');
  const src = await arrowSource([f]);
  t.equal(src.schema.metadata.has('kindling.batch_crc32'), false, 'not part of the schema a reader sees');
  t.same(await collect(src), expected(0, 150));

  // a flipped bit in a double of the second batch: without the checksum a silently different value
  const x = 75 / 2;
  const at = bytes.indexOf(Buffer.from(new Float64Array([x]).buffer));
  t.ok(at > 0);
  const bad = Buffer.from(bytes);
  bad[at + 6]! ^= 0x01;
  const badFile = join(dir, 'flipped.arrow');
  await writeFile(badFile, bad);
  await t.rejects(collect(await arrowSource([badFile])), { code: 'ERR_KINDLING_LOAD', message: /^arrow: cannot read .*flipped\.arrow: file is corrupt \(batch 1 fails its checksum \(bytes \d+-\d+: stored CRC-32 [0-9a-f]{8}, computed [0-9a-f]{8}\)\)$/ });
  const unchecked = (await collect(await arrowSource([badFile], { verifyChecksums: false }))) as { id: number; x: number }[];
  t.not(unchecked[75]!.x, x, 'verifyChecksums: false reads the damaged value');
  t.equal(unchecked.length, 150);
  await t.rejects(arrowSource([f], { verifyChecksums: 1 as never }), { code: 'ERR_KINDLING_INVALID_ARG', message: /^arrow: expected a boolean for verifyChecksums, got 1 \(number\)$/ });

  // a damaged checksum entry is an error too, not a skipped check
  const footerStart = bytes.length - 10 - bytes.readInt32LE(bytes.length - 10);
  const m = /\d+-\d+:[0-9a-f]+,/.exec(bytes.toString('latin1', footerStart))!;
  const entry = footerStart + m.index + m[0].indexOf('-');
  const garbled = Buffer.from(bytes);
  garbled[entry] = 0x2f; // '-' -> '/'
  const garbledFile = join(dir, 'garbled.arrow');
  await writeFile(garbledFile, garbled);
  await t.rejects(collect(await arrowSource([garbledFile])), { code: 'ERR_KINDLING_LOAD', message: /garbled\.arrow: file is corrupt \(batch 0 has a malformed checksum entry/ });

  // files without checksums (another writer, or the stream format) still read
  const plainFile = join(dir, 'apache-arrow.arrow');
  await writeFile(plainFile, arrow.tableToIPC(new arrow.Table([batch(0, 10)]), 'file'));
  t.same(await collect(await arrowSource([plainFile])), expected(0, 10));
  const streamFile = join(dir, 'sums.stream');
  await writeArrowPart(streamFile, schema, [batch(0, 10)], { format: 'stream' });
  t.equal(readFileSync(streamFile).indexOf(Buffer.from('kindling.batch_crc32')), -1, 'the stream format has no checksums');
  t.same(await collect(await arrowSource([streamFile])), expected(0, 10));
});
