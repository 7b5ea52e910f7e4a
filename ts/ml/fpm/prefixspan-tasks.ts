/**
 * PrefixSpan's executor tasks, as Spark's mllib.fpm.PrefixSpan (prefixspan.ts drives them), over
 * the partitions of `df.select(sequenceCol)` where they live and then over blocks kept on the
 * executors (the internal format: postfix.ts):
 *   1. `prefixSpanItems` (summary, a `batchSummary`: data/checked-summary.ts): sequences and,
 *      per item, the number of sequences holding it; a null itemset is reported with its
 *      partition, and the driver names the row over the whole DataFrame (`throwFirstBadRow`);
 *   2. `prefixSpanEncode` (kept): each partition's sequences in the internal format (frequent
 *      items only; Spark's toDatabaseInternalRepr, persisted), read by every later pass;
 *   3. `prefixSpanPrefix` (summary over the encoded blocks): a round of distributed prefix
 *      growth — for every large prefix, the count and projected-database size of each
 *      extension item;
 *   4. `prefixSpanProject` (kept): the compressed postfixes of every small prefix, one block
 *      per local task the prefix is assigned to (the map side of Spark's groupByKey);
 *   5. `prefixSpanLocal`: LocalPrefixSpan over the projected databases of the small prefixes
 *      of task `ctx.partition`, read from that task's block of every partition.
 */
import type * as arrow from 'apache-arrow';
import { Errors } from '../../src/errors.js';
import { defineSummary, defineTask, type Kept, type Summary } from '../../src/exec/task.js';
import { batchSummary, RowError, type BatchRead } from '../data/checked-summary.js';
import { countItems, mergeCounts, onlyColumn, readSequenceRows, zeroCounts, type Item, type ItemCounts } from './items.js';
import { localPrefixSpan, postfixAt, postfixesFrom, Postfix, type PlainPostfixes } from './postfix.js';
import { listAt, raggedLength, RaggedBuilder, type Ragged } from './ragged.js';

/** The sequence column, named in messages. */
export interface ColumnBroadcast {
  column: string;
}

/** Per item, the number of sequences holding it, over a partition's non-null sequences. */
const sequenceItemCounts: Summary<ItemCounts, Item[][][], ColumnBroadcast> = {
  zero: () => zeroCounts(),
  add: (s, seqs) =>
    countItems(s, seqs.length, (bump) => {
      for (const seq of seqs) for (const it of new Set(seq.flat())) bump(it);
    }),
  merge: mergeCounts,
};

/** A partition's non-null sequences; a null itemset stops the read (a RowError, as `weightsOf`). */
function readSequences(batch: arrow.RecordBatch, b: ColumnBroadcast): BatchRead<Item[][][]> {
  const read = readSequenceRows(onlyColumn(batch), `column ${b.column}`);
  if ('bad' in read) throw new RowError(read.bad, -1);
  return { part: read.rows.filter((seq): seq is Item[][] => seq !== null) };
}

/** Pass 1: non-null sequences and, per item, the number of sequences holding it. */
export const prefixSpanItems = batchSummary('fpm.prefixSpanItems', sequenceItemCounts, readSequences);

/** Pass 2 (Spark's toDatabaseInternalRepr): frequent items as 1-based ids sorted within itemsets, 0-delimited; sequences without frequent items are dropped. */
export const prefixSpanEncode = defineTask<arrow.RecordBatch, ColumnBroadcast & { api: string; items: Item[] }, Kept<{ sequences: number }>>('fpm.prefixSpanEncode', (batch, b, ctx) => {
  const read = readSequenceRows(onlyColumn(batch), `column ${b.column}`);
  // not reached: pass 1 reported the DataFrame's first null itemset
  if ('bad' in read) throw Errors.badRow(b.api, read.bad.what, read.bad.row, `${read.bad.why} (row within partition ${ctx.partition})`);
  const id = new Map<Item, number>();
  b.items.forEach((it, i) => id.set(it, i + 1));
  const out = new RaggedBuilder();
  const seq: number[] = [];
  const set: number[] = [];
  for (const itemsets of read.rows) {
    if (itemsets === null) continue;
    seq.length = 0;
    seq.push(0);
    for (const itemset of itemsets) {
      set.length = 0;
      for (const it of itemset) {
        const x = id.get(it);
        if (x !== undefined) set.push(x);
      }
      if (set.length === 0) continue;
      set.sort((x, y) => x - y);
      seq.push(...set, 0);
    }
    if (seq.length > 1) out.push(seq);
  }
  const sequences = out.length;
  return { kept: sequences > 0 ? [out.build(ctx.alloc)] : [], meta: { sequences } };
});

/** A prefix in the internal format (items without the trailing 0) and its length in items. */
export interface PlainPrefix {
  id: number;
  items: Int32Array;
  length: number;
}

/** A small prefix and the local task it is grown by. */
export interface SmallPrefix extends PlainPrefix {
  task: number;
}

/** Per (prefix id, extension item): the number of sequences and the summed postfix sizes. */
export interface PrefixCounts {
  ids: Int32Array;
  items: Int32Array;
  counts: Float64Array;
  sizes: Float64Array;
}

type CountsMap = Map<string, [number, number, number, number]>;

function bumpPrefix(m: CountsMap, id: number, item: number, count: number, size: number): void {
  const key = `${id},${item}`;
  const e = m.get(key);
  if (e) {
    e[2] += count;
    e[3] += size;
  } else m.set(key, [id, item, count, size]);
}

function prefixCountsMap(s: PrefixCounts): CountsMap {
  const m: CountsMap = new Map();
  for (let i = 0; i < s.ids.length; i++) bumpPrefix(m, s.ids[i]!, s.items[i]!, s.counts[i]!, s.sizes[i]!);
  return m;
}

function prefixCountsFrom(m: CountsMap): PrefixCounts {
  const v = [...m.values()];
  return { ids: Int32Array.from(v, (e) => e[0]), items: Int32Array.from(v, (e) => e[1]), counts: Float64Array.from(v, (e) => e[2]), sizes: Float64Array.from(v, (e) => e[3]) };
}

function* postfixes(seqs: Ragged): Generator<Postfix> {
  for (let i = 0; i < raggedLength(seqs); i++) yield new Postfix(listAt(seqs, i));
}

/** Pass 3: one round of distributed prefix growth over the large prefixes (Spark's genFreqPatterns). */
export const prefixSpanPrefix = defineSummary<PrefixCounts, Ragged, { prefixes: PlainPrefix[] }>('fpm.prefixSpanPrefix', {
  zero: () => ({ ids: new Int32Array(0), items: new Int32Array(0), counts: new Float64Array(0), sizes: new Float64Array(0) }),
  add: (s, seqs, b) => {
    const m = prefixCountsMap(s);
    for (const postfix of postfixes(seqs)) {
      for (const prefix of b.prefixes) {
        for (const [item, size] of postfix.projectPrefix(prefix.items).genPrefixItems()) bumpPrefix(m, prefix.id, item, 1, size);
      }
    }
    return prefixCountsFrom(m);
  },
  merge: (a, b) => {
    if (b.ids.length === 0) return a;
    const m = prefixCountsMap(a);
    for (let i = 0; i < b.ids.length; i++) bumpPrefix(m, b.ids[i]!, b.items[i]!, b.counts[i]!, b.sizes[i]!);
    return prefixCountsFrom(m);
  },
});

/** The local tasks a partition kept postfixes for, in block order. */
export interface ProjectMeta {
  tasks: number[];
}

/** Pass 4: the non-empty compressed postfixes of every sequence for every small prefix, one block per local task. */
export const prefixSpanProject = defineTask<Ragged, { prefixes: SmallPrefix[] }, Kept<ProjectMeta>>('fpm.prefixSpanProject', (seqs, b, ctx) => {
  const byTask = new Map<number, Array<{ id: number; postfix: Postfix }>>();
  for (const postfix of postfixes(seqs)) {
    for (const prefix of b.prefixes) {
      const p = postfix.projectPrefix(prefix.items).compressed();
      if (!p.nonEmpty) continue;
      let list = byTask.get(prefix.task);
      if (!list) byTask.set(prefix.task, (list = []));
      list.push({ id: prefix.id, postfix: p });
    }
  }
  const tasks = [...byTask.keys()].sort((x, y) => x - y);
  return { kept: tasks.map((t) => postfixesFrom(byTask.get(t)!, ctx.alloc)), meta: { tasks } };
});

/** Patterns in the internal format (leading and trailing 0) with their counts. */
export interface PlainPatterns {
  patterns: Ragged;
  counts: Float64Array;
}

export interface LocalBroadcast {
  minCount: number;
  maxPatternLength: number;
  prefixes: SmallPrefix[];
}

/** Pass 5, local task `ctx.partition`: LocalPrefixSpan over each of its small prefixes, the postfixes read from its block of every partition. */
export const prefixSpanLocal = defineTask<PlainPostfixes[], LocalBroadcast, PlainPatterns>('fpm.prefixSpanLocal', (blocks, b, ctx) => {
  const dbs = new Map<number, Postfix[]>();
  for (const block of blocks) {
    for (let i = 0; i < block.ids.length; i++) {
      const id = block.ids[i]!;
      let db = dbs.get(id);
      if (!db) dbs.set(id, (db = []));
      db.push(postfixAt(block, i));
    }
  }
  const patterns = new RaggedBuilder();
  const counts: number[] = [];
  for (const prefix of b.prefixes) {
    const db = dbs.get(prefix.id);
    if (prefix.task !== ctx.partition || db === undefined) continue;
    localPrefixSpan(b.minCount, b.maxPatternLength - prefix.length, prefix.items, db, (pattern, count) => {
      patterns.push(pattern);
      counts.push(count);
    });
  }
  return { patterns: patterns.build(), counts: Float64Array.from(counts) };
});
