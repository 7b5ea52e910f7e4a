/**
 * The hash route of group-by: each partition is folded into its distinct keys plus one state
 * per aggregate (`partialAggregate`); partials merge by hashing their keys together
 * (`mergePartials`). As a partition summary (`hashAggSummary`) it runs on the executors, and
 * the driver merges the partials in Spark's treeAggregate order (exec/jobs.ts) and finishes
 * them (agg-states.ts). Group codes come from the native hash-group kernel (one key, or rows of
 * per-column codes), a dictionary's codes for one dictionary-encoded key, or a JS Map for key
 * types the kernel does not take. The other route, for one integer key over a small range, is
 * dense-agg.ts.
 */
import * as arrow from 'apache-arrow';
import { hashGroup, hashGroupRows } from '../kernels/hash-group.js';
import { defineSummary } from '../exec/task.js';
import { keyColumn, validityOf } from './keys.js';
import { concatData, fromValues, takeData, isValidAt, valueAt, type AnyData } from './batch.js';
import type { Expr } from './column.js';
import { evaluate, valueGetter, type EvalContext } from './eval.js';
import { dataToPlain, descToType, plainToData } from './portable.js';
import { addState, mergeState, nativeAccCache, normaliseKey, zeroState, zeroStateLike, type AggSpec, type Grouping, type PartialAgg } from './agg-states.js';

/** Group codes for the key columns of one partition, in first-appearance order. */
export function groupIds(keys: readonly AnyData[], n: number): Grouping {
  if (keys.length === 0) return { numGroups: n > 0 ? 1 : 0, codes: new Int32Array(n), firstRow: n > 0 ? new Int32Array([0]) : new Int32Array(0) };
  if (keys.length === 1) {
    const k = keys[0]!;
    if (arrow.DataType.isDictionary(k.type)) {
      const dict = k.dictionary!;
      const codes = new Int32Array(n);
      const src = k.values as Int32Array;
      const remap = new Int32Array(dict.length + 1).fill(-1);
      const first: number[] = [];
      for (let i = 0; i < n; i++) {
        const c = isValidAt(k, i) ? src[i]! : dict.length;
        let g = remap[c]!;
        if (g < 0) {
          g = remap[c] = first.length;
          first.push(i);
        }
        codes[i] = g;
      }
      return { numGroups: first.length, codes, firstRow: Int32Array.from(first) };
    }
  }
  const native = nativeGroupIds(keys, n);
  if (native) return native;
  const getters = keys.map((k) => valueGetter(k));
  const map = new Map<unknown, number>();
  const codes = new Int32Array(n);
  const first: number[] = [];
  for (let i = 0; i < n; i++) {
    let key: unknown;
    if (getters.length === 1) key = normaliseKey(getters[0]!(i));
    else {
      let s = '';
      for (const get of getters) {
        const v = normaliseKey(get(i));
        s += v === null ? '\u0000N' : `${typeof v}:${String(v)}\u0001`;
      }
      key = s;
    }
    let g = map.get(key);
    if (g === undefined) {
      g = first.length;
      map.set(key, g);
      first.push(i);
    }
    codes[i] = g;
  }
  return { numGroups: first.length, codes, firstRow: Int32Array.from(first) };
}

/** Group ids by the native hash-group kernel: one key column, or composite rows of per-column codes. */
function nativeGroupIds(keys: readonly AnyData[], n: number): Grouping | null {
  const cols = keys.map((k) =>
    arrow.DataType.isDictionary(k.type)
      ? { kind: 'i32' as const, values: (k.values as Int32Array).subarray(0, n), validity: validityOf(k) }
      : keyColumn(k),
  );
  if (cols.some((c) => c === null)) return null;
  if (cols.length === 1) {
    const g = hashGroup(cols[0]!);
    return { numGroups: g.firstRow.length, codes: g.codes, firstRow: g.firstRow };
  }
  const m = cols.length;
  const words = new Uint32Array(n * m);
  cols.forEach((c, j) => {
    const codes = hashGroup(c!).codes;
    for (let i = 0; i < n; i++) words[i * m + j] = codes[i]!;
  });
  const g = hashGroupRows(words, m);
  return { numGroups: g.firstRow.length, codes: g.codes, firstRow: g.firstRow };
}


/** What the executors need to fold a partition: the key expressions and the aggregates. */
export interface HashAggBroadcast {
  keys: Expr[];
  aggs: AggSpec[];
}

/** Folds one partition (after its narrow operators) into a partial aggregate. */
export function partialAggregate(api: string, batch: arrow.RecordBatch, task: HashAggBroadcast, ctx: EvalContext): PartialAgg {
  const n = batch.numRows;
  const keyCols = task.keys.map((k) => evaluate(api, k, batch, ctx));
  const grouping = groupIds(keyCols, n);
  const inputs = task.aggs.map((a) => (a.input === null ? null : evaluate(api, a.input, batch, ctx)));
  const states = task.aggs.map((a, j) => zeroState(a, inputs[j]?.type ?? null, grouping.numGroups));
  const accOf = nativeAccCache(grouping, n);
  // count(*) can reuse the native table of a double input without nulls
  const rowCounter = inputs.find((d) => d !== null && d.values instanceof Float64Array && d.nullCount === 0) ?? null;
  task.aggs.forEach((a, j) => addState(a, states[j]!, grouping, inputs[j]!, n, accOf, rowCounter));
  const keys = keyCols.map((k) => dataToPlain(takeRows(k, grouping.firstRow)));
  return { specs: task.aggs, numGroups: grouping.numGroups, keys, states };
}

function takeRows(d: AnyData, rows: Int32Array): AnyData {
  // dictionary keys are decoded to plain strings so partials from different dictionaries merge
  if (arrow.DataType.isDictionary(d.type)) return fromValues(d.type.dictionary, Array.from(rows, (r) => valueAt(d, r)));
  return takeData(d, rows);
}

/** Merges partials (in order) into one: keys regrouped by hashing, states combined per group. */
export function mergePartials(partials: readonly PartialAgg[]): PartialAgg {
  const present = partials.filter((p) => p.numGroups > 0);
  if (present.length <= 1) return present[0] ?? partials[0]!;
  const specs = present[0]!.specs;
  const keyCols = present[0]!.keys.map((k, j) => concatData(descToType(k.type), present.map((p) => plainToData(p.keys[j]!))));
  const total = present.reduce((s, p) => s + p.numGroups, 0);
  const { numGroups, codes, firstRow } = groupIds(keyCols, total);
  const states = specs.map((s, j) => zeroStateLike(present[0]!.states[j]!, numGroups));
  let offset = 0;
  for (const p of present) {
    for (let j = 0; j < specs.length; j++) mergeState(specs[j]!, states[j]!, p.states[j]!, codes, offset, p.numGroups);
    offset += p.numGroups;
  }
  const keys = keyCols.map((k) => dataToPlain(takeRows(k, firstRow)));
  return { specs, numGroups, keys, states };
}

/** The hash route as a partition summary: partials per partition on the executors, merged in treeAggregate order. */
export const hashAggSummary = defineSummary<PartialAgg, arrow.RecordBatch, HashAggBroadcast>('dataframe.hashAgg', {
  zero: (b) => ({ specs: b.aggs, numGroups: 0, keys: [], states: [] }),
  add: (s, batch, b, ctx) => mergePartials([s, partialAggregate('agg', batch, b, { partition: ctx.partition })]),
  merge: (a, b) => mergePartials([a, b]),
  mergeAll: (parts) => mergePartials(parts),
});
