/**
 * Expression analysis: resolving column names (case-insensitively when there is no exact match,
 * Spark's default spark.sql.caseSensitive=false) and the output type and field of an expression
 * over a schema, so errors name the column or operand before any data moves. A function call's
 * type comes from its entry in the function table (functions/registry.ts).
 * Follows shared/ARCHITECTURE.md (Execution: a lazy logical plan, checked before it runs).
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../errors.js';
import { exprName, type Expr } from '../column.js';
import { isNumericType, parseTypeName, sparkTypeName, Types } from '../types.js';
import { functionDef } from '../functions/registry.js';
import { arrowMetadataOf } from '../field-metadata.js';
import { comparable, describe, litType, wider } from './type-rules.js';

/** The index of a column by name: exact match first, then case-insensitive; ambiguous or unknown names throw. */
export function resolveIndex(api: string, name: string, schema: arrow.Schema): number {
  if (typeof name !== 'string') throw Errors.invalidArg(api, 'column', 'a column name (a string)', name);
  const fields = schema.fields;
  let idx = -1;
  for (let j = 0; j < fields.length; j++) {
    if (fields[j]!.name === name) {
      if (idx >= 0) throw Errors.schema(`${api}: column name ${JSON.stringify(name)} is ambiguous (it appears more than once); rename one side first`);
      idx = j;
    }
  }
  if (idx >= 0) return idx;
  const lower = name.toLowerCase();
  for (let j = 0; j < fields.length; j++) {
    if (fields[j]!.name.toLowerCase() === lower) {
      if (idx >= 0) throw Errors.schema(`${api}: column name ${JSON.stringify(name)} is ambiguous (case-insensitive match)`);
      idx = j;
    }
  }
  if (idx < 0) throw Errors.unknownColumn(api, name, fields.map((f) => f.name));
  return idx;
}

/** The output type of an expression over a schema (throws naming the column or operand). */
export function typeOf(api: string, e: Expr, schema: arrow.Schema): arrow.DataType {
  switch (e.k) {
    case 'col': return schema.fields[resolveIndex(api, e.name, schema)]!.type;
    case 'star': throw Errors.schema(`${api}: '*' is only allowed in select() and count()`);
    case 'lit': return litType(e);
    case 'alias': return typeOf(api, e.child, schema);
    case 'bin': {
      const l = typeOf(api, e.l, schema);
      const r = typeOf(api, e.r, schema);
      switch (e.op) {
        case '+': case '-': case '*': case '%': case '/': {
          for (const [x, t] of [[e.l, l], [e.r, r]] as const) {
            if (!isNumericType(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: cannot apply ${e.op} to ${describe(x, t)}: a numeric column is required`);
          }
          if (e.op === '/') return Types.double();
          const w = wider(l, r);
          return arrow.DataType.isNull(w) ? Types.double() : w;
        }
        case 'and': case 'or':
          for (const [x, t] of [[e.l, l], [e.r, r]] as const) {
            if (!arrow.DataType.isBool(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: ${e.op.toUpperCase()} needs boolean operands, got ${describe(x, t)}`);
          }
          return Types.boolean();
        default:
          if (!comparable(l, r)) throw Errors.schema(`${api}: cannot compare ${describe(e.l, l)} with ${describe(e.r, r)}`);
          return Types.boolean();
      }
    }
    case 'not': {
      const t = typeOf(api, e.child, schema);
      if (!arrow.DataType.isBool(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: NOT needs a boolean operand, got ${describe(e.child, t)}`);
      return Types.boolean();
    }
    case 'neg': {
      const t = typeOf(api, e.child, schema);
      if (!isNumericType(t)) throw Errors.schema(`${api}: cannot negate ${describe(e.child, t)}`);
      return t;
    }
    case 'isNull': case 'isNotNull': typeOf(api, e.child, schema); return Types.boolean();
    case 'isNaN': {
      const t = typeOf(api, e.child, schema);
      if (!isNumericType(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: isnan needs a numeric column, got ${describe(e.child, t)}`);
      return Types.boolean();
    }
    case 'in': {
      const t = typeOf(api, e.child, schema);
      for (const v of e.values) {
        const vt = typeOf(api, v, schema);
        if (!comparable(t, vt)) throw Errors.schema(`${api}: isin compares ${describe(e.child, t)} with ${describe(v, vt)}`);
      }
      return Types.boolean();
    }
    case 'when': {
      let out: arrow.DataType = new arrow.Null();
      const values = e.branches.map(([c, v]) => {
        const ct = typeOf(api, c, schema);
        if (!arrow.DataType.isBool(ct) && !arrow.DataType.isNull(ct)) throw Errors.schema(`${api}: WHEN condition must be boolean, got ${describe(c, ct)}`);
        return v;
      });
      if (e.otherwise) values.push(e.otherwise);
      for (const v of values) {
        const vt = typeOf(api, v, schema);
        if (arrow.DataType.isNull(out)) out = vt;
        else if (arrow.DataType.isNull(vt)) continue;
        else if (isNumericType(out) && isNumericType(vt)) out = wider(out, vt);
        else if (sparkTypeName(out) !== sparkTypeName(vt)) throw Errors.schema(`${api}: CASE WHEN branches have different types: ${sparkTypeName(out)} and ${describe(v, vt)}`);
      }
      return arrow.DataType.isNull(out) ? Types.string() : out;
    }
    case 'cast': {
      typeOf(api, e.child, schema);
      return parseTypeName(`${api}: cast`, e.to);
    }
    case 'fn': return fnType(api, e, schema);
    case 'agg': throw Errors.schema(`${api}: aggregate function ${exprName(e)} is only allowed in groupBy().agg() / agg()`);
    case 'sort': return typeOf(api, e.child, schema);
  }
}

/**
 * The output field of an expression: its type, nullability, the column name Spark gives it, and
 * its metadata (a column reference keeps its field's; an alias its own, else its child
 * reference's: dataframe/field-metadata.ts).
 */
export function exprField(api: string, e: Expr, schema: arrow.Schema): arrow.Field {
  const type = typeOf(api, e, schema);
  const ref = e.k === 'col' ? e : e.k === 'alias' && e.child.k === 'col' ? e.child : null;
  const src = ref ? schema.fields[resolveIndex(api, ref.name, schema)]! : null;
  let nullable = true;
  if (src) nullable = src.nullable;
  else if (e.k === 'lit') nullable = e.value === null;
  else if (e.k === 'isNull' || e.k === 'isNotNull') nullable = false;
  const name = e.k === 'col' ? src!.name : exprName(e);
  const metadata = e.k === 'alias' && e.metadata ? arrowMetadataOf(e.metadata) : src ? src.metadata : undefined;
  return new arrow.Field(name, type, nullable, metadata);
}

/** A call's type from the function table: its arguments' types first, then the entry's type rule. */
function fnType(api: string, e: Expr & { k: 'fn' }, schema: arrow.Schema): arrow.DataType {
  const args = e.args.map((a) => typeOf(api, a, schema));
  const def = functionDef(e.name);
  if (!def) throw Errors.schema(`${api}: unknown function ${e.name}`);
  const need = (i: number, ok: (t: arrow.DataType) => boolean, what: string) => {
    const t = args[i]!;
    if (!ok(t) && !arrow.DataType.isNull(t)) throw Errors.schema(`${api}: ${e.name} expects ${what}, got ${describe(e.args[i]!, t)}`);
  };
  return def.type({ api, e, args, need });
}
