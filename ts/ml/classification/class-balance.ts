/**
 * Imbalanced classes (issue 15): balanced class weights for a classifier's weightCol, and seeded
 * down- and up-sampling. Each helper counts the classes once with the engine's group-by (native
 * hash aggregation on the executors) and returns a lazy DataFrame; nothing is collected but the
 * per-class counts.
 *
 *   - `balancedClassWeights(df, labelCol)`: scikit-learn's compute_class_weight('balanced') —
 *     n_samples / (n_classes · n_c) for each class c present in the column;
 *   - `withClassWeights(df, labelCol, weights, outputCol = 'weight')`: a double column of each
 *     row's class weight (for a classifier's weightCol); a row whose label has no weight gets a
 *     null weight, which a fit refuses naming the row;
 *   - `resample(df, labelCol, { strategy, seed, ratio })`:
 *       'undersample' keeps every row of the classes with at most ratio × (the smallest class's
 *       count) rows and samples the larger classes down to about that many
 *       (`DataFrame.sampleBy`, Bernoulli per row: the size is that target in expectation);
 *       'oversample' keeps every row and adds, for each class smaller than ratio × (the largest
 *       class's count), a with-replacement sample of its rows of about the missing size
 *       (`DataFrame.sample(true, …)`, Poisson replication per row).
 *     ratio defaults to 1 (balanced). A seed gives the same rows over the same partitioning.
 */
import { Errors } from '../../src/errors.js';
import { col, when, type Column, type Literal } from '../../src/dataframe/column.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { isNumericType } from '../../src/dataframe/types.js';
import { columnField } from '../data/schema-checks.js';

/** A class's label value (a number for numeric label columns, else its string) and its count. */
export type ClassCounts = Map<number | string, number>;

/** The rows of each class of `labelCol` (one group-by); a null label is an error naming the column. */
export async function classCounts(api: string, df: DataFrame, labelCol: string): Promise<ClassCounts> {
  columnField(api, df.schema, labelCol);
  const rows = await df.groupBy(labelCol).count().collect();
  const out: ClassCounts = new Map();
  const keys: Array<number | string> = [];
  for (const r of rows) {
    const v = r[labelCol] as unknown;
    if (v === null || v === undefined) throw Errors.schema(`${api}: column ${labelCol} has ${String(r.count)} null labels; every row needs a class`);
    if (typeof v === 'number' && Number.isNaN(v)) throw Errors.schema(`${api}: column ${labelCol} has NaN labels; every row needs a class`);
    const key = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : String(v);
    keys.push(key);
    out.set(key, Number(r.count));
  }
  if (out.size === 0) throw Errors.schema(`${api}: the DataFrame has no rows (column ${labelCol})`);
  // in label order, as scikit-learn's np.unique
  const sorted = keys.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  return new Map(sorted.map((k) => [k, out.get(k)!]));
}

/** scikit-learn's compute_class_weight('balanced', classes=np.unique(y), y=y): n_samples / (n_classes · n_c), by class. */
export async function balancedClassWeights(df: DataFrame, labelCol: string): Promise<Map<number | string, number>> {
  const counts = await classCounts('balancedClassWeights', df, labelCol);
  let n = 0;
  for (const c of counts.values()) n += c;
  const k = counts.size;
  return new Map([...counts].map(([label, nc]) => [label, n / (k * nc)]));
}

function weightEntries(api: string, weights: ReadonlyMap<number | string, number> | Readonly<Record<string, number>>): Array<[number | string, number]> {
  const entries: Array<[number | string, number]> = weights instanceof Map ? [...weights] : weights !== null && typeof weights === 'object' ? Object.entries(weights) : [];
  if (entries.length === 0) throw Errors.invalidArg(api, 'weights', 'a non-empty Map or object of class → weight (balancedClassWeights gives one)', weights);
  for (const [k, w] of entries) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw Errors.outOfRange(api, `weights[${String(k)}]`, 'a finite number >= 0', w);
  }
  return entries;
}

/** `df` with `outputCol` (double): each row's class weight (module comment). */
export function withClassWeights(df: DataFrame, labelCol: string, weights: ReadonlyMap<number | string, number> | Readonly<Record<string, number>>, outputCol = 'weight'): DataFrame {
  const api = 'withClassWeights';
  const field = columnField(api, df.schema, labelCol).field;
  if (typeof outputCol !== 'string' || outputCol.length === 0) throw Errors.invalidArg(api, 'outputCol', 'a non-empty column name', outputCol);
  if (df.columns.some((c) => c.toLowerCase() === outputCol.toLowerCase())) throw Errors.schema(`${api}: column ${outputCol} already exists (outputCol); choose another outputCol`);
  const numeric = isNumericType(field.type);
  let w: Column | null = null;
  for (const [k, v] of weightEntries(api, weights)) {
    const key: Literal = numeric ? Number(k) : String(k);
    if (numeric && Number.isNaN(key)) throw Errors.invalidArg(api, 'weights', `numeric class labels (column ${labelCol} is numeric)`, k);
    w = w === null ? when(col(labelCol).eq(key), v) : w.when(col(labelCol).eq(key), v);
  }
  return df.withColumn(outputCol, w!.cast('double'));
}

export interface ResampleOptions {
  strategy: 'undersample' | 'oversample';
  /** The seed of the random draws (default 0). */
  seed?: number;
  /** The target size relative to the smallest (undersample) or largest (oversample) class (default 1: balanced). */
  ratio?: number;
}

/** `df` down- or up-sampled towards balanced classes (module comment). */
export async function resample(df: DataFrame, labelCol: string, options: ResampleOptions): Promise<DataFrame> {
  const api = 'resample';
  const { strategy, seed = 0 } = options ?? ({} as ResampleOptions);
  if (strategy !== 'undersample' && strategy !== 'oversample') throw Errors.invalidArg(api, 'strategy', "'undersample' or 'oversample'", strategy);
  if (!Number.isInteger(seed)) throw Errors.invalidArg(api, 'seed', 'an integer', seed);
  const ratio = options.ratio ?? 1;
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio <= 0 || (strategy === 'oversample' && ratio > 1e6)) throw Errors.outOfRange(api, 'ratio', 'a finite number > 0', ratio);
  const counts = await classCounts(api, df, labelCol);
  const sizes = [...counts.values()];
  if (strategy === 'undersample') {
    const target = ratio * Math.min(...sizes);
    const fractions = new Map<Literal, number>([...counts].map(([k, n]) => [k, Math.min(1, target / n)]));
    return df.sampleBy(labelCol, fractions, seed);
  }
  const target = ratio * Math.max(...sizes);
  let out = df;
  let i = 0;
  for (const [k, n] of counts) {
    i++;
    if (n >= target) continue;
    // a distinct stream per class: the filtered rows of two classes would otherwise draw alike
    out = out.union(df.filter(col(labelCol).eq(k)).sample(true, (target - n) / n, seed + 7919 * i));
  }
  return out;
}
