/**
 * Column expressions. A `Column` wraps an `Expr`: a plain-data tree (no functions, no classes),
 * so a plan fragment can travel to a worker thread or another machine as data and be evaluated
 * there (expr/types-of.ts resolves types, expr/evaluate.ts evaluates whole columns at a time).
 *
 * Names follow Spark's Column API (Scala/PySpark): `col('a').gt(1).and(col('b').isNull())`,
 * `plus/minus/multiply/divide/mod`, `eq` (Scala `===`), `eqNullSafe` (`<=>`), `alias`/`as`,
 * `cast('double')`, `asc/desc` (+ `_nulls_first/_nulls_last` as `ascNullsFirst()` …).
 */
import { inspect } from 'node:util';
import { Errors } from '../errors.js';

export type Literal = number | bigint | string | boolean | null | Date;

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '<=>' | 'and' | 'or';

export type AggName =
  | 'count' | 'countDistinct' | 'sum' | 'avg' | 'min' | 'max' | 'stddev_samp' | 'stddev_pop'
  | 'var_samp' | 'var_pop' | 'first' | 'last' | 'collect_list' | 'collect_set';

export type Expr =
  | { k: 'col'; name: string }
  | { k: 'star' }
  | { k: 'lit'; value: Exclude<Literal, Date> | { date: number } | { timestamp: string } }
  | { k: 'alias'; child: Expr; name: string; metadata?: Record<string, unknown> }
  | { k: 'bin'; op: BinaryOp; l: Expr; r: Expr }
  | { k: 'not'; child: Expr }
  | { k: 'neg'; child: Expr }
  | { k: 'isNull'; child: Expr }
  | { k: 'isNotNull'; child: Expr }
  | { k: 'isNaN'; child: Expr }
  | { k: 'in'; child: Expr; values: Expr[] }
  | { k: 'when'; branches: Array<[Expr, Expr]>; otherwise?: Expr }
  | { k: 'cast'; child: Expr; to: string }
  | { k: 'fn'; name: string; args: Expr[]; opts?: Record<string, string | number | boolean | null> }
  | { k: 'agg'; fn: AggName; child: Expr | null; ignoreNulls?: boolean; alias?: string }
  | { k: 'sort'; child: Expr; desc: boolean; nullsFirst: boolean };

type ColumnLike = Column | string;
type ValueLike = Column | Literal;

const LITERAL_KINDS = new Set(['number', 'bigint', 'string', 'boolean']);

function litExpr(v: Literal): Expr {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw Errors.invalidArg('lit', 'value', 'a valid Date', 'Invalid Date');
    return { k: 'lit', value: { timestamp: v.toISOString() } };
  }
  if (v !== null && !LITERAL_KINDS.has(typeof v)) throw Errors.invalidArg('lit', 'value', 'a number, bigint, string, boolean, Date or null', v);
  return { k: 'lit', value: v };
}

/** A column name or Column → Expr (strings are column names, as in Spark's functions). */
export function toExpr(c: ColumnLike): Expr {
  if (c instanceof Column) return c.expr;
  if (typeof c === 'string') return c === '*' ? { k: 'star' } : { k: 'col', name: c };
  throw Errors.invalidArg('Column', 'column', 'a Column or a column name', c);
}

/** A Column or a literal value → Expr (operands of operators are literals, as in Spark). */
export function valueExpr(v: ValueLike): Expr {
  return v instanceof Column ? v.expr : litExpr(v);
}

export class Column {
  constructor(readonly expr: Expr) {}

  /** PySpark's repr, which console.log shows: `Column<'(x + 1)'>`. */
  [inspect.custom](): string {
    return `Column<'${exprName(this.expr)}'>`;
  }

  private bin(op: BinaryOp, other: ValueLike): Column {
    return new Column({ k: 'bin', op, l: this.expr, r: valueExpr(other) });
  }

  plus(o: ValueLike): Column { return this.bin('+', o); }
  minus(o: ValueLike): Column { return this.bin('-', o); }
  multiply(o: ValueLike): Column { return this.bin('*', o); }
  divide(o: ValueLike): Column { return this.bin('/', o); }
  mod(o: ValueLike): Column { return this.bin('%', o); }
  eq(o: ValueLike): Column { return this.bin('=', o); }
  equalTo(o: ValueLike): Column { return this.bin('=', o); }
  ne(o: ValueLike): Column { return this.bin('!=', o); }
  notEqual(o: ValueLike): Column { return this.bin('!=', o); }
  eqNullSafe(o: ValueLike): Column { return this.bin('<=>', o); }
  lt(o: ValueLike): Column { return this.bin('<', o); }
  leq(o: ValueLike): Column { return this.bin('<=', o); }
  gt(o: ValueLike): Column { return this.bin('>', o); }
  geq(o: ValueLike): Column { return this.bin('>=', o); }
  and(o: ValueLike): Column { return this.bin('and', o); }
  or(o: ValueLike): Column { return this.bin('or', o); }
  not(): Column { return new Column({ k: 'not', child: this.expr }); }
  negate(): Column { return new Column({ k: 'neg', child: this.expr }); }
  isNull(): Column { return new Column({ k: 'isNull', child: this.expr }); }
  isNotNull(): Column { return new Column({ k: 'isNotNull', child: this.expr }); }
  isNaN(): Column { return new Column({ k: 'isNaN', child: this.expr }); }
  isin(...values: Array<ValueLike | ValueLike[]>): Column {
    const flat = values.length === 1 && Array.isArray(values[0]) ? (values[0] as ValueLike[]) : (values as ValueLike[]);
    return new Column({ k: 'in', child: this.expr, values: flat.map(valueExpr) });
  }
  between(lower: ValueLike, upper: ValueLike): Column {
    return this.geq(lower).and(this.leq(upper));
  }
  /** Chains a branch onto a `when(...)` column. */
  when(condition: Column, value: ValueLike): Column {
    const e = this.expr;
    if (e.k !== 'when' || e.otherwise !== undefined) throw Errors.invalidArg('Column.when', 'this', 'a column made by functions.when() without otherwise()', 'Column');
    return new Column({ k: 'when', branches: [...e.branches, [condition.expr, valueExpr(value)]] });
  }
  otherwise(value: ValueLike): Column {
    const e = this.expr;
    if (e.k !== 'when' || e.otherwise !== undefined) throw Errors.invalidArg('Column.otherwise', 'this', 'a column made by functions.when() without otherwise()', 'Column');
    return new Column({ k: 'when', branches: e.branches, otherwise: valueExpr(value) });
  }
  cast(to: string): Column {
    if (typeof to !== 'string' || to.length === 0) throw Errors.invalidArg('Column.cast', 'to', 'a Spark type name', to);
    return new Column({ k: 'cast', child: this.expr, to });
  }
  astype(to: string): Column { return this.cast(to); }
  /**
   * The column under a new name. `options.metadata` sets the output field's Spark metadata
   * (PySpark's `alias(name, metadata=...)`, e.g. `{ ml_attr: {...} }`); without it an alias of
   * a column reference keeps that column's metadata (dataframe/field-metadata.ts).
   */
  alias(name: string, options?: { metadata?: Record<string, unknown> }): Column {
    if (typeof name !== 'string' || name.length === 0) throw Errors.invalidArg('Column.alias', 'name', 'a non-empty string', name);
    const metadata = options?.metadata;
    if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) {
      throw Errors.invalidArg('Column.alias', 'options.metadata', 'a JSON object', metadata);
    }
    const child = this.expr.k === 'alias' ? this.expr.child : this.expr;
    return new Column(metadata ? { k: 'alias', child, name, metadata: JSON.parse(JSON.stringify(metadata)) as Record<string, unknown> } : { k: 'alias', child, name });
  }
  as(name: string, options?: { metadata?: Record<string, unknown> }): Column { return this.alias(name, options); }
  name(name: string): Column { return this.alias(name); }
  asc(): Column { return new Column({ k: 'sort', child: this.expr, desc: false, nullsFirst: true }); }
  desc(): Column { return new Column({ k: 'sort', child: this.expr, desc: true, nullsFirst: false }); }
  ascNullsFirst(): Column { return new Column({ k: 'sort', child: this.expr, desc: false, nullsFirst: true }); }
  ascNullsLast(): Column { return new Column({ k: 'sort', child: this.expr, desc: false, nullsFirst: false }); }
  descNullsFirst(): Column { return new Column({ k: 'sort', child: this.expr, desc: true, nullsFirst: true }); }
  descNullsLast(): Column { return new Column({ k: 'sort', child: this.expr, desc: true, nullsFirst: false }); }
  // String methods Spark's Column also has.
  contains(s: ValueLike): Column { return fn('contains', this.expr, valueExpr(s)); }
  startsWith(s: ValueLike): Column { return fn('startswith', this.expr, valueExpr(s)); }
  endsWith(s: ValueLike): Column { return fn('endswith', this.expr, valueExpr(s)); }
  like(pattern: string): Column { return fn('like', this.expr, litExpr(pattern)); }
  rlike(pattern: string): Column { return fn('rlike', this.expr, litExpr(pattern)); }
  substr(pos: number, len: number): Column { return fn('substring', this.expr, litExpr(pos), litExpr(len)); }
  getItem(i: number | string): Column { return fn('get_item', this.expr, litExpr(i)); }

  toString(): string {
    return exprName(this.expr);
  }
}

function fn(name: string, ...args: Expr[]): Column {
  return new Column({ k: 'fn', name, args });
}

/** Spark's auto-generated column name of an expression (e.g. `(Price > 20000)`, `avg(Price)`). */
export function exprName(e: Expr): string {
  switch (e.k) {
    case 'col': return e.name;
    case 'star': return '*';
    case 'lit': {
      const v = e.value;
      if (v === null) return 'NULL';
      if (typeof v === 'object') return 'date' in v ? `DATE '${new Date(v.date * 86_400_000).toISOString().slice(0, 10)}'` : `TIMESTAMP '${v.timestamp}'`;
      return String(v);
    }
    case 'alias': return e.name;
    case 'bin': {
      const op = e.op === 'and' ? 'AND' : e.op === 'or' ? 'OR' : e.op === '!=' ? '!=' : e.op;
      if (e.op === '!=') return `(NOT (${exprName(e.l)} = ${exprName(e.r)}))`;
      return `(${exprName(e.l)} ${op} ${exprName(e.r)})`;
    }
    case 'not': return `(NOT ${exprName(e.child)})`;
    case 'neg': return `(- ${exprName(e.child)})`;
    case 'isNull': return `(${exprName(e.child)} IS NULL)`;
    case 'isNotNull': return `(${exprName(e.child)} IS NOT NULL)`;
    case 'isNaN': return `isnan(${exprName(e.child)})`;
    case 'in': return `(${exprName(e.child)} IN (${e.values.map(exprName).join(', ')}))`;
    case 'when': {
      const parts = e.branches.map(([c, v]) => `WHEN ${exprName(c)} THEN ${exprName(v)}`).join(' ');
      return `CASE ${parts}${e.otherwise ? ` ELSE ${exprName(e.otherwise)}` : ''} END`;
    }
    case 'cast': return `CAST(${exprName(e.child)} AS ${e.to.toUpperCase()})`;
    case 'fn': return `${e.name}(${e.args.map(exprName).join(', ')})`;
    case 'agg': {
      const arg = e.child === null ? '1' : exprName(e.child);
      if (e.fn === 'countDistinct') return `count(DISTINCT ${arg})`;
      if (e.fn === 'count' && e.child === null) return 'count(1)';
      // the function name as called (Spark names stddev(x) and stddev_samp(x) after the alias used)
      return `${e.alias ?? e.fn}(${arg})`;
    }
    case 'sort': return `${exprName(e.child)} ${e.desc ? 'DESC' : 'ASC'} NULLS ${e.nullsFirst ? 'FIRST' : 'LAST'}`;
  }
}

/** Column names an expression reads (for projection pruning). */
export function referencedColumns(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.k) {
    case 'col': out.add(e.name); break;
    case 'star': out.add('*'); break;
    case 'lit': break;
    case 'alias': case 'not': case 'neg': case 'isNull': case 'isNotNull': case 'isNaN': case 'cast': case 'sort':
      referencedColumns(e.child, out); break;
    case 'bin': referencedColumns(e.l, out); referencedColumns(e.r, out); break;
    case 'in': referencedColumns(e.child, out); e.values.forEach((v) => referencedColumns(v, out)); break;
    case 'when': e.branches.forEach(([c, v]) => { referencedColumns(c, out); referencedColumns(v, out); }); if (e.otherwise) referencedColumns(e.otherwise, out); break;
    case 'fn': e.args.forEach((a) => referencedColumns(a, out)); break;
    case 'agg': if (e.child) referencedColumns(e.child, out); break;
  }
  return out;
}

export function containsAgg(e: Expr): boolean {
  if (e.k === 'agg') return true;
  switch (e.k) {
    case 'alias': case 'not': case 'neg': case 'isNull': case 'isNotNull': case 'isNaN': case 'cast': case 'sort': return containsAgg(e.child);
    case 'bin': return containsAgg(e.l) || containsAgg(e.r);
    case 'in': return containsAgg(e.child) || e.values.some(containsAgg);
    case 'when': return e.branches.some(([c, v]) => containsAgg(c) || containsAgg(v)) || (e.otherwise ? containsAgg(e.otherwise) : false);
    case 'fn': return e.args.some(containsAgg);
    default: return false;
  }
}

// ---------------------------------------------------------------------------------------------
// functions (pyspark.sql.functions)

export function col(name: string): Column {
  if (typeof name !== 'string' || name.length === 0) throw Errors.invalidArg('col', 'name', 'a non-empty column name', name);
  return new Column(toExpr(name));
}
export const column = col;

export function lit(value: Literal | Column): Column {
  return value instanceof Column ? value : new Column(litExpr(value));
}

function agg(fnName: AggName, c: ColumnLike | null, ignoreNulls?: boolean, alias?: string): Column {
  const child = c === null ? null : toExpr(c);
  const e: Expr & { k: 'agg' } = { k: 'agg', fn: fnName, child };
  if (ignoreNulls !== undefined) e.ignoreNulls = ignoreNulls;
  if (alias !== undefined) e.alias = alias;
  return new Column(e);
}

function one(name: string, c: ColumnLike, ...rest: Expr[]): Column {
  return new Column({ k: 'fn', name, args: [toExpr(c), ...rest] });
}

export function when(condition: Column, value: ValueLike): Column {
  if (!(condition instanceof Column)) throw Errors.invalidArg('when', 'condition', 'a Column', condition);
  return new Column({ k: 'when', branches: [[condition.expr, valueExpr(value)]] });
}

export const functions = {
  col,
  column: col,
  lit,
  when,
  /** count('*') / count(col): rows / non-null values. */
  count: (c: ColumnLike = '*') => (c === '*' ? agg('count', null) : agg('count', c)),
  countDistinct: (c: ColumnLike, ...more: ColumnLike[]) => {
    if (more.length > 0) return new Column({ k: 'agg', fn: 'countDistinct', child: { k: 'fn', name: 'struct', args: [c, ...more].map(toExpr) } });
    return agg('countDistinct', c);
  },
  count_distinct: (c: ColumnLike) => agg('countDistinct', c),
  sum: (c: ColumnLike) => agg('sum', c),
  avg: (c: ColumnLike) => agg('avg', c),
  mean: (c: ColumnLike) => agg('avg', c),
  std: (c: ColumnLike) => agg('stddev_samp', c, undefined, 'std'),
  min: (c: ColumnLike) => agg('min', c),
  max: (c: ColumnLike) => agg('max', c),
  stddev: (c: ColumnLike) => agg('stddev_samp', c, undefined, 'stddev'),
  stddev_samp: (c: ColumnLike) => agg('stddev_samp', c),
  stddev_pop: (c: ColumnLike) => agg('stddev_pop', c),
  variance: (c: ColumnLike) => agg('var_samp', c, undefined, 'variance'),
  var_samp: (c: ColumnLike) => agg('var_samp', c),
  var_pop: (c: ColumnLike) => agg('var_pop', c),
  first: (c: ColumnLike, ignoreNulls = false) => agg('first', c, ignoreNulls),
  last: (c: ColumnLike, ignoreNulls = false) => agg('last', c, ignoreNulls),
  collect_list: (c: ColumnLike) => agg('collect_list', c),
  collect_set: (c: ColumnLike) => agg('collect_set', c),
  // string functions
  lower: (c: ColumnLike) => one('lower', c),
  upper: (c: ColumnLike) => one('upper', c),
  trim: (c: ColumnLike) => one('trim', c),
  ltrim: (c: ColumnLike) => one('ltrim', c),
  rtrim: (c: ColumnLike) => one('rtrim', c),
  length: (c: ColumnLike) => one('length', c),
  /** split(str, regex, limit = -1) → array<string>, as Spark (Java regex semantics for simple patterns). */
  split: (c: ColumnLike, pattern: string, limit = -1) => one('split', c, litExpr(pattern), litExpr(limit)),
  regexp_replace: (c: ColumnLike, pattern: string, replacement: string) => one('regexp_replace', c, litExpr(pattern), litExpr(replacement)),
  regexp_extract: (c: ColumnLike, pattern: string, idx: number) => one('regexp_extract', c, litExpr(pattern), litExpr(idx)),
  concat: (...cs: ColumnLike[]) => new Column({ k: 'fn', name: 'concat', args: cs.map(toExpr) }),
  concat_ws: (sep: string, ...cs: ColumnLike[]) => new Column({ k: 'fn', name: 'concat_ws', args: [litExpr(sep), ...cs.map(toExpr)] }),
  substring: (c: ColumnLike, pos: number, len: number) => one('substring', c, litExpr(pos), litExpr(len)),
  // math
  abs: (c: ColumnLike) => one('abs', c),
  sqrt: (c: ColumnLike) => one('sqrt', c),
  /** log(x) natural log; log(base, x) as Spark's two-argument form. */
  log: (a: ColumnLike | number, b?: ColumnLike) => (b === undefined ? one('log', a as ColumnLike) : new Column({ k: 'fn', name: 'logb', args: [litExpr(a as number), toExpr(b)] })),
  log10: (c: ColumnLike) => one('log10', c),
  log2: (c: ColumnLike) => one('log2', c),
  log1p: (c: ColumnLike) => one('log1p', c),
  exp: (c: ColumnLike) => one('exp', c),
  pow: (a: ColumnLike | number, b: ColumnLike | number) =>
    new Column({ k: 'fn', name: 'pow', args: [typeof a === 'number' ? litExpr(a) : toExpr(a), typeof b === 'number' ? litExpr(b) : toExpr(b)] }),
  floor: (c: ColumnLike) => one('floor', c),
  ceil: (c: ColumnLike) => one('ceil', c),
  round: (c: ColumnLike, scale = 0) => one('round', c, litExpr(scale)),
  signum: (c: ColumnLike) => one('signum', c),
  coalesce: (...cs: ColumnLike[]) => new Column({ k: 'fn', name: 'coalesce', args: cs.map(toExpr) }),
  isnull: (c: ColumnLike) => new Column({ k: 'isNull', child: toExpr(c) }),
  isnan: (c: ColumnLike) => new Column({ k: 'isNaN', child: toExpr(c) }),
  greatest: (...cs: ColumnLike[]) => new Column({ k: 'fn', name: 'greatest', args: cs.map(toExpr) }),
  least: (...cs: ColumnLike[]) => new Column({ k: 'fn', name: 'least', args: cs.map(toExpr) }),
  size: (c: ColumnLike) => one('size', c),
  array_contains: (c: ColumnLike, v: Literal) => one('array_contains', c, litExpr(v)),
  asc: (c: string) => col(c).asc(),
  desc: (c: string) => col(c).desc(),
  rand: (seed = 0) => new Column({ k: 'fn', name: 'rand', args: [litExpr(seed)] }),
  monotonically_increasing_id: () => new Column({ k: 'fn', name: 'monotonically_increasing_id', args: [] }),
};
