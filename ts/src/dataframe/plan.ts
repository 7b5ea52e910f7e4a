/**
 * The logical plan of a DataFrame and its small optimiser:
 *   - adjacent filters fuse into one (a AND b) and adjacent projections into one (column
 *     references substituted), unless an expression is non-deterministic (rand, ids);
 *   - filters move below projections that pass their columns through, and simple conjuncts
 *     (`col op literal`, isNull, isin) are pushed into reader scans as hints (Parquet skips
 *     row groups; the engine re-applies every filter);
 *   - projection pruning: a scan reads only the columns the plan above it uses.
 * Narrow operators (project, filter, sample) are plain data (`NarrowOp`), so a chain of them
 * runs per partition on any executor.
 */
import type * as arrow from 'apache-arrow';
import * as A from 'apache-arrow';
import { Errors } from '../errors.js';
import type { DataSource, PushedFilter } from '../io/source.js';
import { aggSpecs, aggType } from './agg-states.js';
import { isPlaced } from './placement.js';
import type { FieldDesc } from './portable.js';
import type { TaskRef } from '../exec/task.js';
import { exprName, referencedColumns, type Expr } from './column.js';
import { exprField, resolveIndex, typeOf } from './eval.js';
import { isNumericType, sparkTypeName, Types } from './types.js';

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'left_semi' | 'left_anti' | 'cross';

export type Plan =
  | { op: 'memory'; schema: arrow.Schema; partitions: arrow.RecordBatch[] }
  | { op: 'source'; source: DataSource; columns: string[] | null; filters: PushedFilter[] }
  | { op: 'range'; start: bigint; end: bigint; step: bigint; numPartitions: number }
  | { op: 'project'; child: Plan; exprs: Expr[] }
  | { op: 'filter'; child: Plan; cond: Expr }
  | { op: 'sample'; child: Plan; lb: number; ub: number; seed: number; withReplacement: boolean }
  | { op: 'aggregate'; child: Plan; keys: Expr[]; aggs: Expr[] }
  | { op: 'sort'; child: Plan; orders: Expr[] }
  | { op: 'limit'; child: Plan; n: number }
  | { op: 'join'; left: Plan; right: Plan; how: JoinType; on: string[] | Expr }
  | { op: 'union'; children: Plan[] }
  | { op: 'distinct'; child: Plan; subset: string[] | null }
  | { op: 'repartition'; child: Plan; n: number; keys: Expr[] }
  /**
   * A task per partition on the executors (mapInArrow with a task): batch in, batch of `schema`
   * out. `broadcast` is the value, or a function computing it when an action runs (Spark's
   * broadcast of a collected result, e.g. a model's association rules).
   */
  | { op: 'mapBatches'; child: Plan; task: TaskRef; broadcast: unknown; lazyBroadcast?: () => Promise<unknown>; schema: arrow.Schema; name: string }
  /** Kept on the executors after the first action (placement.ts); `compute` makes the partitions instead of the child (a lazily computed frame). */
  | { op: 'cache'; child: Plan; state: { compute?: () => Promise<arrow.RecordBatch[]> } };

export type NarrowOp =
  | { op: 'project'; exprs: Expr[] }
  | { op: 'filter'; cond: Expr }
  | { op: 'sample'; lb: number; ub: number; seed: number; withReplacement: boolean }
  | { op: 'mapBatches'; task: TaskRef; broadcast: unknown; fields: FieldDesc[]; name: string };

const schemaCache = new WeakMap<Plan, arrow.Schema>();

/** Output names of the projection; duplicate names are allowed (as Spark) but flagged on use. */
export function schemaOf(plan: Plan): arrow.Schema {
  let s = schemaCache.get(plan);
  if (!s) {
    s = computeSchema(plan);
    schemaCache.set(plan, s);
  }
  return s;
}

function computeSchema(plan: Plan): arrow.Schema {
  switch (plan.op) {
    case 'memory': case 'mapBatches': return plan.schema;
    case 'source': {
      if (!plan.columns) return plan.source.schema;
      const src = plan.source.schema;
      return new A.Schema(plan.columns.map((c) => src.fields[resolveIndex('scan', c, src)]!));
    }
    case 'range': return new A.Schema([new A.Field('id', Types.bigint(), false)]);
    case 'project': {
      const child = schemaOf(plan.child);
      return new A.Schema(plan.exprs.map((e) => exprField('select', e, child)));
    }
    case 'filter': {
      const child = schemaOf(plan.child);
      const t = typeOf('filter', plan.cond, child);
      if (!A.DataType.isBool(t) && !A.DataType.isNull(t)) throw Errors.schema(`filter: the condition ${exprName(plan.cond)} must be boolean, got ${String(t)}`);
      return child;
    }
    case 'sample': case 'limit': case 'sort': case 'repartition': case 'distinct': case 'cache': {
      const child = schemaOf(plan.child);
      if (plan.op === 'sort') plan.orders.forEach((o) => typeOf('orderBy', o, child));
      if (plan.op === 'repartition') plan.keys.forEach((k) => typeOf('repartition', k, child));
      if (plan.op === 'distinct' && plan.subset) plan.subset.forEach((c) => resolveIndex('dropDuplicates', c, child));
      return child;
    }
    case 'aggregate': {
      const child = schemaOf(plan.child);
      const keyFields = plan.keys.map((k) => exprField('groupBy', k, child));
      const specs = aggSpecs(plan.aggs);
      const aggFields = specs.map((s, j) => {
        const t = aggType('agg', s, child);
        const nullable = !(s.fn === 'count' || s.fn === 'countDistinct');
        return new A.Field(exprName(plan.aggs[j]!), t, nullable);
      });
      return new A.Schema([...keyFields.map((f) => (A.DataType.isDictionary(f.type) ? new A.Field(f.name, f.type.dictionary, f.nullable) : f)), ...aggFields]);
    }
    case 'join': {
      const l = schemaOf(plan.left);
      const r = schemaOf(plan.right);
      if (Array.isArray(plan.on)) {
        for (const c of plan.on) {
          const a = l.fields[resolveIndex('join (left side)', c, l)]!.type;
          const b = r.fields[resolveIndex('join (right side)', c, r)]!.type;
          if (sparkTypeName(a) !== sparkTypeName(b) && !(isNumericType(a) && isNumericType(b))) {
            throw Errors.schema(`join: key ${c} has type ${sparkTypeName(a)} on the left and ${sparkTypeName(b)} on the right`);
          }
        }
      }
      if (plan.how === 'left_semi' || plan.how === 'left_anti') return l;
      const nullableL = plan.how === 'right' || plan.how === 'full';
      const nullableR = plan.how === 'left' || plan.how === 'full';
      const opt = (f: arrow.Field, nullable: boolean) => (nullable && !f.nullable ? new A.Field(f.name, f.type, true) : f);
      if (Array.isArray(plan.on)) {
        // USING join: the key columns once (coalesced for full joins), then the rest of each side
        const keys = plan.on.map((c) => l.fields[resolveIndex('join', c, l)]!);
        const keyNames = new Set(keys.map((f) => f.name.toLowerCase()));
        const rest = (s: arrow.Schema, nullable: boolean) => s.fields.filter((f) => !keyNames.has(f.name.toLowerCase())).map((f) => opt(f, nullable));
        return new A.Schema([...keys.map((f) => opt(f, plan.how === 'full' || plan.how === 'right' ? f.nullable || plan.how === 'full' : f.nullable)), ...rest(l, nullableL), ...rest(r, nullableR)]);
      }
      const both = new A.Schema([...l.fields, ...r.fields]);
      const t = typeOf('join', plan.on, both);
      if (!A.DataType.isBool(t)) throw Errors.schema(`join: the join condition ${exprName(plan.on)} must be boolean`);
      return new A.Schema([...l.fields.map((f) => opt(f, nullableL)), ...r.fields.map((f) => opt(f, nullableR))]);
    }
    case 'union': {
      const first = schemaOf(plan.children[0]!);
      for (const c of plan.children.slice(1)) {
        const s = schemaOf(c);
        if (s.fields.length !== first.fields.length) throw Errors.schema(`union: the inputs have ${first.fields.length} and ${s.fields.length} columns; union needs the same number (use unionByName for different orders)`);
      }
      return first;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Optimiser

function deterministic(e: Expr): boolean {
  if (e.k === 'fn' && (e.name === 'rand' || e.name === 'monotonically_increasing_id')) return false;
  switch (e.k) {
    case 'alias': case 'not': case 'neg': case 'isNull': case 'isNotNull': case 'isNaN': case 'cast': case 'sort': return deterministic(e.child);
    case 'bin': return deterministic(e.l) && deterministic(e.r);
    case 'in': return deterministic(e.child) && e.values.every(deterministic);
    case 'when': return e.branches.every(([c, v]) => deterministic(c) && deterministic(v)) && (!e.otherwise || deterministic(e.otherwise));
    case 'fn': return e.args.every(deterministic);
    case 'agg': return e.child ? deterministic(e.child) : true;
    default: return true;
  }
}

/** Replaces column references by the expressions of the projection below. */
function substitute(e: Expr, below: Map<string, Expr>): Expr {
  switch (e.k) {
    case 'col': {
      const r = below.get(e.name) ?? below.get(e.name.toLowerCase());
      if (!r) return e;
      // An alias that sets metadata stays, so the fused projection keeps the column's metadata.
      return r.k === 'alias' && !r.metadata ? r.child : r;
    }
    case 'alias': return { ...e, child: substitute(e.child, below) };
    case 'not': case 'neg': case 'isNull': case 'isNotNull': case 'isNaN': case 'cast': case 'sort': return { ...e, child: substitute(e.child, below) } as Expr;
    case 'bin': return { ...e, l: substitute(e.l, below), r: substitute(e.r, below) };
    case 'in': return { ...e, child: substitute(e.child, below), values: e.values.map((v) => substitute(v, below)) };
    case 'when': return { ...e, branches: e.branches.map(([c, v]) => [substitute(c, below), substitute(v, below)] as [Expr, Expr]), ...(e.otherwise ? { otherwise: substitute(e.otherwise, below) } : {}) };
    case 'fn': return { ...e, args: e.args.map((a) => substitute(a, below)) };
    case 'agg': return { ...e, child: e.child ? substitute(e.child, below) : null };
    default: return e;
  }
}

function projectionMap(exprs: Expr[], schema: arrow.Schema): Map<string, Expr> | null {
  const m = new Map<string, Expr>();
  const names = new Set<string>();
  for (const e of exprs) {
    const name = exprField('select', e, schema).name;
    if (names.has(name.toLowerCase())) return null; // duplicate output names: keep as is
    names.add(name.toLowerCase());
    m.set(name, e);
    m.set(name.toLowerCase(), e);
  }
  return m;
}

function conjuncts(e: Expr): Expr[] {
  return e.k === 'bin' && e.op === 'and' ? [...conjuncts(e.l), ...conjuncts(e.r)] : [e];
}

function pushable(e: Expr, schema: arrow.Schema): PushedFilter | null {
  const colName = (x: Expr) => (x.k === 'col' ? schema.fields[resolveIndex('filter', x.name, schema)]!.name : null);
  const litVal = (x: Expr) => (x.k === 'lit' && (typeof x.value !== 'object' || x.value === null) ? x.value : undefined);
  if (e.k === 'isNull' || e.k === 'isNotNull') {
    const c = colName(e.child);
    return c ? { column: c, op: e.k } : null;
  }
  if (e.k === 'in') {
    const c = colName(e.child);
    const vals = e.values.map(litVal);
    return c && vals.every((v) => v !== undefined && v !== null) ? { column: c, op: 'in', value: vals } : null;
  }
  if (e.k === 'bin' && ['=', '!=', '<', '<=', '>', '>='].includes(e.op)) {
    const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '!=': '!=' };
    let c = colName(e.l);
    let v = litVal(e.r);
    let op = e.op;
    if (!c) {
      c = colName(e.r);
      v = litVal(e.l);
      op = flip[e.op] as typeof op;
    }
    if (c && v !== undefined && v !== null) return { column: c, op: op as PushedFilter['op'], value: v };
  }
  return null;
}

export function optimize(plan: Plan): Plan {
  const p = rewrite(plan);
  return prune(p, null);
}

function rewrite(plan: Plan): Plan {
  switch (plan.op) {
    case 'filter': {
      const child = rewrite(plan.child);
      if (child.op === 'filter' && deterministic(plan.cond) && deterministic(child.cond)) {
        return rewrite({ op: 'filter', child: child.child, cond: { k: 'bin', op: 'and', l: child.cond, r: plan.cond } });
      }
      if (child.op === 'project' && deterministic(plan.cond) && child.exprs.every(deterministic)) {
        const m = projectionMap(child.exprs, schemaOf(child.child));
        if (m) {
          const below = substitute(plan.cond, m);
          if (!referencedColumns(below).has('*')) return { op: 'project', child: rewrite({ op: 'filter', child: child.child, cond: below }), exprs: child.exprs };
        }
      }
      if (child.op === 'source') {
        const schema = schemaOf(child);
        const hints = conjuncts(plan.cond).map((c) => pushable(c, schema)).filter((x): x is PushedFilter => x !== null);
        return { op: 'filter', child: { ...child, filters: [...child.filters, ...hints] }, cond: plan.cond };
      }
      return { ...plan, child };
    }
    case 'project': {
      const child = rewrite(plan.child);
      if (child.op === 'project' && plan.exprs.every(deterministic) && child.exprs.every(deterministic)) {
        const m = projectionMap(child.exprs, schemaOf(child.child));
        if (m) {
          const outer = schemaOf(plan);
          const fused = plan.exprs.map((e, i) => {
            const sub = substitute(e, m);
            const name = outer.fields[i]!.name;
            return sub.k === 'col' && sub.name === name ? sub : sub.k === 'alias' ? sub : ({ k: 'alias', child: sub, name } as Expr);
          });
          return { op: 'project', child: child.child, exprs: fused };
        }
      }
      return { ...plan, child };
    }
    case 'memory': case 'source': case 'range': return plan;
    case 'join': return { ...plan, left: rewrite(plan.left), right: rewrite(plan.right) };
    case 'union': return { ...plan, children: plan.children.map(rewrite) };
    case 'cache': return plan; // cached subtrees are executed once as they are
    default: return { ...plan, child: rewrite(plan.child) } as Plan;
  }
}

/** Pushes the set of needed column names down to scans (null = all). */
function prune(plan: Plan, needed: Set<string> | null): Plan {
  const refs = (exprs: Expr[]) => {
    const s = new Set<string>();
    for (const e of exprs) referencedColumns(e, s);
    return s.has('*') ? null : s;
  };
  const union = (a: Set<string> | null, b: Set<string> | null) => (a === null || b === null ? null : new Set([...a, ...b]));
  switch (plan.op) {
    case 'source': {
      if (needed === null) return plan;
      const schema = plan.source.schema;
      const want = new Set([...needed].map((c) => c.toLowerCase()));
      for (const f of plan.filters) want.add(f.column.toLowerCase());
      const columns = schema.fields.filter((f) => want.has(f.name.toLowerCase())).map((f) => f.name);
      if (columns.length === schema.fields.length) return plan;
      return { ...plan, columns: columns.length > 0 ? columns : [schema.fields[0]!.name] };
    }
    case 'project': return { ...plan, child: prune(plan.child, refs(plan.exprs)) };
    case 'filter': return { ...plan, child: prune(plan.child, union(needed, refs([plan.cond]))) };
    case 'aggregate': return { ...plan, child: prune(plan.child, refs([...plan.keys, ...plan.aggs])) };
    case 'sort': return { ...plan, child: prune(plan.child, union(needed, refs(plan.orders))) };
    case 'repartition': return { ...plan, child: prune(plan.child, union(needed, refs(plan.keys))) };
    case 'sample': case 'limit': return { ...plan, child: prune(plan.child, needed) };
    case 'distinct': case 'mapBatches': return { ...plan, child: prune(plan.child, null) };
    case 'join': return { ...plan, left: prune(plan.left, null), right: prune(plan.right, null) };
    case 'union': return { ...plan, children: plan.children.map((c) => prune(c, null)) };
    default: return plan;
  }
}

/** Spark-like `explain()` text of a plan. */
export function explainPlan(plan: Plan, depth = 0): string {
  const pad = depth === 0 ? '' : `${'   '.repeat(depth - 1)}+- `;
  const line = (s: string, ...children: Plan[]) => [`${pad}${s}`, ...children.map((c) => explainPlan(c, depth + 1))].join('\n');
  switch (plan.op) {
    case 'memory': return line(`LocalTableScan [${plan.schema.fields.map((f) => f.name).join(', ')}] (${plan.partitions.length} partitions)`);
    case 'source': return line(`FileScan ${plan.source.description} [${(plan.columns ?? plan.source.schema.fields.map((f) => f.name)).join(', ')}]${plan.filters.length ? ` PushedFilters: [${plan.filters.map((f) => `${f.op}(${f.column}${f.value === undefined ? '' : `, ${JSON.stringify(f.value, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`})`).join(', ')}]` : ''}`);
    case 'range': return line(`Range (${plan.start}, ${plan.end}, step=${plan.step}, splits=${plan.numPartitions})`);
    case 'project': return line(`Project [${plan.exprs.map(exprName).join(', ')}]`, plan.child);
    case 'filter': return line(`Filter ${exprName(plan.cond)}`, plan.child);
    case 'sample': return line(`Sample ${plan.lb}, ${plan.ub}, ${plan.withReplacement}, ${plan.seed}`, plan.child);
    case 'aggregate': return line(`HashAggregate(keys=[${plan.keys.map(exprName).join(', ')}], functions=[${plan.aggs.map(exprName).join(', ')}])`, plan.child);
    case 'sort': return line(`Sort [${plan.orders.map(exprName).join(', ')}]`, plan.child);
    case 'limit': return line(`CollectLimit ${plan.n}`, plan.child);
    case 'join': return line(`HashJoin ${plan.how} ${Array.isArray(plan.on) ? `using [${plan.on.join(', ')}]` : exprName(plan.on)}`, plan.left, plan.right);
    case 'union': return line('Union', ...plan.children);
    case 'distinct': return line(`Deduplicate [${plan.subset ? plan.subset.join(', ') : '*'}]`, plan.child);
    case 'repartition': return line(`Exchange ${plan.keys.length ? `hashpartitioning(${plan.keys.map(exprName).join(', ')}, ${plan.n})` : `RoundRobinPartitioning(${plan.n})`}`, plan.child);
    case 'mapBatches': return line(`MapInArrow ${plan.name}`, plan.child);
    case 'cache': return line(`InMemoryRelation${isPlaced(plan.state) ? ' (materialised)' : ''}`, plan.child);
  }
}
