/**
 * `tracking` of `kindling/ml`: MLflow-compatible tracking and model registry (docs/ARCHITECTURE.md
 * "Tracking and the model registry"). Fluent functions on the current tracking URI, MlflowClient
 * for explicit ids, the stores behind them, and the runs:/ and models:/ model URI schemes.
 */
import './model-uris.js';

export * from './fluent.js';
export { logModel, LOG_MODEL_HISTORY_TAG, type LogModelOptions, type ModelInfo } from './log-model.js';
export { autolog, type AutologOptions } from './autolog.js';
export * from '../registry/registry-fluent.js';
export { MlflowClient, openStores } from './client.js';
export { FileStore } from './file-store.js';
export { RestStore, RestRegistry } from './rest-store.js';
export { createTrackingServer, startTrackingServer, type RunningServer, type TrackingServerOptions } from './server/server.js';
export { FileRegistry } from '../registry/file-registry.js';
export { resolveRunsUri, resolveModelsUri } from './model-uris.js';
export type { FileInfo } from './artifacts.js';
export {
  RUN_STATUSES, type RunStatus, type LifecycleStage, type ViewType, type Experiment, type Metric, type RunInfo, type RunData, type Run, type LoggedModel,
  type SearchRunsOptions, type LogBatch, type TrackingStore, type CreateRunOptions,
} from './store.js';
export {
  STAGES, type Stage, type ModelVersion, type RegisteredModel, type RegistryStore, type CreateModelVersionOptions, type RegistrySearchOptions,
} from '../registry/registry-store.js';
