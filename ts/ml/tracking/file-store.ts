/**
 * MLflow's FileStore over a local `mlruns/` directory (../shared/formats/MLFLOW.md §1): the same
 * file names, meta.yaml keys and line formats MLflow 2.x writes, so `mlflow ui` shows what
 * kindling logs, and every MLflow 2.x/3.x store is read (MLflow 3 logged models included).
 *
 * Malformed files: a malformed meta.yaml or metric line is an ERR_KINDLING_LOAD error naming the
 * file and line when that run or experiment is asked for (getRun, getExperiment,
 * getMetricHistory); listings (searchRuns, searchExperiments) skip it, as MLflow's FileStore does,
 * and report it with a process warning (code ERR_KINDLING_LOAD), so the rest stays readable.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Errors } from '../../src/errors.js';
import { checkKey, checkValue } from './names.js';
import { readLoggedModels } from './logged-models.js';
import { applySearch } from './search-runs.js';
import { createExclusive, writeAtomic } from '../../src/io/atomic-files.js';
import { appendLines, isMissing, keyLine, malformed, skipMalformed, metaInt, metaString, metaYaml, metricLine, parseMetricFile, readKeyFiles, readMeta } from './store-files.js';
import {
  RUN_STATUSES, type CreateRunOptions, type Experiment, type LifecycleStage, type LogBatch, type LoggedModel, type Metric, type Run,
  type RunInfo, type RunStatus, type SearchRunsOptions, type TrackingStore, type ViewType,
} from './store.js';

const TRASH = '.trash';
/** Sub-directories of an experiment that are not runs. */
const RESERVED = new Set(['tags', 'datasets', 'traces', 'models']);
const ROOT_RESERVED = new Set(['models', TRASH]);

function lifecycle(v: unknown): LifecycleStage {
  return v === 'deleted' ? 'deleted' : 'active';
}

/** The newest entry as MLflow picks it: the largest (step, timestamp, value). */
export function latestMetric(history: Metric[]): Metric | undefined {
  let best: Metric | undefined;
  for (const m of history) {
    if (!best || m.step > best.step || (m.step === best.step && (m.timestamp > best.timestamp || (m.timestamp === best.timestamp && (m.value > best.value || Number.isNaN(best.value)))))) best = m;
  }
  return best;
}

export class FileStore implements TrackingStore {
  readonly root: string;
  readonly uri: string;
  /** Where each run was last found (checked before use: an experiment moves to and from .trash). */
  private readonly runDirs = new Map<string, string>();

  constructor(root: string) {
    this.root = resolve(root.startsWith('file:') ? fileURLToPath(root) : root);
    this.uri = pathToFileURL(this.root).href;
  }

  /** MLflow creates the store with its Default experiment "0" on first use. */
  private async init(): Promise<void> {
    if (existsSync(join(this.root, '0', 'meta.yaml')) || existsSync(join(this.root, TRASH, '0'))) return;
    try {
      await mkdir(join(this.root, '0'), { recursive: true });
      const now = Date.now();
      await createExclusive(join(this.root, '0', 'meta.yaml'), metaYaml({
        artifact_location: pathToFileURL(join(this.root, '0')).href, creation_time: now, experiment_id: '0', last_update_time: now, lifecycle_stage: 'active', name: 'Default',
      }));
    } catch (e) {
      // a read-only store is still readable: only writes need the Default experiment
      const code = (e as { code?: string }).code;
      if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM') throw e;
    }
  }

  // ---- experiments --------------------------------------------------------------------------

  private async experimentDir(api: string, experimentId: string): Promise<string> {
    if (typeof experimentId !== 'string' || !/^[\w-]+$/.test(experimentId)) throw Errors.invalidArg(api, 'experimentId', 'an experiment id string', experimentId);
    await this.init();
    for (const dir of [join(this.root, experimentId), join(this.root, TRASH, experimentId)]) {
      if (existsSync(join(dir, 'meta.yaml'))) return dir;
    }
    throw Errors.notFound(api, `experiment '${experimentId}' (in ${this.root})`);
  }

  private async readExperiment(dir: string): Promise<Experiment> {
    const file = join(dir, 'meta.yaml');
    const meta = await readMeta(file);
    return {
      experimentId: await metaString(file, meta, 'experiment_id'),
      name: await metaString(file, meta, 'name'),
      artifactLocation: await metaString(file, meta, 'artifact_location'),
      lifecycleStage: lifecycle(meta.lifecycle_stage),
      creationTime: await metaInt(file, meta, 'creation_time'),
      lastUpdateTime: await metaInt(file, meta, 'last_update_time'),
      tags: await readKeyFiles(join(dir, 'tags')),
    };
  }

  private async experimentDirs(): Promise<string[]> {
    await this.init();
    const dirs: string[] = [];
    for (const base of [this.root, join(this.root, TRASH)]) {
      let names: string[];
      try {
        names = await readdir(base);
      } catch (e) {
        if (isMissing(e)) continue;
        throw e;
      }
      for (const n of names) if (!n.startsWith('.') && !(base === this.root && ROOT_RESERVED.has(n)) && existsSync(join(base, n, 'meta.yaml'))) dirs.push(join(base, n));
    }
    return dirs;
  }

  async searchExperiments(viewType: ViewType = 'ACTIVE_ONLY'): Promise<Experiment[]> {
    await this.init();
    const out: Experiment[] = [];
    for (const dir of await this.experimentDirs()) {
      const exp = await this.readExperiment(dir).catch(skipMalformed);
      if (exp && matchesView(exp.lifecycleStage, viewType)) out.push(exp);
    }
    // MLflow's default experiment order: creation_time DESC, then experiment_id
    return out.sort((a, b) => (b.creationTime ?? 0) - (a.creationTime ?? 0) || (a.experimentId < b.experimentId ? -1 : a.experimentId > b.experimentId ? 1 : 0));
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    await this.init();
    return this.readExperiment(await this.experimentDir('getExperiment', experimentId));
  }

  async getExperimentByName(name: string): Promise<Experiment | null> {
    return (await this.searchExperiments('ALL')).find((e) => e.name === name) ?? null;
  }

  async createExperiment(name: string, artifactLocation?: string, tags: Record<string, string> = {}): Promise<string> {
    // experiment names are free text in meta.yaml ('/Users/me/exp' is a common MLflow name)
    if (typeof name !== 'string' || name.trim() === '') throw Errors.invalidArg('createExperiment', 'name', 'a non-empty string', name);
    if (artifactLocation !== undefined && (typeof artifactLocation !== 'string' || artifactLocation === '')) throw Errors.invalidArg('createExperiment', 'artifactLocation', 'a URI or a path', artifactLocation);
    // a plain path is stored as its file: URI, as MLflow does
    const location = artifactLocation === undefined || /^[a-z][a-z0-9+.-]+:/i.test(artifactLocation) ? artifactLocation : pathToFileURL(resolve(artifactLocation)).href;
    const existing = await this.getExperimentByName(name);
    if (existing) throw Errors.alreadyExists('createExperiment', `experiment '${name}' (id ${existing.experimentId}, ${existing.lifecycleStage})`);
    for (;;) {
      // MLflow's FileStore ids: a random positive 63-bit integer as a decimal string.
      const id = (randomBytes(8).readBigUInt64BE() >> 1n).toString();
      try {
        await mkdir(join(this.root, id), { recursive: false });
      } catch (e) {
        if ((e as { code?: string }).code === 'EEXIST') continue;
        throw e;
      }
      const now = Date.now();
      await writeAtomic(join(this.root, id, 'meta.yaml'), metaYaml({
        artifact_location: location ?? pathToFileURL(join(this.root, id)).href, creation_time: now, experiment_id: id, last_update_time: now, lifecycle_stage: 'active', name,
      }));
      for (const [k, v] of Object.entries(tags)) await this.setExperimentTag(id, k, v);
      return id;
    }
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    const dir = await this.experimentDir('setExperimentTag', experimentId);
    await writeAtomic(join(dir, 'tags', checkKey('setExperimentTag', 'tag', key)), checkValue('setExperimentTag', 'tag', key, value));
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await removeTag('deleteExperimentTag', await this.experimentDir('deleteExperimentTag', experimentId), key, `experiment '${experimentId}'`);
  }

  private async setExperimentStage(api: string, experimentId: string, stage: LifecycleStage): Promise<void> {
    if (experimentId === '0' && stage === 'deleted') throw Errors.invalidArg(api, 'experimentId', 'an experiment other than the Default experiment "0" (it cannot be deleted)', experimentId);
    const dir = await this.experimentDir(api, experimentId);
    const file = join(dir, 'meta.yaml');
    const meta = await readMeta(file);
    if (lifecycle(meta.lifecycle_stage) === stage) throw Errors.invalidArg(api, 'experimentId', `an experiment that is not ${stage}`, experimentId);
    // As MLflow: deleting marks the active runs deleted at the experiment's deletion time;
    // restoring brings back exactly those runs (not ones deleted on their own before).
    const now = Date.now();
    const deletedAt = meta.last_update_time;
    for (const name of await readdir(dir)) {
      const runFile = join(dir, name, 'meta.yaml');
      if (name.startsWith('.') || RESERVED.has(name) || !existsSync(runFile)) continue;
      const run = await readMeta(runFile).catch(skipMalformed);
      if (!run) continue;
      if (stage === 'deleted' && lifecycle(run.lifecycle_stage) === 'active') await writeAtomic(runFile, metaYaml({ ...run, lifecycle_stage: 'deleted', deleted_time: now }));
      if (stage === 'active' && lifecycle(run.lifecycle_stage) === 'deleted' && run.deleted_time === deletedAt) {
        const { deleted_time: _drop, ...rest } = run;
        await writeAtomic(runFile, metaYaml({ ...rest, lifecycle_stage: 'active' }));
      }
    }
    await writeAtomic(file, metaYaml({ ...meta, lifecycle_stage: stage, last_update_time: now }));
    const target = stage === 'deleted' ? join(this.root, TRASH, experimentId) : join(this.root, experimentId);
    await mkdir(join(this.root, TRASH), { recursive: true });
    await rename(dir, target);
  }

  deleteExperiment(experimentId: string): Promise<void> {
    return this.setExperimentStage('deleteExperiment', experimentId, 'deleted');
  }

  restoreExperiment(experimentId: string): Promise<void> {
    return this.setExperimentStage('restoreExperiment', experimentId, 'active');
  }

  /** MLflow's rename_experiment: an active experiment, a free valid name (REST experiments/update). */
  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    // free text, as createExperiment's names
    if (typeof newName !== 'string' || newName.trim() === '') throw Errors.invalidArg('renameExperiment', 'newName', 'a non-empty string', newName);
    const exp = await this.getExperiment(experimentId);
    if (exp.lifecycleStage !== 'active') throw Errors.invalidArg('renameExperiment', 'experimentId', 'an active experiment', `${experimentId} (deleted)`);
    const other = await this.getExperimentByName(newName);
    if (other && other.experimentId !== experimentId) throw Errors.alreadyExists('renameExperiment', `experiment '${newName}' (id ${other.experimentId}, ${other.lifecycleStage})`);
    const file = join(await this.experimentDir('renameExperiment', experimentId), 'meta.yaml');
    await writeAtomic(file, metaYaml({ ...(await readMeta(file)), name: newName, last_update_time: Date.now() }));
  }

  // ---- runs ---------------------------------------------------------------------------------

  /** The directory of a run (searching every experiment, trash included). */
  async runDir(api: string, runId: string): Promise<string> {
    if (typeof runId !== 'string' || !/^[\w-]+$/.test(runId)) throw Errors.invalidArg(api, 'runId', 'a run id (32 hex digits)', runId);
    const known = this.runDirs.get(runId);
    if (known && existsSync(join(known, 'meta.yaml'))) return known;
    for (const dir of await this.experimentDirs()) {
      if (existsSync(join(dir, runId, 'meta.yaml'))) {
        this.runDirs.set(runId, join(dir, runId));
        return join(dir, runId);
      }
    }
    throw Errors.notFound(api, `run '${runId}' (in ${this.root})`);
  }

  private async readRunInfo(dir: string): Promise<RunInfo> {
    const file = join(dir, 'meta.yaml');
    const meta = await readMeta(file);
    const runId = await metaString(file, meta, 'run_id').catch(() => metaString(file, meta, 'run_uuid'));
    const status = (await metaInt(file, meta, 'status')) ?? 1;
    if (status < 1 || status > RUN_STATUSES.length) throw malformed(file, await keyLine(file, 'status'), `status ${status} is not a RunStatus (1-5)`);
    return {
      runId,
      runName: typeof meta.run_name === 'string' ? meta.run_name : '',
      experimentId: await metaString(file, meta, 'experiment_id'),
      userId: meta.user_id == null ? '' : String(meta.user_id),
      status: RUN_STATUSES[status - 1]!,
      startTime: await metaInt(file, meta, 'start_time'),
      endTime: await metaInt(file, meta, 'end_time'),
      artifactUri: await metaString(file, meta, 'artifact_uri'),
      lifecycleStage: lifecycle(meta.lifecycle_stage),
    };
  }

  private async readRun(dir: string): Promise<Run> {
    const info = await this.readRunInfo(dir);
    const metrics: Record<string, number> = {};
    for (const [key, text] of Object.entries(await readKeyFiles(join(dir, 'metrics')))) {
      const latest = latestMetric(parseMetricFile(join(dir, 'metrics', key), key, text));
      if (latest) metrics[key] = latest.value;
    }
    return { info, data: { metrics, params: await readKeyFiles(join(dir, 'params')), tags: await readKeyFiles(join(dir, 'tags')) } };
  }

  async getRun(runId: string): Promise<Run> {
    return this.readRun(await this.runDir('getRun', runId));
  }

  async createRun(opts: CreateRunOptions): Promise<Run> {
    const expDir = await this.experimentDir('startRun', opts.experimentId);
    const exp = await this.readExperiment(expDir);
    if (exp.lifecycleStage !== 'active') throw Errors.invalidArg('startRun', 'experimentId', 'an active experiment', opts.experimentId);
    const runId = randomUUID().replaceAll('-', '');
    const dir = join(expDir, runId);
    await mkdir(dir);
    await writeAtomic(join(dir, 'meta.yaml'), metaYaml({
      artifact_uri: `${exp.artifactLocation}/${runId}/artifacts`, end_time: null, entry_point_name: '', experiment_id: opts.experimentId, lifecycle_stage: 'active',
      run_id: runId, run_name: opts.runName, run_uuid: runId, source_name: '', source_type: 4, source_version: '', start_time: opts.startTime, status: 1, tags: [], user_id: opts.userId,
    }));
    for (const sub of ['metrics', 'params', 'tags', 'artifacts']) await mkdir(join(dir, sub));
    await this.logBatch(runId, { tags: { 'mlflow.runName': opts.runName, ...opts.tags } });
    return this.getRun(runId);
  }

  private async rewriteRunMeta(api: string, runId: string, change: (meta: Record<string, unknown>) => Record<string, unknown>): Promise<RunInfo> {
    const dir = await this.runDir(api, runId);
    const file = join(dir, 'meta.yaml');
    await writeAtomic(file, metaYaml(change(await readMeta(file))));
    return this.readRunInfo(dir);
  }

  async updateRunInfo(runId: string, update: { status?: RunStatus; endTime?: number | null; runName?: string }): Promise<RunInfo> {
    if (update.status !== undefined && !RUN_STATUSES.includes(update.status)) throw Errors.invalidArg('updateRun', 'status', `one of ${RUN_STATUSES.join(', ')}`, update.status);
    if (update.runName !== undefined) await writeAtomic(join(await this.runDir('updateRun', runId), 'tags', 'mlflow.runName'), update.runName);
    return this.rewriteRunMeta('updateRun', runId, (m) => ({
      ...m,
      ...(update.status !== undefined ? { status: RUN_STATUSES.indexOf(update.status) + 1 } : {}),
      ...(update.endTime !== undefined ? { end_time: update.endTime } : {}),
      ...(update.runName !== undefined ? { run_name: update.runName } : {}),
    }));
  }

  async deleteRun(runId: string): Promise<void> {
    await this.rewriteRunMeta('deleteRun', runId, (m) => ({ ...m, lifecycle_stage: 'deleted', deleted_time: Date.now() }));
  }

  async restoreRun(runId: string): Promise<void> {
    await this.rewriteRunMeta('restoreRun', runId, (m) => {
      const { deleted_time: _drop, ...rest } = m;
      return { ...rest, lifecycle_stage: 'active' };
    });
  }

  private async activeRunDir(api: string, runId: string): Promise<string> {
    const dir = await this.runDir(api, runId);
    const info = await this.readRunInfo(dir);
    if (info.lifecycleStage !== 'active') throw Errors.invalidArg(api, 'runId', "a run in the 'active' lifecycle stage", `${runId} (deleted)`);
    return dir;
  }

  /** Params (immutable: create-if-absent, then compare), metrics (one append per key), tags (replaced). */
  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const api = 'logBatch';
    const dir = await this.activeRunDir(api, runId);
    for (const [key, raw] of Object.entries(batch.params ?? {})) {
      const value = checkValue('logParam', 'param', checkKey('logParam', 'param', key), raw);
      const file = join(dir, 'params', key);
      if (!(await createExclusive(file, value))) {
        const old = await readFile(file, 'utf8');
        if (old !== value) throw Errors.invalidArg('logParam', `param ${JSON.stringify(key)} of run ${runId}`, `its logged value ${JSON.stringify(old)} (params cannot change; tried ${JSON.stringify(value)})`, value);
      }
    }
    const byKey = new Map<string, string>();
    for (const m of batch.metrics ?? []) {
      checkKey('logMetric', 'metric', m.key);
      if (typeof m.value !== 'number') throw Errors.invalidArg('logMetric', `metric ${JSON.stringify(m.key)}`, 'a number', m.value);
      if (!Number.isSafeInteger(m.timestamp)) throw Errors.invalidArg('logMetric', 'timestamp', 'an integer of milliseconds', m.timestamp);
      if (!Number.isSafeInteger(m.step)) throw Errors.invalidArg('logMetric', 'step', 'an integer', m.step);
      byKey.set(m.key, (byKey.get(m.key) ?? '') + metricLine(m));
    }
    for (const [key, lines] of byKey) await appendLines(join(dir, 'metrics', key), lines);
    for (const [key, raw] of Object.entries(batch.tags ?? {})) {
      const value = checkValue('setTag', 'tag', checkKey('setTag', 'tag', key), raw);
      await writeAtomic(join(dir, 'tags', key), value);
      if (key === 'mlflow.runName') await this.rewriteRunMeta(api, runId, (m) => ({ ...m, run_name: value }));
    }
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await removeTag('deleteTag', await this.activeRunDir('deleteTag', runId), key, `run '${runId}'`);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const file = join(await this.runDir('getMetricHistory', runId), 'metrics', checkKey('getMetricHistory', 'metric', key));
    try {
      return parseMetricFile(file, key, await readFile(file, 'utf8'));
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
  }

  async searchRuns(opts: SearchRunsOptions): Promise<Run[]> {
    await this.init();
    if (!Array.isArray(opts.experimentIds)) throw Errors.invalidArg('searchRuns', 'experimentIds', 'an array of experiment ids', opts.experimentIds);
    if (opts.orderBy !== undefined && !Array.isArray(opts.orderBy)) throw Errors.invalidArg('searchRuns', 'orderBy', "an array such as ['metrics.rmse DESC']", opts.orderBy);
    const runs: Run[] = [];
    for (const experimentId of opts.experimentIds) {
      const expDir = await this.experimentDir('searchRuns', experimentId);
      for (const name of await readdir(expDir)) {
        if (name.startsWith('.') || RESERVED.has(name) || !existsSync(join(expDir, name, 'meta.yaml'))) continue;
        const run = await this.readRun(join(expDir, name)).catch(skipMalformed);
        if (run) runs.push(run);
      }
    }
    return applySearch(runs, opts);
  }

  async artifactDir(runId: string): Promise<string> {
    const dir = await this.runDir('artifactDir', runId);
    return localArtifactDir((await this.readRunInfo(dir)).artifactUri, join(dir, 'artifacts'));
  }

  async searchLoggedModels(experimentId: string): Promise<LoggedModel[]> {
    return readLoggedModels(join(await this.experimentDir('searchLoggedModels', experimentId), 'models'));
  }
}

function matchesView(stage: LifecycleStage, view: ViewType): boolean {
  return view === 'ALL' || (view === 'ACTIVE_ONLY' ? stage === 'active' : stage === 'deleted');
}

/**
 * The local directory of an artifact URI: its `file:` path, or — for a store copied from another
 * machine, whose URIs name paths that do not exist here — the store's own directory.
 */
export function localArtifactDir(artifactUri: string, inStore: string): string {
  if (artifactUri.startsWith('file:')) {
    const p = fileURLToPath(artifactUri);
    return existsSync(p) || !existsSync(inStore) ? p : inStore;
  }
  if (!/^[a-z][a-z0-9+.-]*:/i.test(artifactUri)) return resolve(artifactUri);
  if (existsSync(inStore)) return inStore;
  throw Errors.unsupported('artifacts', `artifact URI ${JSON.stringify(artifactUri)} (only local file: artifact stores)`);
}

/** Removes `<dir>/tags/<key>` of an experiment or run (`owner` names it); a missing tag is NOT_FOUND. */
async function removeTag(api: string, dir: string, key: string, owner: string): Promise<void> {
  try {
    await rm(join(dir, 'tags', checkKey(api, 'tag', key)));
  } catch (e) {
    if (isMissing(e)) throw Errors.notFound(api, `tag ${JSON.stringify(key)} of ${owner}`);
    throw e;
  }
}
