/**
 * The REST store: TrackingStore and RegistryStore over MLflow's REST API 2.0 (MLFLOW.md §4) with
 * `fetch`, for `http(s)://host:port` tracking URIs — a kindling server (server/server.ts) or
 * MLflow's own. Error JSON comes back as the kindling error of its code (RESOURCE_DOES_NOT_EXIST →
 * ERR_KINDLING_NOT_FOUND, …) with the server's message; searches follow next_page_token.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Errors, KindlingError, KindlingTypeError } from '../../src/errors.js';
import type { CreateModelVersionOptions, ModelVersion, RegisteredModel, RegistrySearchOptions, RegistryStore } from '../registry/registry-store.js';
import {
  encodeDouble, experimentFrom, kvList, metricFrom, modelVersionFrom, registeredModelFrom, runFrom, runInfoFrom, type Json,
} from './server/rest-json.js';
import { checkValue } from './names.js';
import type { CreateRunOptions, Experiment, LogBatch, LoggedModel, Metric, Run, RunInfo, RunStatus, SearchRunsOptions, TrackingStore, ViewType } from './store.js';

/** The kindling error for an MLflow error JSON. */
function restError(api: string, status: number, body: Json | null): KindlingError {
  const message = typeof body?.message === 'string' ? body.message : `${api}: HTTP ${status}`;
  switch (body?.error_code) {
    case 'RESOURCE_DOES_NOT_EXIST': return new KindlingError('ERR_KINDLING_NOT_FOUND', message);
    case 'RESOURCE_ALREADY_EXISTS': return new KindlingError('ERR_KINDLING_ALREADY_EXISTS', message);
    case 'INVALID_PARAMETER_VALUE': return new KindlingTypeError(message);
    case 'NOT_IMPLEMENTED': return new KindlingError('ERR_KINDLING_UNSUPPORTED', message);
    default: return new KindlingError('ERR_KINDLING_TRANSPORT', `${api}: ${String(body?.error_code ?? `HTTP ${status}`)}: ${message}`);
  }
}

/** Param and tag values as the file store stores them (names.ts checkValue: numbers and booleans as text). */
function strings(api: string, kind: 'param' | 'tag', rec: Record<string, unknown> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, checkValue(api, kind, k, v)]));
}

export class RestClient {
  constructor(readonly uri: string) {}

  /** One call: GET/DELETE-less bodies go in the query string (arrays as repeated keys), others as JSON. */
  async call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, params: Json = {}): Promise<Json> {
    const url = new URL(`${this.uri.replace(/\/+$/, '')}/api/2.0/mlflow/${path}`);
    const api = `${method} ${url.pathname}`;
    let body: string | undefined;
    if (method === 'GET') {
      for (const [k, v] of Object.entries(params)) {
        if (v == null) continue;
        for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
      }
    } else {
      body = JSON.stringify(params);
    }
    let res: Response;
    try {
      res = await fetch(url, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
    } catch (e) {
      throw new KindlingError('ERR_KINDLING_TRANSPORT', `${api}: cannot reach the tracking server ${this.uri}: ${(e as Error).message}`, { cause: e });
    }
    const text = await res.text();
    let json: Json | null = null;
    try {
      json = text ? (JSON.parse(text) as Json) : {};
    } catch {
      json = null;
    }
    if (!res.ok) throw restError(api, res.status, json);
    if (!json || typeof json !== 'object') throw new KindlingError('ERR_KINDLING_TRANSPORT', `${api}: expected a JSON object from ${this.uri}, got ${JSON.stringify(text.slice(0, 60))}`);
    return json;
  }

  /** Every item of a paged search, up to `max` (next_page_token until none). */
  async pages(method: 'GET' | 'POST', path: string, field: string, params: Json, max = Infinity): Promise<Json[]> {
    const out: Json[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(method, path, { ...params, ...(token ? { page_token: token } : {}) });
      out.push(...((page[field] ?? []) as Json[]));
      token = typeof page.next_page_token === 'string' && page.next_page_token !== '' ? page.next_page_token : undefined;
    } while (token && out.length < max);
    return out.slice(0, max);
  }
}

export class RestStore implements TrackingStore {
  private readonly http: RestClient;
  constructor(readonly uri: string) { this.http = new RestClient(uri); }

  async createExperiment(name: string, artifactLocation?: string, tags: Record<string, string> = {}): Promise<string> {
    return String((await this.http.call('POST', 'experiments/create', { name, artifact_location: artifactLocation, tags: kvList(tags) })).experiment_id);
  }
  async getExperiment(experimentId: string): Promise<Experiment> {
    return experimentFrom((await this.http.call('GET', 'experiments/get', { experiment_id: experimentId })).experiment as Json);
  }
  async getExperimentByName(name: string): Promise<Experiment | null> {
    try {
      return experimentFrom((await this.http.call('GET', 'experiments/get-by-name', { experiment_name: name })).experiment as Json);
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_KINDLING_NOT_FOUND') return null;
      throw e;
    }
  }
  async searchExperiments(viewType: ViewType = 'ACTIVE_ONLY'): Promise<Experiment[]> {
    return (await this.http.pages('POST', 'experiments/search', 'experiments', { view_type: viewType })).map(experimentFrom);
  }
  async deleteExperiment(experimentId: string): Promise<void> { await this.http.call('POST', 'experiments/delete', { experiment_id: experimentId }); }
  async restoreExperiment(experimentId: string): Promise<void> { await this.http.call('POST', 'experiments/restore', { experiment_id: experimentId }); }
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.http.call('POST', 'experiments/update', { experiment_id: experimentId, new_name: newName });
  }
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.http.call('POST', 'experiments/set-experiment-tag', { experiment_id: experimentId, key, value });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.http.call('POST', 'experiments/delete-experiment-tag', { experiment_id: experimentId, key });
  }

  async createRun(opts: CreateRunOptions): Promise<Run> {
    const body = { experiment_id: opts.experimentId, user_id: opts.userId, start_time: opts.startTime, run_name: opts.runName, tags: kvList(opts.tags) };
    return runFrom((await this.http.call('POST', 'runs/create', body)).run as Json);
  }
  async updateRunInfo(runId: string, update: { status?: RunStatus; endTime?: number | null; runName?: string }): Promise<RunInfo> {
    const body = { run_id: runId, status: update.status, end_time: update.endTime ?? undefined, run_name: update.runName };
    return runInfoFrom((await this.http.call('POST', 'runs/update', body)).run_info as Json);
  }
  async getRun(runId: string): Promise<Run> { return runFrom((await this.http.call('GET', 'runs/get', { run_id: runId })).run as Json); }
  async deleteRun(runId: string): Promise<void> { await this.http.call('POST', 'runs/delete', { run_id: runId }); }
  async restoreRun(runId: string): Promise<void> { await this.http.call('POST', 'runs/restore', { run_id: runId }); }
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    await this.http.call('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: (batch.metrics ?? []).map((m) => ({ key: m.key, value: encodeDouble(m.value), timestamp: m.timestamp, step: m.step })),
      params: kvList(strings('logParam', 'param', batch.params)), tags: kvList(strings('setTag', 'tag', batch.tags)),
    });
  }
  async deleteTag(runId: string, key: string): Promise<void> { await this.http.call('POST', 'runs/delete-tag', { run_id: runId, key }); }
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return ((await this.http.call('GET', 'metrics/get-history', { run_id: runId, metric_key: key })).metrics as Json[] ?? []).map(metricFrom);
  }
  async searchRuns(opts: SearchRunsOptions): Promise<Run[]> {
    const max = opts.maxResults ?? 1000;
    const body = { experiment_ids: opts.experimentIds, filter: opts.filter, run_view_type: opts.runViewType, max_results: max, order_by: opts.orderBy };
    return (await this.http.pages('POST', 'runs/search', 'runs', body, max)).map(runFrom);
  }
  /** A run's artifact directory when its artifact URI is a local path this process can see (same machine). */
  async artifactDir(runId: string): Promise<string> {
    const uri = (await this.getRun(runId)).info.artifactUri;
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : /^[a-z][a-z0-9+.-]*:/i.test(uri) ? null : uri;
    if (path !== null && existsSync(path)) return path;
    throw Errors.unsupported('artifacts', `artifacts of run ${runId} at ${JSON.stringify(uri)} through a REST store (only artifact URIs local to this machine)`);
  }
  searchLoggedModels(experimentId: string): Promise<LoggedModel[]> {
    return Promise.reject(Errors.unsupported('searchLoggedModels', `logged models of experiment ${experimentId} through a REST store`));
  }
}

export class RestRegistry implements RegistryStore {
  private readonly http: RestClient;
  constructor(readonly uri: string) { this.http = new RestClient(uri); }

  private async model(method: 'GET' | 'POST' | 'PATCH', path: string, params: Json): Promise<RegisteredModel> {
    return registeredModelFrom((await this.http.call(method, path, params)).registered_model as Json);
  }
  private async version(method: 'GET' | 'POST' | 'PATCH', path: string, params: Json): Promise<ModelVersion> {
    return modelVersionFrom((await this.http.call(method, path, params)).model_version as Json);
  }

  createRegisteredModel(name: string, opts: { tags?: Record<string, string>; description?: string } = {}): Promise<RegisteredModel> {
    return this.model('POST', 'registered-models/create', { name, tags: kvList(opts.tags ?? {}), description: opts.description });
  }
  getRegisteredModel(name: string): Promise<RegisteredModel> { return this.model('GET', 'registered-models/get', { name }); }
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> { return this.model('POST', 'registered-models/rename', { name, new_name: newName }); }
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> { return this.model('PATCH', 'registered-models/update', { name, description }); }
  async deleteRegisteredModel(name: string): Promise<void> { await this.http.call('DELETE', 'registered-models/delete', { name }); }
  async searchRegisteredModels(opts: RegistrySearchOptions = {}): Promise<RegisteredModel[]> {
    const max = opts.maxResults ?? 100;
    return (await this.http.pages('GET', 'registered-models/search', 'registered_models', { filter: opts.filter, max_results: Math.min(max, 1000) }, max)).map(registeredModelFrom);
  }
  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> { await this.http.call('POST', 'registered-models/set-tag', { name, key, value }); }
  async deleteRegisteredModelTag(name: string, key: string): Promise<void> { await this.http.call('DELETE', 'registered-models/delete-tag', { name, key }); }
  createModelVersion(name: string, source: string, opts: CreateModelVersionOptions = {}): Promise<ModelVersion> {
    return this.version('POST', 'model-versions/create', {
      name, source, run_id: opts.runId ?? undefined, tags: kvList(opts.tags ?? {}), run_link: opts.runLink, description: opts.description,
    });
  }
  getModelVersion(name: string, version: number | string): Promise<ModelVersion> { return this.version('GET', 'model-versions/get', { name, version: String(version) }); }
  updateModelVersion(name: string, version: number | string, description: string): Promise<ModelVersion> {
    return this.version('PATCH', 'model-versions/update', { name, version: String(version), description });
  }
  async deleteModelVersion(name: string, version: number | string): Promise<void> { await this.http.call('DELETE', 'model-versions/delete', { name, version: String(version) }); }
  transitionModelVersionStage(name: string, version: number | string, stage: string, archiveExistingVersions = false): Promise<ModelVersion> {
    return this.version('POST', 'model-versions/transition-stage', { name, version: String(version), stage, archive_existing_versions: archiveExistingVersions });
  }
  async getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> {
    return ((await this.http.call('POST', 'registered-models/get-latest-versions', { name, stages })).model_versions as Json[] ?? []).map(modelVersionFrom);
  }
  async searchModelVersions(opts: RegistrySearchOptions = {}): Promise<ModelVersion[]> {
    const max = opts.maxResults ?? 10000;
    return (await this.http.pages('GET', 'model-versions/search', 'model_versions', { filter: opts.filter, max_results: max }, max)).map(modelVersionFrom);
  }
  async setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void> {
    await this.http.call('POST', 'model-versions/set-tag', { name, version: String(version), key, value });
  }
  async deleteModelVersionTag(name: string, version: number | string, key: string): Promise<void> {
    await this.http.call('DELETE', 'model-versions/delete-tag', { name, version: String(version), key });
  }
  async setRegisteredModelAlias(name: string, alias: string, version: number | string): Promise<void> {
    await this.http.call('POST', 'registered-models/alias', { name, alias, version: String(version) });
  }
  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> { await this.http.call('DELETE', 'registered-models/alias', { name, alias }); }
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> { return this.version('GET', 'registered-models/alias', { name, alias }); }
}
