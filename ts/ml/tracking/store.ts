/**
 * The tracking store interface and MLflow's entities (../shared/formats/MLFLOW.md §1, §4). The file
 * store (file-store.ts) implements it over `mlruns/`; a REST store implements the same calls over
 * MLflow's REST API 2.0 (the entity fields are the REST fields in camelCase).
 */

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
/** MLflow's RunStatus; meta.yaml stores it as the integer index + 1 (RUNNING=1 … KILLED=5). */
export type RunStatus = (typeof RUN_STATUSES)[number];
export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number | null;
  lastUpdateTime: number | null;
  tags: Record<string, string>;
}

export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number | null;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface RunData {
  /** The latest value of each metric: the entry with the largest (step, timestamp, value). */
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface Run {
  info: RunInfo;
  data: RunData;
}

/** An MLflow 3 LoggedModel (`<experiment>/models/m-<id>/`). */
export interface LoggedModel {
  modelId: string;
  name: string;
  experimentId: string;
  sourceRunId: string | null;
  artifactLocation: string;
  creationTimestamp: number | null;
  lastUpdatedTimestamp: number | null;
  modelType: string | null;
  status: number | null;
  metrics: Metric[];
  tags: Record<string, string>;
}

export interface CreateRunOptions {
  experimentId: string;
  userId: string;
  startTime: number;
  runName: string;
  tags: Record<string, string>;
}

export interface SearchRunsOptions {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
}

export interface LogBatch {
  metrics?: Metric[];
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

/** What any tracking backend answers; every call is async (a file store or a server). */
export interface TrackingStore {
  /** The tracking URI this store was opened with. */
  readonly uri: string;
  createExperiment(name: string, artifactLocation?: string, tags?: Record<string, string>): Promise<string>;
  /** Throws ERR_KINDLING_NOT_FOUND for an unknown id. */
  getExperiment(experimentId: string): Promise<Experiment>;
  /** null when no experiment (active or deleted) has the name. */
  getExperimentByName(name: string): Promise<Experiment | null>;
  searchExperiments(viewType?: ViewType): Promise<Experiment[]>;
  deleteExperiment(experimentId: string): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;
  /** Throws ERR_KINDLING_NOT_FOUND when the experiment has no such tag. */
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;
  createRun(opts: CreateRunOptions): Promise<Run>;
  updateRunInfo(runId: string, update: { status?: RunStatus; endTime?: number | null; runName?: string }): Promise<RunInfo>;
  /** Throws ERR_KINDLING_NOT_FOUND for an unknown id. */
  getRun(runId: string): Promise<Run>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  searchRuns(opts: SearchRunsOptions): Promise<Run[]>;
  /** The local directory holding a run's artifacts (file store; a REST store downloads). */
  artifactDir(runId: string): Promise<string>;
  /** MLflow 3 logged models of an experiment. */
  searchLoggedModels(experimentId: string): Promise<LoggedModel[]>;
}
