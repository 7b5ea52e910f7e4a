/**
 * Items as frequent pattern mining sees them (Spark's generic `Item` of mllib.fpm.FPGrowth and
 * PrefixSpan): reading the array (FP-growth) and array<array> (PrefixSpan) columns of one
 * partition, a deterministic order of item values, Scala's rendering of an item in messages,
 * and the per-item counts both miners start with — a partition summary merged by adding (in
 * Spark's treeAggregate order, docs/formats/SPARK_DEFINITIONS.md §14).
 * Executor threads load this module through the task modules: it imports only ts/src.
 */
import * as arrow from 'apache-arrow';
import { isValidAt, type AnyData } from '../../src/dataframe/batch.js';
import { javaDoubleString } from '../../src/io/text-common/java-format.js';
import type { BadRow } from '../data/features.js';

/** An item value as the mining sees it (int64 items come as numbers when safe, else bigint). */
export type Item = string | number | bigint | boolean | null;

function plainItem(v: unknown): Item {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  return v as Item;
}

/** Reads element k of a Data of items. */
function itemReader(d: AnyData): (k: number) => Item {
  const vec = arrow.makeVector(d);
  return (k) => plainItem(vec.get(k));
}

/** Rows of a list column as arrays of items (null for a null row). */
export function readItemRows(d: AnyData): Array<Item[] | null> {
  const off = d.valueOffsets as Int32Array;
  const read = itemReader(d.children[0]! as AnyData);
  const out = new Array<Item[] | null>(d.length);
  for (let i = 0; i < d.length; i++) {
    if (!isValidAt(d, i)) {
      out[i] = null;
      continue;
    }
    const a = off[i]!;
    const b = off[i + 1]!;
    const row = new Array<Item>(b - a);
    for (let k = a; k < b; k++) row[k - a] = read(k);
    out[i] = row;
  }
  return out;
}

/** Rows of a list-of-lists column (null for a null row), or the first row holding a null itemset (`what` names the column). */
export function readSequenceRows(d: AnyData, what: string): { rows: Array<Item[][] | null> } | { bad: BadRow } {
  const off = d.valueOffsets as Int32Array;
  const inner = d.children[0]! as AnyData;
  const innerOff = inner.valueOffsets as Int32Array;
  const read = itemReader(inner.children[0]! as AnyData);
  const rows = new Array<Item[][] | null>(d.length);
  for (let i = 0; i < d.length; i++) {
    if (!isValidAt(d, i)) {
      rows[i] = null;
      continue;
    }
    const seq: Item[][] = [];
    for (let j = off[i]!; j < off[i + 1]!; j++) {
      if (!isValidAt(inner, j)) return { bad: { row: i, what, why: `holds a null itemset at position ${j - off[i]!} (itemsets must be arrays)` } };
      const set: Item[] = [];
      for (let k = innerOff[j]!; k < innerOff[j + 1]!; k++) set.push(read(k));
      seq.push(set);
    }
    rows[i] = seq;
  }
  return { rows };
}

/** The one column of a partition of `df.select(column)`. */
export function onlyColumn(batch: arrow.RecordBatch): AnyData {
  return batch.data.children[0]! as AnyData;
}

/** An item as Scala prints it inside a collection (Java's Double.toString for floating items). */
export function scalaItem(v: Item, floating: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'number' && floating) return javaDoubleString(v);
  return String(v);
}

/** A deterministic order of item values (numbers and bigints numerically, strings by UTF-16 units as Java's compareTo, then by type). */
export function compareItems(a: Item, b: Item): number {
  const ta = a === null ? 0 : typeof a === 'boolean' ? 1 : typeof a === 'number' || typeof a === 'bigint' ? 2 : 3;
  const tb = b === null ? 0 : typeof b === 'boolean' ? 1 : typeof b === 'number' || typeof b === 'bigint' ? 2 : 3;
  if (ta !== tb) return ta - tb;
  if (ta === 0) return 0;
  if (ta === 2) {
    const x = a as number | bigint;
    const y = b as number | bigint;
    if (typeof x === 'number' && typeof y === 'number' && (Number.isNaN(x) || Number.isNaN(y))) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return (a as string | boolean) < (b as string | boolean) ? -1 : (a as string | boolean) > (b as string | boolean) ? 1 : 0;
}

/** A stable key for a sequence of items (types kept apart: 1 and '1' differ). */
export function itemsKey(items: readonly Item[]): string {
  let s = '';
  for (const v of items) {
    const tag = v === null ? 'n' : typeof v === 'string' ? 's' : typeof v === 'boolean' ? 'b' : 'd';
    s += `${tag}${v === null ? '' : String(v)}\u0001`;
  }
  return s;
}

// ----- item counts (both miners' first pass) ----------------------------------------------------

/** Rows seen and a count per item (FP-growth: baskets holding it; PrefixSpan: sequences holding it). */
export interface ItemCounts {
  n: number;
  items: Item[];
  counts: Float64Array;
}

export const zeroCounts = (): ItemCounts => ({ n: 0, items: [], counts: new Float64Array(0) });

/** `s` plus `rows` more rows and one count for every item `each` bumps. */
function addCounts(s: ItemCounts, rows: number, each: (bump: (item: Item, by: number) => void) => void): ItemCounts {
  const index = new Map<Item, number>();
  s.items.forEach((it, i) => index.set(it, i));
  const items = s.items.slice();
  const counts: number[] = Array.from(s.counts);
  each((item, by) => {
    const j = index.get(item);
    if (j === undefined) {
      index.set(item, items.length);
      items.push(item);
      counts.push(by);
    } else counts[j]! += by;
  });
  return { n: s.n + rows, items, counts: Float64Array.from(counts) };
}

/** Folds rows into `s`: `rows` is how many, `each` bumps each item held by a row once. */
export function countItems(s: ItemCounts, rows: number, each: (bump: (item: Item) => void) => void): ItemCounts {
  return addCounts(s, rows, (bump) => each((item) => bump(item, 1)));
}

export function mergeCounts(a: ItemCounts, b: ItemCounts): ItemCounts {
  if (b.items.length === 0) return { n: a.n + b.n, items: a.items, counts: a.counts };
  return addCounts(a, b.n, (bump) => b.items.forEach((it, i) => bump(it, b.counts[i]!)));
}

/** Items with count >= minCount, by descending count (ties by item value, so runs are reproducible), with their counts. */
export function frequentItems(c: ItemCounts, minCount: number): { items: Item[]; counts: number[] } {
  const order: number[] = [];
  for (let i = 0; i < c.items.length; i++) if (c.counts[i]! >= minCount) order.push(i);
  order.sort((a, b) => c.counts[b]! - c.counts[a]! || compareItems(c.items[a]!, c.items[b]!));
  return { items: order.map((i) => c.items[i]!), counts: order.map((i) => c.counts[i]!) };
}
