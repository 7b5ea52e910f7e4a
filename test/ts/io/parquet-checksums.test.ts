// Parquet page checksums (PageHeader.crc, CRC-32 of the page's bytes as stored after its
// header): kindling writes one on every data and dictionary page, and verifies them on read
// (option verifyChecksums, default true), in its own files and in Spark-written ones.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { parquetMetadata, parquetReadObjects, readOffsetIndex } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { compressors } from 'hyparquet-compressors';
import { parquetSource, writeParquetPart } from '../../../ts/src/io/parquet/index.js';
import { crc32, _crc32Table } from '../../../ts/src/io/crc32.js';
import { Session } from '../../../ts/src/session.js';

interface Page { column: string; rowGroup: number; page: number; type: string; crc: number | undefined; bodyStart: number; bodyLength: number }

/** Every page of every column chunk, parsed independently of kindling's reader. */
function pagesOf(bytes: Uint8Array): Page[] {
  const md = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Page[] = [];
  md.row_groups.forEach((rg, g) => {
    for (const c of rg.columns) {
      const m = c.meta_data!;
      let pos = Number(m.dictionary_page_offset ?? m.data_page_offset);
      const end = pos + Number(m.total_compressed_size);
      for (let page = 0; pos < end; page++) {
        const r = { view: dv, offset: pos };
        const h = parquetHeader(r);
        out.push({ column: m.path_in_schema.join('.'), rowGroup: g, page, type: h.type, crc: h.crc, bodyStart: r.offset, bodyLength: h.compressed_page_size });
        pos = r.offset + h.compressed_page_size;
      }
    }
  });
  return out;
}

const schema = new arrow.Schema([
  new arrow.Field('id', new arrow.Int32(), false),
  new arrow.Field('s', new arrow.Utf8(), true),
  new arrow.Field('x', new arrow.Float64(), true),
]);

function batch(start: number, n: number): arrow.RecordBatch {
  const ids = Array.from({ length: n }, (_, i) => start + i);
  const col = (v: unknown[], ty: arrow.DataType) => arrow.vectorFromArray(v, ty).data[0]!;
  return new arrow.RecordBatch(schema, arrow.makeData({
    type: new arrow.Struct(schema.fields), length: n, nullCount: 0,
    children: [col(ids, new arrow.Int32()), col(ids.map((i) => (i % 3 === 0 ? null : `v${i % 5}`)), new arrow.Utf8()), col(ids.map((i) => (i % 4 === 0 ? null : i / 8)), new arrow.Float64())],
  }));
}

async function rows(src: { scan: () => AsyncIterable<arrow.RecordBatch> }): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const b of src.scan()) for (const r of b) out.push(r.toJSON());
  return out;
}

const expected = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, s: i % 3 === 0 ? null : `v${i % 5}`, x: i % 4 === 0 ? null : i / 8 }));

t.test('CRC-32 is the zlib/IEEE one, and the table fallback agrees with node:zlib', async (t) => {
  const check = new TextEncoder().encode('123456789');
  t.equal(crc32(check), 0xcbf43926, 'the standard check value');
  t.equal(_crc32Table(check, 0), 0xcbf43926);
  t.equal(crc32(check.subarray(4), crc32(check.subarray(0, 4))), 0xcbf43926, 'continues from a previous value');
  const big = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919) & 0xff);
  t.equal(_crc32Table(big, 0), crc32(big));
  t.equal(crc32(new Uint8Array(0)), 0);
});

t.test('kindling writes a crc on every data and dictionary page; other readers still read the file', async (t) => {
  const dir = t.testdir();
  for (const compression of ['snappy', 'uncompressed', 'gzip'] as const) {
    const f = join(dir, `c-${compression}.parquet`);
    await writeParquetPart(f, schema, [batch(0, 700), batch(700, 300)], { compression, rowGroupSize: 400 });
    const bytes = new Uint8Array(readFileSync(f));
    const pages = pagesOf(bytes);
    t.same([...new Set(pages.map((p) => p.type))].sort(), ['DATA_PAGE_V2', 'DICTIONARY_PAGE'], `${compression}: data and dictionary pages`);
    t.equal(pages.filter((p) => p.rowGroup === 2).length > 0, true, 'three row groups');
    for (const p of pages) t.equal(p.crc, crc32(bytes.subarray(p.bodyStart, p.bodyStart + p.bodyLength)) | 0, `${compression} ${p.column} rg ${p.rowGroup} page ${p.page}: crc matches its bytes`);
    t.same(await rows(await parquetSource([f])), expected(1000), `${compression}: kindling reads it back (checksums verified)`);
    // hyparquet's reader follows the (moved) offsets in the footer to the same values
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const objs = await parquetReadObjects({ file: ab, compressors });
    t.same(objs.map((o) => ({ id: o.id, s: o.s ?? null, x: o.x ?? null })), expected(1000), `${compression}: hyparquet reads the same rows`);
  }
});

t.test('multi-page chunks: the offset index points at the stamped page headers', async (t) => {
  const dir = t.testdir();
  const wide = new arrow.Schema([new arrow.Field('x', new arrow.Float64(), false)]);
  const n = 300_000; // 2.4 MB of doubles: three 1 MB pages, so hyparquet-writer writes an offset index
  const data = Float64Array.from({ length: n }, (_, i) => i * 0.5 + 1 / 3);
  const b = new arrow.RecordBatch(wide, arrow.makeData({ type: new arrow.Struct(wide.fields), length: n, nullCount: 0, children: [arrow.makeData({ type: new arrow.Float64(), length: n, data })] }));
  const f = join(dir, 'pages.parquet');
  await writeParquetPart(f, wide, [b], { compression: 'uncompressed' });
  const bytes = new Uint8Array(readFileSync(f));
  const pages = pagesOf(bytes).filter((p) => p.type === 'DATA_PAGE_V2');
  t.equal(pages.length, 3);
  t.ok(pages.every((p) => p.crc === (crc32(bytes.subarray(p.bodyStart, p.bodyStart + p.bodyLength)) | 0)));
  const md = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const chunk = md.row_groups[0]!.columns[0]!;
  const at = Number(chunk.offset_index_offset);
  const index = readOffsetIndex({ view: new DataView(bytes.buffer, bytes.byteOffset + at, chunk.offset_index_length!), offset: 0 });
  t.equal(index.page_locations.length, 3);
  index.page_locations.forEach((loc, k) => {
    const r = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: Number(loc.offset) };
    const h = parquetHeader(r);
    t.equal(r.offset + h.compressed_page_size - Number(loc.offset), loc.compressed_page_size, `page ${k}: size includes the stamped header`);
    t.equal(r.offset, pages[k]!.bodyStart, `page ${k}: location is the page's header`);
  });
  const back: number[] = [];
  for await (const rb of (await parquetSource([f])).scan({ batchSize: n })) for (const v of (rb.getChild('x')!.data[0]!.values as Float64Array).subarray(0, rb.numRows)) back.push(v);
  t.equal(back.length, n);
  t.equal(back[n - 1], data[n - 1]);
  t.ok(back.every((v, i) => v === data[i]));
});

t.test('a damaged page is a coded error naming file, column, row group and page; verifyChecksums: false skips the check', async (t) => {
  const dir = t.testdir();
  const f = join(dir, 'good.parquet');
  await writeParquetPart(f, schema, [batch(0, 1000)], { compression: 'uncompressed', rowGroupSize: 400 });
  const bytes = new Uint8Array(readFileSync(f));
  const target = pagesOf(bytes).find((p) => p.column === 'x' && p.rowGroup === 1 && p.type === 'DATA_PAGE_V2')!;
  const bad = bytes.slice();
  bad[target.bodyStart + target.bodyLength - 3]! ^= 0x10; // a bit of a double's exponent: a silently different value without the crc
  const badFile = join(dir, 'bad.parquet');
  await writeFile(badFile, bad);
  await t.rejects(rows(await parquetSource([badFile])), {
    code: 'ERR_KINDLING_LOAD',
    message: new RegExp(`^parquet: cannot read .*bad\\.parquet: corrupt data in column x of row group 1: page ${target.page} fails its checksum \\(stored CRC-32 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\\)$`),
  });
  const unchecked = await rows(await parquetSource([badFile], undefined, { verifyChecksums: false }));
  t.equal(unchecked.length, 1000);
  t.not(JSON.stringify(unchecked), JSON.stringify(expected(1000)), 'without the check the damage reads as different values');
  await t.rejects(parquetSource([badFile], undefined, { verifyChecksums: 'yes' as never }), { code: 'ERR_KINDLING_INVALID_ARG', message: /^parquet: expected a boolean for verifyChecksums, got "yes" \(string\)$/ });

  // the same through spark.read, with Spark-style string options
  const session = await Session.builder().master('local').getOrCreate();
  try {
    await t.rejects(session.read.parquet(badFile).then((df) => df.collect()), { code: 'ERR_KINDLING_LOAD', message: /fails its checksum/ });
    const df = await session.read.option('verifyChecksums', 'false').parquet(badFile);
    t.equal((await df.collect()).length, 1000);
    await t.rejects(session.read.option('verifyChecksums', 'maybe').parquet(badFile), { code: 'ERR_KINDLING_INVALID_ARG', message: /^read\.parquet: expected true or false \(or 'true' \/ 'false'\) for verifyChecksums, got "maybe" \(string\)$/ });
  } finally {
    await session.stop();
  }
});

t.test('Spark-written files: pages with a crc verify, damage in one is detected, files without crcs read', async (t) => {
  const root = '/work/shared/fixtures';
  const find = (d: string): string[] => readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? find(join(d, e)) : e.endsWith('.parquet') ? [join(d, e)] : []));
  const files = find(root).sort();
  let withCrc = 0;
  let without = 0;
  for (const f of files) {
    const pages = pagesOf(new Uint8Array(readFileSync(f)));
    if (pages.some((p) => p.crc !== undefined)) withCrc++;
    else without++;
    t.ok((await rows(await parquetSource([f]))).length >= 0, `${f.slice(root.length)} reads with verification on`);
  }
  t.ok(withCrc > 0 && without > 0, `both kinds present (${withCrc} files with page crcs, ${without} without)`);
  const dir = t.testdir();
  const sample = files.find((f) => pagesOf(new Uint8Array(readFileSync(f))).some((p) => p.crc !== undefined && p.bodyLength > 8))!;
  const bytes = new Uint8Array(readFileSync(sample));
  const target = pagesOf(bytes).find((p) => p.crc !== undefined && p.bodyLength > 8)!;
  bytes[target.bodyStart + 4]! ^= 0x01;
  const bad = join(dir, 'spark-damaged.parquet');
  await writeFile(bad, bytes);
  await t.rejects(rows(await parquetSource([bad])), { code: 'ERR_KINDLING_LOAD', message: new RegExp(`spark-damaged\\.parquet: corrupt data in column ${target.column.replace(/\./g, '\\.')} of row group ${target.rowGroup}: page ${target.page} fails its checksum`) });
});

t.test('a damaged value count in the footer is refused before any buffer is sized by it', async (t) => {
  const dir = t.testdir();
  const f = join(dir, 'counts.parquet');
  await writeParquetPart(f, schema, [batch(0, 1000)], { compression: 'uncompressed' });
  const bytes = Buffer.from(readFileSync(f));
  const footerStart = bytes.length - 8 - bytes.readInt32LE(bytes.length - 8);
  // 1000 as a thrift compact i64 (zigzag varint d0 0f): the file's num_rows, then column id's num_values
  const first = bytes.indexOf(Buffer.from([0xd0, 0x0f]), footerStart);
  const second = bytes.indexOf(Buffer.from([0xd0, 0x0f]), first + 2);
  bytes[second] = 0xd2; // 1001 values
  const bad = join(dir, 'bad-counts.parquet');
  await writeFile(bad, bytes);
  await t.rejects(parquetSource([bad]), { code: 'ERR_KINDLING_LOAD', message: /^parquet: cannot read .*bad-counts\.parquet: file is corrupt \(column id of row group 0 declares 1001 values for 1000 rows\)$/ });
});
