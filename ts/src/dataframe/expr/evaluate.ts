/**
 * Vectorised evaluation of an expression over one Arrow RecordBatch into one column, with
 * Spark's (non-ANSI) semantics:
 *   - arithmetic widens tinyint < smallint < int < bigint < float < double; integer overflow
 *     wraps; `/` is always double; x / 0 and x % 0 are null (operators.ts);
 *   - comparisons are null when either side is null; NaN equals NaN and is larger than any
 *     other double; `<=>` is null-safe equality (operators.ts);
 *   - and/or use three-valued logic (false AND null = false, true OR null = true);
 *   - cast: double → int truncates and saturates (NaN → 0); unparsable strings → null (cast.ts).
 * Function calls go through the function table (functions/registry.ts); types come from
 * types-of.ts, which has already rejected a bad expression before any data moves.
 * Follows shared/ARCHITECTURE.md (Execution: partitions are evaluated where they live).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import { boolAt, isValidAt, makeBool, nullData, validityBitmap, type AnyData } from '../batch.js';
import { exprName, type Expr } from '../column.js';
import { functionDef } from '../functions/registry.js';
import { parseTypeName, Types } from '../types.js';
import { castColumn, coerce } from './cast.js';
import { broadcast, fromTyped, getter, numbers } from './column-access.js';
import { arith, compare, logic } from './operators.js';
import { litType } from './type-rules.js';
import { resolveIndex, typeOf } from './types-of.js';

/** Where a batch is evaluated (per-partition functions read it). */
export interface EvalContext {
  /** Partition index (rand seeds, monotonically_increasing_id). */
  partition: number;
}

/** A literal's value in its column's JS form (dates as days, timestamps as bigint µs). */
function litValue(e: Expr & { k: 'lit' }): unknown {
  const v = e.value;
  if (v !== null && typeof v === 'object') {
    if ('date' in v) return v.date;
    return BigInt(Date.parse(v.timestamp)) * 1000n;
  }
  return v;
}

/** Evaluates an expression over a batch into one column of batch.numRows rows. */
export function evaluate(api: string, e: Expr, batch: arrow.RecordBatch, ctx: EvalContext = { partition: 0 }): AnyData {
  const schema = batch.schema;
  const n = batch.numRows;
  const ev = (x: Expr) => evaluate(api, x, batch, ctx);
  switch (e.k) {
    case 'col': return batch.data.children[resolveIndex(api, e.name, schema)]! as AnyData;
    case 'lit': return broadcast(litType(e), litValue(e), n);
    case 'alias': return ev(e.child);
    case 'sort': return ev(e.child);
    case 'bin': {
      const out = typeOf(api, e, schema);
      const l = ev(e.l);
      const r = ev(e.r);
      if (e.op === 'and' || e.op === 'or') return logic(e.op, arrow.DataType.isNull(l.type) ? nullData(Types.boolean(), n) : l, arrow.DataType.isNull(r.type) ? nullData(Types.boolean(), n) : r);
      if (['+', '-', '*', '/', '%'].includes(e.op)) {
        if (arrow.DataType.isNull(l.type) || arrow.DataType.isNull(r.type)) return nullData(out, n);
        return arith(e.op, l, r, out);
      }
      if (arrow.DataType.isNull(l.type) || arrow.DataType.isNull(r.type)) {
        if (e.op !== '<=>') return nullData(Types.boolean(), n);
      }
      return compare(e.op, l, r);
    }
    case 'not': {
      const c = ev(e.child);
      if (arrow.DataType.isNull(c.type)) return nullData(Types.boolean(), n);
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (!boolAt(c, i)) bits[i >> 3]! |= 1 << (i & 7);
      return makeBool(bits, n, validityBitmap(c));
    }
    case 'neg': {
      const c = ev(e.child);
      return arith('-', broadcast(c.type, c.type.typeId === arrow.Type.Int && (c.type as arrow.Int).bitWidth === 64 ? 0n : 0, n), c, c.type);
    }
    case 'isNull': case 'isNotNull': {
      const c = ev(e.child);
      const want = e.k === 'isNull';
      const bits = new Uint8Array((n + 7) >> 3);
      const allNull = arrow.DataType.isNull(c.type);
      for (let i = 0; i < n; i++) if ((allNull || !isValidAt(c, i)) === want) bits[i >> 3]! |= 1 << (i & 7);
      return makeBool(bits, n, null);
    }
    case 'isNaN': {
      const c = ev(e.child);
      const bits = new Uint8Array((n + 7) >> 3);
      if (!arrow.DataType.isNull(c.type)) {
        const x = numbers(c);
        for (let i = 0; i < n; i++) if (isValidAt(c, i) && x[i] !== x[i]) bits[i >> 3]! |= 1 << (i & 7);
      }
      return makeBool(bits, n, null);
    }
    case 'in': {
      let acc: AnyData | null = null;
      const c = ev(e.child);
      for (const v of e.values) {
        const eq = compare('=', c, ev(v));
        acc = acc ? logic('or', acc, eq) : eq;
      }
      return acc ?? makeBool(new Uint8Array((n + 7) >> 3), n, validityBitmap(c));
    }
    case 'when': {
      const out = typeOf(api, e, schema);
      const chosen = new Int32Array(n).fill(-1);
      e.branches.forEach(([cond], b) => {
        const c = ev(cond);
        if (arrow.DataType.isNull(c.type)) return;
        for (let i = 0; i < n; i++) if (chosen[i] === -1 && isValidAt(c, i) && boolAt(c, i)) chosen[i] = b;
      });
      const values = e.branches.map(([, v]) => coerce(api, ev(v), out));
      const other = e.otherwise ? coerce(api, ev(e.otherwise), out) : null;
      const getters = values.map(getter);
      const og = other ? getter(other) : null;
      const vals: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const b = chosen[i]!;
        vals[i] = b >= 0 ? getters[b]!(i) : og ? og(i) : null;
      }
      return fromTyped(out, vals);
    }
    case 'cast': return castColumn(api, ev(e.child), parseTypeName(`${api}: cast`, e.to));
    case 'fn': return evalFn(api, e, batch, ctx);
    case 'star': throw Errors.schema(`${api}: '*' is only allowed in select() and count()`);
    case 'agg': throw Errors.schema(`${api}: aggregate function ${exprName(e)} is only allowed in groupBy().agg() / agg()`);
  }
}

/** A function call through the function table; typeOf checks the call (and rejects unknown names) first. */
function evalFn(api: string, e: Expr & { k: 'fn' }, batch: arrow.RecordBatch, ctx: EvalContext): AnyData {
  const ev = (x: Expr) => evaluate(api, x, batch, ctx);
  const out = typeOf(api, e, batch.schema);
  const arg0 = () => {
    const d = ev(e.args[0]!);
    return arrow.DataType.isNull(d.type) ? null : d;
  };
  const def = functionDef(e.name);
  if (!def) throw Errors.schema(`${api}: unknown function ${e.name}`);
  return def.evaluate({ api, e, n: batch.numRows, out, ctx, ev, arg0 });
}
