/**
 * MlflowClient: MLflow's client API over one tracking store and its model registry, every call
 * naming its run, experiment or model explicitly (the fluent functions of fluent.ts keep the
 * active run and call this). `file:` URIs and plain paths open the file store; `http(s):` the
 * REST store (rest-store.ts).
 */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Errors } from '../../src/errors.js';
import { FileRegistry } from '../registry/file-registry.js';
import type { CreateModelVersionOptions, ModelVersion, RegisteredModel, RegistrySearchOptions, RegistryStore } from '../registry/registry-store.js';
import { dictContent, downloadArtifactsAt, figureContent, listArtifactsAt, logArtifactAt, writeArtifactFile, type FileInfo } from './artifacts.js';
import { FileStore } from './file-store.js';
import { getTrackingUri } from './fluent.js';
import { generateRunName } from './names.js';
import { RestRegistry, RestStore } from './rest-store.js';
import type { Experiment, LogBatch, LoggedModel, Metric, Run, RunInfo, RunStatus, SearchRunsOptions, TrackingStore, ViewType } from './store.js';

/** The local root a `file:` URI or path names (`file:./mlruns` is relative to the working directory). */
export function localStorePath(uri: string): string {
  if (uri.startsWith('file://')) return fileURLToPath(uri);
  if (uri.startsWith('file:')) return resolve(uri.slice(5));
  return resolve(uri);
}

/** Opens the stores a tracking URI names. */
export function openStores(uri: string): { store: TrackingStore; registry: RegistryStore } {
  if (typeof uri !== 'string' || uri === '') throw Errors.invalidArg('setTrackingUri', 'uri', "'file:<path>', a path or 'http(s)://host:port'", uri);
  if (/^https?:\/\//i.test(uri)) return { store: new RestStore(uri), registry: new RestRegistry(uri) };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri);
  if (scheme && scheme[1]!.length > 1 && scheme[1]!.toLowerCase() !== 'file') throw Errors.invalidArg('setTrackingUri', 'uri', "'file:<path>', a path or 'http(s)://host:port'", uri);
  const root = localStorePath(uri);
  return { store: new FileStore(root), registry: new FileRegistry(root) };
}

/** The user MLflow records (`mlflow.user`, user_id). */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The run id and artifact path of a `runs:/<run_id>/<path>` URI (null for any other URI). */
export function parseRunsUri(uri: string): { runId: string; path: string } | null {
  const m = /^runs:\/([^/]+)\/?(.*)$/.exec(uri);
  return m ? { runId: m[1]!, path: m[2]!.replace(/\/+$/, '') } : null;
}

export class MlflowClient {
  readonly trackingUri: string;
  readonly store: TrackingStore;
  readonly registry: RegistryStore;

  /** Opens the stores of `trackingUri` (default: the current tracking URI of the fluent API). */
  constructor(trackingUri: string = getTrackingUri()) {
    this.trackingUri = trackingUri;
    ({ store: this.store, registry: this.registry } = openStores(trackingUri));
  }

  // ---- experiments
  createExperiment(name: string, opts: { artifactLocation?: string; tags?: Record<string, string> } = {}): Promise<string> {
    return this.store.createExperiment(name, opts.artifactLocation, opts.tags);
  }
  getExperiment(experimentId: string): Promise<Experiment> { return this.store.getExperiment(experimentId); }
  getExperimentByName(name: string): Promise<Experiment | null> { return this.store.getExperimentByName(name); }
  searchExperiments(viewType?: ViewType): Promise<Experiment[]> { return this.store.searchExperiments(viewType); }
  deleteExperiment(experimentId: string): Promise<void> { return this.store.deleteExperiment(experimentId); }
  restoreExperiment(experimentId: string): Promise<void> { return this.store.restoreExperiment(experimentId); }
  renameExperiment(experimentId: string, newName: string): Promise<void> { return this.store.renameExperiment(experimentId, newName); }
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void> { return this.store.setExperimentTag(experimentId, key, value); }
  deleteExperimentTag(experimentId: string, key: string): Promise<void> { return this.store.deleteExperimentTag(experimentId, key); }

  // ---- runs
  createRun(experimentId: string, opts: { runName?: string; tags?: Record<string, string>; startTime?: number } = {}): Promise<Run> {
    const runName = opts.runName ?? opts.tags?.['mlflow.runName'] ?? generateRunName();
    return this.store.createRun({ experimentId, userId: currentUser(), startTime: opts.startTime ?? Date.now(), runName, tags: opts.tags ?? {} });
  }
  setTerminated(runId: string, status: RunStatus = 'FINISHED', endTime = Date.now()): Promise<RunInfo> {
    return this.store.updateRunInfo(runId, { status, endTime });
  }
  updateRun(runId: string, update: { status?: RunStatus; runName?: string }): Promise<RunInfo> { return this.store.updateRunInfo(runId, update); }
  getRun(runId: string): Promise<Run> { return this.store.getRun(runId); }
  deleteRun(runId: string): Promise<void> { return this.store.deleteRun(runId); }
  restoreRun(runId: string): Promise<void> { return this.store.restoreRun(runId); }
  logParam(runId: string, key: string, value: unknown): Promise<void> { return this.store.logBatch(runId, { params: { [key]: value as string } }); }
  logMetric(runId: string, key: string, value: number, opts: { timestamp?: number; step?: number } = {}): Promise<void> {
    return this.store.logBatch(runId, { metrics: [{ key, value, timestamp: opts.timestamp ?? Date.now(), step: opts.step ?? 0 }] });
  }
  logBatch(runId: string, batch: LogBatch): Promise<void> { return this.store.logBatch(runId, batch); }
  setTag(runId: string, key: string, value: unknown): Promise<void> { return this.store.logBatch(runId, { tags: { [key]: value as string } }); }
  deleteTag(runId: string, key: string): Promise<void> { return this.store.deleteTag(runId, key); }
  getMetricHistory(runId: string, key: string): Promise<Metric[]> { return this.store.getMetricHistory(runId, key); }
  searchRuns(opts: SearchRunsOptions): Promise<Run[]> { return this.store.searchRuns(opts); }
  searchLoggedModels(experimentId: string): Promise<LoggedModel[]> { return this.store.searchLoggedModels(experimentId); }

  // ---- artifacts
  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    await logArtifactAt('logArtifact', await this.store.artifactDir(runId), localPath, artifactPath);
  }
  async logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    await logArtifactAt('logArtifacts', await this.store.artifactDir(runId), localDir, artifactPath);
  }
  async logText(runId: string, text: string, artifactFile: string): Promise<void> {
    if (typeof text !== 'string') throw Errors.invalidArg('logText', 'text', 'a string', text);
    await writeArtifactFile('logText', await this.store.artifactDir(runId), artifactFile, text);
  }
  async logDict(runId: string, dict: unknown, artifactFile: string): Promise<void> {
    await writeArtifactFile('logDict', await this.store.artifactDir(runId), artifactFile, dictContent(artifactFile, dict));
  }
  async logFigure(runId: string, figure: string | Uint8Array, artifactFile: string): Promise<void> {
    await writeArtifactFile('logFigure', await this.store.artifactDir(runId), artifactFile, figureContent(artifactFile, figure));
  }
  async listArtifacts(runId: string, path?: string): Promise<FileInfo[]> { return listArtifactsAt(await this.store.artifactDir(runId), path); }
  async downloadArtifacts(runId: string, path: string, dstPath: string): Promise<string> {
    return downloadArtifactsAt(await this.store.artifactDir(runId), path, dstPath);
  }

  // ---- model registry
  createRegisteredModel(name: string, opts?: { tags?: Record<string, string>; description?: string }): Promise<RegisteredModel> { return this.registry.createRegisteredModel(name, opts); }
  getRegisteredModel(name: string): Promise<RegisteredModel> { return this.registry.getRegisteredModel(name); }
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> { return this.registry.renameRegisteredModel(name, newName); }
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> { return this.registry.updateRegisteredModel(name, description); }
  deleteRegisteredModel(name: string): Promise<void> { return this.registry.deleteRegisteredModel(name); }
  searchRegisteredModels(opts?: RegistrySearchOptions): Promise<RegisteredModel[]> { return this.registry.searchRegisteredModels(opts); }
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void> { return this.registry.setRegisteredModelTag(name, key, value); }
  deleteRegisteredModelTag(name: string, key: string): Promise<void> { return this.registry.deleteRegisteredModelTag(name, key); }
  createModelVersion(name: string, source: string, opts?: CreateModelVersionOptions): Promise<ModelVersion> { return this.registry.createModelVersion(name, source, opts); }
  getModelVersion(name: string, version: number | string): Promise<ModelVersion> { return this.registry.getModelVersion(name, version); }
  updateModelVersion(name: string, version: number | string, description: string): Promise<ModelVersion> { return this.registry.updateModelVersion(name, version, description); }
  deleteModelVersion(name: string, version: number | string): Promise<void> { return this.registry.deleteModelVersion(name, version); }
  transitionModelVersionStage(name: string, version: number | string, stage: string, opts: { archiveExistingVersions?: boolean } = {}): Promise<ModelVersion> {
    return this.registry.transitionModelVersionStage(name, version, stage, opts.archiveExistingVersions ?? false);
  }
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]> { return this.registry.getLatestVersions(name, stages); }
  searchModelVersions(opts?: RegistrySearchOptions): Promise<ModelVersion[]> { return this.registry.searchModelVersions(opts); }
  setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void> { return this.registry.setModelVersionTag(name, version, key, value); }
  deleteModelVersionTag(name: string, version: number | string, key: string): Promise<void> { return this.registry.deleteModelVersionTag(name, version, key); }
  setRegisteredModelAlias(name: string, alias: string, version: number | string): Promise<void> { return this.registry.setRegisteredModelAlias(name, alias, version); }
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void> { return this.registry.deleteRegisteredModelAlias(name, alias); }
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> { return this.registry.getModelVersionByAlias(name, alias); }

  /**
   * MLflow's register_model: creates the registered model if needed and its next version. A
   * `runs:/<id>/<path>` URI is stored as the run's artifact URI + path, with its run id.
   */
  async registerModel(modelUri: string, name: string, opts: { tags?: Record<string, string>; description?: string } = {}): Promise<ModelVersion> {
    if (typeof modelUri !== 'string' || modelUri === '') throw Errors.invalidArg('registerModel', 'modelUri', "'runs:/<run_id>/<path>', 'models:/…', a file: URI or a path", modelUri);
    try {
      await this.registry.createRegisteredModel(name);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_KINDLING_ALREADY_EXISTS') throw e;
    }
    const runs = parseRunsUri(modelUri);
    let source = modelUri;
    let runId: string | null = null;
    if (runs) {
      const run = await this.store.getRun(runs.runId);
      runId = run.info.runId;
      source = runs.path ? `${run.info.artifactUri}/${runs.path}` : run.info.artifactUri;
    } else if (!/^[a-z][a-z0-9+.-]*:/i.test(modelUri) || /^[a-z]:[\\/]/i.test(modelUri)) {
      source = pathToFileURL(resolve(modelUri)).href;
    }
    return this.registry.createModelVersion(name, source, { runId, tags: opts.tags, description: opts.description, storageLocation: source });
  }
}
