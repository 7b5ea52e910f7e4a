/**
 * The CSV writer (writeCsvPart) with Spark 3.5's UnivocityGenerator rules: values trimmed and
 * quoted only when needed, quotes escaped with the escape character, nulls as nullValue, empty
 * strings as emptyValue (`""`), doubles as Java's Double.toString, dates and timestamps with
 * dateFormat / timestampFormat (UTC); atomic types only.
 * Follows shared/ARCHITECTURE.md ("CSV with Spark's read options and modes").
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingTypeError } from '../../errors.js';
import { sparkTypeName } from '../../dataframe/types.js';
import { makeDateFormatter, makeTimestampFormatter } from '../text-common/datetime-patterns.js';
import { javaDoubleString, javaFloatString } from '../text-common/java-format.js';
import { normalizeOptions, optionGetters, type OptionKind } from '../text-common/options.js';
import { TextSink, cellReader, eachBatch } from '../text-common/writing.js';
import type { CsvWriteOptions } from './options.js';

const CSV_WRITE_SPEC: Record<string, OptionKind> = {
  header: 'bool', sep: 'sep', quote: 'char', escape: 'char', nullValue: 'string', emptyValue: 'string', quoteAll: 'bool',
  escapeQuotes: 'bool', dateFormat: 'format', timestampFormat: 'format', ignoreLeadingWhiteSpace: 'bool',
  ignoreTrailingWhiteSpace: 'bool', lineSep: 'lineSep', encoding: 'encoding', compression: 'compression', timeZone: 'timeZone',
};

interface CsvWriteConfig {
  sep: string;
  quote: string;
  escape: string;
  escEsc: string;
  nullValue: string;
  emptyValue: string;
  quoteAll: boolean;
  escapeQuotes: boolean;
  trimLead: boolean;
  trimTrail: boolean;
}

/** One value as univocity's CsvWriter (Spark's settings) writes it; null → nullValue. */
function csvCell(v: string | null, w: CsvWriteConfig): string {
  const quoteAll = w.quoteAll;
  if (v === null) {
    if (quoteAll) return w.nullValue === '' ? `${w.quote}${w.quote}` : csvQuoted(w.nullValue, w);
    return w.nullValue === '' ? '' : csvCell(w.nullValue, { ...w, nullValue: '' });
  }
  let s = 0;
  let e = v.length;
  if (w.trimLead) while (s < e && v.charCodeAt(s) <= 32 && v.charCodeAt(s) > 0) s++;
  if (w.trimTrail) while (e > s && v.charCodeAt(e - 1) <= 32 && v.charCodeAt(e - 1) > 0) e--;
  if (s === e) {
    const ev = w.emptyValue;
    if (quoteAll) return `${w.quote}${w.quote}`;
    if (ev.length >= 2 && w.quote !== '' && ev.startsWith(w.quote) && ev.endsWith(w.quote)) return ev;
    return ev === '' ? '' : csvCell(ev, { ...w, emptyValue: '' });
  }
  const val = s === 0 && e === v.length ? v : v.slice(s, e);
  const q = w.quote;
  if (q !== '' && (quoteAll || val.startsWith(q))) return csvQuoted(val, w);
  const sep = w.sep;
  const esc = w.escape;
  for (let i = 0; i < val.length; i++) {
    const c = val[i]!;
    if (c === '\n' || c === '\r' || (sep.length === 1 ? c === sep : val.startsWith(sep, i))) return q === '' ? val : csvQuoted(val, w);
    if ((q !== '' && c === q) || (esc !== '' && c === esc)) {
      // from here on: quote only when a separator, line break or (escapeQuotes) a quote follows
      for (let k = i; k < val.length; k++) {
        const d = val[k]!;
        if (d === '\n' || d === '\r' || (sep.length === 1 ? d === sep : val.startsWith(sep, k)) || (w.escapeQuotes && q !== '' && d === q)) {
          return csvQuoted(val, w);
        }
      }
      return val;
    }
  }
  return val;
}

function csvQuoted(val: string, w: CsvWriteConfig): string {
  const q = w.quote;
  if (q === '') return val;
  let out = q;
  let last = 0;
  for (let i = 0; i < val.length; i++) {
    const c = val[i]!;
    if (c === q) {
      out += val.slice(last, i) + (w.escape === '' ? q : w.escape) + q;
      last = i + 1;
    } else if (w.escEsc !== '' && c === w.escape) {
      out += val.slice(last, i) + w.escEsc + c;
      last = i + 1;
    }
  }
  return out + val.slice(last) + q;
}

/**
 * Writes one CSV part file as Spark's CSV writer does (UnivocityGenerator): no header unless
 * header=true, values trimmed and quoted only when needed, quotes escaped with the escape
 * character, nulls as nullValue (empty), empty strings as emptyValue (`""`), doubles as
 * Java's Double.toString, dates `yyyy-MM-dd`, timestamps `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` (UTC).
 */
export async function writeCsvPart(
  file: string,
  schema: arrow.Schema,
  batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>,
  options?: CsvWriteOptions,
): Promise<void> {
  const o = normalizeOptions('csv', options, CSV_WRITE_SPEC, { delimiter: 'sep', charset: 'encoding', codec: 'compression' });
  if (!(schema instanceof arrow.Schema)) throw Errors.invalidArg('csv', 'schema', 'an apache-arrow Schema', schema);
  const { str, bool } = optionGetters(o);
  const quote = str('quote', '"');
  const escape = str('escape', '\\');
  const w: CsvWriteConfig = {
    sep: str('sep', ','),
    quote,
    escape,
    escEsc: escape !== '' && escape !== quote ? escape : '',
    nullValue: str('nullValue', ''),
    emptyValue: str('emptyValue', quote === '' ? '' : `${quote}${quote}`),
    quoteAll: bool('quoteAll', false),
    escapeQuotes: bool('escapeQuotes', true),
    trimLead: bool('ignoreLeadingWhiteSpace', true),
    trimTrail: bool('ignoreTrailingWhiteSpace', true),
  };
  const lineSep = str('lineSep', '\n');
  const formatDate = makeDateFormatter('csv', o.get('dateFormat') as string | undefined);
  const formatTimestamp = makeTimestampFormatter('csv', o.get('timestampFormat') as string | undefined);
  const fields = schema.fields;
  // fail on unsupported types before creating the file
  for (const f of fields) {
    const t = f.type;
    if (arrow.DataType.isList(t) || arrow.DataType.isStruct(t) || arrow.DataType.isMap(t) || arrow.DataType.isFixedSizeList(t) || arrow.DataType.isBinary(t) || arrow.DataType.isUnion(t) || arrow.DataType.isDecimal(t)) {
      throw new KindlingTypeError(`csv: cannot write column ${f.name} of type ${sparkTypeName(t)} (the CSV data source supports atomic types only)`, 'ERR_KINDLING_SCHEMA');
    }
  }
  const sink = await TextSink.open('csv', file);
  try {
    if (bool('header', false)) sink.push(fields.map((f) => csvCell(f.name, w)).join(w.sep) + lineSep);
    for await (const batch of eachBatch('csv', schema, batches)) {
      const n = batch.numRows;
      const cells = fields.map((f, k) => {
        const child = batch.data.children[k]!;
        const rd = cellReader('csv', f.name, child, false);
        const t = child.type;
        if (arrow.DataType.isFloat(t)) {
          const single = t.precision !== arrow.Precision.DOUBLE;
          return (i: number) => {
            const v = rd(i) as number | null;
            return v === null ? null : single ? javaFloatString(v) : javaDoubleString(v);
          };
        }
        if (arrow.DataType.isDate(t)) return (i: number) => {
          const v = rd(i) as { days: number } | null;
          return v === null ? null : formatDate(v.days);
        };
        if (arrow.DataType.isTimestamp(t)) return (i: number) => {
          const v = rd(i) as { micros: number } | null;
          return v === null ? null : formatTimestamp(v.micros);
        };
        return (i: number) => {
          const v = rd(i);
          return v === null || v === undefined ? null : String(v);
        };
      });
      for (let i = 0; i < n; i++) {
        let line = '';
        for (let k = 0; k < cells.length; k++) {
          if (k > 0) line += w.sep;
          line += csvCell(cells[k]!(i), w);
        }
        sink.push(line + lineSep);
        if (sink.pending > 1 << 20) await sink.flush();
      }
    }
  } finally {
    await sink.close();
  }
}
