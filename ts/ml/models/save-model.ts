/**
 * saveModel: a fitted kindling model as an MLflow model directory (../shared/formats/MLFLOW.md §3;
 * the keys are listed in mlmodel.ts): `MLmodel`, `sparkml/` (the model in Spark ML's layout,
 * written by persist.ts's MLWriter), `input_example.json` (pandas split orient) and
 * `serving_input_example.json` (`{"dataframe_split": …}`), `package.json` (the npm
 * dependencies a loader needs: kindling and its runtime dependencies, as MLflow's
 * requirements.txt lists mlflow and the flavor's libraries) and `extra_files/`. The directory is
 * published by the one commit protocol (io/commit.ts).
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Errors } from '../../src/errors.js';
import { commitDirectory } from '../../src/io/commit.js';
import { packageRoot } from '../../src/native.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { isVector } from '../linalg/vectors.js';
import { MLWriter, SPARK_VERSION, kindlingVersion, sparkClassOf } from '../persist.js';
import { Transformer } from '../stage.js';
import { mlmodelText, utcTimeCreated } from './mlmodel.js';
import { colSpecs, pythonJson, signatureToYaml, type ModelSignature } from './signature.js';

export interface SaveModelOptions {
  /** A DataFrame of example inputs: its first 5 rows are saved, and the signature is inferred from its schema. */
  inputExample?: DataFrame;
  /** The signature to record; inferred from inputExample when absent, none when false. */
  signature?: ModelSignature | false;
  /** Files copied into `extra_files/` and listed in the kindling flavor. */
  extraFiles?: readonly string[];
  /** MLmodel's artifact_path and run_id (set by logModel). */
  artifactPath?: string;
  runId?: string;
  /** Free-form MLmodel `metadata`. */
  metadata?: Record<string, unknown>;
}

/** The rows MLflow's input_example.json holds (pandas split orient), values as plain JSON. */
export function splitExample(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): { columns: string[]; data: unknown[][] } {
  const plain = (v: unknown): unknown => {
    if (isVector(v)) return Array.from(v.toArray());
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Date) return v.toISOString();
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (Array.isArray(v)) return v.map(plain);
    return v;
  };
  return { columns: [...columns], data: rows.map((r) => columns.map((c) => plain(r[c]))) };
}

/**
 * The signature of `model` over `example`'s schema: its columns in, the last column the model
 * appends out. The columns in `optional` (those with a missing value in the example rows, as
 * MLflow infers) are not required.
 */
export function inferSignature(api: string, model: Transformer, example: DataFrame, optional: ReadonlySet<string> = new Set()): ModelSignature {
  const inSchema = example.schema;
  const outSchema = model.transformSchema(inSchema);
  const added = outSchema.fields.slice(inSchema.fields.length);
  if (added.length === 0) throw Errors.schema(`${api}: ${model.uid} appends no column to the input example, so it has no output to record`);
  return { inputs: colSpecs(api, inSchema.fields, true, optional), outputs: colSpecs(api, added.slice(-1), false) };
}

/** The columns with a missing value (null, or NaN as pandas counts it) in the example rows. */
function columnsWithGaps(names: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): Set<string> {
  return new Set(names.filter((n) => rows.some((r) => r[n] === null || r[n] === undefined || (typeof r[n] === 'number' && Number.isNaN(r[n])))));
}

/** The npm dependencies of a model directory: kindling and kindling's own runtime dependencies. */
export async function environment(): Promise<Record<string, unknown>> {
  let deps: Record<string, string> = {};
  try {
    deps = (JSON.parse(await readFile(join(packageRoot(), 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
  } catch {
    /* an unreadable package.json leaves kindling alone listed */
  }
  return { private: true, engines: { node: '>=20' }, dependencies: { kindling: `^${kindlingVersion()}`, ...deps } };
}

async function sizeOf(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.size;
  let n = 0;
  for (const e of await readdir(path)) n += await sizeOf(join(path, e));
  return n;
}

/** Writes the parts every model directory has (example, environment, MLmodel) around `fill`'s payload. */
export async function writeModelDirectory(
  api: string, path: string, flavors: (dir: string) => Promise<Record<string, Record<string, unknown>>>,
  signature: ModelSignature | null, example: { columns: string[]; data: unknown[][] } | null, options: SaveModelOptions,
): Promise<void> {
  if (typeof path !== 'string' || path === '') throw Errors.invalidArg(api, 'path', 'a directory path', path);
  await commitDirectory(api, path, 'create', async (dir) => {
    const fl = await flavors(dir);
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(await environment(), null, 2)}\n`);
    const fields: Record<string, unknown> = { flavors: fl, kindling_version: kindlingVersion(), model_uuid: randomUUID().replaceAll('-', ''), utc_time_created: utcTimeCreated(new Date()) };
    if (options.artifactPath !== undefined) fields.artifact_path = options.artifactPath;
    if (options.runId !== undefined) fields.run_id = options.runId;
    if (options.metadata !== undefined) fields.metadata = options.metadata;
    if (signature) fields.signature = signatureToYaml(signature);
    if (example) {
      await writeFile(join(dir, 'input_example.json'), pythonJson(example));
      await writeFile(join(dir, 'serving_input_example.json'), JSON.stringify({ dataframe_split: example }, null, 2));
      fields.saved_input_example_info = { artifact_path: 'input_example.json', pandas_orient: 'split', serving_input_path: 'serving_input_example.json', type: 'dataframe' };
    }
    fields.model_size_bytes = await sizeOf(dir);
    await writeFile(join(dir, 'MLmodel'), mlmodelText(fields));
  }, {
    refuse: (existing) => (existing ? Errors.invalidArg(api, 'path', 'a path that does not exist yet', path) : null),
  });
}

/** Copies `files` into `<dir>/extra_files/` and returns their MLmodel entries. */
export async function copyExtraFiles(api: string, dir: string, files: readonly string[] | undefined): Promise<Array<{ path: string }> | undefined> {
  if (files === undefined) return undefined;
  if (!Array.isArray(files)) throw Errors.invalidArg(api, 'extraFiles', 'an array of file paths', files);
  await mkdir(join(dir, 'extra_files'), { recursive: true });
  const out: Array<{ path: string }> = [];
  for (const f of files) {
    if (typeof f !== 'string' || f === '') throw Errors.invalidArg(api, 'extraFiles', 'an array of file paths', f);
    try {
      await copyFile(f, join(dir, 'extra_files', basename(f)));
    } catch (e) {
      throw Errors.load(`${api}: cannot copy extra file ${f}: ${(e as Error).message}`, e);
    }
    out.push({ path: `extra_files/${basename(f)}` });
  }
  return out;
}

/** Saves a fitted kindling model (any persistable Transformer) as an MLflow model directory at `path`. */
export async function saveModel(model: Transformer, path: string, options: SaveModelOptions = {}): Promise<void> {
  const api = 'saveModel';
  if (!(model instanceof Transformer)) throw Errors.invalidArg(api, 'model', 'a fitted kindling model (a Transformer)', model);
  if (options === null || typeof options !== 'object') throw Errors.invalidArg(api, 'options', 'an object', options);
  const sparkClass = sparkClassOf(model);
  if (sparkClass === undefined) throw Errors.invalidArg(api, 'model', 'a model kindling can persist (a class registered with register())', model);
  const example = options.inputExample;
  const taken = example ? await example.take(5) : null;
  const optional = example && taken ? columnsWithGaps(example.schema.names as string[], taken) : new Set<string>();
  const signature = options.signature === false ? null : options.signature ?? (example ? inferSignature(api, model, example, optional) : null);
  const rows = example && taken ? splitExample(example.schema.names as string[], taken) : null;
  await writeModelDirectory(api, path, async (dir) => {
    await new MLWriter(model).save(join(dir, 'sparkml'));
    const extra = await copyExtraFiles(api, dir, options.extraFiles);
    return {
      kindling: { kindling_version: kindlingVersion(), model_class: sparkClass, model_data: 'sparkml', spark_version: SPARK_VERSION, ...(extra ? { extra_files: extra } : {}) },
      node_function: { data: 'sparkml', env: { npm: 'package.json' }, loader_module: 'kindling/ml', node_version: process.versions.node, predict_fn: 'predict' },
    };
  }, signature, rows, options);
}
