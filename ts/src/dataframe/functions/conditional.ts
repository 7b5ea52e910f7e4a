/**
 * Conditional functions of the function table: coalesce (first non-null), greatest and least
 * (skipping nulls; NaN is the largest double), over arguments coerced to their common type.
 * Follows shared/ARCHITECTURE.md (Execution); function-def.ts describes an entry.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import type { AnyData } from '../batch.js';
import { coerce } from '../expr/cast.js';
import { fromTyped, getter } from '../expr/column-access.js';
import { cmpNum } from '../expr/operators.js';
import { describe, wider } from '../expr/type-rules.js';
import { isNumericType, sparkTypeName } from '../types.js';
import type { FnCall, FunctionDef, TypeCall } from './function-def.js';

/** Type rule: at least one argument; numbers widen, other types must agree; all-null → NullType. */
function commonType({ api, e, args }: TypeCall): arrow.DataType {
  if (args.length === 0) throw Errors.schema(`${api}: ${e.name} needs at least one column`);
  let out: arrow.DataType = new arrow.Null();
  args.forEach((t, i) => {
    if (arrow.DataType.isNull(t)) return;
    if (arrow.DataType.isNull(out)) out = t;
    else if (isNumericType(out) && isNumericType(t)) out = wider(out, t);
    else if (sparkTypeName(out) !== sparkTypeName(t)) throw Errors.schema(`${api}: ${e.name} arguments have different types: ${sparkTypeName(out)} and ${describe(e.args[i]!, t)}`);
  });
  return out;
}

/** coalesce: the first non-null argument; greatest / least: the extreme non-null one. */
const evalCoalesce = ({ api, e, n, out, ev }: FnCall): AnyData => {
  const cols = e.args.map((a) => coerce(api, ev(a), out));
  const gets = cols.map(getter);
  const vals: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let v: unknown = null;
    for (const g of gets) {
      const x = g(i);
      if (x === null) continue;
      if (e.name === 'coalesce') { v = x; break; }
      if (v === null) v = x;
      else {
        const c = typeof x === 'number' ? cmpNum(x, v as number) : (x as never) < (v as never) ? -1 : (x as never) > (v as never) ? 1 : 0;
        if ((e.name === 'greatest' && c > 0) || (e.name === 'least' && c < 0)) v = x;
      }
    }
    vals[i] = v;
  }
  return fromTyped(out, vals);
};

export const CONDITIONAL_FUNCTIONS: readonly FunctionDef[] = [
  { name: 'coalesce', type: commonType, evaluate: evalCoalesce },
  { name: 'greatest', type: commonType, evaluate: evalCoalesce },
  { name: 'least', type: commonType, evaluate: evalCoalesce },
];
