/**
 * The JSON of MLflow's REST API 2.0 (../shared/formats/MLFLOW.md §4) for the tracking entities of
 * store.ts and registry-store.ts, both ways: the server writes it (routes.ts), the REST store reads
 * it (rest-store.ts). Field names are snake_case, ids and model versions strings, timestamps
 * numbers, enums their names; tags travel as `[{key, value}]`, and non-finite metric values as the
 * strings "NaN", "Infinity", "-Infinity" (protobuf's JSON mapping for doubles).
 */
import { Errors } from '../../../src/errors.js';
import type { ModelVersion, RegisteredModel, Stage } from '../../registry/registry-store.js';
import type { Experiment, LifecycleStage, Metric, Run, RunInfo, RunStatus } from '../store.js';

export type Json = Record<string, unknown>;
export interface KeyValue { key: string; value: string }

export function kvList(rec: Record<string, string>): KeyValue[] {
  return Object.keys(rec).sort().map((key) => ({ key, value: rec[key]! }));
}

/** `[{key, value}]` → record; `what` names the field in the error. */
export function kvRecord(api: string, what: string, list: unknown): Record<string, string> {
  if (list == null) return {};
  if (!Array.isArray(list)) throw Errors.invalidArg(api, what, 'an array of {key, value}', list);
  const out: Record<string, string> = {};
  list.forEach((kv: unknown, i) => {
    const o = kv as Json | null;
    if (!o || typeof o !== 'object' || typeof o.key !== 'string' || (o.value != null && typeof o.value !== 'string')) {
      throw Errors.invalidArg(api, `${what}[${i}]`, '{key: string, value: string}', kv);
    }
    out[o.key] = (o.value as string | undefined) ?? '';
  });
  return out;
}

/** A double on the wire: a finite number, or protobuf's "NaN" / "Infinity" / "-Infinity". */
export function encodeDouble(v: number): number | string {
  return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}
export function decodeDouble(api: string, what: string, v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw Errors.invalidArg(api, what, 'a number (or "NaN", "Infinity", "-Infinity")', v);
}

/** Drops null and undefined fields, as protobuf's JSON leaves unset fields out. */
function defined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v != null));
}

export function experimentJson(e: Experiment): Json {
  return defined({
    experiment_id: e.experimentId, name: e.name, artifact_location: e.artifactLocation, lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime, creation_time: e.creationTime, tags: kvList(e.tags),
  });
}
export function experimentFrom(j: Json): Experiment {
  return {
    experimentId: String(j.experiment_id), name: String(j.name), artifactLocation: String(j.artifact_location ?? ''),
    lifecycleStage: (j.lifecycle_stage as LifecycleStage | undefined) ?? 'active', creationTime: optInt(j.creation_time), lastUpdateTime: optInt(j.last_update_time),
    tags: kvRecord('experiment', 'tags', j.tags),
  };
}

export function metricJson(m: Metric): Json {
  return { key: m.key, value: encodeDouble(m.value), timestamp: m.timestamp, step: m.step };
}
export function metricFrom(j: Json): Metric {
  return { key: String(j.key), value: decodeDouble('metric', String(j.key), j.value), timestamp: Number(j.timestamp ?? 0), step: Number(j.step ?? 0) };
}

export function runInfoJson(i: RunInfo): Json {
  return defined({
    run_id: i.runId, run_uuid: i.runId, run_name: i.runName, experiment_id: i.experimentId, user_id: i.userId, status: i.status,
    start_time: i.startTime, end_time: i.endTime, artifact_uri: i.artifactUri, lifecycle_stage: i.lifecycleStage,
  });
}
export function runInfoFrom(j: Json): RunInfo {
  return {
    runId: String(j.run_id ?? j.run_uuid), runName: String(j.run_name ?? ''), experimentId: String(j.experiment_id), userId: String(j.user_id ?? ''),
    status: (j.status as RunStatus | undefined) ?? 'RUNNING', startTime: optInt(j.start_time), endTime: optInt(j.end_time),
    artifactUri: String(j.artifact_uri ?? ''), lifecycleStage: (j.lifecycle_stage as LifecycleStage | undefined) ?? 'active',
  };
}

/** A run as MLflow sends it: `latest` holds each metric's latest entry (data.metrics of the REST API). */
export function runJson(run: Run, latest: Metric[]): Json {
  return {
    info: runInfoJson(run.info),
    data: { metrics: latest.map(metricJson), params: kvList(run.data.params), tags: kvList(run.data.tags) },
    inputs: { dataset_inputs: [] },
  };
}
export function runFrom(j: Json): Run {
  const data = (j.data ?? {}) as Json;
  const metrics: Record<string, number> = {};
  for (const m of (data.metrics ?? []) as Json[]) metrics[String(m.key)] = metricFrom(m).value;
  return { info: runInfoFrom(j.info as Json), data: { metrics, params: kvRecord('run', 'params', data.params), tags: kvRecord('run', 'tags', data.tags) } };
}

export function modelVersionJson(v: ModelVersion): Json {
  return defined({
    name: v.name, version: String(v.version), creation_timestamp: v.creationTimestamp, last_updated_timestamp: v.lastUpdatedTimestamp,
    user_id: v.userId, current_stage: v.currentStage, description: v.description, source: v.source, run_id: v.runId, status: v.status,
    status_message: v.statusMessage, tags: kvList(v.tags), run_link: v.runLink, aliases: v.aliases,
  });
}
export function modelVersionFrom(j: Json): ModelVersion {
  return {
    name: String(j.name), version: Number(j.version), creationTimestamp: optInt(j.creation_timestamp), lastUpdatedTimestamp: optInt(j.last_updated_timestamp),
    currentStage: (j.current_stage as Stage | undefined) ?? 'None', description: String(j.description ?? ''), source: String(j.source ?? ''),
    runId: j.run_id == null || j.run_id === '' ? null : String(j.run_id), runLink: String(j.run_link ?? ''), status: String(j.status ?? 'READY'),
    statusMessage: j.status_message == null ? null : String(j.status_message), storageLocation: j.storage_location == null ? null : String(j.storage_location),
    userId: j.user_id == null ? null : String(j.user_id), tags: kvRecord('model_version', 'tags', j.tags), aliases: ((j.aliases ?? []) as unknown[]).map(String),
  };
}

export function registeredModelJson(m: RegisteredModel): Json {
  return defined({
    name: m.name, creation_timestamp: m.creationTimestamp, last_updated_timestamp: m.lastUpdatedTimestamp, description: m.description,
    latest_versions: m.latestVersions.map(modelVersionJson), tags: kvList(m.tags),
    aliases: Object.keys(m.aliases).sort().map((alias) => ({ alias, version: String(m.aliases[alias]) })),
  });
}
export function registeredModelFrom(j: Json): RegisteredModel {
  const aliases: Record<string, number> = {};
  for (const a of (j.aliases ?? []) as Json[]) aliases[String(a.alias)] = Number(a.version);
  return {
    name: String(j.name), creationTimestamp: optInt(j.creation_timestamp), lastUpdatedTimestamp: optInt(j.last_updated_timestamp),
    description: String(j.description ?? ''), latestVersions: ((j.latest_versions ?? []) as Json[]).map(modelVersionFrom),
    tags: kvRecord('registered_model', 'tags', j.tags), aliases,
  };
}

/** int64 fields arrive as numbers or decimal strings (MLFLOW.md §4). */
function optInt(v: unknown): number | null {
  return v == null ? null : Number(v);
}
