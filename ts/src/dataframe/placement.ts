/**
 * Data the driver holds, placed on the executors once (docs/ARCHITECTURE.md, "Execution"): a DataFrame made with `createDataFrame` is put on the executor backend as
 * blocks the second time an action needs it, and a cached DataFrame's partitions when they are
 * first computed. The first action reads the driver's batches where they are (on a pool it
 * runs on the calling thread: a one-off copy into shared memory costs more than one query,
 * exec/pool-backend.ts), so a script that queries a DataFrame once pays no copy at all. Later
 * actions name the blocks (`blockOf`), so nothing is copied again; the blocks are dropped when
 * the DataFrame is garbage-collected, `unpersist()` is called, or the session stops. On a
 * `local[N]` pool a block lives in shared memory: the driver's batches are views of the same
 * memory the workers read. A placed batch names its block only to the backend that holds it
 * (its batches may reach another session's DataFrame, which sends them as values).
 */
import type * as arrow from 'apache-arrow';
import type { BlockId, ExecutorBackend } from '../exec/backend.js';
import type { Plan } from './plan.js';
import { batchToPlain, plainToBatch, type PlainBatch } from './portable.js';

interface Placement {
  backend: ExecutorBackend;
  ids: BlockId[];
  batches: Promise<arrow.RecordBatch[]>;
}

const blocks = new WeakMap<arrow.RecordBatch, { backend: ExecutorBackend; id: BlockId }>();
const placements = new WeakMap<object, Placement>();
const reclaim = new FinalizationRegistry<{ backend: ExecutorBackend; ids: BlockId[] }>((held) => held.backend.drop(held.ids));

/** The block of `backend` a partition batch is a view of, if it was placed there. */
export function blockOf(batch: arrow.RecordBatch, backend: ExecutorBackend): BlockId | undefined {
  const b = blocks.get(batch);
  return b?.backend === backend ? b.id : undefined;
}

/**
 * Puts `parts` on the entry's backend as blocks and returns the batches that view them. If the
 * entry was replaced or dropped meanwhile (unpersist while a cache was computing), its blocks
 * are dropped at once and the partitions come back as they were.
 */
function put(owner: object, entry: Placement, parts: readonly arrow.RecordBatch[]): arrow.RecordBatch[] {
  const { backend } = entry;
  const ids = backend.put(parts.map(batchToPlain));
  if (placements.get(owner) !== entry) {
    backend.drop(ids);
    return parts.slice();
  }
  entry.ids = ids;
  reclaim.register(owner, { backend, ids }, owner);
  return ids.map((id) => {
    const b = plainToBatch(backend.get(id) as PlainBatch);
    blocks.set(b, { backend, id });
    return b;
  });
}

/** The placement of `owner` on `backend`, made by `make` the first time (or again after a new session). */
function placed(owner: object, backend: ExecutorBackend, make: () => Promise<arrow.RecordBatch[]>): Promise<arrow.RecordBatch[]> {
  const p = placements.get(owner);
  if (p && p.backend === backend) return p.batches;
  if (p) unplace(owner);
  const entry: Placement = { backend, ids: [], batches: Promise.resolve([]) };
  placements.set(owner, entry);
  entry.batches = make().then((parts) => put(owner, entry, parts));
  entry.batches.catch(() => {
    if (placements.get(owner) === entry) placements.delete(owner);
  });
  return entry.batches;
}

const usedOnce = new WeakSet<object>();

/**
 * A `createDataFrame` plan's partitions: the placed batches once it is placed on `backend`,
 * else the driver's own. `forTasks` (the partitions become task inputs) counts a use: the first
 * use reads the driver's batches, the second places them. Driver-only reads (collect, a sort's
 * or a join's input) never place anything.
 */
export function placeMemory(plan: Plan & { op: 'memory' }, backend: ExecutorBackend, forTasks: boolean): Promise<arrow.RecordBatch[]> {
  const p = placements.get(plan);
  if (p && p.backend === backend) return p.batches;
  if (!forTasks) return Promise.resolve(plan.partitions);
  if (!usedOnce.has(plan)) {
    usedOnce.add(plan);
    return Promise.resolve(plan.partitions);
  }
  return placed(plan, backend, async () => plan.partitions);
}

/** A cached plan's partitions: computed (`compute`) the first time, then placed and kept. */
export function placeCache(plan: Plan & { op: 'cache' }, backend: ExecutorBackend, compute: () => Promise<arrow.RecordBatch[]>): Promise<arrow.RecordBatch[]> {
  return placed(plan.state, backend, plan.state.compute ?? compute);
}

/** Whether a cached plan's partitions are placed (explain() shows it). */
export function isPlaced(owner: object): boolean {
  return placements.has(owner);
}

/** Drops the blocks of `owner` (unpersist). */
export function unplace(owner: object): void {
  const p = placements.get(owner);
  if (!p) return;
  placements.delete(owner);
  reclaim.unregister(owner);
  p.backend.drop(p.ids);
}
