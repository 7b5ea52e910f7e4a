/**
 * The JSON-lines writer (writeJsonPart) with Spark 3.5's JacksonGenerator rules: one object per
 * row in schema order, null fields omitted (ignoreNullFields), nested structs and arrays, doubles
 * as Java's Double.toString (NaN/Infinity quoted), binary as base64, dates and timestamps with
 * dateFormat / timestampFormat (UTC).
 * Follows shared/ARCHITECTURE.md (Interoperability).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import { makeDateFormatter, makeTimestampFormatter } from '../text-common/datetime-patterns.js';
import { javaDoubleString, javaFloatString } from '../text-common/java-format.js';
import { normalizeOptions, type OptionKind } from '../text-common/options.js';
import { TextSink, cellReader, eachBatch } from '../text-common/writing.js';
import type { JsonWriteOptions } from './options.js';
import { jsonQuote } from './values.js';

const JSON_WRITE_SPEC: Record<string, OptionKind> = {
  dateFormat: 'format', timestampFormat: 'format', ignoreNullFields: 'bool', lineSep: 'lineSep', encoding: 'encoding', compression: 'compression', timeZone: 'timeZone',
};

/**
 * Writes one JSON-lines part file as Spark's JacksonGenerator does: one object per row in
 * schema order, null fields omitted (ignoreNullFields), nested structs and arrays, doubles as
 * Java's Double.toString, dates and timestamps with dateFormat / timestampFormat (UTC).
 */
export async function writeJsonPart(
  file: string,
  schema: arrow.Schema,
  batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>,
  options?: JsonWriteOptions,
): Promise<void> {
  const o = normalizeOptions('json', options, JSON_WRITE_SPEC, { charset: 'encoding', codec: 'compression' });
  if (!(schema instanceof arrow.Schema)) throw Errors.invalidArg('json', 'schema', 'an apache-arrow Schema', schema);
  const formatDate = makeDateFormatter('json', o.get('dateFormat') as string | undefined);
  const formatTimestamp = makeTimestampFormatter('json', o.get('timestampFormat') as string | undefined);
  const ignoreNulls = (o.get('ignoreNullFields') as boolean | undefined) ?? true;
  const lineSep = (o.get('lineSep') as string | undefined) ?? '\n';
  const fields = schema.fields;
  const render = (t: arrow.DataType, v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (arrow.DataType.isStruct(t)) {
      const parts: string[] = [];
      for (const [k, [name, x]] of (v as [string, unknown][]).entries()) {
        if ((x === null || x === undefined) && ignoreNulls) continue;
        parts.push(`${jsonQuote(name)}:${render(t.children[k]!.type, x)}`);
      }
      return `{${parts.join(',')}}`;
    }
    if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t)) {
      const et = t.children[0]!.type;
      return `[${(v as unknown[]).map((x) => render(et, x)).join(',')}]`;
    }
    if (arrow.DataType.isFloat(t)) {
      const x = v as number;
      const s = t.precision === arrow.Precision.DOUBLE ? javaDoubleString(x) : javaFloatString(x);
      return Number.isFinite(x) ? s : `"${s}"`;
    }
    if (arrow.DataType.isDate(t)) return jsonQuote(formatDate((v as { days: number }).days));
    if (arrow.DataType.isTimestamp(t)) return jsonQuote(formatTimestamp((v as { micros: number }).micros));
    if (v instanceof Uint8Array) return `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"`;
    if (typeof v === 'string') return jsonQuote(v);
    return String(v);
  };
  const names = fields.map((f) => jsonQuote(f.name));
  const sink = await TextSink.open('json', file);
  try {
    for await (const batch of eachBatch('json', schema, batches)) {
      const readers = fields.map((f, k) => cellReader('json', f.name, batch.data.children[k]!, true));
      const types = batch.data.children.map((c) => c.type);
      for (let i = 0; i < batch.numRows; i++) {
        const parts: string[] = [];
        for (let k = 0; k < readers.length; k++) {
          const v = readers[k]!(i);
          if ((v === null || v === undefined) && ignoreNulls) continue;
          parts.push(`${names[k]}:${render(types[k]!, v)}`);
        }
        sink.push(`{${parts.join(',')}}${lineSep}`);
        if (sink.pending > 1 << 20) await sink.flush();
      }
    }
  } finally {
    await sink.close();
  }
}

