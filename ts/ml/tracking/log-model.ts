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
    const entry = { run_id: runId, artifact_path: artifactPath, utc_time_created: String(raw.utc_time_created), model_uuid: String(raw.model_uuid), flavors: raw.flavors };
    const history = historyOf((await client.getRun(runId)).data.tags[LOG_MODEL_HISTORY_TAG]);
    await client.setTag(runId, LOG_MODEL_HISTORY_TAG, pythonJson([...history, entry]));
    const modelUri = `runs:/${runId}/${artifactPath}`;
    const version = registeredModelName === undefined ? null : await client.registerModel(modelUri, registeredModelName);
    return { runId, artifactPath, modelUri, modelUuid: entry.model_uuid, utcTimeCreated: entry.utc_time_created, flavors: entry.flavors as Record<string, unknown>, registeredModelVersion: version };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
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
