/**
 * searchRuns' semantics over runs already read (MLflow's SearchUtils, as the FileStore applies
 * them): which comparators each kind of key allows (a bare name is an attribute: `status`), numeric vs string comparison, a run without
 * the key never matching, the view type, and the order — start_time DESC then run_id by default,
 * then each order-by key (metrics/params/tags/attributes) with missing values and NaN last.
 */
import { Errors } from '../../src/errors.js';
import { compareNumber, compareString, parseFilter, parseOrderBy, type Clause, type Identifier } from './search-filter.js';
import type { Run, SearchRunsOptions } from './store.js';

const API = 'searchRuns';
export const SEARCH_MAX_RESULTS_DEFAULT = 1000;
export const SEARCH_MAX_RESULTS_LIMIT = 50000;
const ENTITY: Record<string, 'metrics' | 'params' | 'tags' | 'attributes'> = {
  metric: 'metrics', metrics: 'metrics', param: 'params', params: 'params', parameter: 'params',
  tag: 'tags', tags: 'tags', attribute: 'attributes', attributes: 'attributes', attr: 'attributes', run: 'attributes',
};
const STRING_ATTRIBUTES = ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'experiment_id', 'lifecycle_stage'];
const NUMERIC_ATTRIBUTES = ['start_time', 'end_time', 'created'];
const NUMERIC_OPS = ['=', '!=', '<', '<=', '>', '>='];
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'];

type Kind = { entity: 'metrics' | 'params' | 'tags' | 'attributes'; key: string; numeric: boolean };

function kindOf(ident: Identifier, what: 'filter' | 'orderBy', src: string): Kind {
  // a bare identifier is an attribute, as MLflow's SearchUtils._get_identifier reads it
  const entity = ident.entity === null ? 'attributes' : ENTITY[ident.entity];
  if (!entity) throw Errors.invalidArg(API, what, `an identifier starting with metrics., params., tags. or attributes. at position ${ident.pos} (found ${JSON.stringify(`${ident.entity}.${ident.key}`)})`, src);
  if (entity !== 'attributes') return { entity, key: ident.key, numeric: entity === 'metrics' };
  const key = ident.key === 'created' ? 'start_time' : ident.key === 'run_uuid' ? 'run_id' : ident.key;
  if (!STRING_ATTRIBUTES.includes(key) && !NUMERIC_ATTRIBUTES.includes(key)) {
    throw Errors.invalidArg(API, what, `an attribute among ${[...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES].join(', ')} at position ${ident.pos} (found ${JSON.stringify(ident.key)})`, src);
  }
  return { entity, key, numeric: NUMERIC_ATTRIBUTES.includes(key) || key === 'start_time' };
}

function checkClause(cl: Clause, src: string): Kind {
  const k = kindOf(cl.ident, 'filter', src);
  const ops = k.numeric ? NUMERIC_OPS : k.entity === 'attributes' ? [...STRING_OPS, 'IN', 'NOT IN'] : STRING_OPS;
  const name = `${k.entity}.${cl.ident.key}`;
  if (!ops.includes(cl.comparator)) throw Errors.invalidArg(API, 'filter', `a comparator among ${ops.join(', ')} for ${name} at position ${cl.pos} (found ${cl.comparator})`, src);
  if (k.numeric && cl.quoted) throw Errors.invalidArg(API, 'filter', `a numeric value for ${name} at position ${cl.pos}`, src);
  if (!k.numeric && !cl.quoted) throw Errors.invalidArg(API, 'filter', `a quoted string value for ${name} at position ${cl.pos}`, src);
  return k;
}

function attribute(run: Run, key: string): string | number | null {
  const i = run.info;
  switch (key) {
    case 'run_id': return i.runId;
    case 'run_name': return i.runName;
    case 'status': return i.status;
    case 'user_id': return i.userId;
    case 'artifact_uri': return i.artifactUri;
    case 'experiment_id': return i.experimentId;
    case 'lifecycle_stage': return i.lifecycleStage;
    case 'start_time': return i.startTime;
    case 'end_time': return i.endTime;
    default: return null;
  }
}

function valueOf(run: Run, k: Kind): string | number | null {
  if (k.entity === 'attributes') return attribute(run, k.key);
  const bag: Record<string, string | number> = run.data[k.entity];
  return Object.hasOwn(bag, k.key) ? bag[k.key]! : null;
}

/** Whether a run passes the parsed, checked clauses (a run without the key never passes). */
function matches(run: Run, clauses: Array<[Clause, Kind]>): boolean {
  return clauses.every(([cl, k]) => {
    const v = valueOf(run, k);
    if (v === null) return false;
    return typeof v === 'number' ? compareNumber(v, cl) : compareString(v, cl);
  });
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Filters, orders and truncates runs as MLflow's searchRuns does. */
export function applySearch(runs: Run[], opts: SearchRunsOptions): Run[] {
  const view = opts.runViewType ?? 'ACTIVE_ONLY';
  if (!['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'].includes(view)) throw Errors.invalidArg(API, 'runViewType', "'ACTIVE_ONLY', 'DELETED_ONLY' or 'ALL'", view);
  const max = opts.maxResults ?? SEARCH_MAX_RESULTS_DEFAULT;
  if (!Number.isInteger(max) || max < 1 || max > SEARCH_MAX_RESULTS_LIMIT) throw Errors.outOfRange(API, 'maxResults', `an integer in [1, ${SEARCH_MAX_RESULTS_LIMIT}]`, max);
  const filter = opts.filter ?? '';
  const clauses = parseFilter(API, filter).map((cl) => [cl, checkClause(cl, filter)] as [Clause, Kind]);
  const orders = (opts.orderBy ?? []).map((o) => {
    const parsed = parseOrderBy(API, o);
    return { kind: kindOf(parsed.ident, 'orderBy', o), ascending: parsed.ascending };
  });
  let out = runs.filter((r) => (view === 'ALL' || (view === 'ACTIVE_ONLY') === (r.info.lifecycleStage === 'active')) && matches(r, clauses));
  out.sort((a, b) => cmp(b.info.startTime ?? -Infinity, a.info.startTime ?? -Infinity) || cmp(a.info.runId, b.info.runId));
  for (const { kind, ascending } of orders.reverse()) {
    out = out
      .map((run, i) => ({ run, i, v: valueOf(run, kind) }))
      .sort((x, y) => {
        const xm = x.v === null || Number.isNaN(x.v);
        const ym = y.v === null || Number.isNaN(y.v);
        if (xm || ym) return xm === ym ? x.i - y.i : xm ? 1 : -1;
        return (ascending ? cmp(x.v!, y.v!) : cmp(y.v!, x.v!)) || x.i - y.i;
      })
      .map((e) => e.run);
  }
  return out.slice(0, max);
}
