/**
 * PrefixSpan (Spark's ml.fpm.PrefixSpan over mllib.fpm.PrefixSpan; Pei et al., PrefixSpan:
 * Mining Sequential Patterns Efficiently by Prefix-Projected Pattern Growth, 2001): frequent
 * sequential patterns in a column of sequences of itemsets, array<array<T>> with T strings,
 * integers, floating-point numbers or booleans. As in Spark it is not a pipeline stage: a Params
 * holder with `findFrequentSequentialPatterns(df)`, which returns a DataFrame
 * (sequence array<array<T>> not null, freq bigint not null) whose rows are mined when first used.
 *
 * The algorithm is Spark's, step by step (tasks.ts):
 *   - rows whose sequence is null are ignored; minCount = ceil(minSupport * sequences);
 *   - items held by at least minCount sequences are frequent; they get 1-based ids by
 *     descending count (ties by item value), and each sequence becomes Spark's internal format
 *     (frequent items only, sorted within each itemset, 0-delimited); a pattern's items come
 *     out in that order within an itemset, as Spark prints them;
 *   - distributed prefix growth from the empty prefix: each round counts, per large prefix and
 *     extension item, the sequences and the projected-database size (a partition summary);
 *     new prefixes shorter than maxPatternLength go on as large (projected size >
 *     maxLocalProjDBSize, another round) or small;
 *   - small prefixes are projected (compressed postfixes per prefix) and grown locally with
 *     LocalPrefixSpan, groups of prefixes as tasks.
 * A pattern's length counts items, not itemsets. Patterns come out depth first (a prefix
 * before its extensions, extensions by item id, items joining the last itemset first), which
 * does not depend on partitioning or on maxLocalProjDBSize; Spark's row order is not
 * meaningful.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingRangeError } from '../../src/errors.js';
import type { DataFrame } from '../../src/dataframe/dataframe.js';
import { Params } from '../param/params.js';
import { PrefixSpanParamsMixin, type PrefixSpanParamsOptions } from './fpm-params.js';
import { batchOf, checkItemType, columnTasks, fieldOf, fpmRef, lazyFrame, listColumn, longColumn, sparkDataTypeString } from './common.js';
import {
  compareItems, concatPostfixes, postfixAt, postfixesFrom,
  type ColumnTask, type EncodedSequences, type Item, type ItemCounts, type LocalTask, type PlainPatterns, type PlainPostfixes, type PlainPrefix, type PrefixCounts,
} from '../../src/kernels/fpm-tasks.js';

export type PrefixSpanOptions = PrefixSpanParamsOptions;

type SequenceTask = ColumnTask & { name: string };

/** The signed-item form of an internal pattern ([0,1,2,0,3,0] → [1,-2,3]): its path in the prefix tree. */
function signedPath(p: Int32Array): number[] {
  const out: number[] = [];
  let first = true;
  for (let i = 1; i < p.length; i++) {
    const x = p[i]!;
    if (x === 0) first = true;
    else {
      out.push(first ? x : -x);
      first = false;
    }
  }
  return out;
}

function comparePaths(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Spark's PrefixSpan: not a pipeline stage and not persisted, as in Spark. */
export class PrefixSpan extends PrefixSpanParamsMixin(Params) {
  constructor(options?: PrefixSpanOptions, uid?: string) {
    super(uid);
    this.setParams(options as Record<string, unknown> | undefined);
  }

  /**
   * The frequent sequential patterns of the sequence column: a DataFrame (sequence, freq) whose
   * mining runs when it is first used (collect, show, count…) and is kept. The column type and
   * the params are checked now.
   */
  findFrequentSequentialPatterns(df: DataFrame): DataFrame {
    const api = this.stageName;
    const column = this.getSequenceCol();
    const t = fieldOf(api, df.schema, column).type;
    if (!(arrow.DataType.isList(t) && arrow.DataType.isList(t.children[0]!.type))) {
      throw Errors.schema(`${api}: The input column must be ArrayType and the array element type must also be ArrayType, but got ${sparkDataTypeString(t)}.`);
    }
    checkItemType(api, column, t.children[0]!.type.children[0]!.type);
    const minSupport = this.getMinSupport();
    if (!(minSupport >= 0 && minSupport <= 1)) throw new KindlingRangeError(`${api}: The minimum support value must be in [0, 1], but got ${minSupport}.`);
    const maxPatternLength = this.getMaxPatternLength();
    const maxLocalProjDBSize = this.getMaxLocalProjDBSize();
    const schema = new arrow.Schema([new arrow.Field('sequence', t, false), new arrow.Field('freq', new arrow.Int64(), false)]);
    return lazyFrame(df.session, schema, async () => {
      const { patterns, items } = await mine(api, df, column, minSupport, maxPatternLength, maxLocalProjDBSize);
      const order = patterns.map((p, i) => ({ i, path: signedPath(p.pattern) })).sort((a, b) => comparePaths(a.path, b.path));
      const sequences = order.map(({ i }) => toPublic(patterns[i]!.pattern, items));
      return [batchOf(schema, [listColumn(t, sequences), longColumn(order.map(({ i }) => patterns[i]!.count))], order.length)];
    });
  }
}

/** Spark's toPublicRepr: [0,1,2,0,3,0] → [[item1, item2], [item3]]. */
function toPublic(pattern: Int32Array, items: readonly Item[]): Item[][] {
  const out: Item[][] = [];
  let set: Item[] = [];
  for (let i = 1; i < pattern.length; i++) {
    const x = pattern[i]!;
    if (x === 0) {
      out.push(set);
      set = [];
    } else set.push(items[x - 1]!);
  }
  return out;
}

interface Prefix {
  id: number;
  items: number[];
  length: number;
}

async function mine(api: string, df: DataFrame, column: string, minSupport: number, maxPatternLength: number, maxLocalProjDBSize: number): Promise<{ patterns: Array<{ pattern: Int32Array; count: number }>; items: Item[] }> {
  const session = df.session;
  const { tasks: columnParts } = await columnTasks(api, df, column);
  const tasks: SequenceTask[] = columnParts.map((p) => ({ ...p, name: column }));
  const counts = await session.treeAggregate<ItemCounts, SequenceTask, null>(fpmRef('prefixSpanItemsSummary'), tasks, null);
  const minCount = Math.ceil(minSupport * counts.n);
  const order: number[] = [];
  for (let i = 0; i < counts.items.length; i++) if (counts.counts[i]! >= minCount) order.push(i);
  order.sort((a, b) => counts.counts[b]! - counts.counts[a]! || compareItems(counts.items[a]!, counts.items[b]!));
  const items = order.map((i) => counts.items[i]!);
  const patterns: Array<{ pattern: Int32Array; count: number }> = [];
  if (items.length === 0) return { patterns, items };

  const encoded = (await session.runTasks<SequenceTask, { items: Item[] }, EncodedSequences>(fpmRef('prefixSpanEncodeSummary'), tasks, { items }))
    .filter((e) => e.offsets.length > 1);

  // Distributed prefix growth (Spark's genFreqPatterns).
  let nextId = 0;
  const plain = (p: Prefix): PlainPrefix => ({ id: p.id, items: Int32Array.from(p.items), length: p.length });
  const small = new Map<number, Prefix>();
  let large = new Map<number, Prefix>([[nextId, { id: nextId++, items: [], length: 0 }]]);
  while (large.size > 0) {
    const pc = await session.treeAggregate<PrefixCounts, EncodedSequences, { prefixes: PlainPrefix[] }>(fpmRef('prefixSpanPrefixSummary'), encoded, { prefixes: [...large.values()].map(plain) });
    const freq: number[] = [];
    for (let i = 0; i < pc.ids.length; i++) if (pc.counts[i]! >= minCount) freq.push(i);
    freq.sort((a, b) => pc.ids[a]! - pc.ids[b]! || pc.items[a]! - pc.items[b]!);
    const next = new Map<number, Prefix>();
    for (const i of freq) {
      const parent = large.get(pc.ids[i]!)!;
      const item = pc.items[i]!;
      const prefix: Prefix = { id: nextId++, items: item < 0 ? [...parent.items, -item] : [...parent.items, 0, item], length: parent.length + 1 };
      patterns.push({ pattern: Int32Array.from([...prefix.items, 0]), count: pc.counts[i]! });
      if (prefix.length < maxPatternLength) {
        if (pc.sizes[i]! > maxLocalProjDBSize) next.set(prefix.id, prefix);
        else small.set(prefix.id, prefix);
      }
    }
    large = next;
  }
  if (small.size === 0) return { patterns, items };

  // Local processing of the small prefixes: project, group by prefix, grow each group as a task.
  const smallList = [...small.values()].map(plain);
  const projected = concatPostfixes(
    await session.runTasks<EncodedSequences, { prefixes: PlainPrefix[] }, PlainPostfixes>(fpmRef('prefixSpanProjectSummary'), encoded, { prefixes: smallList }),
  );
  const byPrefix = new Map<number, number[]>();
  for (let i = 0; i < projected.ids.length; i++) {
    const id = projected.ids[i]!;
    let list = byPrefix.get(id);
    if (!list) byPrefix.set(id, (list = []));
    list.push(i);
  }
  const groups = [...byPrefix.entries()].map(([id, rows]) => ({
    prefix: small.get(id)!,
    rows,
    size: rows.reduce((s, r) => s + projected.offsets[r + 1]! - projected.offsets[r]!, 0),
  }));
  groups.sort((a, b) => b.size - a.size || a.prefix.id - b.prefix.id);
  const numTasks = Math.min(groups.length, Math.max(1, session.execContext().backend.parallelism) * 2);
  const localTasks: LocalTask[] = Array.from({ length: numTasks }, () => ({ minCount, maxPatternLength, prefixes: [] }));
  const load = new Float64Array(numTasks);
  for (const g of groups) {
    let best = 0;
    for (let k = 1; k < numTasks; k++) if (load[k]! < load[best]!) best = k;
    load[best]! += g.size;
    localTasks[best]!.prefixes.push({ items: Int32Array.from(g.prefix.items), length: g.prefix.length, postfixes: postfixesFrom(g.rows.map((r) => ({ id: g.prefix.id, postfix: postfixAt(projected, r) }))) });
  }
  const local = await session.runTasks<LocalTask, null, PlainPatterns>(fpmRef('prefixSpanLocalSummary'), localTasks, null);
  for (const r of local) for (let i = 0; i < r.counts.length; i++) patterns.push({ pattern: r.data.slice(r.offsets[i]!, r.offsets[i + 1]!), count: r.counts[i]! });
  return { patterns, items };
}
