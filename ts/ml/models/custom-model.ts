/**
 * Custom models, kindling's counterpart of MLflow's pyfunc PythonModel: a class with
 * `loadContext(ctx)` (optional; `ctx.artifacts` maps each artifact's name to its local path) and
 * `predict(ctx, rows)`. JavaScript cannot pickle a class, so the model is named the way user
 * tasks are (ts/src/exec/task.ts `taskRef`): the file: URL of its module and the export's name,
 * recorded in the `node_function` flavor (`model_module`, `model_export`) beside its `artifacts`
 * (`{name: {path, uri}}`, as python_function records a PythonModel's); loading imports the module.
 */
import { cp } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { customModelScore } from './custom-model-task.js';
import { copyExtraFiles, splitExample, writeModelDirectory, type SaveModelOptions } from './save-model.js';
import { arrowTypeOf, colSpecs, type ModelSignature } from './signature.js';

export interface ModelContext {
  /** Each artifact's name → its path inside the loaded model directory. */
  artifacts: Record<string, string>;
}

/** What a custom model class implements. */
export interface CustomModel {
  loadContext?(ctx: ModelContext): void | Promise<void>;
  predict(ctx: ModelContext, rows: Array<Record<string, unknown>>): unknown[] | Promise<unknown[]>;
}

export interface CustomModelRef {
  /** The file: URL of the module (compiled JavaScript, or TypeScript under tsx). */
  module: string;
  /** The name of the exported class. */
  name: string;
}

export interface SaveCustomModelOptions extends SaveModelOptions {
  /** Files or directories copied into `artifacts/<name>/`, by name. */
  artifacts?: Record<string, string>;
}

/** The loaded side of a custom model, as load-model.ts uses it. */
export interface CustomModelHandle {
  predict(rows: Array<Record<string, unknown>>): Promise<unknown[]>;
  udf(df: DataFrame, path: string, signature: ModelSignature | null): DataFrame;
}

/** Saves a custom model (its module named by `ref`, its artifacts copied) as an MLflow model directory. */
export async function saveCustomModel(ref: CustomModelRef, path: string, options: SaveCustomModelOptions = {}): Promise<void> {
  const api = 'saveCustomModel';
  if (typeof ref?.module !== 'string' || !ref.module.startsWith('file:')) throw Errors.invalidArg(api, 'ref.module', "the file: URL of the model's module (new URL('./m.js', import.meta.url).href)", ref?.module);
  if (typeof ref.name !== 'string' || ref.name === '') throw Errors.invalidArg(api, 'ref.name', 'the name of the exported class', ref.name);
  const r = ref;
  const artifacts = options.artifacts ?? {};
  if (artifacts === null || typeof artifacts !== 'object') throw Errors.invalidArg(api, 'options.artifacts', 'an object of name → path', artifacts);
  const example = options.inputExample;
  const signature = options.signature === false ? null : options.signature ?? null;
  const rows = example ? splitExample(example.schema.names as string[], await example.take(5)) : null;
  await writeModelDirectory(api, path, async (dir) => {
    const recorded: Record<string, { path: string; uri: string }> = {};
    for (const [name, src] of Object.entries(artifacts)) {
      if (typeof src !== 'string' || src === '') throw Errors.invalidArg(api, `options.artifacts.${name}`, 'a file or directory path', src);
      const rel = `artifacts/${basename(src)}`;
      const clash = Object.entries(recorded).find(([, v]) => v.path === rel);
      if (clash) throw Errors.invalidArg(api, `options.artifacts.${name}`, `a file whose name differs from artifact ${clash[0]}'s (both would be ${rel})`, src);
      try {
        await cp(src, join(dir, rel), { recursive: true });
      } catch (e) {
        throw Errors.load(`${api}: cannot copy artifact ${name} from ${src}: ${(e as Error).message}`, e);
      }
      recorded[name] = { path: rel, uri: src };
    }
    const extra = await copyExtraFiles(api, dir, options.extraFiles);
    return {
      node_function: {
        artifacts: recorded, env: { npm: 'package.json' }, loader_module: 'kindling/ml', model_export: r.name, model_module: r.module,
        node_version: process.versions.node, predict_fn: 'predict', ...(extra ? { extra_files: extra } : {}),
      },
    };
  }, signature, rows, options);
}

/** The signature of a custom model over an example DataFrame and its output type (for saveCustomModel's `signature`). */
export function customSignature(example: DataFrame, output: arrow.Field): ModelSignature {
  return { inputs: colSpecs('saveCustomModel', example.schema.fields), outputs: colSpecs('saveCustomModel', [output], false) };
}

/** Imports a custom model's module, constructs its class and runs loadContext. */
export async function loadCustomModel(dir: string, flavor: Record<string, unknown>): Promise<CustomModelHandle> {
  const api = 'loadModel';
  const mod = flavor.model_module;
  const name = flavor.model_export;
  if (typeof mod !== 'string' || typeof name !== 'string') throw Errors.load(`${api}: ${join(dir, 'MLmodel')}: node_function needs model_module and model_export strings`);
  let exported: unknown;
  try {
    exported = ((await import(mod)) as Record<string, unknown>)[name];
  } catch (e) {
    throw Errors.load(`${api}: cannot import the custom model's module ${mod} (named in ${join(dir, 'MLmodel')}): ${(e as Error).message}`, e);
  }
  if (typeof exported !== 'function') throw Errors.load(`${api}: ${mod} has no exported class ${name} (named in ${join(dir, 'MLmodel')})`);
  const inst = new (exported as new () => CustomModel)();
  if (typeof inst.predict !== 'function') throw Errors.load(`${api}: ${name} of ${mod} has no predict(ctx, rows) method`);
  const arts = (flavor.artifacts ?? {}) as Record<string, { path?: unknown }>;
  const ctx: ModelContext = { artifacts: Object.fromEntries(Object.entries(arts).map(([k, v]) => [k, join(dir, String(v?.path ?? ''))])) };
  if (typeof inst.loadContext === 'function') await inst.loadContext(ctx);
  return {
    predict: async (rows) => {
      const out = await inst.predict(ctx, rows);
      if (!Array.isArray(out) || out.length !== rows.length) throw Errors.schema(`${api}: ${name}.predict returned ${Array.isArray(out) ? `${out.length} predictions` : typeof out} for ${rows.length} rows; expected one per row`);
      return out;
    },
    udf: (df, path, signature) => {
      const output = signature?.outputs[0] ?? { type: 'double' as const };
      const schema = new arrow.Schema([...df.schema.fields, new arrow.Field('prediction', arrowTypeOf(output), true)]);
      return df.mapInArrow(customModelScore, schema, { path, output });
    },
  };
}
