/**
 * Math functions of the function table: abs, sqrt, exp, signum, log / log10 / log2 / log1p and
 * logb (null for a non-positive argument, as Spark), pow, floor / ceil (double → bigint), and
 * round (HALF_UP on the decimal representation, as Spark's round).
 * Follows shared/ARCHITECTURE.md (Execution); function-def.ts describes an entry.
 */
import * as arrow from 'apache-arrow';
import { bitmapFrom, isValidAt, makePrimitive, nullData, fromValues, validityBitmap, type AnyData } from '../batch.js';
import { toNumericType } from '../expr/cast.js';
import { andValidity, getter, mapDoubles, numbers } from '../expr/column-access.js';
import { isNumericType, Types } from '../types.js';
import { litArg, numericToDouble, type FnCall, type FunctionDef, type TypeCall } from './function-def.js';

/** Type rule of abs, floor, ceil, round: a numeric argument; floor/ceil of a float → bigint, else the argument's type. */
function roundingType({ e, args, need }: TypeCall): arrow.DataType {
  need(0, isNumericType, 'a numeric column');
  return e.name === 'floor' || e.name === 'ceil' ? (arrow.DataType.isFloat(args[0]!) ? Types.bigint() : args[0]!) : args[0]!;
}

const evalLog = ({ e, n, out, arg0 }: FnCall): AnyData => {
  // Spark returns null for log of a non-positive number (log1p: x <= -1).
  const d = arg0();
  if (!d) return nullData(out, n);
  const x = numbers(d);
  const f = e.name === 'log' ? Math.log : e.name === 'log10' ? Math.log10 : e.name === 'log2' ? Math.log2 : Math.log1p;
  const lim = e.name === 'log1p' ? -1 : 0;
  const res = new Float64Array(n);
  const { bitmap } = bitmapFrom((i) => {
    if (!isValidAt(d, i) || !(x[i]! > lim)) return false;
    res[i] = f(x[i]!);
    return true;
  }, n);
  return makePrimitive(out, res, bitmap);
};

const evalFloorCeil = ({ e, n, out, arg0 }: FnCall): AnyData => {
  const d = arg0();
  if (!d) return nullData(out, n);
  if (!arrow.DataType.isFloat(d.type)) return d;
  const x = numbers(d);
  const f = e.name === 'floor' ? Math.floor : Math.ceil;
  const res = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    const v = f(x[i]!);
    res[i] = Number.isFinite(v) ? BigInt(v) : Number.isNaN(v) ? 0n : v > 0 ? 9223372036854775807n : -9223372036854775808n;
  }
  return makePrimitive(out, res, validityBitmap(d));
};

export const MATH_FUNCTIONS: readonly FunctionDef[] = [
  { name: 'abs', type: roundingType, evaluate: ({ n, out, arg0 }) => {
      const d = arg0();
      if (!d) return nullData(out, n);
      if (arrow.DataType.isFloat(d.type)) return toNumericType(mapDoubles(d, Math.abs), out);
      const vals = Array.from({ length: n }, (_, i) => { const v = getter(d)(i) as number | bigint | null; return v === null ? null : v < 0 ? -v : v; });
      return fromValues(out, vals);
    } },
  { name: 'sqrt', type: numericToDouble, evaluate: ({ n, out, arg0 }) => { const d = arg0(); return d ? mapDoubles(d, Math.sqrt) : nullData(out, n); } },
  { name: 'exp', type: numericToDouble, evaluate: ({ n, out, arg0 }) => { const d = arg0(); return d ? mapDoubles(d, Math.exp) : nullData(out, n); } },
  { name: 'signum', type: numericToDouble, evaluate: ({ n, out, arg0 }) => { const d = arg0(); return d ? mapDoubles(d, Math.sign) : nullData(out, n); } },
  { name: 'log', type: numericToDouble, evaluate: evalLog },
  { name: 'log10', type: numericToDouble, evaluate: evalLog },
  { name: 'log2', type: numericToDouble, evaluate: evalLog },
  { name: 'log1p', type: numericToDouble, evaluate: evalLog },
  { name: 'logb', type: numericToDouble, evaluate: ({ e, n, out, ev }) => {
      const base = Number(litArg(e, 0));
      const d = ev(e.args[1]!);
      if (arrow.DataType.isNull(d.type)) return nullData(out, n);
      const x = numbers(d);
      const res = new Float64Array(n);
      const { bitmap } = bitmapFrom((i) => {
        if (!isValidAt(d, i) || !(x[i]! > 0) || !(base > 0)) return false;
        res[i] = Math.log(x[i]!) / Math.log(base);
        return true;
      }, n);
      return makePrimitive(out, res, bitmap);
    } },
  { name: 'pow', type: numericToDouble, evaluate: ({ e, n, out, ev }) => {
      const a = ev(e.args[0]!);
      const b = ev(e.args[1]!);
      if (arrow.DataType.isNull(a.type) || arrow.DataType.isNull(b.type)) return nullData(out, n);
      const x = numbers(a);
      const y = numbers(b);
      const res = new Float64Array(n);
      for (let i = 0; i < n; i++) res[i] = Math.pow(x[i]!, y[i]!);
      return makePrimitive(out, res, andValidity(a, b, n));
    } },
  { name: 'floor', type: roundingType, evaluate: evalFloorCeil },
  { name: 'ceil', type: roundingType, evaluate: evalFloorCeil },
  { name: 'round', type: roundingType, evaluate: ({ e, n, out, arg0 }) => {
      const d = arg0();
      if (!d) return nullData(out, n);
      const scale = Number(litArg(e, 1));
      if (!arrow.DataType.isFloat(d.type)) return d;
      // Spark rounds HALF_UP on the decimal representation.
      return toNumericType(mapDoubles(d, (v) => roundHalfUp(v, scale)), out);
    } },
];

/** Spark's round(): HALF_UP on the double's shortest decimal representation (2.675 → 2.68). */
export function roundHalfUp(v: number, scale: number): number {
  if (!Number.isFinite(v)) return v;
  const str = String(Math.abs(v));
  if (scale < 0 || str.includes('e')) {
    const f = 10 ** scale;
    const r = Math.round(Math.abs(v) * f) / f;
    return v < 0 ? -r : r;
  }
  const [ip, fp = ''] = str.split('.') as [string, string];
  if (fp.length <= scale) return v;
  const up = fp.charCodeAt(scale) >= 53; // '5'
  const digits = BigInt(ip + fp.slice(0, scale)) + (up ? 1n : 0n);
  const ds = digits.toString().padStart(scale + 1, '0');
  const r = Number(scale === 0 ? ds : `${ds.slice(0, ds.length - scale)}.${ds.slice(ds.length - scale)}`);
  return v < 0 ? -r : r;
}
