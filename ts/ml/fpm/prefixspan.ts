/**
 * PrefixSpan (Spark's ml.fpm.PrefixSpan over mllib.fpm.PrefixSpan; Pei et al., PrefixSpan:
 * Mining Sequential Patterns Efficiently by Prefix-Projected Pattern Growth, 2001): frequent
 * sequential patterns in a column of sequences of itemsets, array<array<T>> with T strings,
 * integers, floating-point numbers or booleans. As in Spark it is not a pipeline stage: a Params
 * holder with `findFrequentSequentialPatterns(df)`, which returns a DataFrame
 * (sequence array<array<T>> not null, freq bigint not null) whose rows are mined when first used.
 *
 * The algorithm is Spark's, step by step (prefixspan-tasks.ts), over the sequence column where
 * the DataFrame's partitions live; the driver never holds the sequences:
 *   - rows whose sequence is null are ignored; minCount = ceil(minSupport * sequences); a null
 *     itemset fails naming its row over the whole DataFrame (partition order);
 *   - items held by at least minCount sequences are frequent; they get 1-based ids by
 *     descending count (ties by item value), and each sequence becomes Spark's internal format
 *     (frequent items only, sorted within each itemset, 0-delimited), kept on the executors as
 *     blocks that every later pass reads; a pattern's items come out in that order within an
 *     itemset, as Spark prints them;
 *   - distributed prefix growth from the empty prefix: each round counts, per large prefix and
 *     extension item, the sequences and the projected-database size (a partition summary);
 *     new prefixes shorter than maxPatternLength go on as large (projected size >
 *     maxLocalProjDBSize, another round) or small;
 *   - small prefixes are projected (compressed postfixes, kept as blocks by local task) and
 *     grown with LocalPrefixSpan, groups of prefixes as tasks.
 * A pattern's length counts items, not itemsets. Patterns come out depth first (a prefix
 * before its extensions, extensions by item id, items joining the last itemset first), which
 * does not depend on partitioning or on maxLocalProjDBSize; Spark's row order is not
 * meaningful.
 */
import * as arrow from 'apache-arrow';
import { Errors, KindlingRangeError } from '../../src/errors.js';
import { lazyFrame, type DataFrame, type SessionLike } from '../../src/dataframe/dataframe.js';
import type { JobSource } from '../../src/exec/jobs.js';
import { Params } from '../param/params.js';
import { PrefixSpanParamsMixin, type PrefixSpanParamsOptions } from './fpm-params.js';
import { throwFirstBadRow } from '../data/checked-summary.js';
import { columnField } from '../data/schema-checks.js';
import { batchOf, checkItemType, columnSource, listColumn, longColumn, sparkDataTypeString } from './common.js';
import { frequentItems, type Item } from './items.js';
import { prefixSpanEncode, prefixSpanItems, prefixSpanLocal, prefixSpanPrefix, prefixSpanProject, type PlainPrefix, type ProjectMeta, type SmallPrefix } from './prefixspan-tasks.js';
import { listAt, type Ragged } from './ragged.js';

export type PrefixSpanOptions = PrefixSpanParamsOptions;

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
    const t = columnField(api, df.schema, column).field.type;
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

type Pattern = { pattern: Int32Array; count: number };

async function mine(api: string, df: DataFrame, column: string, minSupport: number, maxPatternLength: number, maxLocalProjDBSize: number): Promise<{ patterns: Pattern[]; items: Item[] }> {
  const session = df.session;
  const source = await columnSource(df, column);
  const { value: counts } = throwFirstBadRow(api, await session.treeAggregate(prefixSpanItems, source, { column }));
  const minCount = Math.ceil(minSupport * counts.n);
  const { items } = frequentItems(counts, minCount);
  const patterns: Pattern[] = [];
  if (items.length === 0) return { patterns, items };
  // Spark's dataInternalRepr, persisted: every later pass reads these blocks where they are
  const encoded = await session.keepTasks<arrow.RecordBatch, unknown, { sequences: number }>(prefixSpanEncode, source, { api, column, items });
  try {
    const sequences = encoded.source(encoded.parts.flatMap((p) => p.ids.map(() => p.meta.sequences)));
    const small = await growPrefixes(session, sequences, minCount, maxPatternLength, maxLocalProjDBSize, patterns);
    if (small.length > 0) patterns.push(...(await growLocally(session, sequences, small, minCount, maxPatternLength)));
  } finally {
    encoded.release();
  }
  return { patterns, items };
}

/** Distributed prefix growth (Spark's genFreqPatterns): rounds over the large prefixes; returns the small prefixes with their projected sizes. */
async function growPrefixes(session: SessionLike, sequences: JobSource, minCount: number, maxPatternLength: number, maxLocalProjDBSize: number, patterns: Pattern[]): Promise<Array<Prefix & { size: number }>> {
  let nextId = 0;
  const small: Array<Prefix & { size: number }> = [];
  let large = new Map<number, Prefix>([[nextId, { id: nextId++, items: [], length: 0 }]]);
  while (large.size > 0) {
    const prefixes = [...large.values()].map((p): PlainPrefix => ({ id: p.id, items: Int32Array.from(p.items), length: p.length }));
    const pc = await session.treeAggregate(prefixSpanPrefix, sequences, { prefixes });
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
        else small.push({ ...prefix, size: pc.sizes[i]! });
      }
    }
    large = next;
  }
  return small;
}

/**
 * Local processing of the small prefixes: each goes to one of up to 2 x parallelism local tasks
 * (largest projected database first, to the least loaded task); the projection keeps each
 * task's postfixes as a block per partition, and each local task reads its blocks.
 */
async function growLocally(session: SessionLike, sequences: JobSource, small: Array<Prefix & { size: number }>, minCount: number, maxPatternLength: number): Promise<Pattern[]> {
  const numTasks = Math.min(small.length, Math.max(1, session.execContext().backend.parallelism) * 2);
  const load = new Float64Array(numTasks);
  const prefixes = small
    .sort((a, b) => b.size - a.size || a.id - b.id)
    .map((p): SmallPrefix => {
      let task = 0;
      for (let k = 1; k < numTasks; k++) if (load[k]! < load[task]!) task = k;
      load[task]! += p.size;
      return { id: p.id, items: Int32Array.from(p.items), length: p.length, task };
    });
  const projected = await session.keepTasks<Ragged, { prefixes: SmallPrefix[] }, ProjectMeta>(prefixSpanProject, sequences, { prefixes });
  try {
    const byTask: number[][] = Array.from({ length: numTasks }, () => []);
    for (const p of projected.parts) p.meta.tasks.forEach((t, k) => byTask[t]!.push(p.ids[k]!));
    const tasks = byTask.flatMap((ids, t) => (ids.length > 0 ? [t] : []));
    const local = await session.runTasks(prefixSpanLocal, { inputs: tasks.map((t) => ({ blocks: byTask[t]! })), partitions: tasks }, { minCount, maxPatternLength, prefixes });
    return local.flatMap((r) => Array.from(r.counts, (count, i) => ({ pattern: listAt(r.patterns, i).slice(), count })));
  } finally {
    projected.release();
  }
}
