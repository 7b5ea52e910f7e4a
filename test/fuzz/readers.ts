/**
 * The readers the fuzz harness (harness.ts) drives, each reading a whole file to a JSON string
 * of its rows, and the valid inputs it mutates: small files written by kindling's own writers.
 */
import * as arrow from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { arrowSource, writeArrowPart } from '../../ts/src/io/arrow-ipc.js';
import { csvSource } from '../../ts/src/io/csv/index.js';
import { jsonSource } from '../../ts/src/io/json/index.js';
import { parquetSource, writeParquetPart } from '../../ts/src/io/parquet/index.js';
import type { DataSource } from '../../ts/src/io/source.js';

export type ReaderName = 'csv' | 'json' | 'parquet' | 'arrow';

function show(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v instanceof arrow.Vector) return [...v].map(show);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>).map(show);
  if (typeof v === 'object') {
    const j = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON: () => Record<string, unknown> }).toJSON() : (v as Record<string, unknown>);
    return Object.fromEntries(Object.keys(j).map((k) => [k, show(j[k])]));
  }
  return v;
}

async function rowsOf(src: DataSource): Promise<string> {
  const rows: unknown[] = [src.schema.fields.map((f) => `${f.name}:${f.type}`)];
  for await (const b of src.scan({ batchSize: 64 })) for (const r of b) rows.push(show(r));
  return JSON.stringify(rows);
}

export const READERS: Record<ReaderName, { ext: string; read: (file: string) => Promise<string> }> = {
  csv: { ext: 'csv', read: async (f) => rowsOf(await csvSource([f], { header: true, inferSchema: true })) },
  json: { ext: 'json', read: async (f) => rowsOf(await jsonSource([f])) },
  parquet: { ext: 'parquet', read: async (f) => rowsOf(await parquetSource([f])) },
  arrow: { ext: 'arrow', read: async (f) => rowsOf(await arrowSource([f])) },
};

const schema = new arrow.Schema([
  new arrow.Field('id', new arrow.Int32(), false),
  new arrow.Field('x', new arrow.Float64(), true),
  new arrow.Field('s', new arrow.Utf8(), true),
  new arrow.Field('tags', new arrow.List(new arrow.Field('element', new arrow.Utf8(), true)), true),
]);

function batch(start: number, n: number): arrow.RecordBatch {
  const ids = Array.from({ length: n }, (_, i) => start + i);
  const col = (values: unknown[], t: arrow.DataType) => arrow.vectorFromArray(values, t).data[0]!;
  const children = [
    col(ids, new arrow.Int32()),
    col(ids.map((i) => (i % 4 === 0 ? null : i / 2)), new arrow.Float64()),
    col(ids.map((i) => (i % 5 === 0 ? null : `s${i % 7}`)), new arrow.Utf8()),
    col(ids.map((i) => (i % 3 === 0 ? null : [`t${i % 4}`, null])), schema.fields[3]!.type),
  ];
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children }));
}

/**
 * The bytes of a kindling-written file its checksums cover: Parquet page bodies (PageHeader.crc)
 * and, for the Arrow file format, each batch's bytes as listed in the footer
 * (kindling.batch_crc32); none for other inputs.
 */
export function checksummedRanges(reader: ReaderName, bytes: Uint8Array): [number, number][] {
  if (reader === 'arrow') {
    const text = new TextDecoder('latin1').decode(bytes.subarray(Math.max(0, bytes.length - 4096)));
    const m = /kindling\.batch_crc32/.test(text) ? /(\d+-\d+:[0-9a-f]+,?)+/.exec(text) : null;
    return m ? m[0].split(',').filter(Boolean).map((e) => e.split(':')[0]!.split('-').map(Number) as [number, number]) : [];
  }
  if (reader !== 'parquet') return [];
  const md = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: [number, number][] = [];
  for (const rg of md.row_groups) {
    for (const c of rg.columns) {
      const m = c.meta_data!;
      let pos = Number(m.dictionary_page_offset ?? m.data_page_offset);
      const end = pos + Number(m.total_compressed_size);
      while (pos < end) {
        const r = { view: dv, offset: pos };
        const h = parquetHeader(r);
        if (h.crc !== undefined) out.push([r.offset, r.offset + h.compressed_page_size]);
        pos = r.offset + h.compressed_page_size;
      }
    }
  }
  return out;
}

/** Valid inputs for each reader, written into `dir` by kindling's writers (and CSV/JSON text). */
export async function validInputs(dir: string): Promise<Record<ReaderName, Uint8Array[]>> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const out: Record<ReaderName, Uint8Array[]> = { csv: [], json: [], parquet: [], arrow: [] };
  const csv = ['id,x,s,d', ...Array.from({ length: 20 }, (_, i) => `${i},${i / 4},"s ${i}, q",2024-01-${String(1 + i).padStart(2, '0')}`)].join('\n');
  out.csv.push(new TextEncoder().encode(csv + '\n'));
  const json = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: i, x: i / 4, s: `s${i}`, a: [i, i + 1], o: { k: i % 3 === 0 ? null : 'v' } })).join('\n');
  out.json.push(new TextEncoder().encode(json + '\n'));
  for (const compression of ['snappy', 'uncompressed'] as const) {
    const f = join(dir, `seed-${compression}.parquet`);
    await writeParquetPart(f, schema, [batch(0, 30), batch(30, 20)], { compression, rowGroupSize: 25 });
    out.parquet.push(new Uint8Array(await readFile(f)));
  }
  for (const format of ['file', 'stream'] as const) {
    const f = join(dir, `seed.${format}.arrow`);
    await writeArrowPart(f, schema, [batch(0, 12), batch(12, 9)], { format });
    out.arrow.push(new Uint8Array(await readFile(f)));
  }
  return out;
}
