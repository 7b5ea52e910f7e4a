/**
 * MLflow's REST API 2.0 endpoints (../shared/formats/MLFLOW.md §4) over a TrackingStore and a
 * RegistryStore: one table from `<method> <path under /api/2.0/mlflow/>` to a handler that reads
 * its parameters (params.ts), calls the stores and returns the response JSON (rest-json.ts).
 * Errors are thrown as kindling errors; server.ts turns them into MLflow's error JSON.
 */
import { Errors } from '../../../src/errors.js';
import type { RegistryStore } from '../../registry/registry-store.js';
import { listArtifactsAt } from '../artifacts.js';
import { recordLoggedModel } from '../log-model.js';
import { latestMetric } from '../file-store.js';
import { generateRunName } from '../names.js';
import { SEARCH_MAX_RESULTS_DEFAULT, SEARCH_MAX_RESULTS_LIMIT } from '../search-runs.js';
import type { Experiment, LogBatch, Metric, Run, TrackingStore } from '../store.js';
import { RUN_STATUSES } from '../store.js';
import {
  decodeDouble, experimentJson, kvRecord, metricJson, modelVersionJson, registeredModelJson, runInfoJson, runJson, type Json,
} from './rest-json.js';
import { pageOf, RequestParams } from './params.js';

export interface Stores { store: TrackingStore; registry: RegistryStore }
type Handler = (p: RequestParams, s: Stores) => Promise<Json>;

const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
/** MLflow's log-batch limits (MLFLOW.md §4). */
const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 };

async function runResponse(s: Stores, run: Run): Promise<Json> {
  const latest: Metric[] = [];
  for (const key of Object.keys(run.data.metrics).sort()) {
    const m = latestMetric(await s.store.getMetricHistory(run.info.runId, key));
    if (m) latest.push(m);
  }
  return runJson(run, latest);
}

type SortKeys<T> = Record<string, (x: T) => string | number | null>;

/** MLflow's order_by clauses `<key> [ASC|DESC]` over the given keys: a stable sort, nulls last; none → undefined. */
function orderBy<T>(p: RequestParams, keys: SortKeys<T>): ((items: T[]) => T[]) | undefined {
  const clauses = p.strList('order_by').map((c, i) => {
    const m = /^\s*(?:attributes\.)?(\w+)\s*(ASC|DESC)?\s*$/i.exec(c);
    const get = m ? keys[m[1]!] : undefined;
    if (!get) throw Errors.invalidArg(p.api, `order_by[${i}]`, `'<key> [ASC|DESC]' with a key among ${Object.keys(keys).join(', ')}`, c);
    return { get, desc: m![2]?.toUpperCase() === 'DESC' };
  });
  if (!clauses.length) return undefined;
  return (items) => [...items].sort((a, b) => {
    for (const { get, desc } of clauses) {
      const x = get(a), y = get(b);
      if (x === y) continue;
      if (x == null) return 1;
      if (y == null) return -1;
      return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  });
}

/**
 * One page of a search as MLflow answers it: `{ [field]: [...], next_page_token? }`. `first(n)` returns
 * the first n results in order; one more than the page is asked for to know whether a next page exists.
 */
async function searchPage<T>(
  p: RequestParams, dflt: number, limit: number, field: string, first: (n: number) => Promise<T[]>, json: (x: T) => Json | Promise<Json>, sortKeys?: SortKeys<T>,
): Promise<Json> {
  const page = p.page(dflt, limit);
  const sort = sortKeys && orderBy(p, sortKeys);
  const { items, next } = pageOf(sort ? sort(await first(Number.MAX_SAFE_INTEGER)) : await first(page.offset + page.max + 1), page);
  const out: Json[] = [];
  for (const x of items) out.push(await json(x));
  return { [field]: out, ...(next ? { next_page_token: next } : {}) };
}

/** run_id, or MLflow's legacy run_uuid; neither is an error naming run_id. */
function runIdOf(p: RequestParams): string {
  return p.has('run_id') || !p.has('run_uuid') ? p.str('run_id') : p.str('run_uuid');
}

function metricOf(api: string, what: string, m: unknown): Metric {
  const o = m as Json | null;
  if (!o || typeof o !== 'object' || typeof o.key !== 'string') throw Errors.invalidArg(api, what, '{key, value, timestamp, step}', m);
  const p = new RequestParams(api, o);
  const timestamp = p.optInt('timestamp');
  if (timestamp === undefined) throw Errors.invalidArg(api, `${what}.timestamp`, 'an integer (required)', o.timestamp);
  return { key: o.key, value: decodeDouble(api, `${what}.value`, o.value), timestamp, step: p.optInt('step') ?? 0 };
}

function batchOf(p: RequestParams): LogBatch {
  const list = (name: 'metrics' | 'params' | 'tags'): unknown[] => {
    const v = p.get(name) ?? [];
    if (!Array.isArray(v)) throw Errors.invalidArg(p.api, name, 'an array', v);
    if (v.length > BATCH_LIMITS[name]) throw Errors.outOfRange(p.api, name, `at most ${BATCH_LIMITS[name]} entries`, `${v.length} entries`);
    return v;
  };
  const metrics = list('metrics'), params = list('params'), tags = list('tags');
  const total = metrics.length + params.length + tags.length;
  if (total > BATCH_LIMITS.total) throw Errors.outOfRange(p.api, 'metrics + params + tags', `at most ${BATCH_LIMITS.total} entries in all`, `${total} entries`);
  return { metrics: metrics.map((m, i) => metricOf(p.api, `metrics[${i}]`, m)), params: kvRecord(p.api, 'params', params), tags: kvRecord(p.api, 'tags', tags) };
}

/** `name = 'x'`, `name LIKE 'x%'` and `name ILIKE '%x%'`: the experiment filters MLflow's UI sends. */
function experimentFilter(api: string, filter: string | undefined): (e: Experiment) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const m = /^\s*(?:attributes\.)?name\s*(=|!=|LIKE|ILIKE)\s*'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (!m) throw Errors.invalidArg(api, 'filter', "name = '…', name != '…', name LIKE '…' or name ILIKE '…'", filter);
  const op = m[1]!.toUpperCase(), value = m[2]!.replace(/''/g, "'");
  if (op === '=') return (e) => e.name === value;
  if (op === '!=') return (e) => e.name !== value;
  const re = new RegExp(`^${value.split('').map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`, op === 'ILIKE' ? 'is' : 's');
  return (e) => re.test(e.name);
}

const tracking: Record<string, Handler> = {
  'POST experiments/create': async (p, s) => ({
    experiment_id: await s.store.createExperiment(p.str('name'), p.optStr('artifact_location'), kvRecord(p.api, 'tags', p.get('tags'))),
  }),
  'GET experiments/get': async (p, s) => ({ experiment: experimentJson(await s.store.getExperiment(p.str('experiment_id'))) }),
  'GET experiments/get-by-name': async (p, s) => {
    const name = p.str('experiment_name');
    const e = await s.store.getExperimentByName(name);
    if (!e) throw Errors.notFound(p.api, `experiment ${JSON.stringify(name)}`);
    return { experiment: experimentJson(e) };
  },
  'POST experiments/search': async (p, s) => {
    const keep = experimentFilter(p.api, p.optStr('filter'));
    const view = p.oneOf('view_type', VIEW_TYPES, 'ACTIVE_ONLY');
    return searchPage(p, 1000, 50000, 'experiments', async () => (await s.store.searchExperiments(view)).filter(keep), experimentJson, {
      name: (e) => e.name, experiment_id: (e) => e.experimentId, creation_time: (e) => e.creationTime, last_update_time: (e) => e.lastUpdateTime,
    });
  },
  'POST experiments/delete': async (p, s) => { await s.store.deleteExperiment(p.str('experiment_id')); return {}; },
  'POST experiments/restore': async (p, s) => { await s.store.restoreExperiment(p.str('experiment_id')); return {}; },
  'POST experiments/update': async (p, s) => { await s.store.renameExperiment(p.str('experiment_id'), p.str('new_name')); return {}; },
  'POST experiments/set-experiment-tag': async (p, s) => { await s.store.setExperimentTag(p.str('experiment_id'), p.str('key'), p.str('value')); return {}; },
  'POST experiments/delete-experiment-tag': async (p, s) => { await s.store.deleteExperimentTag(p.str('experiment_id'), p.str('key')); return {}; },

  'POST runs/create': async (p, s) => {
    const tags = kvRecord(p.api, 'tags', p.get('tags'));
    const runName = p.optStr('run_name') ?? tags['mlflow.runName'] ?? generateRunName();
    const run = await s.store.createRun({
      experimentId: p.optStr('experiment_id') ?? '0', userId: p.optStr('user_id') ?? '', startTime: p.optInt('start_time') ?? Date.now(), runName, tags,
    });
    return { run: await runResponse(s, run) };
  },
  'POST runs/update': async (p, s) => {
    const status = p.has('status') ? p.oneOf('status', RUN_STATUSES, 'RUNNING') : undefined;
    const endTime = p.optInt('end_time');
    const runName = p.optStr('run_name');
    const info = await s.store.updateRunInfo(runIdOf(p), { ...(status ? { status } : {}), ...(endTime !== undefined ? { endTime } : {}), ...(runName !== undefined ? { runName } : {}) });
    return { run_info: runInfoJson(info) };
  },
  'GET runs/get': async (p, s) => ({ run: await runResponse(s, await s.store.getRun(runIdOf(p))) }),
  'POST runs/delete': async (p, s) => { await s.store.deleteRun(p.str('run_id')); return {}; },
  'POST runs/restore': async (p, s) => { await s.store.restoreRun(p.str('run_id')); return {}; },
  'POST runs/log-metric': async (p, s) => {
    const metric = metricOf(p.api, 'metric', { key: p.str('key'), value: p.get('value'), timestamp: p.get('timestamp'), step: p.get('step') });
    await s.store.logBatch(runIdOf(p), { metrics: [metric] });
    return {};
  },
  'POST runs/log-parameter': async (p, s) => { await s.store.logBatch(runIdOf(p), { params: { [p.str('key')]: p.str('value') } }); return {}; },
  'POST runs/set-tag': async (p, s) => { await s.store.logBatch(runIdOf(p), { tags: { [p.str('key')]: p.str('value') } }); return {}; },
  'POST runs/delete-tag': async (p, s) => { await s.store.deleteTag(p.str('run_id'), p.str('key')); return {}; },
  'POST runs/log-model': async (p, s) => {
    let model: unknown;
    try {
      model = JSON.parse(p.str('model_json'));
    } catch (e) {
      throw Errors.invalidArg(p.api, 'model_json', 'the MLmodel as a JSON object', `${(e as Error).message}`);
    }
    if (model === null || typeof model !== 'object' || Array.isArray(model)) throw Errors.invalidArg(p.api, 'model_json', 'the MLmodel as a JSON object', model);
    await recordLoggedModel(s.store, runIdOf(p), model as Record<string, unknown>);
    return {};
  },
  'POST runs/log-batch': async (p, s) => { await s.store.logBatch(p.str('run_id'), batchOf(p)); return {}; },
  'POST runs/search': async (p, s) => {
    const opts = { experimentIds: p.strList('experiment_ids'), filter: p.optStr('filter'), runViewType: p.oneOf('run_view_type', VIEW_TYPES, 'ACTIVE_ONLY'), orderBy: p.strList('order_by') };
    return searchPage(p, SEARCH_MAX_RESULTS_DEFAULT, SEARCH_MAX_RESULTS_LIMIT, 'runs',
      (n) => s.store.searchRuns({ ...opts, maxResults: Math.min(n, SEARCH_MAX_RESULTS_LIMIT) }), (r) => runResponse(s, r));
  },
  'GET metrics/get-history': async (p, s) => ({ metrics: (await s.store.getMetricHistory(runIdOf(p), p.str('metric_key'))).map(metricJson) }),
  'GET artifacts/list': async (p, s) => {
    const runId = runIdOf(p);
    const run = await s.store.getRun(runId);
    const files = await listArtifactsAt(await s.store.artifactDir(runId), p.optStr('path'));
    return { root_uri: run.info.artifactUri, files: files.map((f) => (f.isDir ? { path: f.path, is_dir: true } : { path: f.path, is_dir: false, file_size: f.fileSize })) };
  },
};

function version(p: RequestParams): string {
  const v = p.get('version');
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw Errors.invalidArg(p.api, 'version', 'a version number (string)', v);
  return v;
}

const registry: Record<string, Handler> = {
  'POST registered-models/create': async (p, s) => ({
    registered_model: registeredModelJson(await s.registry.createRegisteredModel(p.str('name'), { tags: kvRecord(p.api, 'tags', p.get('tags')), description: p.optStr('description') })),
  }),
  'GET registered-models/get': async (p, s) => ({ registered_model: registeredModelJson(await s.registry.getRegisteredModel(p.str('name'))) }),
  'POST registered-models/rename': async (p, s) => ({ registered_model: registeredModelJson(await s.registry.renameRegisteredModel(p.str('name'), p.str('new_name'))) }),
  'PATCH registered-models/update': async (p, s) => ({ registered_model: registeredModelJson(await s.registry.updateRegisteredModel(p.str('name'), p.optStr('description') ?? '')) }),
  'DELETE registered-models/delete': async (p, s) => { await s.registry.deleteRegisteredModel(p.str('name')); return {}; },
  'GET registered-models/search': (p, s) =>
    searchPage(p, 100, 1000, 'registered_models', (n) => s.registry.searchRegisteredModels({ filter: p.optStr('filter'), maxResults: n }), registeredModelJson, {
      name: (m) => m.name, creation_timestamp: (m) => m.creationTimestamp, last_updated_timestamp: (m) => m.lastUpdatedTimestamp,
    }),
  'POST registered-models/get-latest-versions': async (p, s) => {
    const stages = p.strList('stages');
    return { model_versions: (await s.registry.getLatestVersions(p.str('name'), stages.length ? stages : undefined)).map(modelVersionJson) };
  },
  'POST registered-models/set-tag': async (p, s) => { await s.registry.setRegisteredModelTag(p.str('name'), p.str('key'), p.str('value')); return {}; },
  'DELETE registered-models/delete-tag': async (p, s) => { await s.registry.deleteRegisteredModelTag(p.str('name'), p.str('key')); return {}; },
  'POST registered-models/alias': async (p, s) => { await s.registry.setRegisteredModelAlias(p.str('name'), p.str('alias'), version(p)); return {}; },
  'DELETE registered-models/alias': async (p, s) => { await s.registry.deleteRegisteredModelAlias(p.str('name'), p.str('alias')); return {}; },
  'GET registered-models/alias': async (p, s) => ({ model_version: modelVersionJson(await s.registry.getModelVersionByAlias(p.str('name'), p.str('alias'))) }),

  'POST model-versions/create': async (p, s) => ({
    model_version: modelVersionJson(await s.registry.createModelVersion(p.str('name'), p.str('source'), {
      runId: p.optStr('run_id') ?? null, tags: kvRecord(p.api, 'tags', p.get('tags')), runLink: p.optStr('run_link'), description: p.optStr('description'),
    })),
  }),
  'GET model-versions/get': async (p, s) => ({ model_version: modelVersionJson(await s.registry.getModelVersion(p.str('name'), version(p))) }),
  'PATCH model-versions/update': async (p, s) => ({ model_version: modelVersionJson(await s.registry.updateModelVersion(p.str('name'), version(p), p.optStr('description') ?? '')) }),
  'DELETE model-versions/delete': async (p, s) => { await s.registry.deleteModelVersion(p.str('name'), version(p)); return {}; },
  'GET model-versions/search': (p, s) =>
    searchPage(p, 10000, 200000, 'model_versions', (n) => s.registry.searchModelVersions({ filter: p.optStr('filter'), maxResults: n }), modelVersionJson, {
      name: (v) => v.name, version_number: (v) => v.version, creation_timestamp: (v) => v.creationTimestamp, last_updated_timestamp: (v) => v.lastUpdatedTimestamp,
    }),
  'GET model-versions/get-download-uri': async (p, s) => {
    const v = await s.registry.getModelVersion(p.str('name'), version(p));
    return { artifact_uri: v.storageLocation ?? v.source };
  },
  'POST model-versions/transition-stage': async (p, s) => ({
    model_version: modelVersionJson(await s.registry.transitionModelVersionStage(p.str('name'), version(p), p.str('stage'), p.optBool('archive_existing_versions') ?? false)),
  }),
  'POST model-versions/set-tag': async (p, s) => { await s.registry.setModelVersionTag(p.str('name'), version(p), p.str('key'), p.str('value')); return {}; },
  'DELETE model-versions/delete-tag': async (p, s) => { await s.registry.deleteModelVersionTag(p.str('name'), version(p), p.str('key')); return {}; },
};

/** Methods MLflow also accepts for an endpoint (MLFLOW.md §4: "POST (or GET)"). */
const ALSO: Record<string, string[]> = {
  'experiments/search': ['GET'], 'runs/search': ['GET'], 'registered-models/get-latest-versions': ['GET'],
  'registered-models/update': ['POST'], 'model-versions/update': ['POST'],
};

export const ROUTES: Record<string, Handler> = { ...tracking, ...registry };
for (const [path, methods] of Object.entries(ALSO)) {
  const key = Object.keys(ROUTES).find((k) => k.endsWith(` ${path}`))!;
  for (const m of methods) ROUTES[`${m} ${path}`] = ROUTES[key]!;
}

/** The methods an endpoint path answers (empty: no such endpoint). */
export function methodsOf(path: string): string[] {
  return Object.keys(ROUTES).filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(' ')[0]!);
}
