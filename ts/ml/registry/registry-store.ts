/**
 * The model registry's entities and store interface (../shared/formats/MLFLOW.md §2, §4): the file
 * registry (file-registry.ts) implements it over `mlruns/models/`; a REST store implements the
 * same calls over `/api/2.0/mlflow/registered-models` and `/model-versions`.
 */
import { Errors } from '../../src/errors.js';

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];
/** The internal stage of a soft-deleted version (hidden from every call). */
export const DELETED_STAGE = 'Deleted_Internal';

/** A stage name as MLflow accepts it: any case of the four; anything else is an error listing them. */
export function normalizeStage(api: string, stage: unknown): Stage {
  const found = typeof stage === 'string' ? STAGES.find((s) => s.toLowerCase() === stage.toLowerCase()) : undefined;
  if (!found) throw Errors.invalidArg(api, 'stage', `one of ${STAGES.join(', ')} (any case)`, stage);
  return found;
}

export interface ModelVersion {
  name: string;
  version: number;
  creationTimestamp: number | null;
  lastUpdatedTimestamp: number | null;
  currentStage: Stage;
  description: string;
  source: string;
  runId: string | null;
  runLink: string;
  status: string;
  statusMessage: string | null;
  storageLocation: string | null;
  userId: string | null;
  tags: Record<string, string>;
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creationTimestamp: number | null;
  lastUpdatedTimestamp: number | null;
  description: string;
  /** The highest version in each stage that has one. */
  latestVersions: ModelVersion[];
  tags: Record<string, string>;
  /** alias → version number. */
  aliases: Record<string, number>;
}

export interface CreateModelVersionOptions {
  runId?: string | null;
  tags?: Record<string, string>;
  runLink?: string;
  description?: string;
  /** The resolved physical location of `source` (defaults to `source`). */
  storageLocation?: string;
}

export interface RegistrySearchOptions {
  filter?: string;
  maxResults?: number;
}

export interface RegistryStore {
  createRegisteredModel(name: string, opts?: { tags?: Record<string, string>; description?: string }): Promise<RegisteredModel>;
  /** Throws ERR_KINDLING_NOT_FOUND for an unknown name. */
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  updateRegisteredModel(name: string, description: string): Promise<RegisteredModel>;
  deleteRegisteredModel(name: string): Promise<void>;
  searchRegisteredModels(opts?: RegistrySearchOptions): Promise<RegisteredModel[]>;
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;
  createModelVersion(name: string, source: string, opts?: CreateModelVersionOptions): Promise<ModelVersion>;
  /** Throws ERR_KINDLING_NOT_FOUND for an unknown or deleted version. */
  getModelVersion(name: string, version: number | string): Promise<ModelVersion>;
  updateModelVersion(name: string, version: number | string, description: string): Promise<ModelVersion>;
  deleteModelVersion(name: string, version: number | string): Promise<void>;
  transitionModelVersionStage(name: string, version: number | string, stage: string, archiveExistingVersions?: boolean): Promise<ModelVersion>;
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]>;
  searchModelVersions(opts?: RegistrySearchOptions): Promise<ModelVersion[]>;
  setModelVersionTag(name: string, version: number | string, key: string, value: string): Promise<void>;
  deleteModelVersionTag(name: string, version: number | string, key: string): Promise<void>;
  setRegisteredModelAlias(name: string, alias: string, version: number | string): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
}
