/**
 * `DataFrame`: a lazy logical plan (plan.ts) over partitions of Arrow RecordBatches, with
 * Spark's transformation and action names. Transformations return new DataFrames and check
 * column names and types immediately (an unknown column fails at `select`, not at `collect`);
 * actions (`count`, `collect`, `show`, `toArrow`, `write…`) optimise the plan and run it on
 * the session's executor backend.
 */
import { inspect } from 'node:util';
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { concatBatches, batchRows, isValidAt, makeBatch, fromValues, type AnyData } from './batch.js';
import { Column, col as colFn, exprName, functions, lit as litFn, toExpr, when, containsAgg, type Expr, type Literal } from './column.js';
import { evaluate, resolveIndex, castToString, numericValues } from './eval.js';
import { countRows, execute, type ExecContext } from './physical.js';
import { unplace } from './placement.js';
import type { Blocks, JobSource, SourceLike } from '../exec/jobs.js';
import { refOf, type PartitionTask, type Summary, type TaskRef } from '../exec/task.js';
import { checkMapOutput } from './narrow.js';
import { schemaToDesc } from './portable.js';
import { explainPlan, optimize, schemaOf, type JoinType, type Plan } from './plan.js';
import { emptySketch, sketchAdd, sketchMerge, sketchQuery } from './quantile.js';
import { showString } from './show.js';
import { isNumericType, isStringType, schemaTreeString, sparkTypeName, Types } from './types.js';
import type { DataFrameWriter } from './writer.js';

/** What DataFrame needs from its session (kept minimal to avoid an import cycle). */
export interface SessionLike {
  readonly appName: string;
  execContext(): ExecContext;
  newWriter(df: DataFrame): DataFrameWriter;
  /** The one execution API (session.ts): a summary over partitions, merged in treeAggregate order. */
  treeAggregate<S, P = unknown, B = unknown>(summary: Summary<S, P, B> | TaskRef, source: DataFrame | SourceLike | JobSource | readonly unknown[], broadcast: B, options?: { depth?: number }): Promise<S>;
  /** A map-only task per partition; results in partition order. */
  runTasks<P, B, R>(task: PartitionTask<P, B, R> | Summary<R, P, B> | TaskRef, source: DataFrame | SourceLike | JobSource | readonly unknown[], broadcast: B): Promise<R[]>;
  /** A map-only task per partition whose outputs stay on the executors as blocks. */
  keepTasks<P, B, M>(task: PartitionTask<P, B, unknown> | TaskRef, source: DataFrame | SourceLike | JobSource | readonly unknown[], broadcast: B): Promise<Blocks<M>>;
}

/** A DataFrame whose partitions `compute` makes on first use, then kept (a model's output, a miner's result table). */
export function lazyFrame(session: SessionLike, schema: arrow.Schema, compute: () => Promise<arrow.RecordBatch[]>): DataFrame {
  return new DataFrame(session, { op: 'cache', child: { op: 'memory', schema, partitions: [] }, state: { compute } });
}

type ColArg = string | Column;

function flatCols(api: string, cols: ReadonlyArray<ColArg | readonly ColArg[]>): ColArg[] {
  const out: ColArg[] = [];
  for (const c of cols) {
    for (const x of Array.isArray(c) ? c : [c]) {
      if (typeof x === 'string' || x instanceof Column) out.push(x as ColArg);
      else throw Errors.invalidArg(api, 'columns', 'column names or Columns', x);
    }
  }
  return out;
}

/** The other side of a binary operator (join, union …): a DataFrame of this library. */
function otherFrame(api: string, other: unknown): DataFrame {
  if (!(other instanceof DataFrame)) throw Errors.invalidArg(api, 'other', 'a DataFrame', other);
  return other;
}

export class DataFrame {
  constructor(
    readonly session: SessionLike,
    readonly plan: Plan,
  ) {}

  private with(plan: Plan): DataFrame {
    schemaOf(plan); // analyse now: bad names and types fail at the transformation
    return new DataFrame(this.session, plan);
  }

  // ----- schema -------------------------------------------------------------------------------

  get schema(): arrow.Schema {
    return schemaOf(this.plan);
  }

  get columns(): string[] {
    return this.schema.fields.map((f) => f.name);
  }

  /** [name, Spark type name] pairs. */
  get dtypes(): Array<[string, string]> {
    return this.schema.fields.map((f) => [f.name, sparkTypeName(f.type)]);
  }

  schemaString(): string {
    return schemaTreeString(this.schema);
  }

  printSchema(): void {
    process.stdout.write(this.schemaString());
  }

  /** PySpark's repr, which console.log shows: `DataFrame[age: bigint, name: string]`. */
  toString(): string {
    return `DataFrame[${this.schema.fields.map((f) => `${f.name}: ${sparkTypeName(f.type)}`).join(', ')}]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  explain(): string {
    const text = `== Physical Plan ==\n${explainPlan(optimize(this.plan))}\n`;
    return text;
  }

  /** A Column bound by name (Spark's df['x'] / df.col('x')); checks the name now. */
  col(name: string): Column {
    resolveIndex('DataFrame.col', name, this.schema);
    return colFn(name);
  }

  // ----- transformations ----------------------------------------------------------------------

  select(...cols: Array<ColArg | readonly ColArg[]>): DataFrame {
    const exprs: Expr[] = [];
    for (const c of flatCols('select', cols)) {
      const e = toExpr(c);
      if (e.k === 'star') exprs.push(...this.columns.map((n) => ({ k: 'col', name: n }) as Expr));
      else if (containsAgg(e)) return this.agg(...flatCols('select', cols).map((x) => (x instanceof Column ? x : colFn(x))));
      else exprs.push(e);
    }
    return this.with({ op: 'project', child: this.plan, exprs });
  }

  withColumn(name: string, column: Column): DataFrame {
    if (typeof name !== 'string' || name.length === 0) throw Errors.invalidArg('withColumn', 'name', 'a non-empty column name', name);
    if (!(column instanceof Column)) throw Errors.invalidArg('withColumn', 'column', 'a Column (use lit() for constants)', column);
    const names = this.columns;
    const e: Expr = { k: 'alias', child: column.expr, name };
    const idx = names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
    const exprs: Expr[] = names.map((n) => ({ k: 'col', name: n }) as Expr);
    if (idx >= 0) exprs[idx] = e;
    else exprs.push(e);
    return this.with({ op: 'project', child: this.plan, exprs });
  }

  withColumns(map: Record<string, Column>): DataFrame {
    let df: DataFrame = this;
    for (const [k, v] of Object.entries(map)) df = df.withColumn(k, v);
    return df;
  }

  withColumnRenamed(existing: string, name: string): DataFrame {
    if (typeof name !== 'string' || name.length === 0) throw Errors.invalidArg('withColumnRenamed', 'newName', 'a non-empty column name', name);
    const names = this.columns;
    if (!names.some((n) => n.toLowerCase() === String(existing).toLowerCase())) return this; // Spark: a no-op for a missing column
    const exprs = names.map((n) => (n.toLowerCase() === existing.toLowerCase() ? ({ k: 'alias', child: { k: 'col', name: n }, name } as Expr) : ({ k: 'col', name: n } as Expr)));
    return this.with({ op: 'project', child: this.plan, exprs });
  }

  withColumnsRenamed(map: Record<string, string>): DataFrame {
    let df: DataFrame = this;
    for (const [k, v] of Object.entries(map)) df = df.withColumnRenamed(k, v);
    return df;
  }

  /** Drops columns by name (missing names are ignored, as in Spark). */
  drop(...cols: Array<ColArg>): DataFrame {
    const names = new Set(flatCols('drop', cols).map((c) => (c instanceof Column ? exprName(c.expr) : c).toLowerCase()));
    const keep = this.columns.filter((n) => !names.has(n.toLowerCase()));
    return this.with({ op: 'project', child: this.plan, exprs: keep.map((n) => ({ k: 'col', name: n }) as Expr) });
  }

  filter(condition: Column): DataFrame {
    if (!(condition instanceof Column)) throw Errors.invalidArg('filter', 'condition', 'a boolean Column (SQL strings are not supported)', condition);
    return this.with({ op: 'filter', child: this.plan, cond: condition.expr });
  }

  where(condition: Column): DataFrame {
    return this.filter(condition);
  }

  groupBy(...cols: Array<ColArg | readonly ColArg[]>): GroupedData {
    const keys = flatCols('groupBy', cols).map(toExpr);
    for (const k of keys) if (k.k === 'star') throw Errors.invalidArg('groupBy', 'columns', 'column names or Columns', '*');
    return new GroupedData(this, keys);
  }

  groupby(...cols: Array<ColArg | readonly ColArg[]>): GroupedData {
    return this.groupBy(...cols);
  }

  /** A global aggregate: df.agg(F.max('x')) or df.agg({ x: 'max' }). */
  agg(...aggs: Array<Column | Record<string, string>>): DataFrame {
    return new GroupedData(this, []).agg(...aggs);
  }

  orderBy(...cols: Array<ColArg | readonly ColArg[] | { ascending: boolean | boolean[] }>): DataFrame {
    let ascending: boolean | boolean[] = true;
    const last = cols[cols.length - 1];
    if (last && typeof last === 'object' && !(last instanceof Column) && !Array.isArray(last)) {
      ascending = (last as { ascending: boolean | boolean[] }).ascending;
      cols = cols.slice(0, -1);
    }
    const list = flatCols('orderBy', cols as Array<ColArg | readonly ColArg[]>);
    if (list.length === 0) throw Errors.invalidArg('orderBy', 'columns', 'at least one column', list);
    const orders = list.map((c, i) => {
      const e = toExpr(c);
      if (e.k === 'sort') return e;
      const asc = Array.isArray(ascending) ? ascending[i] ?? true : ascending;
      return { k: 'sort', child: e, desc: !asc, nullsFirst: asc } as Expr;
    });
    return this.with({ op: 'sort', child: this.plan, orders });
  }

  sort(...cols: Array<ColArg | readonly ColArg[] | { ascending: boolean | boolean[] }>): DataFrame {
    return this.orderBy(...cols);
  }

  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) throw Errors.outOfRange('limit', 'n', 'an integer >= 0', n);
    return this.with({ op: 'limit', child: this.plan, n });
  }

  distinct(): DataFrame {
    return this.with({ op: 'distinct', child: this.plan, subset: null });
  }

  dropDuplicates(subset?: readonly string[]): DataFrame {
    if (subset !== undefined && (!Array.isArray(subset) || subset.some((s) => typeof s !== 'string'))) throw Errors.invalidArg('dropDuplicates', 'subset', 'an array of column names', subset);
    return this.with({ op: 'distinct', child: this.plan, subset: subset && subset.length > 0 ? [...subset] : null });
  }

  drop_duplicates(subset?: readonly string[]): DataFrame {
    return this.dropDuplicates(subset);
  }

  /**
   * join(other, on, how): `on` is a column name, an array of names (a USING join: the keys
   * appear once) or a boolean Column over columns of both sides (names must be distinct across
   * the sides; rename first). how: inner (default), left/left_outer, right/right_outer,
   * full/outer/full_outer, left_semi/semi, left_anti/anti, cross.
   */
  join(other: DataFrame, on?: string | readonly string[] | Column, how: string = 'inner'): DataFrame {
    otherFrame('join', other);
    const aliases: Record<string, JoinType> = {
      inner: 'inner', cross: 'cross', left: 'left', leftouter: 'left', left_outer: 'left', right: 'right', rightouter: 'right', right_outer: 'right',
      full: 'full', outer: 'full', fullouter: 'full', full_outer: 'full', left_semi: 'left_semi', leftsemi: 'left_semi', semi: 'left_semi',
      left_anti: 'left_anti', leftanti: 'left_anti', anti: 'left_anti',
    };
    const type = typeof how === 'string' ? aliases[how.toLowerCase()] : undefined;
    if (!type) throw Errors.invalidArg('join', 'how', `one of ${Object.keys(aliases).join(', ')}`, how);
    let cond: string[] | Expr;
    if (on === undefined || (Array.isArray(on) && on.length === 0)) {
      if (type !== 'cross' && type !== 'inner') throw Errors.invalidArg('join', 'on', `join columns for a ${how} join`, on);
      cond = [];
      return this.with({ op: 'join', left: this.plan, right: other.plan, how: 'cross', on: cond });
    }
    if (typeof on === 'string') cond = [on];
    else if (Array.isArray(on) && on.every((c) => typeof c === 'string')) cond = [...(on as readonly string[])];
    else if (on instanceof Column) cond = on.expr;
    else throw Errors.invalidArg('join', 'on', 'a column name, an array of names or a Column', on);
    return this.with({ op: 'join', left: this.plan, right: other.plan, how: type, on: cond });
  }

  crossJoin(other: DataFrame): DataFrame {
    return this.with({ op: 'join', left: this.plan, right: otherFrame('crossJoin', other).plan, how: 'cross', on: [] });
  }

  /** Union by position (Spark's union = UNION ALL). */
  union(other: DataFrame): DataFrame {
    return this.with({ op: 'union', children: [this.plan, otherFrame('union', other).plan] });
  }

  unionAll(other: DataFrame): DataFrame {
    return this.union(other);
  }

  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    const mine = this.columns;
    const theirs = otherFrame('unionByName', other).columns;
    const lower = new Map(theirs.map((n) => [n.toLowerCase(), n]));
    const missing = mine.filter((n) => !lower.has(n.toLowerCase()));
    const extra = theirs.filter((n) => !mine.some((m) => m.toLowerCase() === n.toLowerCase()));
    if (!allowMissingColumns && (missing.length > 0 || extra.length > 0)) {
      throw Errors.schema(`unionByName: column ${missing[0] ?? extra[0]} is missing on one side (set allowMissingColumns to fill it with nulls)`);
    }
    const typeOfCol = (df: DataFrame, n: string) => df.schema.fields[resolveIndex('unionByName', n, df.schema)]!.type;
    const left = missing.length > 0 || extra.length > 0 ? this.select(...mine.map((n) => colFn(n)), ...extra.map((n) => nullOf(typeOfCol(other, n)).alias(n))) : this;
    const all = [...mine, ...extra];
    const right = other.select(...all.map((n) => (lower.has(n.toLowerCase()) ? colFn(lower.get(n.toLowerCase())!).alias(n) : nullOf(typeOfCol(this, n)).alias(n))));
    return left.union(right);
  }

  /** sample(fraction, seed?) or sample(withReplacement, fraction, seed?). */
  sample(a: number | boolean, b?: number, c?: number): DataFrame {
    let withReplacement = false;
    let fraction: number;
    let seed: number | undefined;
    if (typeof a === 'boolean') {
      withReplacement = a;
      fraction = b as number;
      seed = c;
    } else {
      fraction = a;
      seed = b;
    }
    if (typeof fraction !== 'number' || !(fraction >= 0) || (!withReplacement && fraction > 1)) {
      throw Errors.outOfRange('sample', 'fraction', withReplacement ? 'a number >= 0' : 'a number in [0, 1]', fraction);
    }
    const s = seed ?? Math.floor(Math.random() * 2 ** 31);
    return this.with({ op: 'sample', child: this.plan, lb: 0, ub: fraction, seed: s, withReplacement });
  }

  /**
   * PySpark's sampleBy (DataFrame.sampleBy / stat.sampleBy): stratified sampling without
   * replacement — a row whose `col` value is a key of `fractions` is kept with that probability,
   * any other row (and a null) never. As Spark (`filter(rand(seed) < fraction(col))`), each row
   * draws from rand(seed)'s stream, the one sample() uses: the same seed over the same
   * partitioning keeps the same rows; another partitioning of the same rows may keep others (as
   * in Spark). Keys are the stratum values (a plain object's keys are strings; for a numeric
   * column they are read as numbers; a Map keeps its keys' types).
   */
  sampleBy(column: string | Column, fractions: Readonly<Record<string, number>> | ReadonlyMap<Literal, number>, seed?: number): DataFrame {
    const api = 'sampleBy';
    let c: Column;
    if (typeof column === 'string') {
      resolveIndex(api, column, this.schema);
      c = colFn(column);
    } else if (column instanceof Column) c = column;
    else throw Errors.invalidArg(api, 'col', 'a column name or a Column', column);
    const isMap = fractions instanceof Map;
    if (!isMap && (fractions === null || typeof fractions !== 'object' || Array.isArray(fractions))) {
      throw Errors.invalidArg(api, 'fractions', 'an object or a Map of stratum value → fraction in [0, 1]', fractions);
    }
    if (seed !== undefined && !Number.isInteger(seed)) throw Errors.invalidArg(api, 'seed', 'an integer', seed);
    const entries: Array<[Literal, number]> = isMap ? [...(fractions as ReadonlyMap<Literal, number>)] : Object.entries(fractions);
    const numeric = isNumericType(this.select(c).schema.fields[0]!.type);
    let frac: Column | null = null;
    for (const [k, p] of entries) {
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw Errors.outOfRange(api, `fractions[${String(k)}]`, 'a number in [0, 1] (Fractions must be in [0, 1])', p);
      let key: Literal = k;
      if (!isMap && numeric) {
        key = Number(k);
        if (Number.isNaN(key)) throw Errors.invalidArg(api, 'fractions', `numeric stratum values (column ${String(column)} is numeric)`, k);
      }
      if (key === null || key === undefined) continue; // a null stratum is never sampled
      frac = frac === null ? when(c.eq(key), p) : frac.when(c.eq(key), p);
    }
    const s = seed ?? Math.floor(Math.random() * 2 ** 31);
    return this.filter(functions.rand(s).lt(frac === null ? litFn(0) : frac.otherwise(0)));
  }

  /** Splits rows by normalised weights; deterministic for a seed, disjoint and complete. */
  randomSplit(weights: readonly number[], seed?: number): DataFrame[] {
    if (!Array.isArray(weights) || weights.length === 0) throw Errors.invalidArg('randomSplit', 'weights', 'a non-empty array of numbers >= 0', weights);
    weights.forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw Errors.outOfRange('randomSplit', `weights[${i}]`, 'a finite number >= 0', w);
    });
    const total = weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) throw Errors.outOfRange('randomSplit', 'weights', 'weights with a positive sum', total);
    const s = seed ?? Math.floor(Math.random() * 2 ** 31);
    const out: DataFrame[] = [];
    let acc = 0;
    weights.forEach((w, i) => {
      const lb = acc / total;
      acc += w;
      const ub = i === weights.length - 1 ? 1.0000001 : acc / total;
      out.push(this.with({ op: 'sample', child: this.plan, lb, ub, seed: s, withReplacement: false }));
    });
    return out;
  }

  repartition(n: number, ...cols: ColArg[]): DataFrame {
    if (!Number.isInteger(n) || n < 1) throw Errors.outOfRange('repartition', 'numPartitions', 'an integer >= 1', n);
    return this.with({ op: 'repartition', child: this.plan, n, keys: cols.map(toExpr) });
  }

  coalesce(n: number): DataFrame {
    return this.repartition(n);
  }

  /** Keeps the computed partitions after the first action (in shared memory for local[N]). */
  cache(): DataFrame {
    if (this.plan.op === 'cache') return this;
    return this.with({ op: 'cache', child: this.plan, state: {} });
  }

  persist(): DataFrame {
    return this.cache();
  }

  unpersist(): DataFrame {
    if (this.plan.op === 'cache') unplace(this.plan.state);
    return this;
  }

  /**
   * PySpark's mapInArrow: each partition's RecordBatch mapped to a batch of `schema`.
   *   - With a task — a built-in made by `defineTask`, or `taskRef(import.meta.url, 'name')` to a
   *     user module exporting `{ run(batch, broadcast, ctx) }` — it is a narrow operator run on
   *     the executors, fused with the operators around it (model transforms use this);
   *     `broadcast` reaches every task.
   *   - With a plain function (which cannot be shipped to an executor), it runs on the driver
   *     when an action first needs the rows, and the output is kept: a convenience for small
   *     data, as PySpark in local mode.
   * Either way the output must have the schema's columns and types (an error names the column).
   */
  mapInArrow<B = unknown>(fn: ((batch: arrow.RecordBatch, partition: number) => arrow.RecordBatch) | PartitionTask<arrow.RecordBatch, B, arrow.RecordBatch> | TaskRef, schema: arrow.Schema, broadcast?: B | (() => Promise<B>)): DataFrame {
    if (!(schema instanceof arrow.Schema)) throw Errors.invalidArg('mapInArrow', 'schema', 'an Arrow Schema', schema);
    if (typeof fn !== 'function') {
      const task = refOf(fn as PartitionTask | TaskRef);
      if (typeof broadcast === 'function') return this.with({ op: 'mapBatches', child: this.plan, task, broadcast: null, lazyBroadcast: broadcast as () => Promise<B>, schema, name: task.name });
      return this.with({ op: 'mapBatches', child: this.plan, task, broadcast: broadcast ?? null, schema, name: task.name });
    }
    const fields = schemaToDesc(schema);
    const compute = async () => {
      const parts = await this.partitions();
      return parts.map((b, i) => {
        const out = fn(b, i);
        checkMapOutput('(function)', out, fields, i);
        return out;
      });
    };
    return lazyFrame(this.session, schema, compute);
  }

  get na(): DataFrameNaFunctions {
    return new DataFrameNaFunctions(this);
  }

  get write(): DataFrameWriter {
    return this.session.newWriter(this);
  }

  // ----- actions ------------------------------------------------------------------------------

  /** Runs the plan: one RecordBatch per partition. */
  async partitions(): Promise<arrow.RecordBatch[]> {
    return execute(optimize(this.plan), this.session.execContext());
  }

  async count(): Promise<number> {
    return countRows(optimize(this.plan), this.session.execContext());
  }

  /** All rows as plain objects ({ column: value }). */
  async collect(): Promise<Array<Record<string, unknown>>> {
    const parts = await this.partitions();
    return parts.flatMap(batchRows);
  }

  async toArrow(): Promise<arrow.Table> {
    const parts = (await this.partitions()).filter((b) => b.numRows > 0);
    if (parts.length === 0) return new arrow.Table(this.schema);
    // one schema object for all batches (Table requires identical schemas)
    const schema = parts[0]!.schema;
    return new arrow.Table(schema, parts.map((b) => (b.schema === schema ? b : makeBatch(schema, b.data.children as AnyData[], b.numRows))));
  }

  async take(n: number): Promise<Array<Record<string, unknown>>> {
    return this.limit(n).collect();
  }

  async head(n?: number): Promise<Array<Record<string, unknown>>> {
    return this.take(n ?? 1);
  }

  async first(): Promise<Record<string, unknown> | null> {
    const rows = await this.take(1);
    return rows[0] ?? null;
  }

  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }

  /** Spark's show() text; `show()` prints it. truncate: true (20 chars), false, or a width. */
  async showString(n = 20, truncate: boolean | number = true, vertical = false): Promise<string> {
    if (!Number.isInteger(n)) throw Errors.invalidArg('show', 'n', 'an integer', n);
    const rows = Math.max(0, n);
    const batch = concatBatches(this.schema, await new DataFrame(this.session, { op: 'limit', child: this.plan, n: rows + 1 }).partitions());
    const hasMore = batch.numRows > rows;
    const shown = hasMore ? batch.slice(0, rows) : batch;
    const width = truncate === true ? 20 : truncate === false ? 0 : truncate;
    return showString(shown, rows, width, hasMore, vertical);
  }

  async show(n = 20, truncate: boolean | number = true, vertical = false): Promise<void> {
    process.stdout.write(await this.showString(n, truncate, vertical));
  }

  /** Spark's describe(): count, mean, stddev (sample), min, max as strings, for numeric and string columns (or the ones named). */
  describe(...cols: Array<string | readonly string[]>): DataFrame {
    return this.summaryOf('describe', ['count', 'mean', 'stddev', 'min', 'max'], cols.flat());
  }

  /** Spark's summary(): count, mean, stddev, min, 25%, 50%, 75%, max (or the statistics named, incl. any "NN%" and count_distinct). */
  summary(...statistics: string[]): DataFrame {
    const stats = statistics.length > 0 ? statistics : ['count', 'mean', 'stddev', 'min', '25%', '50%', '75%', 'max'];
    return this.summaryOf('summary', stats, []);
  }

  private summaryOf(api: string, stats: string[], names: string[]): DataFrame {
    const schema = this.schema;
    const fields = names.length > 0
      ? names.map((n) => schema.fields[resolveIndex(api, n, schema)]!)
      : schema.fields.filter((f) => isNumericType(f.type) || isStringType(f.type));
    for (const s of stats) {
      if (!['count', 'mean', 'stddev', 'min', 'max', 'count_distinct', 'approx_count_distinct'].includes(s) && !/^\d+(\.\d+)?%$/.test(s)) {
        throw Errors.invalidArg(api, 'statistics', 'count, mean, stddev, min, max, count_distinct or a percentile like 75%', s);
      }
    }
    const outSchema = new arrow.Schema([new arrow.Field('summary', Types.string(), true), ...fields.map((f) => new arrow.Field(f.name, Types.string(), true))]);
    const compute = async () => {
      const values = await this.computeSummary(api, fields, stats);
      const cols: AnyData[] = [fromValues(Types.string(), stats), ...fields.map((_, j) => fromValues(Types.string(), values.map((row) => row[j]!)))];
      return [makeBatch(outSchema, cols, stats.length)];
    };
    return lazyFrame(this.session, outSchema, compute);
  }

  private async computeSummary(api: string, fields: arrow.Field[], stats: string[]): Promise<Array<Array<string | null>>> {
    const F = (fn: Expr['k'] extends never ? never : string, c: string): Column => new Column({ k: 'agg', fn: fn as never, child: fn === 'count' ? { k: 'col', name: c } : { k: 'cast', child: { k: 'col', name: c }, to: 'double' } });
    const aggs: Column[] = [];
    for (const f of fields) {
      const numeric = isNumericType(f.type);
      aggs.push(F('count', f.name).alias(`count_${f.name}`));
      aggs.push((numeric || isStringType(f.type) ? F('avg', f.name) : nullOf(Types.double())).alias(`mean_${f.name}`));
      aggs.push((numeric || isStringType(f.type) ? F('stddev_samp', f.name) : nullOf(Types.double())).alias(`std_${f.name}`));
      aggs.push(new Column({ k: 'agg', fn: 'min', child: { k: 'col', name: f.name } }).alias(`min_${f.name}`));
      aggs.push(new Column({ k: 'agg', fn: 'max', child: { k: 'col', name: f.name } }).alias(`max_${f.name}`));
      if (stats.includes('count_distinct') || stats.includes('approx_count_distinct')) aggs.push(new Column({ k: 'agg', fn: 'countDistinct', child: { k: 'col', name: f.name } }).alias(`cd_${f.name}`));
    }
    const row = fields.length > 0 ? (await this.agg(...aggs).collect())[0]! : {};
    const pcts = stats.filter((s) => s.endsWith('%')).map((s) => Number(s.slice(0, -1)) / 100);
    let quantiles: Array<number[] | null> = [];
    if (pcts.length > 0) {
      for (const p of pcts) if (!(p >= 0 && p <= 1)) throw Errors.outOfRange(api, 'statistics', 'percentiles in [0%, 100%]', `${p * 100}%`);
      const numericFields = fields.map((f) => isNumericType(f.type));
      const sk = await this.sketches(fields.filter((_, j) => numericFields[j]).map((f) => f.name), 1e-4);
      let k = 0;
      quantiles = fields.map((_, j) => (numericFields[j] ? sketchQuery(sk[k++]!, pcts) : null));
    }
    const fmtAgg = (f: arrow.Field, v: unknown): string | null => {
      if (v === null || v === undefined) return null;
      if (v instanceof Date) return castToString(f.type, sparkTypeName(f.type) === 'date' ? Math.round(v.getTime() / 86_400_000) : BigInt(v.getTime()) * 1000n);
      if (typeof v === 'number' && (sparkTypeName(f.type) === 'double' || sparkTypeName(f.type) === 'float')) return castToString(f.type, v);
      return String(v);
    };
    return stats.map((s) => fields.map((f, j) => {
      switch (s) {
        case 'count': return String(row[`count_${f.name}`]);
        case 'mean': return fmtAgg(new arrow.Field('m', Types.double()), row[`mean_${f.name}`]);
        case 'stddev': return fmtAgg(new arrow.Field('s', Types.double()), row[`std_${f.name}`]);
        case 'min': return fmtAgg(f, row[`min_${f.name}`]);
        case 'max': return fmtAgg(f, row[`max_${f.name}`]);
        case 'count_distinct': case 'approx_count_distinct': return String(row[`cd_${f.name}`]);
        default: {
          const q = quantiles[j];
          if (!q) return null;
          const v = q[pcts.indexOf(Number(s.slice(0, -1)) / 100)]!;
          return arrow.DataType.isInt(f.type) ? String(Math.trunc(v)) : castToString(f.type.typeId === arrow.Type.Float ? f.type : Types.double(), v);
        }
      }
    }));
  }

  private async sketches(names: string[], relativeError: number) {
    const plan = optimize({ op: 'project', child: this.plan, exprs: names.map((n) => ({ k: 'cast', child: { k: 'col', name: n }, to: 'double' }) as Expr) });
    const parts = await execute(plan, this.session.execContext());
    return names.map((_, j) => {
      let s = emptySketch(relativeError);
      for (const b of parts) {
        const d = b.data.children[j]! as AnyData;
        const x = numericValues(d);
        const vals: number[] = [];
        for (let i = 0; i < d.length; i++) if (isValidAt(d, i) && x[i] === x[i]) vals.push(x[i]!);
        s = sketchMerge(s, sketchAdd(emptySketch(relativeError), vals));
      }
      return s;
    });
  }

  /** Spark's approxQuantile: nulls and NaN are ignored; relativeError 0 is exact. One column → number[]; several → number[][]. */
  async approxQuantile(cols: string | readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[] | number[][]> {
    if (typeof cols !== 'string' && !Array.isArray(cols)) throw Errors.invalidArg('approxQuantile', 'col', 'a column name or an array of them', cols);
    const names = typeof cols === 'string' ? [cols] : [...cols];
    if (!Array.isArray(probabilities) || probabilities.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 1))) {
      throw Errors.outOfRange('approxQuantile', 'probabilities', 'an array of numbers in [0, 1]', probabilities);
    }
    if (typeof relativeError !== 'number' || !(relativeError >= 0)) throw Errors.outOfRange('approxQuantile', 'relativeError', 'a number >= 0', relativeError);
    for (const n of names) {
      const f = this.schema.fields[resolveIndex('approxQuantile', n, this.schema)]!;
      if (!isNumericType(f.type)) throw Errors.schema(`approxQuantile: column ${n} is ${sparkTypeName(f.type)}; a numeric column is required`);
    }
    const sk = await this.sketches(names, Math.min(relativeError, 1));
    const res = sk.map((s) => sketchQuery(s, probabilities) ?? []);
    return typeof cols === 'string' ? res[0]! : res;
  }

  /** Evaluates a column over the rows (a convenience for tests and small data). */
  async evaluate(column: Column): Promise<unknown[]> {
    const parts = await this.partitions();
    return parts.flatMap((b) => {
      const d = evaluate('evaluate', column.expr, b);
      return batchRows(makeBatch(new arrow.Schema([new arrow.Field('v', d.type)]), [d], b.numRows)).map((r) => r.v);
    });
  }
}

function nullOf(t: arrow.DataType): Column {
  return new Column({ k: 'cast', child: { k: 'lit', value: null }, to: sparkTypeName(t) });
}

export class GroupedData {
  constructor(
    private readonly df: DataFrame,
    private readonly keys: Expr[],
  ) {}

  /** PySpark's repr: `GroupedData[grouping expressions: [k], value: [k: int, v: double], type: GroupBy]`. */
  toString(): string {
    return `GroupedData[grouping expressions: [${this.keys.map(exprName).join(', ')}], value: [${this.df.schema.fields.map((f) => `${f.name}: ${sparkTypeName(f.type)}`).join(', ')}], type: GroupBy]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** agg(F.count('*'), F.avg('x')) or agg({ x: 'avg', y: 'max' }). */
  agg(...aggs: Array<Column | Record<string, string>>): DataFrame {
    const list: Expr[] = [];
    for (const a of aggs.flat()) {
      if (a instanceof Column) list.push(a.expr);
      else if (a && typeof a === 'object' && !Array.isArray(a)) {
        for (const [c, fn] of Object.entries(a)) list.push(this.named(fn, c));
      } else throw Errors.invalidArg('agg', 'aggregates', 'aggregate Columns (functions.count, sum, …) or { column: "fn" }', a);
    }
    if (list.length === 0) throw Errors.invalidArg('agg', 'aggregates', 'at least one aggregate', list);
    for (const e of list) {
      const inner = e.k === 'alias' ? e.child : e;
      if (inner.k !== 'agg') throw Errors.schema(`agg: ${exprName(e)} is not an aggregate function; use count, sum, avg, min, max, …`);
    }
    const plan: Plan = { op: 'aggregate', child: this.df.plan, keys: this.keys, aggs: list };
    schemaOf(plan);
    return new DataFrame(this.df.session, plan);
  }

  private named(fn: string, c: string): Expr {
    const map: Record<string, string> = { avg: 'avg', mean: 'avg', sum: 'sum', min: 'min', max: 'max', count: 'count', stddev: 'stddev_samp', std: 'stddev_samp', variance: 'var_samp', first: 'first', last: 'last' };
    const f = typeof fn === 'string' ? map[fn.toLowerCase()] : undefined;
    if (!f) throw Errors.invalidArg('agg', `aggregate for ${c}`, `one of ${Object.keys(map).join(', ')}`, fn);
    const e: Expr & { k: 'agg' } = { k: 'agg', fn: f as never, child: c === '*' ? null : { k: 'col', name: c } };
    if (['stddev', 'std', 'variance'].includes(fn.toLowerCase())) e.alias = fn.toLowerCase();
    return e;
  }

  count(): DataFrame {
    return this.agg(new Column({ k: 'alias', child: { k: 'agg', fn: 'count', child: null }, name: 'count' }));
  }

  private each(fn: string, cols: string[]): DataFrame {
    const schema = this.df.schema;
    const names = cols.length > 0 ? cols : schema.fields.filter((f) => isNumericType(f.type)).map((f) => f.name);
    return this.agg(...names.map((c) => new Column({ k: 'agg', fn: fn as never, child: { k: 'col', name: c } })));
  }

  sum(...cols: string[]): DataFrame { return this.each('sum', cols); }
  avg(...cols: string[]): DataFrame { return this.each('avg', cols); }
  mean(...cols: string[]): DataFrame { return this.each('avg', cols); }
  min(...cols: string[]): DataFrame { return this.each('min', cols); }
  max(...cols: string[]): DataFrame { return this.each('max', cols); }
}

export class DataFrameNaFunctions {
  constructor(private readonly df: DataFrame) {}

  /** drop(how = 'any', thresh?, subset?): rows with nulls (or NaN in numeric columns, as Spark) removed. */
  drop(how: 'any' | 'all' | { how?: 'any' | 'all'; thresh?: number; subset?: string[] } = 'any', thresh?: number, subset?: readonly string[]): DataFrame {
    if (typeof how === 'object' && how !== null) ({ how = 'any', thresh, subset } = how as { how?: 'any' | 'all'; thresh?: number; subset?: string[] });
    if (how !== 'any' && how !== 'all') throw Errors.invalidArg('na.drop', 'how', "'any' or 'all'", how);
    const schema = this.df.schema;
    if (subset !== undefined && subset !== null && !Array.isArray(subset)) throw Errors.invalidArg('na.drop', 'subset', 'an array of column names', subset);
    const names = subset ? subset.map((c) => schema.fields[resolveIndex('na.drop', c, schema)]!.name) : schema.fields.map((f) => f.name);
    const need = thresh ?? (how === 'any' ? names.length : 1);
    if (!Number.isInteger(need) || need < 0) throw Errors.outOfRange('na.drop', 'thresh', 'an integer >= 0', thresh);
    // count of non-null, non-NaN values per row >= need
    const nonNull = names.map((n) => {
      const f = schema.fields[resolveIndex('na.drop', n, schema)]!;
      const isNum = arrow.DataType.isFloat(f.type);
      const c: Expr = isNum
        ? { k: 'bin', op: 'and', l: { k: 'isNotNull', child: { k: 'col', name: n } }, r: { k: 'not', child: { k: 'isNaN', child: { k: 'col', name: n } } } }
        : { k: 'isNotNull', child: { k: 'col', name: n } };
      return { k: 'when', branches: [[c, { k: 'lit', value: 1 }]], otherwise: { k: 'lit', value: 0 } } as Expr;
    });
    if (nonNull.length === 0) return this.df;
    const sum = nonNull.reduce((a, b) => ({ k: 'bin', op: '+', l: a, r: b }) as Expr);
    return this.df.filter(new Column({ k: 'bin', op: '>=', l: sum, r: { k: 'lit', value: need } }));
  }

  /** fill(value, subset?) or fill({ col: value }): nulls (and NaN in numeric columns) replaced in columns of a matching type. */
  fill(value: Literal | Record<string, Literal>, subset?: readonly string[]): DataFrame {
    const schema = this.df.schema;
    const map = new Map<string, Literal>();
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      for (const [k, v] of Object.entries(value)) map.set(schema.fields[resolveIndex('na.fill', k, schema)]!.name, v);
    } else {
      if (value === null || value === undefined) throw Errors.invalidArg('na.fill', 'value', 'a number, string, boolean or { column: value }', value);
      const names = subset ? subset.map((c) => schema.fields[resolveIndex('na.fill', c, schema)]!.name) : schema.fields.map((f) => f.name);
      for (const n of names) {
        const t = schema.fields[resolveIndex('na.fill', n, schema)]!.type;
        const ok = typeof value === 'number' || typeof value === 'bigint' ? isNumericType(t) : typeof value === 'string' ? isStringType(t) : typeof value === 'boolean' ? arrow.DataType.isBool(t) : false;
        if (ok) map.set(n, value);
      }
    }
    const exprs = schema.fields.map((f) => {
      if (!map.has(f.name)) return { k: 'col', name: f.name } as Expr;
      const v = map.get(f.name)!;
      const cast: Expr = { k: 'cast', child: { k: 'lit', value: v instanceof Date ? v.toISOString() : (v as never) }, to: sparkTypeName(f.type) };
      const cond: Expr = arrow.DataType.isFloat(f.type)
        ? { k: 'bin', op: 'or', l: { k: 'isNull', child: { k: 'col', name: f.name } }, r: { k: 'isNaN', child: { k: 'col', name: f.name } } }
        : { k: 'isNull', child: { k: 'col', name: f.name } };
      return { k: 'alias', child: { k: 'when', branches: [[cond, cast]], otherwise: { k: 'col', name: f.name } }, name: f.name } as Expr;
    });
    return new DataFrame(this.df.session, { op: 'project', child: this.df.plan, exprs });
  }
}

export { Column };
