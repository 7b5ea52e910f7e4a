/**
 * The task function of a `local[N]` pool thread (Piscina loads it through the worker entry,
 * ts/worker.ts, which first registers the built-in tasks): runs one task on the partition the
 * driver resolved for it, and replies with the result's unshared buffers moved, not copied.
 * Errors come back as data (wire.ts), so the driver rebuilds the same class with its code.
 */
import { Piscina } from 'piscina';
import type { TaskSpec } from './backend.js';
import { executeTask } from './execute-task.js';
import { transferables } from './shared-memory.js';
import { encodeError, type WireError } from './wire.js';

/** What the pool backend posts: a task with its partition, or the warm-up barrier. */
export type PoolMessage =
  | { task: Omit<TaskSpec, 'input'>; input: unknown }
  | { warm: { counter: Int32Array; threads: number; timeoutMs: number } };

export type WorkerReply = { ok: true; value: unknown } | { ok: false; error: WireError };

/** Every thread takes one warm-up task and waits for the others, so all have loaded the entry. */
function warmBarrier(w: { counter: Int32Array; threads: number; timeoutMs: number }): WorkerReply {
  Atomics.add(w.counter, 0, 1);
  Atomics.notify(w.counter, 0);
  const deadline = Date.now() + w.timeoutMs;
  for (;;) {
    const seen = Atomics.load(w.counter, 0);
    const left = deadline - Date.now();
    if (seen >= w.threads || left <= 0) break;
    Atomics.wait(w.counter, 0, seen, left);
  }
  return { ok: true, value: null };
}

export default async function runPoolMessage(msg: PoolMessage): Promise<unknown> {
  if ('warm' in msg) return warmBarrier(msg.warm);
  try {
    const value = await executeTask(msg.task, msg.input, true);
    const reply: WorkerReply = { ok: true, value };
    const buffers = transferables(value);
    if (buffers.length === 0) return reply;
    // Piscina's Transferable wrapper, marked movable: the reply is posted with its buffers moved.
    return Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: reply } as never);
  } catch (err) {
    return { ok: false, error: encodeError(err) } satisfies WorkerReply;
  }
}
