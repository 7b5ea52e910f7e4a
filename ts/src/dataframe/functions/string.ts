/**
 * String functions of the function table: lower, upper, trim / ltrim / rtrim (spaces only, as
 * Spark), length (code points), substring (1-based), regexp_replace, regexp_extract, split
 * (Java's String.split), concat / concat_ws, contains, startswith, endswith, like, rlike.
 * Follows shared/ARCHITECTURE.md (Execution); function-def.ts describes an entry.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import { bitmapFrom, makeBool, makePrimitive, nullData, fromValues, validityBitmap, type AnyData } from '../batch.js';
import { castColumn, castToString } from '../expr/cast.js';
import { StringColumnBuilder, getter, mapStrings, stringGetter } from '../expr/column-access.js';
import { describe } from '../expr/type-rules.js';
import { isNumericType, isStringType, Types } from '../types.js';
import { litArg, stringToBoolean, stringToString, type FnCall, type FunctionDef, type TypeCall } from './function-def.js';

/** Java-style regex translation for the patterns Spark users write (Java's $1 → JS $1 is the same). */
function jsRegex(api: string, pattern: string, flags = 'gu'): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (cause) {
    throw Errors.invalidArg(api, 'pattern', 'a valid regular expression', pattern);
  }
}

function likeToRegex(p: string): RegExp {
  let re = '^';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) re += p[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(re + '$', 'u');
}

/** Java's String.split(regex, limit): limit 0 or less than 0 … Spark's split uses limit -1 by default (keeps trailing empties). */
function javaSplit(s: string, re: RegExp, limit: number): string[] {
  if (s.length === 0) return [''];
  const parts: string[] = [];
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = g.exec(s)) !== null) {
    if (limit > 0 && parts.length === limit - 1) break;
    if (m[0].length === 0) {
      if (m.index >= s.length) break;
      if (m.index === 0) { g.lastIndex++; continue; }
      parts.push(s.slice(last, m.index));
      last = m.index;
      g.lastIndex++;
      continue;
    }
    if (m.index === 0 && m[0].length > 0 && last === 0 && parts.length === 0) {
      // Java keeps a leading empty string for a non-zero-width match at position 0
      parts.push('');
      last = m.index + m[0].length;
      continue;
    }
    parts.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  parts.push(s.slice(last));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function lengthType(c: TypeCall): arrow.DataType {
  c.need(0, (t) => isStringType(t) || arrow.DataType.isBinary(t), 'a string column');
  return Types.int();
}

function splitType(c: TypeCall): arrow.DataType {
  c.need(0, isStringType, 'a string column');
  return Types.array(Types.string());
}

function concatType({ api, e, args }: TypeCall): arrow.DataType {
  args.forEach((t, i) => { if (!isStringType(t) && !arrow.DataType.isNull(t) && !isNumericType(t)) throw Errors.schema(`${api}: ${e.name} expects string columns, got ${describe(e.args[i]!, t)}`); });
  return Types.string();
}

const evalConcat = ({ e, n, ev }: FnCall): AnyData => {
  const ws = e.name === 'concat_ws';
  const sep = ws ? String(litArg(e, 0)) : '';
  const cols = (ws ? e.args.slice(1) : e.args).map((a) => {
    const d = ev(a);
    const g = arrow.DataType.isNull(d.type) ? () => null : isStringType(d.type) ? stringGetter(d) : (() => { const g2 = getter(d); return (i: number) => castToString(d.type, g2(i)); })();
    return g as (i: number) => string | null;
  });
  const b = new StringColumnBuilder(n);
  for (let i = 0; i < n; i++) {
    const parts: string[] = [];
    let isNull = false;
    for (const g of cols) {
      const s = g(i);
      if (s === null) {
        if (!ws) { isNull = true; break; }
      } else parts.push(s);
    }
    b.push(isNull ? null : parts.join(sep));
  }
  return b.finish();
};

const evalStringMatch = ({ api, e, n, out, ev, arg0 }: FnCall): AnyData => {
  const d = arg0();
  if (!d) return nullData(out, n);
  const get = stringGetter(d);
  const other = e.name === 'like' ? likeToRegex(String(litArg(e, 1))) : e.name === 'rlike' ? jsRegex(`${api}: rlike`, String(litArg(e, 1)), 'u') : null;
  const rhs = other ? null : stringGetter(castColumn(api, ev(e.args[1]!), Types.string()));
  const bits = new Uint8Array((n + 7) >> 3);
  const { bitmap } = bitmapFrom((i) => {
    const s = get(i);
    if (s === null) return false;
    let ok: boolean;
    if (other) ok = other.test(s);
    else {
      const t = rhs!(i);
      if (t === null) return false;
      ok = e.name === 'contains' ? s.includes(t) : e.name === 'startswith' ? s.startsWith(t) : s.endsWith(t);
    }
    if (ok) bits[i >> 3]! |= 1 << (i & 7);
    return true;
  }, n);
  return makeBool(bits, n, bitmap);
};

export const STRING_FUNCTIONS: readonly FunctionDef[] = [
  { name: 'lower', type: stringToString, evaluate: ({ n, out, arg0 }) => { const d = arg0(); return d ? mapStrings(d, (s) => s.toLowerCase()) : nullData(out, n); } },
  { name: 'upper', type: stringToString, evaluate: ({ n, out, arg0 }) => { const d = arg0(); return d ? mapStrings(d, (s) => s.toUpperCase()) : nullData(out, n); } },
  // Spark's trim removes spaces (U+0020) only.
  { name: 'trim', type: stringToString, evaluate: ({ n, out, arg0 }) => { const d = arg0(); return d ? mapStrings(d, (s) => s.replace(/^ +| +$/g, '')) : nullData(out, n); } },
  { name: 'ltrim', type: stringToString, evaluate: ({ n, out, arg0 }) => { const d = arg0(); return d ? mapStrings(d, (s) => s.replace(/^ +/, '')) : nullData(out, n); } },
  { name: 'rtrim', type: stringToString, evaluate: ({ n, out, arg0 }) => { const d = arg0(); return d ? mapStrings(d, (s) => s.replace(/ +$/, '')) : nullData(out, n); } },
  { name: 'length', type: lengthType, evaluate: ({ n, out, arg0 }) => {
      const d = arg0();
      if (!d) return nullData(out, n);
      const get = stringGetter(d);
      const res = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const s = get(i);
        if (s !== null) {
          let len = 0;
          for (const _ of s) len++; // code points, as Spark counts characters
          res[i] = len;
        }
      }
      return makePrimitive(out, res, validityBitmap(d));
    } },
  { name: 'substring', type: stringToString, evaluate: ({ e, n, out, arg0 }) => {
      const d = arg0();
      const pos = Number(litArg(e, 1));
      const len = Number(litArg(e, 2));
      if (!d) return nullData(out, n);
      return mapStrings(d, (s) => {
        const cps = Array.from(s);
        const start = pos > 0 ? pos - 1 : pos < 0 ? Math.max(0, cps.length + pos) : 0;
        return cps.slice(start, Math.max(start, start + len)).join('');
      });
    } },
  { name: 'regexp_replace', type: stringToString, evaluate: ({ api, e, n, out, arg0 }) => {
      const d = arg0();
      const re = jsRegex(`${api}: regexp_replace`, String(litArg(e, 1)));
      const rep = String(litArg(e, 2));
      return d ? mapStrings(d, (s) => s.replace(re, rep)) : nullData(out, n);
    } },
  { name: 'regexp_extract', type: stringToString, evaluate: ({ api, e, n, out, arg0 }) => {
      const d = arg0();
      const re = jsRegex(`${api}: regexp_extract`, String(litArg(e, 1)), 'u');
      const idx = Number(litArg(e, 2));
      return d ? mapStrings(d, (s) => re.exec(s)?.[idx] ?? '') : nullData(out, n);
    } },
  { name: 'split', type: splitType, evaluate: ({ api, e, n, out, arg0 }) => {
      const d = arg0();
      if (!d) return nullData(out, n);
      const re = jsRegex(`${api}: split`, String(litArg(e, 1)), 'u');
      const limit = Number(litArg(e, 2));
      const get = stringGetter(d);
      const vals: Array<string[] | null> = new Array(n);
      for (let i = 0; i < n; i++) {
        const s = get(i);
        vals[i] = s === null ? null : javaSplit(s, re, limit);
      }
      return fromValues(out, vals);
    } },
  { name: 'concat', type: concatType, evaluate: evalConcat },
  { name: 'concat_ws', type: concatType, evaluate: evalConcat },
  { name: 'contains', type: stringToBoolean, evaluate: evalStringMatch },
  { name: 'startswith', type: stringToBoolean, evaluate: evalStringMatch },
  { name: 'endswith', type: stringToBoolean, evaluate: evalStringMatch },
  { name: 'like', type: stringToBoolean, evaluate: evalStringMatch },
  { name: 'rlike', type: stringToBoolean, evaluate: evalStringMatch },
];
