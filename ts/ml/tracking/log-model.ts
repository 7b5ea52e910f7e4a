/**
 * logModel (MLflow's `mlflow.<flavor>.log_model`): a fitted model saved as an MLflow model
 * directory (models/save-model.ts) under the active run's artifacts at `artifactPath`, recorded
 * in the run's `mlflow.log-model.history` tag as MLflow 2 writes it (../shared/formats/MLFLOW.md
 * §3), and registered under `registeredModelName` when given. The directory is staged in a
 * temporary folder and published with the store's logArtifacts, so any store can take it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Errors } from '../../src/errors.js';
import { readMLmodel } from '../models/mlmodel.js';
import { saveModel, type SaveModelOptions } from '../models/save-model.js';
import { pythonJson } from '../models/signature.js';
import type { Transformer } from '../stage.js';
import type { ModelVersion } from '../registry/registry-store.js';
import { activeRun, getClient, startRun } from './fluent.js';
import type { TrackingStore } from './store.js';

export const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

export interface LogModelOptions extends Omit<SaveModelOptions, 'artifactPath' | 'runId'> {
  /** Registers the logged model under this name (a new version), as MLflow's registered_model_name. */
  registeredModelName?: string;
}

/** What logModel returns (MLflow's ModelInfo). */
export interface ModelInfo {
  runId: string;
  artifactPath: string;
  /** `runs:/<runId>/<artifactPath>`: what loadModel and registerModel take. */
  modelUri: string;
  modelUuid: string;
  utcTimeCreated: string;
  flavors: Record<string, unknown>;
  registeredModelVersion: ModelVersion | null;
}

/** Logs `model` into the active run (one is started when none is active, as MLflow does). */
export async function logModel(model: Transformer, artifactPath = 'model', options: LogModelOptions = {}): Promise<ModelInfo> {
  const api = 'logModel';
  if (typeof artifactPath !== 'string' || artifactPath === '' || artifactPath.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw Errors.invalidArg(api, 'artifactPath', "a relative artifact path such as 'model'", artifactPath);
  }
  if (options === null || typeof options !== 'object') throw Errors.invalidArg(api, 'options', 'an object', options);
  const { registeredModelName, ...save } = options;
  if (registeredModelName !== undefined && (typeof registeredModelName !== 'string' || registeredModelName === '')) {
    throw Errors.invalidArg(api, 'registeredModelName', 'a non-empty model name', registeredModelName);
  }
  const runId = (activeRun() ?? (await startRun())).info.runId;
  const client = getClient();
  const staging = await mkdtemp(join(tmpdir(), 'kindling-log-model-'));
  try {
    const dir = join(staging, 'model');
    await saveModel(model, dir, { ...save, artifactPath, runId });
    const mlmodel = await readMLmodel(dir, api);
    const raw = mlmodel.raw;
    await client.logArtifacts(runId, dir, artifactPath);
    const entry = await recordLoggedModel(client.store, runId, raw);
    const modelUri = `runs:/${runId}/${artifactPath}`;
    const version = registeredModelName === undefined ? null : await client.registerModel(modelUri, registeredModelName);
    return { runId, artifactPath, modelUri, modelUuid: String(entry.model_uuid), utcTimeCreated: String(entry.utc_time_created), flavors: entry.flavors as Record<string, unknown>, registeredModelVersion: version };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Appends a model (its MLmodel fields) to the run's history tag, as MLflow's
 * `record_logged_model` does (REST `runs/log-model` too): the entry is `Model.get_tags_dict()`,
 * run_id, artifact_path, utc_time_created, model_uuid and the flavors without their `config`.
 */
export async function recordLoggedModel(store: TrackingStore, runId: string, model: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entry: Record<string, unknown> = {};
  for (const k of ['run_id', 'artifact_path', 'utc_time_created', 'model_uuid']) if (model[k] !== undefined) entry[k] = model[k];
  const flavors = model.flavors;
  if (flavors === null || typeof flavors !== 'object' || Array.isArray(flavors)) throw Errors.invalidArg('logModel', 'model', 'an MLmodel with a flavors mapping', flavors);
  entry.flavors = Object.fromEntries(Object.entries(flavors).map(([name, conf]) => {
    if (conf === null || typeof conf !== 'object' || Array.isArray(conf)) return [name, conf];
    return [name, Object.fromEntries(Object.entries(conf as Record<string, unknown>).filter(([k]) => k !== 'config'))];
  }));
  const history = historyOf((await store.getRun(runId)).data.tags[LOG_MODEL_HISTORY_TAG]);
  await store.logBatch(runId, { tags: { [LOG_MODEL_HISTORY_TAG]: pythonJson([...history, entry]) } });
  return entry;
}

/** The entries of a run's log-model history tag (a damaged or foreign value starts a new list). */
function historyOf(tag: string | undefined): unknown[] {
  if (tag === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(tag);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
