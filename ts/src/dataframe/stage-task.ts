/**
 * The DataFrame's one executor task: a stage — a chain of narrow operators (narrow.ts) over one
 * partition — that ends in returning the rows, counting them, or handing them to another task
 * (a summary's fold, e.g. a group-by partial, or a map task such as a fit's packing of its
 * training data). Every DataFrame operator and every job over a DataFrame runs its partition
 * work through it (physical.ts: stageSource, runStages), on whichever executor backend the session has.
 */
import * as arrow from 'apache-arrow';
import { runTask } from '../exec/execute-task.js';
import { defineTask, type TaskRef } from '../exec/task.js';
import { runNarrow } from './narrow.js';
import type { NarrowOp } from './plan.js';
import { batchToPlain, plainToBatch, type PlainBatch } from './portable.js';

export type StageEnd =
  | { kind: 'rows' }
  | { kind: 'count' }
  /** The rows go to the task `ref` (a summary folds them into a fresh partial; a map task runs on them). */
  | { kind: 'task'; ref: TaskRef; broadcast: unknown };

export interface StageBroadcast {
  ops: NarrowOp[];
  end: StageEnd;
}

export const stageTask = defineTask<PlainBatch, StageBroadcast, unknown>('dataframe.stage', async (plain, b, ctx) => {
  const { batch, ctx: after } = await runNarrow(plainToBatch(plain), b.ops, ctx);
  const end = b.end;
  if (end.kind === 'rows') return batchToPlain(batch);
  if (end.kind === 'count') return batch.numRows;
  return runTask(end.ref, batch, end.broadcast, after);
});

/** A stage's rows as the batch the driver reads. */
export function stageRows(value: unknown): arrow.RecordBatch {
  return plainToBatch(value as PlainBatch);
}
