/**
 * What CrossValidator and TrainValidationSplit share (Spark's ValidatorParams; the params
 * `estimator`, `estimatorParamMaps`, `evaluator` are declared in tuning-params.table.ts): the
 * schema check, fitting one grid with a concurrency limit, and the persistence Spark's
 * ValidatorParams.saveImpl / loadImpl define:
 *
 *   metadata paramMap = every param value (set or default) except estimator / evaluator, plus
 *     "estimatorParamMaps": [[{"parent": uid, "name": n, "value": "<JSON text>", "isJson": "true"}, …], …]
 *     (value and isJson are strings, as Scala writes them; a Params value is saved under
 *     `epm_<name><n>/` with isJson "false")
 *   <path>/evaluator/, <path>/estimator/   complete saved stages
 *
 * Param maps are resolved against the estimator by (parent uid, name), as Spark's Param
 * equality works, so a copied or reloaded estimator still takes the grid.
 */
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Errors, KindlingError, describeValue } from '../../src/errors.js';
import { ParamMap, type Params } from '../param/params.js';
import {
  JsonDouble, assertPersistable, decodeParamValue, encodeParamFor, getUidMap, isPersistable, loadStage, parseSparkJson, saveStage,
  toSparkJson, writeMetadata, type Metadata, type ReadContext, type WriteContext,
} from '../persist.js';
import { Estimator, Evaluator, Model, type FitOptions } from '../stage.js';
import type { ValidatorParams } from './tuning-params.js';

/** A validator or validator model: its ValidatorParams. */
export type ValidatorLike = Params & ValidatorParams;

const SKIP = ['estimator', 'evaluator', 'estimatorParamMaps'];

/** Spark's validator copy: the estimator and evaluator params are copied with `extra` too. */
export function copyValidatorStages<T extends ValidatorLike>(that: T, extra?: ParamMap): T {
  const est = that.get(that.estimator);
  if (est) that.set(that.estimator, est.copy(extra));
  const ev = that.get(that.evaluator);
  if (ev) that.set(that.evaluator, ev.copy(extra));
  return that;
}

export function requireEstimator(owner: ValidatorLike): Estimator {
  const e = owner.get(owner.estimator);
  if (!(e instanceof Estimator)) throw Errors.invalidArg(owner.constructor.name, 'estimator', 'an Estimator (set estimator before fitting)', e);
  return e;
}

export function requireEvaluator(owner: ValidatorLike): Evaluator {
  const e = owner.get(owner.evaluator);
  if (!(e instanceof Evaluator)) throw Errors.invalidArg(owner.constructor.name, 'evaluator', 'an Evaluator (set evaluator before fitting)', e);
  return e;
}

export function requireParamMaps(owner: ValidatorLike): ParamMap[] {
  const maps = owner.get(owner.estimatorParamMaps);
  if (!Array.isArray(maps) || maps.length === 0) {
    throw Errors.invalidArg(owner.constructor.name, 'estimatorParamMaps', 'a non-empty array of ParamMaps (e.g. new ParamGridBuilder()…build())', maps);
  }
  return maps;
}

/** uid → stage over the estimator (and its nested stages) and the evaluator. */
function uidMapOf(api: string, estimator: Estimator, evaluator: Evaluator | undefined): Map<string, Params> {
  const m = getUidMap(estimator, api);
  if (evaluator) {
    const other = m.get(evaluator.uid);
    if (other && other !== evaluator) throw new KindlingError('ERR_KINDLING_INVALID_ARG', `${api}: the evaluator and a stage of the estimator share the uid ${evaluator.uid}`);
    m.set(evaluator.uid, evaluator);
  }
  return m;
}

/**
 * The param maps with each param replaced by the same-named param of the stage with its
 * parent uid (the estimator, its nested stages or the evaluator); a param of any other stage
 * throws naming it.
 */
export function resolveParamMaps(api: string, maps: readonly ParamMap[], estimator: Estimator, evaluator: Evaluator | undefined): ParamMap[] {
  const uids = uidMapOf(api, estimator, evaluator);
  return maps.map((pm, j) => {
    const out = new ParamMap();
    for (const [p, v] of pm.entries()) {
      const owner = uids.get(p.parent);
      if (!owner || !owner.hasParam(p.name)) {
        throw Errors.invalidArg(api, `estimatorParamMaps[${j}]`, `params of the estimator (or its nested stages) or the evaluator (uids ${[...uids.keys()].join(', ')})`, `${p.parent}__${p.name}`);
      }
      out.put(owner.getParam(p.name), v);
    }
    return out;
  });
}

/** Spark's transformSchemaImpl: every grid point's estimator copy checks the schema; the first one's output is returned. */
export function validatorTransformSchema(owner: ValidatorLike, schema: arrow.Schema): arrow.Schema {
  const api = owner.constructor.name;
  const est = requireEstimator(owner);
  const evaluator = requireEvaluator(owner);
  const maps = resolveParamMaps(api, requireParamMaps(owner), est, evaluator);
  for (const m of maps.slice(1)) est.copy(m).transformSchema(schema);
  return est.copy(maps[0]).transformSchema(schema);
}

/** Runs task(0 … n-1) with at most `limit` running at once; after a failure no new task starts, and the first error is thrown once the running ones settle. */
export async function runLimited(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const worker = async () => {
    while (!failed && next < n) {
      const i = next++;
      try {
        await task(i);
      } catch (e) {
        if (!failed) {
          failed = true;
          firstError = e;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, n)) }, worker));
  if (failed) throw firstError;
}

export interface GridResult {
  metrics: number[];
  models: Model[] | null;
}

/**
 * Fits the estimator once per param map on `train` (up to `parallelism` at once) and evaluates
 * each model on `validation` (Spark: `eval.evaluate(model.transform(validation, paramMap))`).
 */
export async function fitGrid(
  owner: Params,
  est: Estimator,
  evaluator: Evaluator,
  maps: readonly ParamMap[],
  train: DataFrame,
  validation: DataFrame,
  opts: { parallelism: number; collect: boolean; options: FitOptions; message?: string },
): Promise<GridResult> {
  const metrics = new Array<number>(maps.length).fill(NaN);
  const models: Model[] | null = opts.collect ? new Array<Model>(maps.length) : null;
  await runLimited(maps.length, opts.parallelism, async (j) => {
    opts.options.onProgress?.({ stage: owner.uid, kind: 'grid', current: j + 1, total: maps.length, ...(opts.message === undefined ? {} : { message: opts.message }) });
    const model = (await est.fit(train, maps[j], opts.options)) as Model;
    if (models) models[j] = model;
    const metric = await evaluator.evaluate(model.transform(validation, maps[j]));
    if (typeof metric !== 'number') throw Errors.invalidArg(`${owner.constructor.name}: ${evaluator.constructor.name}.evaluate`, 'metric', 'a number', metric);
    metrics[j] = metric;
  });
  return { metrics, models };
}

/** The index of the best metric (the first one on ties), as Spark's maxBy / minBy. */
export function bestIndex(metrics: readonly number[], largerIsBetter: boolean): number {
  let best = 0;
  for (let j = 1; j < metrics.length; j++) {
    if (largerIsBetter ? metrics[j]! > metrics[best]! : metrics[j]! < metrics[best]!) best = j;
  }
  return best;
}

// ----- persistence ---------------------------------------------------------------------------

/** Spark's ValidatorParams.validateParams: estimator and evaluator persistable, every grid param theirs. */
function validateForSave(api: string, owner: ValidatorLike): { est: Estimator; evaluator: Evaluator; maps: ParamMap[] } {
  const est = requireEstimator(owner);
  const evaluator = requireEvaluator(owner);
  assertPersistable(api, evaluator, `evaluator of ${owner.uid}`);
  assertPersistable(api, est, `estimator of ${owner.uid}`);
  const maps = owner.get(owner.estimatorParamMaps) ?? [];
  resolveParamMaps(api, maps, est, evaluator);
  for (const m of maps) for (const [p, v] of m.entries()) if (v instanceof Estimator || v instanceof Evaluator || isPersistable(v)) assertPersistable(api, v as Params, `value of ${p.name} in estimatorParamMaps`);
  return { est, evaluator, maps };
}

/**
 * Writes the validator part of a validator or validator model: metadata (all params but
 * estimator / evaluator, then estimatorParamMaps), `evaluator/` and `estimator/`.
 */
export async function saveValidator(owner: ValidatorLike, path: string, ctx: WriteContext, extraMetadata?: Record<string, unknown>): Promise<void> {
  const { est, evaluator, maps } = validateForSave(ctx.api, owner);
  const uids = uidMapOf(ctx.api, est, evaluator);
  let notJson = 0;
  const epm: Array<Array<Record<string, string>>> = [];
  for (const m of maps) {
    const row: Array<Record<string, string>> = [];
    for (const [p, v] of m.entries()) {
      if (v !== null && typeof v === 'object' && isPersistable(v)) {
        const rel = `epm_${p.name}${notJson++}`;
        await saveStage(v as Params, join(path, rel), ctx);
        row.push({ parent: p.parent, name: p.name, value: toSparkJson(rel), isJson: 'false' });
      } else {
        const owner2 = uids.get(p.parent)!;
        row.push({ parent: p.parent, name: p.name, value: toSparkJson(encodeParamFor(ctx.api, owner2, p, v)), isJson: 'true' });
      }
    }
    epm.push(row);
  }
  const paramMap: Record<string, unknown> = {};
  const all = owner.extractParamMap();
  for (const [p, v] of all.entries().sort((a, b) => (a[0].name < b[0].name ? -1 : 1))) {
    if (SKIP.includes(p.name)) continue;
    paramMap[p.name] = encodeParamFor(ctx.api, owner, p, v);
  }
  paramMap.estimatorParamMaps = epm;
  const defaults = Object.fromEntries(
    Object.entries(owner.paramValues().defaultParamMap)
      .filter(([k]) => !SKIP.includes(k))
      .map(([k, v]) => [k, encodeParamFor(ctx.api, owner, owner.getParam(k), v)]),
  );
  await writeMetadata(owner, path, ctx, { paramMap, defaultParamMap: defaults, extraMetadata });
  await saveStage(evaluator, join(path, 'evaluator'), ctx);
  await saveStage(est, join(path, 'estimator'), ctx);
}

function parseIsJson(v: unknown): boolean {
  if (v === undefined || v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw Errors.load(`loadValidator: expected "true" or "false" for isJson, got ${describeValue(v)}`);
}

/** Spark's ValidatorParams.loadImpl: the evaluator, the estimator and the param maps resolved against them. */
export async function loadValidatorParts(path: string, md: Metadata, ctx: ReadContext): Promise<{ estimator: Estimator; evaluator: Evaluator; maps: ParamMap[] }> {
  const evaluator = await loadStage(join(path, 'evaluator'), ctx);
  if (!(evaluator instanceof Evaluator)) throw Errors.load(`${ctx.api}: ${path}/evaluator holds ${evaluator.constructor.name} (${evaluator.uid}), not an Evaluator`);
  const estimator = await loadStage(join(path, 'estimator'), ctx);
  if (!(estimator instanceof Estimator)) throw Errors.load(`${ctx.api}: ${path}/estimator holds ${estimator.constructor.name} (${estimator.uid}), not an Estimator`);
  const uids = uidMapOf(ctx.api, estimator, evaluator);
  const raw = md.paramMap.estimatorParamMaps;
  if (!Array.isArray(raw) || raw.some((m) => !Array.isArray(m))) throw Errors.load(`${ctx.api}: expected an array of arrays for paramMap.estimatorParamMaps in ${path}/metadata`);
  const maps: ParamMap[] = [];
  for (const row of raw as unknown[][]) {
    const pm = new ParamMap();
    for (const info of row) {
      if (info === null || typeof info !== 'object') throw Errors.load(`${ctx.api}: expected {parent, name, value, isJson} in estimatorParamMaps of ${path}, got ${describeValue(info)}`);
      const { parent, name, value, isJson } = info as Record<string, unknown>;
      const owner = uids.get(String(parent));
      if (!owner || typeof name !== 'string' || !owner.hasParam(name)) {
        throw Errors.load(`${ctx.api}: estimatorParamMaps of ${path} names param ${String(parent)}__${String(name)}, which belongs to neither the estimator nor the evaluator`);
      }
      const param = owner.getParam(name);
      if (parseIsJson(isJson)) {
        const candidates: unknown[] = [];
        if (typeof value === 'string') {
          try {
            candidates.push(parseSparkJson(value));
          } catch {
            /* PySpark writes plain values: try the string itself */
          }
        }
        candidates.push(value);
        let set = false;
        let expected = '';
        for (const c of candidates) {
          const r = decodeParamValue(param, c);
          if (r.ok) {
            pm.put(param, r.value);
            set = true;
            break;
          }
          expected ||= r.expected;
        }
        if (!set) throw Errors.load(`${ctx.api}: cannot set ${name} of ${owner.uid} from estimatorParamMaps in ${path}: expected ${expected}, got ${describeValue(value)}`);
      } else {
        let rel: unknown = value;
        if (typeof value === 'string') {
          try {
            rel = parseSparkJson(value);
          } catch {
            rel = value;
          }
        }
        pm.put(param, await loadStage(join(path, String(rel)), ctx));
      }
    }
    maps.push(pm);
  }
  return { estimator, evaluator, maps };
}

/** A list of metrics as JSON doubles. */
export function metricsJson(values: readonly number[]): JsonDouble[] {
  return values.map((x) => new JsonDouble(x));
}

/** Metrics read back from metadata (numbers, or "NaN" / "Inf" strings). */
export function readMetrics(api: string, md: Metadata, key: string, required: boolean): number[] {
  const v = md.metadata[key];
  if (v === undefined && !required) return [];
  if (!Array.isArray(v)) throw Errors.load(`${api}: expected an array of numbers for "${key}" in ${md.path}/metadata, got ${describeValue(v)}`);
  return v.map((x) => {
    if (typeof x === 'number') return x;
    if (x === 'NaN') return NaN;
    if (x === 'Inf' || x === 'Infinity') return Infinity;
    if (x === '-Inf' || x === '-Infinity') return -Infinity;
    throw Errors.load(`${api}: expected numbers in "${key}" of ${md.path}/metadata, got ${describeValue(x)}`);
  });
}

/** The writer option persistSubModels (default: whether the model has sub-models), as Spark's model writers read it. */
export function persistSubModelsOption(api: string, ctx: WriteContext, hasSubModels: boolean): boolean {
  const v = ctx.options.get('persistsubmodels');
  if (v === undefined) return hasSubModels;
  const s = v.toLowerCase();
  if (s !== 'true' && s !== 'false') throw Errors.invalidArg(api, 'option persistSubModels', '"true" or "false"', v);
  if (s === 'true' && !hasSubModels) {
    throw new KindlingError(
      'ERR_KINDLING_INVALID_ARG',
      `${api}: When persisting tuning models, you can only set persistSubModels to true if the tuning was done with collectSubModels set to true. To save the sub-models, try rerunning fitting with collectSubModels set to true.`,
    );
  }
  return s === 'true';
}
