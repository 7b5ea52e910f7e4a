/**
 * What the CSV and JSON writers share: reading Arrow columns back as JS values (cellReader),
 * checking the batches against the schema (eachBatch) and buffered text output to one part file
 * (TextSink). Each writer (csv/writer.ts, json/writer.ts) turns the values into its own text.
 * Follows shared/ARCHITECTURE.md ("Tables: Arrow IPC and Parquet in and out; CSV …").
 */
import * as fs from 'node:fs';
import * as arrow from 'apache-arrow';
import { Errors, KindlingError, KindlingTypeError } from '../../errors.js';
import { sparkTypeName } from '../../dataframe/types.js';

const utf8 = new TextDecoder('utf-8');

/** @internal Reads the values of one column of a batch as JS values (null for nulls). */
export type CellReader = (i: number) => unknown;

/**
 * @internal Value accessors over Arrow data for the writers: numbers, bigints (int64), strings,
 * booleans, {days} for dates, {micros} for timestamps, Uint8Array for binary, arrays, objects.
 */
export function cellReader(api: string, name: string, data: arrow.Data, allowNested: boolean): CellReader {
  const t = data.type;
  const off = data.offset;
  const bm = data.nullBitmap;
  const isNull = (i: number) => bm !== undefined && bm !== null && bm.length > 0 && ((bm[(off + i) >> 3]! >> ((off + i) & 7)) & 1) === 0;
  const withNull = (f: (j: number) => unknown): CellReader => (i) => (isNull(i) ? null : f(off + i));
  if (arrow.DataType.isNull(t)) return () => null;
  if (arrow.DataType.isDictionary(t)) {
    const dict = data.dictionary!;
    const idx = data.values as ArrayLike<number | bigint>;
    return withNull((j) => dict.get(Number(idx[j]!)));
  }
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t)) {
    const vo = data.valueOffsets as ArrayLike<number | bigint>;
    const v = data.values as Uint8Array;
    const binary = arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t);
    if (binary) return withNull((j) => v.subarray(Number(vo[j]!), Number(vo[j + 1]!)));
    return withNull((j) => utf8.decode(v.subarray(Number(vo[j]!), Number(vo[j + 1]!))));
  }
  if (arrow.DataType.isBool(t)) {
    const v = data.values as Uint8Array;
    return withNull((j) => ((v[j >> 3]! >> (j & 7)) & 1) === 1);
  }
  if (arrow.DataType.isInt(t)) {
    const v = data.values as ArrayLike<number | bigint>;
    return withNull((j) => v[j]);
  }
  if (arrow.DataType.isFloat(t)) {
    const v = data.values as ArrayLike<number>;
    if (t.precision === arrow.Precision.HALF) return withNull((j) => arrow.util.uint16ToFloat64(v[j]!));
    return withNull((j) => v[j]);
  }
  if (arrow.DataType.isDate(t)) {
    const v = data.values as ArrayLike<number | bigint>;
    if (t.unit === arrow.DateUnit.DAY) return withNull((j) => ({ days: Number(v[j]!) }));
    return withNull((j) => ({ days: Math.floor(Number(v[j]!) / 86_400_000) }));
  }
  if (arrow.DataType.isTimestamp(t)) {
    const v = data.values as ArrayLike<number | bigint>;
    const f = t.unit === arrow.TimeUnit.SECOND ? 1e6 : t.unit === arrow.TimeUnit.MILLISECOND ? 1e3 : t.unit === arrow.TimeUnit.MICROSECOND ? 1 : 1e-3;
    return withNull((j) => ({ micros: f === 1 ? Number(v[j]!) : Math.floor(Number(v[j]!) * f) }));
  }
  if (allowNested && (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t))) {
    const child = data.children[0]!;
    const cr = cellReader(api, name, child, true);
    if (arrow.DataType.isFixedSizeList(t)) {
      const size = t.listSize;
      return (i) => {
        if (isNull(i)) return null;
        const out: unknown[] = [];
        for (let k = 0; k < size; k++) out.push(cr((i + off) * size + k - child.offset));
        return out;
      };
    }
    const vo = data.valueOffsets as Int32Array;
    return (i) => {
      if (isNull(i)) return null;
      const out: unknown[] = [];
      for (let k = vo[off + i]!; k < vo[off + i + 1]!; k++) out.push(cr(k));
      return out;
    };
  }
  if (allowNested && arrow.DataType.isStruct(t)) {
    const readers = data.children.map((c, k) => cellReader(api, `${name}.${t.children[k]!.name}`, c, true));
    const names = t.children.map((f) => f.name);
    return (i) => {
      if (isNull(i)) return null;
      const o: [string, unknown][] = [];
      for (let k = 0; k < readers.length; k++) o.push([names[k]!, readers[k]!(i)]);
      return o;
    };
  }
  throw new KindlingTypeError(`${api}: cannot write column ${name} of type ${sparkTypeName(t)} (${api === 'csv' ? 'the CSV data source supports atomic types only' : 'unsupported type'})`, 'ERR_KINDLING_SCHEMA');
}

/** @internal Buffered text output to one file. */
export class TextSink {
  private parts: string[] = [];
  private size = 0;
  private constructor(private readonly fh: fs.promises.FileHandle, private readonly file: string, private readonly api: string) {}

  static async open(api: string, file: string): Promise<TextSink> {
    if (typeof file !== 'string' || file === '') throw Errors.invalidArg(api, 'file', 'a file path', file);
    try {
      return new TextSink(await fs.promises.open(file, 'w'), file, api);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: cannot write ${file}: ${msg}`, { cause: e });
    }
  }

  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  get pending(): number {
    return this.size;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    try {
      await this.fh.write(text, null, 'utf8');
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${this.api}: cannot write ${this.file}: ${msg}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.fh.close();
    }
  }
}

/** @internal Iterates sync or async batch sources, checking each is a RecordBatch matching the schema. */
export async function* eachBatch(api: string, schema: arrow.Schema, batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>): AsyncGenerator<arrow.RecordBatch> {
  if (batches === null || typeof batches !== 'object' || (!(Symbol.asyncIterator in batches) && !(Symbol.iterator in batches))) {
    throw Errors.invalidArg(api, 'batches', 'an iterable of RecordBatches', batches);
  }
  for await (const b of batches as AsyncIterable<arrow.RecordBatch>) {
    if (!(b instanceof arrow.RecordBatch)) throw Errors.invalidArg(api, 'batch', 'an apache-arrow RecordBatch', b);
    if (b.numCols !== schema.fields.length) {
      throw new KindlingTypeError(`${api}: a batch has ${b.numCols} columns but the schema has ${schema.fields.length}`, 'ERR_KINDLING_SCHEMA');
    }
    yield b;
  }
}
