/**
 * Array and struct functions of the function table: size (-1 for null, as Spark's default
 * legacy.sizeOfNull), array_contains, get_item (array index or struct field; getItem) and struct.
 * Follows shared/ARCHITECTURE.md (Execution); function-def.ts describes an entry.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import { isValidAt, makePrimitive, nullData, fromValues, valueAt } from '../batch.js';
import { exprName } from '../column.js';
import { takeChild } from '../expr/column-access.js';
import { describe } from '../expr/type-rules.js';
import { Types } from '../types.js';
import { litArg, type FunctionDef, type TypeCall } from './function-def.js';

function sizeType(c: TypeCall): arrow.DataType {
  c.need(0, (t) => arrow.DataType.isList(t), 'an array column');
  return Types.int();
}

function arrayContainsType(c: TypeCall): arrow.DataType {
  c.need(0, (t) => arrow.DataType.isList(t), 'an array column');
  return Types.boolean();
}

/** Type rule of get_item: an array's element type, or the named field of a struct. */
function getItemType({ api, e, args }: TypeCall): arrow.DataType {
  const t = args[0]!;
  if (arrow.DataType.isList(t) || arrow.DataType.isFixedSizeList(t)) return t.children[0]!.type;
  if (arrow.DataType.isStruct(t)) {
    const key = (e.args[1] as { value: unknown }).value;
    const f = t.children.find((c) => c.name === key);
    if (!f) throw Errors.unknownColumn(api, `${exprName(e.args[0]!)}.${String(key)}`, t.children.map((c) => c.name));
    return f.type;
  }
  throw Errors.schema(`${api}: getItem needs an array or struct column, got ${describe(e.args[0]!, t)}`);
}

function structType({ e, args }: TypeCall): arrow.DataType {
  return new arrow.Struct(e.args.map((a, i) => new arrow.Field(exprName(a), args[i]!, true)));
}

export const COLLECTION_FUNCTIONS: readonly FunctionDef[] = [
  { name: 'size', type: sizeType, evaluate: ({ n, out, arg0 }) => {
      const d = arg0();
      const res = new Int32Array(n).fill(-1);
      if (d) {
        const off = d.valueOffsets as Int32Array;
        for (let i = 0; i < n; i++) if (isValidAt(d, i)) res[i] = off[i + 1]! - off[i]!;
      }
      return makePrimitive(out, res, null);
    } },
  { name: 'array_contains', type: arrayContainsType, evaluate: ({ e, n, out, arg0 }) => {
      const d = arg0();
      const target = litArg(e, 1);
      if (!d) return nullData(out, n);
      const vals = Array.from({ length: n }, (_, i) => {
        const v = valueAt(d, i) as unknown[] | null;
        return v === null ? null : v.includes(target as never);
      });
      return fromValues(out, vals);
    } },
  { name: 'get_item', type: getItemType, evaluate: ({ e, n, out, ev }) => {
      const d = ev(e.args[0]!);
      const key = litArg(e, 1);
      if (arrow.DataType.isStruct(d.type)) {
        const j = d.type.children.findIndex((c) => c.name === key);
        const child = d.children[j]!;
        const idx = Int32Array.from({ length: n }, (_, i) => (isValidAt(d, i) ? i : -1));
        return takeChild(child, idx);
      }
      const vals = Array.from({ length: n }, (_, i) => {
        const v = valueAt(d, i) as unknown[] | null;
        return v === null ? null : (v[key as number] ?? null);
      });
      return fromValues(out, vals);
    } },
  { name: 'struct', type: structType, evaluate: ({ e, n, out, ev }) => {
      const children = e.args.map((a) => ev(a));
      return arrow.makeData({ type: out as arrow.Struct, length: n, children, nullCount: 0 });
    } },
];
