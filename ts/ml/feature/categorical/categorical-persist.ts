/**
 * The data/ files of kindling's own encoders (CountEncoder, OrdinalEncoder,
 * WeightOfEvidenceEncoder, RareLabelEncoder; docs/CATEGORICAL.md): one Parquet row whose columns
 * are per-input-column arrays — array<array<string>> or array<array<double>> — written and read
 * in Spark's model layout (persist.ts) under kindling's class names `org.kindling.ml.feature.*`.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../../../src/errors.js';
import { fromValues, makeBatch, valueAt } from '../../../src/dataframe/batch.js';
import { readData, writeData } from '../../persist.js';


const nested = (t: arrow.DataType) => new arrow.List(new arrow.Field('element', new arrow.List(new arrow.Field('element', t, true)), true));

export type NestedArrays = Record<string, { kind: 'string' | 'double'; value: ReadonlyArray<ReadonlyArray<string | number>> }>;

export async function writeNestedArrays(path: string, cols: NestedArrays): Promise<void> {
  const fields: arrow.Field[] = [];
  const data = Object.entries(cols).map(([name, c]) => {
    const type = nested(c.kind === 'string' ? new arrow.Utf8() : new arrow.Float64());
    fields.push(new arrow.Field(name, type, true));
    return fromValues(type, [c.value]);
  });
  const schema = new arrow.Schema(fields);
  await writeData(path, { schema, batches: [makeBatch(schema, data, 1)] });
}

/** The named nested arrays of the data row; each must be an array of arrays of `kind`. */
export async function readNestedArrays<K extends string>(path: string, api: string, what: string, kinds: Record<K, 'string' | 'double'>): Promise<Record<K, Array<Array<string | number>>>> {
  const table = await readData(path, 'data', api);
  const batch = table.batches.find((b) => b.numRows > 0);
  const out = {} as Record<K, Array<Array<string | number>>>;
  for (const [name, kind] of Object.entries(kinds) as Array<[K, 'string' | 'double']>) {
    const i = batch ? batch.schema.fields.findIndex((f) => f.name === name) : -1;
    const v = i >= 0 ? valueAt(batch!.data.children[i]!, 0) : undefined;
    const ok = Array.isArray(v) && v.every((a) => Array.isArray(a) && a.every((x) => typeof x === (kind === 'string' ? 'string' : 'number')));
    if (!ok) throw Errors.load(`${api}: the ${what} at ${path} has no ${name} data (an array of ${kind} arrays)`);
    out[name] = v as Array<Array<string | number>>;
  }
  return out;
}
