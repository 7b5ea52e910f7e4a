/**
 * models.customScore: a custom model's predict as a mapInArrow task (load-model.ts `asUdf`).
 * Each executor thread loads the model from its directory once (by path: a class cannot travel
 * to a thread, its module URL and artifacts can) and appends its predictions as `prediction`.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { makeBatch, type AnyData } from '../../src/dataframe/batch.js';
import { isVectorType } from '../../src/dataframe/types.js';
import { defineTask } from '../../src/exec/task.js';
import { vectorAt } from '../linalg/columns.js';
import { loadCustomModel, type CustomModelHandle } from './custom-model.js';
import { readMLmodel } from './mlmodel.js';
import { arrowTypeOf, type ColSpec } from './signature.js';

export interface CustomScoreBroadcast {
  /** The model directory. */
  path: string;
  /** The output column's spec (from the signature; double without one). */
  output: ColSpec;
}

// Only the custom model's own loader: the worker entry lists this task, and the full loadModel
// would register every model class kindling has in each executor thread.
const loaded = new Map<string, Promise<CustomModelHandle>>();

async function loadCustom(path: string): Promise<CustomModelHandle> {
  const m = await readMLmodel(path, 'asUdf');
  const flavor = m.flavors.node_function;
  if (flavor?.model_module === undefined) throw Errors.load(`asUdf: ${path} is not a custom model (no node_function model_module in its MLmodel)`);
  return loadCustomModel(path, flavor);
}

/** A cell as a custom model's predict receives it: numbers, strings, booleans, arrays of numbers. */
function plain(d: AnyData, i: number): unknown {
  if (isVectorType(d.type)) {
    const v = vectorAt(d, i);
    return v === null ? null : Array.from(v.toArray());
  }
  const v = arrow.makeVector(d).get(i) as unknown;
  if (v !== null && typeof v === 'object' && 'toArray' in v) return Array.from((v as { toArray(): ArrayLike<unknown> }).toArray());
  return typeof v === 'bigint' ? Number(v) : v;
}

export const customModelScore = defineTask('models.customScore', async (batch: arrow.RecordBatch, b: CustomScoreBroadcast) => {
  let model = loaded.get(b.path);
  if (!model) {
    model = loadCustom(b.path);
    loaded.set(b.path, model);
    model.catch(() => loaded.delete(b.path));
  }
  const m = await model;
  const names = batch.schema.names as string[];
  const cols = batch.data.children as AnyData[];
  const rows = Array.from({ length: batch.numRows }, (_, i) => Object.fromEntries(names.map((n, j) => [n, plain(cols[j]!, i)])));
  const preds = rows.length === 0 ? [] : await m.predict(rows);
  const type = arrowTypeOf(b.output);
  let out: AnyData;
  try {
    out = arrow.vectorFromArray(preds, type).data[0] as AnyData;
  } catch (e) {
    throw Errors.schema(`asUdf: the predictions of ${b.path} are not ${b.output.type} values: ${(e as Error).message}`, e);
  }
  const schema = new arrow.Schema([...batch.schema.fields, new arrow.Field('prediction', type, true)]);
  return makeBatch(schema, [...cols, out], batch.numRows);
});
