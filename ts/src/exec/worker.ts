/**
 * The Piscina task module of the local backend: imports the summary a task names, folds the
 * partition, and returns the partial summary with its buffers moved (not copied) back. Errors
 * come back as data (wire.ts), so the driver rebuilds the same class with its code.
 */
import { Piscina } from 'piscina';
import { resolveSummary, transferables } from './summary.js';
import { encodeError, type WireError } from './wire.js';
import type { SummaryTask } from './backend.js';

export type WorkerReply = { ok: true; value: unknown } | { ok: false; error: WireError };

export default async function runTask(task: SummaryTask): Promise<unknown> {
  try {
    const summary = await resolveSummary(task.ref);
    const value = summary.add(summary.zero(task.broadcast), task.partition, task.broadcast);
    const reply: WorkerReply = { ok: true, value };
    const buffers = transferables(value);
    if (buffers.length === 0) return reply;
    // Piscina's Transferable wrapper, marked movable: the reply is posted with its buffers moved.
    return Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: reply } as never);
  } catch (err) {
    return { ok: false, error: encodeError(err) };
  }
}
