/**
 * MLflow's fluent API (mlflow.set_tracking_uri, start_run, log_param, …): a process-wide tracking
 * URI, active experiment and stack of active runs over one MlflowClient. Logging with no active
 * run starts one, as MLflow does. The default URI is `MLFLOW_TRACKING_URI` or `./mlruns`.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { Errors } from '../../src/errors.js';
import type { ModelVersion } from '../registry/registry-store.js';
import type { FileInfo } from './artifacts.js';
import { currentUser, MlflowClient, openStores } from './client.js';
import type { Experiment, Metric, Run, RunStatus, SearchRunsOptions, ViewType } from './store.js';

const state: { uri: string | null; client: MlflowClient | null; experimentId: string | null; runs: Run[] } = { uri: null, client: null, experimentId: null, runs: [] };

/** Sets the tracking URI: `file:./mlruns`, `file:///abs/mlruns` or a path, or http(s)://host:port (the REST store). */
export function setTrackingUri(uri: string): void {
  openStores(uri);
  state.uri = uri;
  state.client = null;
  state.experimentId = null;
}

export function getTrackingUri(): string {
  return state.uri ?? process.env.MLFLOW_TRACKING_URI ?? pathToFileURL(resolve('mlruns')).href;
}

/** The client of the current tracking URI. */
export function getClient(): MlflowClient {
  const uri = getTrackingUri();
  if (!state.client || state.client.trackingUri !== uri) state.client = new MlflowClient(uri);
  return state.client;
}

export async function createExperiment(name: string, opts: { artifactLocation?: string; tags?: Record<string, string> } = {}): Promise<string> {
  return getClient().createExperiment(name, opts);
}

/** Makes the named experiment active, creating it when it does not exist (a deleted one is an error). */
export async function setExperiment(name: string): Promise<Experiment> {
  const client = getClient();
  let exp = await client.getExperimentByName(name);
  if (exp && exp.lifecycleStage === 'deleted') throw Errors.invalidArg('setExperiment', 'name', 'an active experiment (restore it with restoreExperiment)', `${name} (deleted)`);
  if (!exp) exp = await client.getExperiment(await client.createExperiment(name));
  state.experimentId = exp.experimentId;
  return exp;
}

export async function getExperiment(experimentId: string): Promise<Experiment> { return getClient().getExperiment(experimentId); }
export async function getExperimentByName(name: string): Promise<Experiment | null> { return getClient().getExperimentByName(name); }
export async function searchExperiments(viewType?: ViewType): Promise<Experiment[]> { return getClient().searchExperiments(viewType); }
/** Tags the active experiment (setExperiment's, or the Default experiment "0"). */
export async function setExperimentTag(key: string, value: string): Promise<void> { return getClient().setExperimentTag(state.experimentId ?? '0', key, value); }
export async function deleteExperiment(experimentId: string): Promise<void> { return getClient().deleteExperiment(experimentId); }
export async function restoreExperiment(experimentId: string): Promise<void> { return getClient().restoreExperiment(experimentId); }

export interface StartRunOptions {
  runName?: string;
  /** Start inside the active run (tagged mlflow.parentRunId); without it an active run is an error. */
  nested?: boolean;
  tags?: Record<string, string>;
  experimentId?: string;
  /** Resume an existing run (status back to RUNNING). */
  runId?: string;
}

/** The active run (as it was when started), or null. */
export function activeRun(): Run | null {
  return state.runs[state.runs.length - 1] ?? null;
}

export async function startRun(opts: StartRunOptions = {}): Promise<Run> {
  const client = getClient();
  const parent = activeRun();
  if (parent && !opts.nested) {
    throw Errors.invalidArg('startRun', 'nested', `true to start a run inside the active run ${parent.info.runId} (or call endRun() first)`, opts.nested);
  }
  let run: Run;
  if (opts.runId !== undefined) {
    run = await client.getRun(opts.runId);
    if (run.info.lifecycleStage !== 'active') throw Errors.invalidArg('startRun', 'runId', 'an active (not deleted) run', opts.runId);
    if (opts.experimentId !== undefined && opts.experimentId !== run.info.experimentId) {
      throw Errors.invalidArg('startRun', 'experimentId', `the run's experiment ${run.info.experimentId}`, opts.experimentId);
    }
    await client.store.updateRunInfo(run.info.runId, { status: 'RUNNING', endTime: null, runName: opts.runName });
    if (opts.tags) await client.logBatch(run.info.runId, { tags: opts.tags });
    run = await client.getRun(run.info.runId);
  } else {
    const experimentId = opts.experimentId ?? state.experimentId ?? process.env.MLFLOW_EXPERIMENT_ID ?? '0';
    const tags: Record<string, string> = {
      'mlflow.user': currentUser(),
      'mlflow.source.name': process.argv[1] ?? '',
      'mlflow.source.type': 'LOCAL',
      ...(parent ? { 'mlflow.parentRunId': parent.info.runId } : {}),
      ...opts.tags,
    };
    run = await client.createRun(experimentId, { runName: opts.runName, tags });
  }
  state.runs.push(run);
  if (!exitHook) {
    // as MLflow's atexit hook: runs still active when the process runs out of work end FINISHED
    exitHook = true;
    process.once('beforeExit', () => {
      void (async () => { while (activeRun()) await endRun('FINISHED'); })().catch(() => {});
    });
  }
  return run;
}

let exitHook = false;

/** Ends the active run with a status (FINISHED by default); no active run is a no-op, as in MLflow. */
export async function endRun(status: RunStatus = 'FINISHED'): Promise<void> {
  const run = activeRun();
  if (!run) return;
  await getClient().setTerminated(run.info.runId, status);
  state.runs.pop();
}

/** Runs `fn` inside a new run, ended FINISHED, or FAILED when `fn` throws (the error is rethrown). */
export async function withRun<T>(fn: (run: Run) => Promise<T> | T): Promise<T>;
export async function withRun<T>(opts: StartRunOptions, fn: (run: Run) => Promise<T> | T): Promise<T>;
export async function withRun<T>(a: StartRunOptions | ((run: Run) => Promise<T> | T), b?: (run: Run) => Promise<T> | T): Promise<T> {
  const [opts, fn] = typeof a === 'function' ? [{}, a] : [a, b];
  if (typeof fn !== 'function') throw Errors.invalidArg('withRun', 'fn', 'a function (run) => …', fn);
  const run = await startRun(opts);
  let result: T;
  try {
    result = await fn(run);
  } catch (e) {
    while (state.runs.length && activeRun() !== run) await endRun('FAILED');
    await endRun('FAILED');
    throw e;
  }
  while (state.runs.length && activeRun() !== run) await endRun('FINISHED');
  await endRun('FINISHED');
  return result;
}

async function runId(): Promise<string> {
  return (activeRun() ?? (await startRun())).info.runId;
}

export async function logParam(key: string, value: unknown): Promise<void> { await getClient().logParam(await runId(), key, value); }
export async function logParams(params: Record<string, unknown>): Promise<void> { await getClient().logBatch(await runId(), { params: params as Record<string, string> }); }
export async function logMetric(key: string, value: number, opts: { step?: number; timestamp?: number } = {}): Promise<void> {
  await getClient().logMetric(await runId(), key, value, opts);
}
export async function logMetrics(metrics: Record<string, number>, opts: { step?: number; timestamp?: number } = {}): Promise<void> {
  const timestamp = opts.timestamp ?? Date.now();
  await getClient().logBatch(await runId(), { metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step: opts.step ?? 0 })) });
}
export async function setTag(key: string, value: unknown): Promise<void> { await getClient().setTag(await runId(), key, value); }
export async function setTags(tags: Record<string, unknown>): Promise<void> { await getClient().logBatch(await runId(), { tags: tags as Record<string, string> }); }
export async function deleteTag(key: string): Promise<void> { await getClient().deleteTag(await runId(), key); }
export async function logArtifact(localPath: string, artifactPath?: string): Promise<void> { await getClient().logArtifact(await runId(), localPath, artifactPath); }
export async function logArtifacts(localDir: string, artifactPath?: string): Promise<void> { await getClient().logArtifacts(await runId(), localDir, artifactPath); }
export async function logText(text: string, artifactFile: string): Promise<void> { await getClient().logText(await runId(), text, artifactFile); }
export async function logDict(dict: unknown, artifactFile: string): Promise<void> { await getClient().logDict(await runId(), dict, artifactFile); }
export async function logFigure(figure: string | Uint8Array, artifactFile: string): Promise<void> { await getClient().logFigure(await runId(), figure, artifactFile); }

export async function getRun(runId: string): Promise<Run> { return getClient().getRun(runId); }
export async function deleteRun(runId: string): Promise<void> { return getClient().deleteRun(runId); }
export async function restoreRun(runId: string): Promise<void> { return getClient().restoreRun(runId); }
export async function getMetricHistory(runId: string, key: string): Promise<Metric[]> { return getClient().getMetricHistory(runId, key); }
export async function listArtifacts(runId: string, path?: string): Promise<FileInfo[]> { return getClient().listArtifacts(runId, path); }
export async function downloadArtifacts(opts: { runId: string; artifactPath?: string; dstPath: string }): Promise<string> {
  return getClient().downloadArtifacts(opts.runId, opts.artifactPath ?? '', opts.dstPath);
}

/** searchRuns over the given experiments (default: the active experiment, or "0"). */
export async function searchRuns(opts: Partial<SearchRunsOptions> = {}): Promise<Run[]> {
  return getClient().searchRuns({ ...opts, experimentIds: opts.experimentIds ?? [state.experimentId ?? '0'] });
}

/** MLflow's register_model (see MlflowClient.registerModel). */
export async function registerModel(modelUri: string, name: string, opts?: { tags?: Record<string, string>; description?: string }): Promise<ModelVersion> {
  return getClient().registerModel(modelUri, name, opts);
}

/** Forgets the active runs and experiment (tests; a new process starts this way). */
export function _resetFluentState(): void {
  state.runs = [];
  state.experimentId = null;
}
