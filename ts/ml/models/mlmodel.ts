/**
 * The `MLmodel` file (../shared/formats/MLFLOW.md §3): read any MLflow version's, write kindling's.
 *
 * Keys kindling writes, in MLflow's order (yaml.safe_dump sorts keys): `artifact_path` (when
 * given), `flavors`, `kindling_version` (in place of `mlflow_version`, which would claim an MLflow
 * release), `model_size_bytes`, `model_uuid` (32 hex), `run_id` (when given),
 * `saved_input_example_info`, `signature`, `utc_time_created` ('YYYY-MM-DD HH:MM:SS.ffffff',
 * quoted). Flavors:
 * - `kindling`: `model_data: sparkml` (the model in Spark ML's layout, as the `spark` flavor's
 *   `model_data`), `model_class` (its Spark class), `spark_version` (the layout's), `kindling_version`,
 *   and `extra_files` (`[{path}]`, as MLflow's transformers flavor lists them) when given;
 * - `node_function`: the generic flavor, with `python_function`'s keys where they mean the same
 *   (`loader_module: kindling/ml`, `data` or `model_module` + `model_export` + `artifacts` for a
 *   custom model, `env: {npm: package.json}`, `node_version`, `predict_fn: predict`). It is not
 *   called `python_function`: MLflow would then try to import a Python module named kindling.
 * Loadable flavors: `kindling`, `node_function`, and `spark` (Spark's own layout).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, Scalar, stringify } from 'yaml';
import { Errors } from '../../src/errors.js';
import { parseSignature, type ModelSignature } from './signature.js';

export const MLMODEL = 'MLmodel';
export const LOADABLE_FLAVORS = ['kindling', 'node_function', 'spark'] as const;

export interface MLmodelFile {
  /** Every key of the file as read. */
  raw: Record<string, unknown>;
  flavors: Record<string, Record<string, unknown>>;
  signature: ModelSignature | null;
}

/** Reads and checks `<dir>/MLmodel` (the error names the file). */
export async function readMLmodel(dir: string, api = 'loadModel'): Promise<MLmodelFile> {
  const file = join(dir, MLMODEL);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw Errors.load(`${api}: ${dir} is not an MLflow model directory: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, e);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw Errors.load(`${api}: ${file} is not valid YAML: ${(e as Error).message}`, e);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw Errors.load(`${api}: ${file} must be a YAML mapping`);
  const r = raw as Record<string, unknown>;
  const flavors = r.flavors;
  if (flavors === null || typeof flavors !== 'object' || Array.isArray(flavors) || Object.keys(flavors).length === 0) throw Errors.load(`${api}: ${file} has no flavors mapping`);
  return { raw: r, flavors: flavors as Record<string, Record<string, unknown>>, signature: parseSignature(file, r.signature) };
}

/** The first flavor kindling can load, or a coded error naming the flavors found. */
export function loadableFlavor(dir: string, m: MLmodelFile, api = 'loadModel'): (typeof LOADABLE_FLAVORS)[number] {
  const found = Object.keys(m.flavors);
  // a custom model's generic flavor comes first: it names the module that predicts
  if (m.flavors.node_function?.model_module !== undefined) return 'node_function';
  const hit = LOADABLE_FLAVORS.find((f) => found.includes(f));
  if (hit === undefined) throw Errors.load(`${api}: ${join(dir, MLMODEL)} has no flavor kindling can load (found ${found.join(', ')}; kindling loads ${LOADABLE_FLAVORS.join(', ')})`);
  return hit;
}

/** MLflow's utc_time_created: 'YYYY-MM-DD HH:MM:SS.ffffff' (microseconds from milliseconds). */
export function utcTimeCreated(d: Date): string {
  return `${d.toISOString().replace('T', ' ').replace('Z', '')}000`;
}

/** The MLmodel text: keys sorted as MLflow's yaml.safe_dump writes them, the time quoted. */
export function mlmodelText(fields: Record<string, unknown>): string {
  const out: Record<string, unknown> = { ...fields };
  if (typeof out.utc_time_created === 'string') {
    const s = new Scalar(out.utc_time_created);
    s.type = Scalar.QUOTE_SINGLE;
    out.utc_time_created = s;
  }
  return stringify(out, { sortMapEntries: true, lineWidth: 0 });
}
