/**
 * The partition summaries and tasks of frequent pattern mining, registered as the built-in
 * module 'kindling:fpm' (ts/src/exec/builtin.ts), so they run unchanged inline, on the
 * `local[N]` worker threads, or on executors. Everything that crosses a task boundary is plain
 * data: item values (strings, numbers, bigints, booleans, null) in arrays, ranks and counts in
 * typed arrays. This module imports only ts/src, never the rest of ts/ml.
 *
 * FP-growth, as Spark's mllib.fpm.FPGrowth (PFP, Li et al. 2008):
 *   1. `fpGrowthItemsSummary`: rows and per-item counts of each partition (merged by adding);
 *      a basket with a repeated item fails with Spark's message.
 *   2. `fpGrowthTreesSummary`: each basket, reduced to its frequent items sorted by rank (rank =
 *      position in the frequency-descending item list), yields one conditional transaction per
 *      item group (group = rank mod numGroups, Spark's HashPartitioner over Int ranks): for the
 *      last item of each group in the basket, the basket's prefix up to that item. Each group's
 *      transactions build one FP-tree; trees of two partitions merge node by node.
 *   3. `fpGrowthMineSummary`: one task per group mines its tree independently (Spark's
 *      FPTree.extract with the suffix restricted to the group's items).
 *
 * PrefixSpan, as Spark's mllib.fpm.PrefixSpan (Pei et al. 2001), over its internal format (each
 * sequence an Int32Array of 1-based item ids, itemsets sorted, 0 before, between and after
 * itemsets: <(12)(31)1> = [0,1,2,0,1,3,0,1,0]):
 *   1. `prefixSpanItemsSummary`: rows and, per item, the number of sequences holding it;
 *   2. `prefixSpanEncodeSummary`: sequences to the internal format (frequent items only);
 *   3. `prefixSpanPrefixSummary`: a round of distributed prefix growth — for every large prefix,
 *      the count and projected-database size of each extension item;
 *   4. `prefixSpanProjectSummary`: the (compressed) postfixes of every small prefix;
 *   5. `prefixSpanLocalSummary`: LocalPrefixSpan over the projected databases of a group of
 *      small prefixes.
 */
import * as arrow from 'apache-arrow';
import { Errors } from '../errors.js';
import { isValidAt, type AnyData } from '../dataframe/batch.js';
import { plainToBatch, type PlainBatch } from '../dataframe/portable.js';
import { javaDoubleString } from '../io/text-common/java-format.js';
import { defineSummary, type Summary, type TaskRef } from '../exec/task.js';

/** An item value as the mining sees it (int64 items come as numbers when safe, else bigint). */
export type Item = string | number | bigint | boolean | null;

/** One partition of the items (or sequence) column: a one-column plain batch. */
export interface ColumnTask {
  batch: PlainBatch;
  /** Row number of the partition's first row in the DataFrame (for messages). */
  rowBase: number;
  /** The API name for messages ('FPGrowth'). */
  api: string;
}

// ----- reading list columns -------------------------------------------------------------------

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

/** Rows of a list-of-lists column (null for a null row); a null inner list fails naming the row. */
export function readSequenceRows(api: string, name: string, d: AnyData, rowBase: number): Array<Item[][] | null> {
  const off = d.valueOffsets as Int32Array;
  const inner = d.children[0]! as AnyData;
  const innerOff = inner.valueOffsets as Int32Array;
  const read = itemReader(inner.children[0]! as AnyData);
  const out = new Array<Item[][] | null>(d.length);
  for (let i = 0; i < d.length; i++) {
    if (!isValidAt(d, i)) {
      out[i] = null;
      continue;
    }
    const seq: Item[][] = [];
    for (let j = off[i]!; j < off[i + 1]!; j++) {
      if (!isValidAt(inner, j)) throw Errors.badRow(api, `column ${name}`, rowBase + i, `holds a null itemset at position ${j - off[i]!} (itemsets must be arrays)`);
      const set: Item[] = [];
      for (let k = innerOff[j]!; k < innerOff[j + 1]!; k++) set.push(read(k));
      seq.push(set);
    }
    out[i] = seq;
  }
  return out;
}

function columnOf(task: ColumnTask): AnyData {
  return plainToBatch(task.batch).data.children[0]! as AnyData;
}

/** An item as Scala prints it inside a collection (Java's Double.toString for floating items). */
function scalaItem(v: Item, floating: boolean): string {
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

// ----- item counts (both algorithms) ----------------------------------------------------------

/** Rows seen and a count per item (FP-growth: baskets holding it; PrefixSpan: sequences holding it). */
export interface ItemCounts {
  n: number;
  items: Item[];
  counts: Float64Array;
}

function mergeCounts(a: ItemCounts, b: ItemCounts): ItemCounts {
  if (b.items.length === 0) return { n: a.n + b.n, items: a.items, counts: a.counts };
  const index = new Map<Item, number>();
  a.items.forEach((it, i) => index.set(it, i));
  const items = a.items.slice();
  const counts: number[] = Array.from(a.counts);
  b.items.forEach((it, i) => {
    const j = index.get(it);
    if (j === undefined) {
      index.set(it, items.length);
      items.push(it);
      counts.push(b.counts[i]!);
    } else counts[j]! += b.counts[i]!;
  });
  return { n: a.n + b.n, items, counts: Float64Array.from(counts) };
}

function countsOf(s: ItemCounts, add: (bump: (item: Item) => void) => number): ItemCounts {
  const index = new Map<Item, number>();
  s.items.forEach((it, i) => index.set(it, i));
  const items = s.items.slice();
  const counts: number[] = Array.from(s.counts);
  const rows = add((item) => {
    const j = index.get(item);
    if (j === undefined) {
      index.set(item, items.length);
      items.push(item);
      counts.push(1);
    } else counts[j]! += 1;
  });
  return { n: s.n + rows, items, counts: Float64Array.from(counts) };
}

const zeroCounts = (): ItemCounts => ({ n: 0, items: [], counts: new Float64Array(0) });

/** FP-growth pass 1: non-null baskets and item counts; a repeated item fails as Spark's genFreqItems. */
export const fpGrowthItemsSummary: Summary<ItemCounts, ColumnTask, null> = {
  zero: zeroCounts,
  add: (s, task) => {
    const d = columnOf(task);
    const elem = d.children[0]!.type;
    const floating = arrow.DataType.isFloat(elem);
    const rows = readItemRows(d);
    return countsOf(s, (bump) => {
      let n = 0;
      for (const row of rows) {
        if (row === null) continue;
        n++;
        const uniq = new Set(row);
        if (uniq.size !== row.length) {
          throw Errors.schema(`${task.api}: Items in a transaction must be unique but got WrappedArray(${row.map((v) => scalaItem(v, floating)).join(', ')}).`);
        }
        for (const it of row) bump(it);
      }
      return n;
    });
  },
  merge: mergeCounts,
};

/** PrefixSpan pass 1: non-null sequences and, per item, the number of sequences holding it. */
export const prefixSpanItemsSummary: Summary<ItemCounts, ColumnTask & { name: string }, null> = {
  zero: zeroCounts,
  add: (s, task) => {
    const rows = readSequenceRows(task.api, task.name, columnOf(task), task.rowBase);
    return countsOf(s, (bump) => {
      let n = 0;
      for (const seq of rows) {
        if (seq === null) continue;
        n++;
        const uniq = new Set<Item>();
        for (const set of seq) for (const it of set) uniq.add(it);
        for (const it of uniq) bump(it);
      }
      return n;
    });
  },
  merge: mergeCounts,
};

// ----- FP-trees ------------------------------------------------------------------------------

/** An FP-tree as plain data: node 0 is the root; every other node has a parent with a smaller index. */
export interface PlainTree {
  parent: Int32Array;
  item: Int32Array;
  count: Float64Array;
}

/** Spark's FPTree over item ranks: nodes with parent links, children by item, and per item its count and nodes. */
export class FPTree {
  private parent: number[] = [-1];
  private item: number[] = [-1];
  private count: number[] = [0];
  private children: Array<Map<number, number> | undefined> = [undefined];
  readonly summaries = new Map<number, { count: number; nodes: number[] }>();

  static fromPlain(t: PlainTree): FPTree {
    const tree = new FPTree();
    if (t.parent.length === 0) return tree;
    tree.count[0] = t.count[0]!;
    for (let i = 1; i < t.parent.length; i++) {
      const p = t.parent[i]!;
      const it = t.item[i]!;
      const c = t.count[i]!;
      tree.parent.push(p);
      tree.item.push(it);
      tree.count.push(c);
      tree.children.push(undefined);
      (tree.children[p] ??= new Map()).set(it, i);
      const s = tree.summary(it);
      s.count += c;
      s.nodes.push(i);
    }
    return tree;
  }

  get size(): number {
    return this.parent.length;
  }

  private summary(it: number): { count: number; nodes: number[] } {
    let s = this.summaries.get(it);
    if (!s) {
      s = { count: 0, nodes: [] };
      this.summaries.set(it, s);
    }
    return s;
  }

  /** Adds the first `len` items of a transaction with a count (Spark's FPTree.add). */
  add(t: ArrayLike<number>, len: number, c: number): this {
    let curr = 0;
    this.count[0]! += c;
    for (let k = 0; k < len; k++) {
      const it = t[k]!;
      const s = this.summary(it);
      s.count += c;
      const kids = (this.children[curr] ??= new Map());
      let child = kids.get(it);
      if (child === undefined) {
        child = this.parent.length;
        this.parent.push(curr);
        this.item.push(it);
        this.count.push(0);
        this.children.push(undefined);
        kids.set(it, child);
        s.nodes.push(child);
      }
      this.count[child]! += c;
      curr = child;
    }
    return this;
  }

  /** Adds every node of another tree (Spark's merge: the same tree as adding its transactions). */
  merge(t: PlainTree): this {
    if (t.parent.length === 0) return this;
    const map = new Int32Array(t.parent.length);
    this.count[0]! += t.count[0]!;
    for (let i = 1; i < t.parent.length; i++) {
      const curr = map[t.parent[i]!]!;
      const it = t.item[i]!;
      const c = t.count[i]!;
      const s = this.summary(it);
      s.count += c;
      const kids = (this.children[curr] ??= new Map());
      let child = kids.get(it);
      if (child === undefined) {
        child = this.parent.length;
        this.parent.push(curr);
        this.item.push(it);
        this.count.push(0);
        this.children.push(undefined);
        kids.set(it, child);
        s.nodes.push(child);
      }
      this.count[child]! += c;
      map[i] = child;
    }
    return this;
  }

  toPlain(): PlainTree {
    return { parent: Int32Array.from(this.parent), item: Int32Array.from(this.item), count: Float64Array.from(this.count) };
  }

  /** The conditional tree of the paths ending at `suffix` (Spark's project). */
  project(suffix: number): FPTree {
    const tree = new FPTree();
    const s = this.summaries.get(suffix);
    if (!s) return tree;
    const path: number[] = [];
    for (const node of s.nodes) {
      path.length = 0;
      for (let p = this.parent[node]!; p > 0; p = this.parent[p]!) path.push(this.item[p]!);
      path.reverse();
      tree.add(path, path.length, this.count[node]!);
    }
    return tree;
  }

  /**
   * Frequent itemsets (Spark's extract): each frequent suffix item accepted by `validate`, then
   * the itemsets of its conditional tree behind it. Suffixes are taken in ascending rank at the
   * top and in descending rank inside conditional trees, which makes the output order
   * independent of how items are grouped.
   */
  extract(minCount: number, validate: ((rank: number) => boolean) | null, emit: (itemset: readonly number[], count: number) => void, prefix: number[] = []): void {
    const keys = [...this.summaries.keys()].sort((a, b) => (prefix.length === 0 ? a - b : b - a));
    for (const it of keys) {
      if (validate !== null && !validate(it)) continue;
      const s = this.summaries.get(it)!;
      if (s.count < minCount) continue;
      prefix.push(it);
      emit(prefix, s.count);
      this.project(it).extract(minCount, null, emit, prefix);
      prefix.pop();
    }
  }
}

function emptyPlainTree(): PlainTree {
  return { parent: Int32Array.of(-1), item: Int32Array.of(-1), count: Float64Array.of(0) };
}

/** What pass 2 needs: the frequent items in rank order and the number of item groups. */
export interface TreesBroadcast {
  items: Item[];
  numGroups: number;
}

export interface GroupTrees {
  trees: PlainTree[];
}

/** FP-growth pass 2: the conditional transactions of each basket, one FP-tree per item group (Spark's genCondTransactions + aggregateByKey). */
export const fpGrowthTreesSummary: Summary<GroupTrees, ColumnTask, TreesBroadcast> = {
  zero: (b) => ({ trees: Array.from({ length: b.numGroups }, emptyPlainTree) }),
  add: (s, task, b) => {
    const G = b.numGroups;
    const rank = new Map<Item, number>();
    b.items.forEach((it, r) => rank.set(it, r));
    const trees = s.trees.map((t) => FPTree.fromPlain(t));
    const seen = new Uint8Array(G);
    const touched: number[] = [];
    const ranks: number[] = [];
    for (const row of readItemRows(columnOf(task))) {
      if (row === null) continue;
      ranks.length = 0;
      for (const it of row) {
        const r = rank.get(it);
        if (r !== undefined) ranks.push(r);
      }
      ranks.sort((x, y) => x - y);
      for (let i = ranks.length - 1; i >= 0; i--) {
        const g = ranks[i]! % G;
        if (seen[g] === 0) {
          seen[g] = 1;
          touched.push(g);
          trees[g]!.add(ranks, i + 1, 1);
        }
      }
      for (const g of touched) seen[g] = 0;
      touched.length = 0;
    }
    return { trees: trees.map((t) => t.toPlain()) };
  },
  merge: (a, b) => ({ trees: a.trees.map((t, g) => (b.trees[g]!.parent.length <= 1 ? t : t.parent.length <= 1 ? b.trees[g]! : FPTree.fromPlain(t).merge(b.trees[g]!).toPlain())) }),
};

/** One mining task: a group's tree. */
export interface MineTask {
  tree: PlainTree;
  group: number;
  numGroups: number;
  minCount: number;
}

/** Itemsets of ranks, flattened: itemset i is ranks[offsets[i] .. offsets[i + 1]). */
export interface MinedItemsets {
  offsets: Int32Array;
  ranks: Int32Array;
  freqs: Float64Array;
}

function concatMined(parts: readonly MinedItemsets[]): MinedItemsets {
  const n = parts.reduce((s, p) => s + p.freqs.length, 0);
  const m = parts.reduce((s, p) => s + p.ranks.length, 0);
  const offsets = new Int32Array(n + 1);
  const ranks = new Int32Array(m);
  const freqs = new Float64Array(n);
  let i = 0;
  let k = 0;
  for (const p of parts) {
    ranks.set(p.ranks, k);
    freqs.set(p.freqs, i);
    for (let j = 0; j < p.freqs.length; j++) offsets[i + j + 1] = k + p.offsets[j + 1]!;
    i += p.freqs.length;
    k += p.ranks.length;
  }
  return { offsets, ranks, freqs };
}

/** FP-growth pass 3: the frequent itemsets whose first (least frequent) item belongs to the task's group. */
export const fpGrowthMineSummary: Summary<MinedItemsets, MineTask, null> = {
  zero: () => ({ offsets: Int32Array.of(0), ranks: new Int32Array(0), freqs: new Float64Array(0) }),
  add: (s, task) => {
    const offsets: number[] = [0];
    const ranks: number[] = [];
    const freqs: number[] = [];
    const G = task.numGroups;
    FPTree.fromPlain(task.tree).extract(task.minCount, (r) => r % G === task.group, (itemset, count) => {
      for (const r of itemset) ranks.push(r);
      offsets.push(ranks.length);
      freqs.push(count);
    });
    return concatMined([s, { offsets: Int32Array.from(offsets), ranks: Int32Array.from(ranks), freqs: Float64Array.from(freqs) }]);
  },
  merge: (a, b) => concatMined([a, b]),
};

// ----- PrefixSpan ------------------------------------------------------------------------------

/** Sequences in the internal format, flattened: sequence i is data[offsets[i] .. offsets[i + 1]). */
export interface EncodedSequences {
  data: Int32Array;
  offsets: Int32Array;
}

function concatEncoded(parts: readonly EncodedSequences[]): EncodedSequences {
  const n = parts.reduce((s, p) => s + p.offsets.length - 1, 0);
  const data = new Int32Array(parts.reduce((s, p) => s + p.data.length, 0));
  const offsets = new Int32Array(n + 1);
  let i = 0;
  let k = 0;
  for (const p of parts) {
    data.set(p.data, k);
    for (let j = 1; j < p.offsets.length; j++) offsets[i + j] = k + p.offsets[j]!;
    i += p.offsets.length - 1;
    k += p.data.length;
  }
  return { data, offsets };
}

/** PrefixSpan pass 2 (Spark's toDatabaseInternalRepr): frequent items as 1-based ids sorted within itemsets, 0-delimited; sequences without frequent items are dropped. */
export const prefixSpanEncodeSummary: Summary<EncodedSequences, ColumnTask & { name: string }, { items: Item[] }> = {
  zero: () => ({ data: new Int32Array(0), offsets: Int32Array.of(0) }),
  add: (s, task, b) => {
    const id = new Map<Item, number>();
    b.items.forEach((it, i) => id.set(it, i + 1));
    const data: number[] = [];
    const offsets: number[] = [0];
    const set: number[] = [];
    for (const seq of readSequenceRows(task.api, task.name, columnOf(task), task.rowBase)) {
      if (seq === null) continue;
      const start = data.length;
      data.push(0);
      let any = false;
      for (const itemset of seq) {
        set.length = 0;
        for (const it of itemset) {
          const x = id.get(it);
          if (x !== undefined) set.push(x);
        }
        if (set.length > 0) {
          any = true;
          set.sort((x, y) => x - y);
          for (const x of set) data.push(x);
          data.push(0);
        }
      }
      if (any) offsets.push(data.length);
      else data.length = start;
    }
    return concatEncoded([s, { data: Int32Array.from(data), offsets: Int32Array.from(offsets) }]);
  },
  merge: (a, b) => concatEncoded([a, b]),
};

/**
 * Spark's PrefixSpan.Postfix: the suffix of a sequence after a projection, as a start index into
 * the sequence's items plus the start indices of partial projections (ones that split an
 * itemset), strictly increasing.
 */
export class Postfix {
  constructor(
    readonly items: Int32Array,
    readonly start = 0,
    readonly partialStarts: readonly number[] = [],
  ) {}

  /** Index of the first full itemset's delimiter. */
  private fullStart(): number {
    let i = this.start;
    while (this.items[i] !== 0) i++;
    return i;
  }

  /** Prefix items with their postfix sizes: negative = assembled into the prefix's last itemset, positive = appended. */
  genPrefixItems(): Map<number, number> {
    const items = this.items;
    const n1 = items.length - 1;
    const prefixes = new Map<number, number>();
    for (const start of this.partialStarts) {
      let i = start;
      let x = -items[i]!;
      while (x !== 0) {
        if (!prefixes.has(x)) prefixes.set(x, n1 - i);
        i++;
        x = -items[i]!;
      }
    }
    for (let i = this.fullStart(); i < n1; i++) {
      const x = items[i]!;
      if (x !== 0 && !prefixes.has(x)) prefixes.set(x, n1 - i);
    }
    return prefixes;
  }

  get nonEmpty(): boolean {
    return this.items.length > this.start + 1;
  }

  /** Projects by one prefix item (negative: partial projection). */
  project(prefix: number): Postfix {
    const items = this.items;
    const n1 = items.length - 1;
    let matched = false;
    let newStart = n1;
    const newPartialStarts: number[] = [];
    if (prefix < 0) {
      const target = -prefix;
      for (const start of this.partialStarts) {
        let i = start;
        let x = items[i]!;
        while (x !== target && x !== 0) {
          i++;
          x = items[i]!;
        }
        if (x === target) {
          i++;
          if (!matched) {
            newStart = i;
            matched = true;
          }
          if (items[i] !== 0) newPartialStarts.push(i);
        }
      }
    } else {
      const target = prefix;
      for (let i = this.fullStart(); i < n1; i++) {
        if (items[i] === target) {
          if (!matched) {
            newStart = i;
            matched = true;
          }
          if (items[i + 1] !== 0) newPartialStarts.push(i + 1);
        }
      }
    }
    return new Postfix(items, newStart, newPartialStarts);
  }

  /** Projects by a prefix in the internal format (without its trailing 0). */
  projectPrefix(prefix: ArrayLike<number>): Postfix {
    let partial = true;
    let cur: Postfix = this;
    for (let i = 0; i < prefix.length && cur.nonEmpty; i++) {
      const x = prefix[i]!;
      if (x === 0) partial = false;
      else if (partial) cur = cur.project(-x);
      else {
        cur = cur.project(x);
        partial = true;
      }
    }
    return cur;
  }

  /** The same postfix on its own copy of the items from `start` on. */
  compressed(): Postfix {
    if (this.start === 0) return this;
    return new Postfix(this.items.slice(this.start), 0, this.partialStarts.map((p) => p - this.start));
  }
}

function* sequencesOf(p: EncodedSequences): Generator<Int32Array> {
  for (let i = 0; i + 1 < p.offsets.length; i++) yield p.data.subarray(p.offsets[i]!, p.offsets[i + 1]!);
}

/** A prefix in the internal format (items without the trailing 0) with its length in items. */
export interface PlainPrefix {
  id: number;
  items: Int32Array;
  length: number;
}

/** Per (prefix id, extension item): the number of sequences and the summed postfix sizes. */
export interface PrefixCounts {
  ids: Int32Array;
  items: Int32Array;
  counts: Float64Array;
  sizes: Float64Array;
}

function prefixCountsFrom(m: Map<string, [number, number, number, number]>): PrefixCounts {
  const v = [...m.values()];
  return { ids: Int32Array.from(v, (e) => e[0]), items: Int32Array.from(v, (e) => e[1]), counts: Float64Array.from(v, (e) => e[2]), sizes: Float64Array.from(v, (e) => e[3]) };
}

function prefixCountsMap(s: PrefixCounts): Map<string, [number, number, number, number]> {
  const m = new Map<string, [number, number, number, number]>();
  for (let i = 0; i < s.ids.length; i++) m.set(`${s.ids[i]},${s.items[i]}`, [s.ids[i]!, s.items[i]!, s.counts[i]!, s.sizes[i]!]);
  return m;
}

/** PrefixSpan pass 3: one round of distributed prefix growth over the large prefixes. */
export const prefixSpanPrefixSummary: Summary<PrefixCounts, EncodedSequences, { prefixes: PlainPrefix[] }> = {
  zero: () => ({ ids: new Int32Array(0), items: new Int32Array(0), counts: new Float64Array(0), sizes: new Float64Array(0) }),
  add: (s, part, b) => {
    const m = prefixCountsMap(s);
    for (const seq of sequencesOf(part)) {
      const postfix = new Postfix(seq);
      for (const prefix of b.prefixes) {
        for (const [item, size] of postfix.projectPrefix(prefix.items).genPrefixItems()) {
          const key = `${prefix.id},${item}`;
          const e = m.get(key);
          if (e) {
            e[2] += 1;
            e[3] += size;
          } else m.set(key, [prefix.id, item, 1, size]);
        }
      }
    }
    return prefixCountsFrom(m);
  },
  merge: (a, b) => {
    if (b.ids.length === 0) return a;
    const m = prefixCountsMap(a);
    for (let i = 0; i < b.ids.length; i++) {
      const key = `${b.ids[i]},${b.items[i]}`;
      const e = m.get(key);
      if (e) {
        e[2] += b.counts[i]!;
        e[3] += b.sizes[i]!;
      } else m.set(key, [b.ids[i]!, b.items[i]!, b.counts[i]!, b.sizes[i]!]);
    }
    return prefixCountsFrom(m);
  },
};

/** Postfixes, flattened: postfix i has items data[offsets[i] .. offsets[i+1]) and partial starts partial[pOffsets[i] .. pOffsets[i+1]); ids[i] names its prefix. */
export interface PlainPostfixes {
  ids: Int32Array;
  data: Int32Array;
  offsets: Int32Array;
  partial: Int32Array;
  pOffsets: Int32Array;
}

export function concatPostfixes(parts: readonly PlainPostfixes[]): PlainPostfixes {
  const n = parts.reduce((s, p) => s + p.ids.length, 0);
  const out: PlainPostfixes = {
    ids: new Int32Array(n),
    data: new Int32Array(parts.reduce((s, p) => s + p.data.length, 0)),
    offsets: new Int32Array(n + 1),
    partial: new Int32Array(parts.reduce((s, p) => s + p.partial.length, 0)),
    pOffsets: new Int32Array(n + 1),
  };
  let i = 0;
  let k = 0;
  let q = 0;
  for (const p of parts) {
    out.ids.set(p.ids, i);
    out.data.set(p.data, k);
    out.partial.set(p.partial, q);
    for (let j = 1; j <= p.ids.length; j++) {
      out.offsets[i + j] = k + p.offsets[j]!;
      out.pOffsets[i + j] = q + p.pOffsets[j]!;
    }
    i += p.ids.length;
    k += p.data.length;
    q += p.partial.length;
  }
  return out;
}

export function postfixesFrom(list: ReadonlyArray<{ id: number; postfix: Postfix }>): PlainPostfixes {
  const ids = new Int32Array(list.length);
  const offsets = new Int32Array(list.length + 1);
  const pOffsets = new Int32Array(list.length + 1);
  let n = 0;
  let m = 0;
  list.forEach((e, i) => {
    ids[i] = e.id;
    n += e.postfix.items.length;
    m += e.postfix.partialStarts.length;
    offsets[i + 1] = n;
    pOffsets[i + 1] = m;
  });
  const data = new Int32Array(n);
  const partial = new Int32Array(m);
  list.forEach((e, i) => {
    data.set(e.postfix.items, offsets[i]!);
    partial.set(e.postfix.partialStarts, pOffsets[i]!);
  });
  return { ids, data, offsets, partial, pOffsets };
}

export function postfixAt(p: PlainPostfixes, i: number): Postfix {
  return new Postfix(p.data.subarray(p.offsets[i]!, p.offsets[i + 1]!), 0, Array.from(p.partial.subarray(p.pOffsets[i]!, p.pOffsets[i + 1]!)));
}

const emptyPostfixes = (): PlainPostfixes => ({ ids: new Int32Array(0), data: new Int32Array(0), offsets: Int32Array.of(0), partial: new Int32Array(0), pOffsets: Int32Array.of(0) });

/** PrefixSpan pass 4: the non-empty compressed postfixes of every sequence for every small prefix. */
export const prefixSpanProjectSummary: Summary<PlainPostfixes, EncodedSequences, { prefixes: PlainPrefix[] }> = {
  zero: emptyPostfixes,
  add: (s, part, b) => {
    const list: Array<{ id: number; postfix: Postfix }> = [];
    for (const seq of sequencesOf(part)) {
      const postfix = new Postfix(seq);
      for (const prefix of b.prefixes) {
        const p = postfix.projectPrefix(prefix.items).compressed();
        if (p.nonEmpty) list.push({ id: prefix.id, postfix: p });
      }
    }
    return concatPostfixes([s, postfixesFrom(list)]);
  },
  merge: (a, b) => concatPostfixes([a, b]),
};

/** Patterns in the internal format (leading and trailing 0), flattened, with their counts. */
export interface PlainPatterns {
  data: Int32Array;
  offsets: Int32Array;
  counts: Float64Array;
}

export function concatPatterns(parts: readonly PlainPatterns[]): PlainPatterns {
  const enc = concatEncoded(parts.map((p) => ({ data: p.data, offsets: p.offsets })));
  const counts = new Float64Array(parts.reduce((s, p) => s + p.counts.length, 0));
  let i = 0;
  for (const p of parts) {
    counts.set(p.counts, i);
    i += p.counts.length;
  }
  return { data: enc.data, offsets: enc.offsets, counts };
}

/** One local-processing task: small prefixes with their projected databases. */
export interface LocalTask {
  minCount: number;
  maxPatternLength: number;
  prefixes: Array<{ items: Int32Array; length: number; postfixes: PlainPostfixes }>;
}

/**
 * Spark's LocalPrefixSpan: depth-first growth of one projected database, extension items in
 * ascending order (partial ones, negative, first). Emits prefix.items ++ pattern.
 */
export function localPrefixSpan(minCount: number, maxPatternLength: number, prefixItems: ArrayLike<number>, postfixes: Postfix[], emit: (pattern: number[], count: number) => void): void {
  const base = Array.from(prefixItems);
  const grow = (prefix: number[], length: number, dbs: Postfix[]): void => {
    if (maxPatternLength === length || dbs.length < minCount) return;
    const counts = new Map<number, number>();
    for (const p of dbs) for (const x of p.genPrefixItems().keys()) counts.set(x, (counts.get(x) ?? 0) + 1);
    const freq = [...counts.entries()].filter(([, c]) => c >= minCount).sort((a, b) => a[0] - b[0]);
    for (const [item, count] of freq) {
      const next = item < 0 ? [...prefix, -item] : [...prefix, 0, item];
      emit([...base, ...next, 0], count);
      const projected: Postfix[] = [];
      for (const p of dbs) {
        const q = p.project(item);
        if (q.nonEmpty) projected.push(q);
      }
      grow(next, length + 1, projected);
    }
  };
  grow([], 0, postfixes);
}

/** PrefixSpan pass 5: LocalPrefixSpan over each small prefix of the task. */
export const prefixSpanLocalSummary: Summary<PlainPatterns, LocalTask, null> = {
  zero: () => ({ data: new Int32Array(0), offsets: Int32Array.of(0), counts: new Float64Array(0) }),
  add: (s, task) => {
    const data: number[] = [];
    const offsets: number[] = [0];
    const counts: number[] = [];
    for (const prefix of task.prefixes) {
      const dbs: Postfix[] = [];
      for (let i = 0; i < prefix.postfixes.ids.length; i++) dbs.push(postfixAt(prefix.postfixes, i));
      localPrefixSpan(task.minCount, task.maxPatternLength - prefix.length, prefix.items, dbs, (pattern, count) => {
        for (const x of pattern) data.push(x);
        offsets.push(data.length);
        counts.push(count);
      });
    }
    return concatPatterns([s, { data: Int32Array.from(data), offsets: Int32Array.from(offsets), counts: Float64Array.from(counts) }]);
  },
  merge: (a, b) => concatPatterns([a, b]),
};

export const FPM_MODULE = 'kindling:fpm';

/** The summaries of frequent pattern mining, by name, as built-in tasks ('fpm.<name>'). */
const SUMMARIES = {
  fpGrowthItemsSummary,
  fpGrowthTreesSummary,
  fpGrowthMineSummary,
  prefixSpanItemsSummary,
  prefixSpanEncodeSummary,
  prefixSpanPrefixSummary,
  prefixSpanProjectSummary,
  prefixSpanLocalSummary,
} as const;

export const FPM_SUMMARIES = Object.fromEntries(Object.entries(SUMMARIES).map(([k, v]) => [k, defineSummary(`fpm.${k}`, v as Summary<any, any, any>)])) as unknown as { [K in keyof typeof SUMMARIES]: (typeof SUMMARIES)[K] & { ref: TaskRef } };
