/**
 * Data the driver holds, placed on the executors once (docs/ARCHITECTURE.md, "No hidden copies
 * per action"): a DataFrame made with `createDataFrame` is put on the executor backend as
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

function put(owner: object, backend: ExecutorBackend, batches: readonly arrow.RecordBatch[]): arrow.RecordBatch[] {
  const ids = backend.put(batches.map(batchToPlain));
  const placed = ids.map((id) => {
    const b = plainToBatch(backend.get(id) as PlainBatch);
    blocks.set(b, { backend, id });
    return b;
  });
  const p = placements.get(owner);
  if (p) p.ids = ids;
  reclaim.register(owner, { backend, ids }, owner);
  return placed;
}

/** The placement of `owner` on `backend`, made by `make` the first time (or again after a new session). */
async function placed(owner: object, backend: ExecutorBackend, make: () => Promise<arrow.RecordBatch[]>): Promise<arrow.RecordBatch[]> {
  const p = placements.get(owner);
  if (p && p.backend === backend) return p.batches;
  if (p) unplace(owner);
  const entry: Placement = { backend, ids: [], batches: Promise.resolve([]) };
  entry.batches = make().then((parts) => put(owner, backend, parts));
  placements.set(owner, entry);
  entry.batches.catch(() => placements.delete(owner));
  return entry.batches;
}

const usedOnce = new WeakSet<object>();

/** A `createDataFrame` plan's partitions: as they are on first use, placed once from the second. */
export function placeMemory(plan: Plan & { op: 'memory' }, backend: ExecutorBackend): Promise<arrow.RecordBatch[]> {
  if (!placements.has(plan) && !usedOnce.has(plan)) {
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
