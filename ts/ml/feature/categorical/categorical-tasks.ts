/**
 * The executor task shared by the categorical encoders (StringIndexerModel, CountEncoderModel,
 * OrdinalEncoderModel, WeightOfEvidenceEncoderModel, RareLabelEncoderModel): each input column is
 * read as strings (numbers and booleans cast as Spark's cast to string: a Double 1.0 is "1.0",
 * booleans "true"/"false"), each value looked up in the fitted table, and one output column per
 * input appended (a double, or a string for RareLabelEncoder), carrying the output field's
 * metadata (its ML attribute). A null or a value the table lacks is invalid (Spark 3's
 * StringIndexer semantics): 'error' fails naming the row, the column and the value, 'skip'
 * drops the row, 'keep' gives the column's `unknown` output. IndexToString's task is here too.
 */
import * as arrow from 'apache-arrow';
import { isValidAt, makeBatch, takeData, type AnyData } from '../../../src/dataframe/batch.js';
import { castColumn, numericValues, resolveIndex } from '../../../src/dataframe/eval.js';
import { StringColumnBuilder, stringGetter } from '../../../src/dataframe/expr/column-access.js';
import { isStringType, Types } from '../../../src/dataframe/types.js';
import { defineTask, type TaskContext } from '../../../src/exec/task.js';
import { javaDoubleString } from '../../../src/io/text-common/java-format.js';
import { badRowError } from '../../data/predictions.js';

export type CategoryInvalid = 'skip' | 'error' | 'keep';

/** One input column's lookup: keys[i] maps to values[i]; an invalid value under 'keep' to `unknown`. */
export interface CategoryLookup {
  input: string;
  output: string;
  keys: string[];
  values: number[] | string[];
  unknown: number | string;
  /** The output field's metadata (its ml_attr), as key/value pairs. */
  metadata: Array<[string, string]>;
}

export interface LookupBroadcast {
  api: string;
  mode: CategoryInvalid;
  cols: CategoryLookup[];
  /** How the error names the stage's remedy (Spark's wording for StringIndexer). */
  unseen: string;
}

/** The string values of a categorical column (cast as Spark casts to string). */
export function categoryStrings(api: string, d: AnyData): (i: number) => string | null {
  return stringGetter(isStringType(d.type) ? d : castColumn(api, d, Types.string()));
}

/** The output field of a lookup. */
export function lookupField(c: Pick<CategoryLookup, 'output' | 'values' | 'metadata'>, isString: boolean): arrow.Field {
  return new arrow.Field(c.output, isString ? new arrow.Utf8() : new arrow.Float64(), true, new Map(c.metadata));
}

function isStringLookup(c: CategoryLookup): boolean {
  return typeof c.unknown === 'string';
}

export function lookupBatch(b: arrow.RecordBatch, lb: LookupBroadcast, ctx: TaskContext): arrow.RecordBatch {
  const n = b.numRows;
  const tables = lb.cols.map((c) => {
    const m = new Map<string, number>();
    c.keys.forEach((k, i) => m.set(k, i));
    return m;
  });
  const getters = lb.cols.map((c) => categoryStrings(lb.api, b.data.children[resolveIndex(lb.api, c.input, b.schema)]! as AnyData));
  // slot[c][i]: the table index of row i of column c, -1 when invalid
  const slots = lb.cols.map(() => new Int32Array(n));
  const keep = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let c = 0; c < lb.cols.length; c++) {
      const s = getters[c]!(i);
      const slot = s === null ? undefined : tables[c]!.get(s);
      if (slot === undefined) {
        if (lb.mode === 'error') {
          const col = lb.cols[c]!.input;
          const why = s === null ? `is null (${lb.unseen})` : `holds the unseen label ${JSON.stringify(s)} (${lb.unseen})`;
          throw badRowError(lb.api, { row: i, what: `column ${col}`, why }, ctx.partition, ctx.rowBase);
        }
        ok = false;
        slots[c]![i] = -1;
      } else slots[c]![i] = slot;
    }
    if (ok || lb.mode === 'keep') keep[m++] = i;
  }
  const rows = keep.subarray(0, m);
  const outCols = lb.cols.map((c, k) => {
    const slot = slots[k]!;
    if (isStringLookup(c)) {
      const sb = new StringColumnBuilder(m);
      for (let r = 0; r < m; r++) {
        const j = slot[rows[r]!]!;
        sb.push(j < 0 ? (c.unknown as string) : (c.values[j] as string));
      }
      return sb.finish();
    }
    const y = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      const j = slot[rows[r]!]!;
      y[r] = j < 0 ? (c.unknown as number) : (c.values[j] as number);
    }
    return arrow.makeData({ type: new arrow.Float64(), length: m, data: y, nullCount: 0 }) as AnyData;
  });
  const ins = (b.data.children as AnyData[]).map((d) => (m < n ? takeData(d, rows) : d));
  const schema = new arrow.Schema([...b.schema.fields, ...lb.cols.map((c) => lookupField(c, isStringLookup(c)))]);
  return makeBatch(schema, [...ins, ...outCols], m);
}

/** Appends each column's looked-up output (see the module comment). */
export const categoryLookup = defineTask<arrow.RecordBatch, LookupBroadcast, arrow.RecordBatch>('feature.categoryLookup', lookupBatch);

// ----- IndexToString ---------------------------------------------------------------------------

export interface IndexToStringBroadcast {
  api: string;
  input: string;
  output: string;
  labels: string[];
}

/** Appends labels[index] of each row's index (a null index stays null); an index outside the labels fails naming the value, column and row. */
export const indexToStringTask = defineTask<arrow.RecordBatch, IndexToStringBroadcast, arrow.RecordBatch>('feature.indexToString', (b, ib, ctx) => {
  const d = b.data.children[resolveIndex(ib.api, ib.input, b.schema)]! as AnyData;
  const x = castColumn(ib.api, d, Types.double());
  const values = numericValues(x) as Float64Array;
  const out = new StringColumnBuilder(b.numRows);
  for (let i = 0; i < b.numRows; i++) {
    if (!isValidAt(x, i)) {
      out.push(null);
      continue;
    }
    const v = values[i]!;
    const idx = Math.trunc(v);
    if (!(idx >= 0 && idx < ib.labels.length)) {
      throw badRowError(ib.api, { row: i, what: `column ${ib.input}`, why: `holds the index ${javaDoubleString(v)}, which has no label (Unseen index: ${javaDoubleString(v)}; the labels have ${ib.labels.length} values)` }, ctx.partition, ctx.rowBase);
    }
    out.push(ib.labels[idx]!);
  }
  const schema = new arrow.Schema([...b.schema.fields, new arrow.Field(ib.output, new arrow.Utf8(), true)]);
  return makeBatch(schema, [...(b.data.children as AnyData[]), out.finish()], b.numRows);
});
