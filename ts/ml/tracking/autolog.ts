/**
 * tracking.autolog() (MLflow's mlflow.autolog for Spark ML estimators): every top-level kindling
 * fit (Estimator.fit; not the fits a Pipeline or a tuner makes inside it — stage.ts `onFit`) logs
 * into the active run, or into a run of its own started and ended around the logging:
 *   - params: the estimator's params that have a value (set or default), primitives as the store
 *     writes them (Python's str(): `True`, `1e-06`) and arrays as JSON; values that are not plain data (an initial model) are skipped;
 *   - tags: `estimator_name` (the class), `estimator_class` (Spark's class name when it has one)
 *     and `kindling.version`;
 *   - metrics: the model's training summary numbers as `training_<name>` (trainingCost,
 *     logLikelihood, numIter, k …) and `training_duration_ms`;
 *   - the model (logModel, artifact path `model`) unless `logModels: false`.
 */
import { kindlingVersion, sparkClassOf } from '../persist.js';
import { onFit, type FitEvent } from '../stage.js';
import { Errors } from '../../src/errors.js';
import { activeRun, endRun, getClient, startRun } from './fluent.js';
import { logModel } from './log-model.js';

export interface AutologOptions {
  /** Log the fitted model as an artifact (default true). */
  logModels?: boolean;
  /** Turn autologging off (default false). */
  disable?: boolean;
  /** Log no warning when logging fails (default false); a failure never fails the fit. */
  silent?: boolean;
}

let stop: (() => void) | null = null;

/** Turns autologging on (again, with these options) or off (`{ disable: true }`). */
export function autolog(options: AutologOptions = {}): void {
  if (options === null || typeof options !== 'object') throw Errors.invalidArg('autolog', 'options', 'an object', options);
  for (const k of Object.keys(options)) {
    if (!['logModels', 'disable', 'silent'].includes(k)) throw Errors.invalidArg('autolog', 'options', 'keys among disable, logModels, silent', k);
  }
  stop?.();
  stop = null;
  if (options.disable) return;
  const logModels = options.logModels ?? true;
  const silent = options.silent ?? false;
  stop = onFit(async (event) => {
    try {
      await logFit(event, logModels);
    } catch (e) {
      if (!silent) console.warn(`kindling autolog: could not log the fit of ${event.estimator.uid}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

async function logFit(event: FitEvent, logModels: boolean): Promise<void> {
  const own = activeRun() === null;
  const run = own ? await startRun() : activeRun()!;
  const runId = run.info.runId;
  let status: 'FINISHED' | 'FAILED' = 'FAILED';
  try {
    const client = getClient();
    const est = event.estimator;
    const params: Record<string, unknown> = {};
    for (const p of est.params) {
      if (!est.isDefined(p)) continue;
      const v = est.getOrDefault(p);
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') params[p.name] = v; // the store writes it as Python's str() would
      else if (Array.isArray(v) && v.every((x) => ['number', 'string', 'boolean'].includes(typeof x))) params[p.name] = JSON.stringify(v);
    }
    const tags = { estimator_name: est.constructor.name, estimator_class: sparkClassOf(est) ?? est.constructor.name, 'kindling.version': kindlingVersion() };
    const metrics = [{ key: 'training_duration_ms', value: event.endTime - event.startTime, timestamp: event.endTime, step: 0 }];
    for (const [name, value] of Object.entries(summaryNumbers(event.model))) metrics.push({ key: `training_${name}`, value, timestamp: event.endTime, step: 0 });
    await client.logBatch(runId, { params: params as Record<string, string>, tags, metrics });
    if (logModels && sparkClassOf(event.model) !== undefined) await logModel(event.model, 'model');
    status = 'FINISHED';
  } finally {
    if (own) await endRun(status);
  }
}

/** The numbers of a model's training summary (Spark's hasSummary / summary), by name. */
function summaryNumbers(model: unknown): Record<string, number> {
  const m = model as { hasSummary?: boolean; summary?: unknown };
  if (m.hasSummary !== true) return {};
  const summary = m.summary as Record<string, unknown>;
  const out: Record<string, number> = {};
  const names = new Set<string>();
  for (let o: object | null = summary; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const k of Object.getOwnPropertyNames(o)) names.add(k);
  }
  for (const k of [...names].sort()) {
    if (k === 'constructor') continue;
    let v: unknown;
    try {
      v = summary[k];
    } catch {
      continue;
    }
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}
