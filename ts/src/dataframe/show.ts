/**
 * Spark's `show()` text: cells rendered as Spark prints them (null, Java doubles, [a, b] arrays,
 * {a, b} structs, dense vectors as [1.0,2.0], sparse as (size,[i],[v]), matrices as Spark's
 * DenseMatrix.toString, one line per row), truncated to 20
 * characters (17 + "...") and right-aligned by default, left-aligned when truncate is false.
 */
import * as arrow from 'apache-arrow';
import { isValidAt, valueAt, type AnyData } from './batch.js';
import { castToString, valueGetter } from './eval.js';
import { matrixValueString } from './format.js';
import { javaDoubleString } from '../io/text-common/java-format.js';
import { isMatrixType, isVectorType, sparkTypeName } from './types.js';

function renderValue(v: unknown, t: arrow.DataType): string {
  if (v === null || v === undefined) return 'null';
  if (isVectorType(t)) {
    if (arrow.DataType.isFixedSizeList(t)) return `[${Array.from(v as ArrayLike<number>, javaDoubleString).join(',')}]`;
    const s = v as { type: number; size: number | null; indices: number[] | null; values: number[] };
    if (s.type === 1) return `[${s.values.map(javaDoubleString).join(',')}]`;
    return `(${s.size},[${(s.indices ?? []).join(',')}],[${s.values.map(javaDoubleString).join(',')}])`;
  }
  if (isMatrixType(t)) return matrixValueString(v as Parameters<typeof matrixValueString>[0]);
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t)) {
    const el = t.children[0]!.type;
    return `[${(v as unknown[]).map((x) => renderValue(x, el)).join(', ')}]`;
  }
  if (arrow.DataType.isStruct(t)) {
    const o = v as Record<string, unknown>;
    return `{${t.children.map((f) => renderValue(o[f.name], f.type)).join(', ')}}`;
  }
  if (arrow.DataType.isBinary(t)) return `[${Array.from(v as Uint8Array, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}]`;
  if (v instanceof Date) {
    const iso = v.toISOString();
    if (sparkTypeName(t) === 'date') return iso.slice(0, 10);
    const ms = iso.slice(20, 23).replace(/0+$/, '');
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms ? `.${ms}` : ''}`;
  }
  return castToString(t, v) ?? 'null';
}

/** The cell strings of a column (null → "null"). */
export function renderColumn(d: AnyData): string[] {
  const t = d.type;
  const out: string[] = new Array(d.length);
  const simple = arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || arrow.DataType.isUtf8(t) || arrow.DataType.isDictionary(t) || arrow.DataType.isBool(t);
  if (simple) {
    const get = valueGetter(d);
    for (let i = 0; i < d.length; i++) {
      const v = get(i);
      out[i] = v === null ? 'null' : arrow.DataType.isDictionary(t) ? String(v) : castToString(t, v)!;
    }
    return out;
  }
  if (sparkTypeName(t) === 'date' || sparkTypeName(t) === 'timestamp') {
    const get = valueGetter(d);
    for (let i = 0; i < d.length; i++) out[i] = isValidAt(d, i) ? castToString(t, get(i))! : 'null';
    return out;
  }
  for (let i = 0; i < d.length; i++) out[i] = renderValue(valueAt(d, i), t);
  return out;
}

function width(s: string): number {
  // Spark counts full-width (East Asian) characters as 2 columns.
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}

function truncateCell(s: string, truncate: number): string {
  if (truncate <= 0 || s.length <= truncate) return s;
  return truncate < 4 ? s.slice(0, truncate) : `${s.slice(0, truncate - 3)}...`;
}

/** Spark's showString for the first rows of a batch; `hasMore` adds the "only showing top n rows" line. */
export function showString(batch: arrow.RecordBatch, n: number, truncate: number, hasMore: boolean, vertical = false): string {
  const names = batch.schema.fields.map((f) => f.name);
  const cols = batch.data.children.map((c) => renderColumn(c as AnyData).map((s) => truncateCell(s, truncate)));
  const rows = batch.numRows;
  const header = names.map((s) => truncateCell(s, truncate));
  if (vertical) {
    const fieldW = Math.max(0, ...header.map(width));
    const dataW = Math.max(0, ...cols.flat().map(width));
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      const head = `-RECORD ${r}`;
      lines.push(head + '-'.repeat(Math.max(0, fieldW + dataW + 3 - head.length)));
      header.forEach((h, j) => lines.push(`${h.padEnd(fieldW + h.length - width(h))} | ${cols[j]![r]!.padEnd(dataW + cols[j]![r]!.length - width(cols[j]![r]!))}`));
    }
    if (rows === 0) lines.push('(0 rows)');
    let out = lines.join('\n') + '\n';
    if (hasMore) out += `only showing top ${n} ${n === 1 ? 'row' : 'rows'}\n`;
    return out;
  }
  const widths = header.map((h, j) => Math.max(3, width(h), ...cols[j]!.map(width)));
  const pad = (s: string, w: number) => {
    const fill = ' '.repeat(Math.max(0, w - width(s)));
    return truncate > 0 ? fill + s : s + fill;
  };
  const sep = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  const lines = [sep, `|${header.map((h, j) => pad(h, widths[j]!)).join('|')}|`, sep];
  for (let r = 0; r < rows; r++) lines.push(`|${cols.map((c, j) => pad(c[r]!, widths[j]!)).join('|')}|`);
  lines.push(sep);
  let out = lines.join('\n') + '\n';
  if (hasMore) out += `only showing top ${n} ${n === 1 ? 'row' : 'rows'}\n`;
  return out;
}
